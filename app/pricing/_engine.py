"""The pricing engine: one pass over a page or basket, with the rules filtered and indexed once per call (_index).

A tier table is filled in one walk over the item's rules in precedence order: each group of rules takes the
tier starts it covers that no earlier group priced, which gives the same winner at every start as trying the
rules in order start by start, for the cost of one pass.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from app.pricing._index import BASE, COST_PLUS, LIST_MINUS, SELF, Entry, RuleIndex, index_for
from app.pricing._promotions import Promotion, PromotionBook
from app.pricing._quote import PriceQuote, PriceSheet, PricingContext, PricingItem, Tier
from app.pricing._rules import ONE, Id, PriceRule
from app.pricing._text import N_

ZERO = Decimal(0)
NO_PROBLEMS: tuple = ()
NO_COST = N_("%(list)s skipped: the variant has no cost price")
COST_CURRENCY = N_("%(list)s skipped: the cost is in another currency")
NO_BASE = N_("%(list)s skipped: no base price to discount")
SELF_DISCOUNT = N_("%(list)s skipped: a base list cannot discount itself")
NOT_POSITIVE = N_("%(list)s skipped: the price would not be above zero")

Note = tuple[str, str]  # (msgid, list code) of a rule that could not price
Won = tuple[PriceRule, Decimal, Decimal | None]  # the winner at a tier start: (rule, price, formula basis)
_new = tuple.__new__  # NamedTuple(...) without its Python-level __new__: a page builds thousands of them


def price_many(
    items: Sequence[PricingItem],
    rules: Iterable[PriceRule],
    promotions: Iterable[Promotion],
    qtys: Mapping[Id, Decimal | int],
    ctx: PricingContext,
    *,
    tiers: bool = True,
) -> PriceSheet:
    """Price a page or basket for one customer: a quote per variant (qty 1 unless given) and coupon problems.

    `rules` are all rules the page may need (variant, product, category and all-product scopes, every level
    of this customer) as one flat list from one query; they are filtered and indexed here once, so the work
    grows with items + rules. `tiers=False` (a basket, an export) skips the tier table and next tier, which
    cost a price per tier start.
    """
    index = index_for(rules, ctx)
    book = PromotionBook(promotions, ctx)
    currency = ctx.currency
    get = qtys.get
    quotes = {}
    if tiers:
        for item in items:
            qty = get(item[0], ONE)
            if type(qty) is not Decimal:
                qty = _qty(qty)
            quotes[item[0]] = _quote(item, qty, index, book, currency, True)
    else:
        for item in items:
            qty = get(item[0], ONE)
            if type(qty) is not Decimal:
                qty = _qty(qty)
            quotes[item[0]] = _quote_at(item, qty, index, book, currency)
    return PriceSheet(quotes, book.coupon_problems(single=len(items) == 1))


def price_for(
    item: PricingItem,
    rules: Iterable[PriceRule],
    promotions: Iterable[Promotion],
    qty: Decimal | int,
    ctx: PricingContext,
) -> PriceQuote:
    """Price one variant with its tier table; the quote carries the coupon problems."""
    book = PromotionBook(promotions, ctx)
    quote = _quote(item, _qty(qty), index_for(rules, ctx), book, ctx.currency, True)
    problems = book.coupon_problems(single=True)
    return quote._replace(coupon_problems=problems) if problems else quote


def _qty(qty: Decimal | int) -> Decimal:
    if isinstance(qty, Decimal):
        return qty
    if isinstance(qty, int) and not isinstance(qty, bool):
        return Decimal(qty)
    raise TypeError(f"a quantity is a Decimal or an int, not {type(qty).__name__}")


def _quote(
    item: PricingItem, qty: Decimal, index: RuleIndex, book: PromotionBook, currency: str, with_tiers: bool
) -> PriceQuote:
    """Price one line: the winning rule at qty, the tier table around it, then promotions."""
    ranked = index.ranked(item)
    notes: list[Note] = []
    found: Won | None = None
    tiers: tuple[Tier, ...] = ()
    list_price = None
    at_qty = index.tier_of(qty)
    starts: list[int] | None = None
    if ranked:
        if with_tiers:
            # Each tier start's min_qty as the first rule in precedence order has it (10 or 10.0000).
            firsts = {entry[2]: entry[3] for entry in reversed(ranked)}
            starts = sorted(firsts)
            below = bisect_right(starts, at_qty)
            at_qty = starts[below - 1] if below else -1  # the start whose winner prices qty
        elif at_qty >= 0:
            starts = [at_qty]
    if starts:
        won, base_won, base_notes, notes = _winners(ranked, starts, at_qty, item, currency, index)
        found = won.get(at_qty)
        if found is not None:
            if found[0].level == BASE:
                list_price = found[1]
            else:  # the base price at qty, as the walk there would have looked for it
                base_hit = base_won.get(at_qty)
                list_price = None if base_hit is None else base_hit[1]
                if base_notes:
                    _add_notes(notes, base_notes)
        if with_tiers and won:  # the price from each tier start on, equal runs merged
            table: list[Tier] = []
            last = None
            for start in starts:
                hit = won.get(start)
                if hit is not None and (last is None or last != hit[1]):
                    last = hit[1]
                    table.append(_new(Tier, (firsts[start], last)))
            tiers = tuple(table)
    return _finish(item, qty, found, list_price, tiers, notes, book, currency)


def _quote_at(item: PricingItem, qty: Decimal, index: RuleIndex, book: PromotionBook, currency: str) -> PriceQuote:
    """_quote without the tier table (price_many with tiers=False): the winner at qty alone, found by _winners'
    walk for a single tier start, without its tables."""
    at_qty = index.tier_of(qty)
    if at_qty < 0:
        return _finish(item, qty, None, None, (), [], book, currency)
    ranked = index.ranked(item)
    if not ranked:
        return _finish(item, qty, None, None, (), [], book, currency)
    quantum_ = index.quantum
    end = len(ranked)
    split = bisect_left(ranked, index.base_start)  # levels sort base last
    if split < end:
        # The usual line: the base list's first group is one fixed price that covers qty, and so is the first group
        # above it, or it is one discount off that base price that stays above zero. The walk would stop at each
        # at once, leaving no notes.
        base = ranked[split]
        if base[4] is not None and base[2] <= at_qty and (split + 1 == end or ranked[split + 1][1] != base[1]):
            list_price = base[4]
            if not split:
                return _finish(item, qty, (base[8], list_price, None), list_price, (), [], book, currency)
            top = ranked[0]
            if top[2] <= at_qty and (split == 1 or ranked[1][1] != top[1]):
                if top[4] is not None:
                    return _finish(item, qty, (top[8], top[4], None), list_price, (), [], book, currency)
                if top[5] == LIST_MINUS:
                    price = (list_price * top[6]).quantize(quantum_, ROUND_HALF_UP)
                    if top[7] is not None and price > ZERO:
                        price = (price.to_integral_value(ROUND_CEILING) - top[7]).quantize(quantum_)
                    if price > ZERO:
                        return _finish(item, qty, (top[8], price, list_price), list_price, (), [], book, currency)
    base_notes: list[Note] = []
    base_hit = None
    if split < end:
        base_hit = _first(ranked, split, end, at_qty, base_notes, item, currency, quantum_, None, base_notes)
    if not split:
        return _finish(item, qty, base_hit, None if base_hit is None else base_hit[1], (), base_notes, book, currency)
    notes: list[Note] = []
    base_won = {} if base_hit is None else {at_qty: base_hit}
    found = _first(ranked, 0, split, at_qty, notes, item, currency, quantum_, base_won, base_notes)
    if base_notes:
        _add_notes(notes, base_notes)
    if found is None:
        found = base_hit
    return _finish(item, qty, found, None if base_hit is None else base_hit[1], (), notes, book, currency)


def _finish(
    item: PricingItem,
    qty: Decimal,
    found: Won | None,
    list_price: Decimal | None,
    tiers: tuple[Tier, ...],
    notes: list[Note],
    book: PromotionBook,
    currency: str,
) -> PriceQuote:
    """The quote from the winner at qty: promotions on its price, the next cheaper tier, the notes."""
    if found is None:
        return PriceQuote(
            variant_id=item.variant_id,
            currency=currency,
            qty=qty,
            unit_price=None,
            tiers=tiers,
            next_tier=next((t for t in tiers if t.min_qty > qty), None),
            skipped=tuple(notes),
        )
    rule, price, basis = found
    next_tier = None
    for tier in tiers:
        if tier[0] > qty and tier[1] < price:
            next_tier = tier
            break
    applied, discount, capped = (), ZERO, False
    if book.has_promotions:
        candidates = book.candidates(item[0], item[1], item[2])  # variant, product, category path
        if candidates:
            applied, discount, capped = book.apply(price, qty, candidates)
    # Positional, through tuple.__new__: a NamedTuple built by keyword costs several times more.
    return _new(
        PriceQuote,
        (
            item.variant_id,
            currency,
            qty,
            price - discount,  # unit_price
            price,  # customer_price
            list_price,
            rule,
            rule.min_qty,  # tier_min_qty
            tiers,
            next_tier,
            applied,  # promotions
            discount,
            basis,
            capped,
            tuple(notes),  # skipped
            NO_PROBLEMS,
        ),
    )


def _first(
    ranked: list[Entry],
    first: int,
    end: int,
    start: int,
    notes: list[Note],
    item: PricingItem,
    currency: str,
    quantum_: Decimal,
    base_won: dict[int, Won] | None,
    base_notes: list[Note],
) -> Won | None:
    """_fill for one tier start: the winner among ranked[first:end] at `start` (None when none prices), leaving
    the notes the walk there leaves."""
    won: dict[int, Won] = {}
    _fill(ranked, first, end, [start], start, notes, item, currency, quantum_, base_won, base_notes, won)
    return won.get(start)


def _winners(
    ranked: list[Entry], starts: list[int], at_qty: int, item: PricingItem, currency: str, index: RuleIndex
) -> tuple[dict[int, Won], dict[int, Won], list[Note], list[Note]]:
    """The winner at each tier start, the base list's winner at each, the notes of base rules that could not
    price at qty, and the notes of all rules the walk at qty tried before its winner."""
    quantum_ = index.quantum
    end = len(ranked)
    split = bisect_left(ranked, index.base_start)  # levels sort base last
    # The base list's winners first: formulas discount them, the quote shows them as the list price, and
    # where no higher rule prices they are the answer. Their notes count at qty only if the walk gets there.
    base_won: dict[int, Won] = {}
    base_notes: list[Note] = []
    if split < end:
        _fill(ranked, split, end, starts, at_qty, base_notes, item, currency, quantum_, None, None, base_won)
    if not split:
        return base_won, base_won, base_notes, base_notes
    won: dict[int, Won] = {}
    notes: list[Note] = []
    left = _fill(ranked, 0, split, starts, at_qty, notes, item, currency, quantum_, base_won, base_notes, won)
    for start in left:
        if start == at_qty and base_notes:
            _add_notes(notes, base_notes)
        hit = base_won.get(start)
        if hit is not None:
            won[start] = hit
    return won, base_won, base_notes, notes


def _add_notes(notes: list[Note], more: list[Note]) -> None:
    for note in more:
        if note not in notes:
            notes.append(note)


def _fill(
    ranked: list[Entry],
    first: int,
    end: int,
    starts: list[int],
    at_qty: int,
    notes: list[Note],
    item: PricingItem,
    currency: str,
    quantum_: Decimal,
    base_won: dict[int, Won] | None,
    base_notes: list[Note] | None,
    won: dict[int, Won],
) -> list[int]:
    """Put in `won` the winner at each tier start (ascending ranks) among ranked[first:end], and return the starts
    none of them prices. Walking in precedence order, a group of rules (same level, scope and tier) takes the
    starts it covers that no earlier group priced; within a group the lowest price wins, the first on a tie.
    This is trying the rules in order at each start, done once. Rules that cannot price at `at_qty` (and the
    base rules a formula looked at there) leave notes, in the order the rules were tried."""
    open_ = starts
    i = first
    while i < end:
        entry = ranked[i]
        group, tier = entry[1], entry[2]
        j = i + 1
        while j < end and ranked[j][1] == group:
            j += 1
        if tier <= open_[-1]:
            if j == i + 1 and entry[4] is not None:  # one fixed price: it takes every open start it covers
                hit = (entry[8], entry[4], None)
                if tier <= open_[0]:
                    for start in open_:
                        won[start] = hit
                    return []
                keep = []
                for start in open_:
                    if start >= tier:
                        won[start] = hit
                    else:
                        keep.append(start)
                open_ = keep
            elif j == i + 1 and entry[5] == LIST_MINUS and base_won is not None:  # one discount off the base price
                open_ = _fill_discount(entry, open_, at_qty, notes, quantum_, base_won, base_notes, won)  # type: ignore[arg-type]
                if not open_:
                    return open_
            else:
                open_ = _fill_group(
                    ranked, i, j, tier, open_, at_qty, notes, item, currency, quantum_, base_won, base_notes, won
                )
                if not open_:
                    return open_
        i = j
    return open_


def _fill_group(
    ranked: list[Entry],
    first: int,
    end: int,
    tier: int,
    open_: list[int],
    at_qty: int,
    notes: list[Note],
    item: PricingItem,
    currency: str,
    quantum_: Decimal,
    base_won: dict[int, Won] | None,
    base_notes: list[Note] | None,
    won: dict[int, Won],
) -> list[int]:
    """_fill for one group in general (formulas, ties): each open start it covers, rule by rule; returns the
    starts still open."""
    keep = []
    for start in open_:
        if start < tier:
            keep.append(start)
            continue
        best = None
        here = start == at_qty
        for k in range(first, end):
            _key, _group, _tier, _min, price, how, mult, gap, rule = ranked[k]
            basis = None
            if price is None:
                reason = NOT_POSITIVE
                if how == LIST_MINUS:
                    if base_won is not None:
                        hit = base_won.get(start)
                        if hit is not None:
                            basis = hit[1]
                        if here:
                            _add_notes(notes, base_notes)  # type: ignore[arg-type]
                    if basis is None:
                        reason = NO_BASE
                elif how == COST_PLUS:
                    basis = item.cost
                    if basis is None:
                        reason = NO_COST
                    elif item.cost_currency != currency:
                        basis, reason = None, COST_CURRENCY
                elif how == SELF:
                    reason = SELF_DISCOUNT
                if basis is not None:  # round_price, inlined: this is the innermost loop of a page
                    price = (basis * mult).quantize(quantum_, ROUND_HALF_UP)
                    if gap is not None and price > 0:
                        price = (price.to_integral_value(ROUND_CEILING) - gap).quantize(quantum_)
                if price is None or price <= 0:
                    if here and (reason, rule.list_code) not in notes:
                        notes.append((reason, rule.list_code))
                    continue
            if best is None or price < best[1]:
                best = (rule, price, basis)
        if best is None:
            keep.append(start)
        else:
            won[start] = best
    return keep


def _fill_discount(
    entry: Entry,
    open_: list[int],
    at_qty: int,
    notes: list[Note],
    quantum_: Decimal,
    base_won: dict[int, Won],
    base_notes: list[Note],
    won: dict[int, Won],
) -> list[int]:
    """_fill_group for a group of one 'list_minus_pct' rule, the usual discount list: at each open start it
    covers, the base price there less the discount; returns the starts still open."""
    _key, _group, tier, _min, _fixed, _how, mult, gap, rule = entry
    keep = []
    for start in open_:
        if start < tier:
            keep.append(start)
            continue
        hit = base_won.get(start)
        if start == at_qty and base_notes:
            _add_notes(notes, base_notes)
        if hit is None:
            reason = NO_BASE
        else:
            price = (hit[1] * mult).quantize(quantum_, ROUND_HALF_UP)
            if gap is not None and price > ZERO:
                price = (price.to_integral_value(ROUND_CEILING) - gap).quantize(quantum_)
            if price > ZERO:
                won[start] = (rule, price, hit[1])
                continue
            reason = NOT_POSITIVE
        if start == at_qty and (reason, rule.list_code) not in notes:
            notes.append((reason, rule.list_code))
        keep.append(start)
    return keep

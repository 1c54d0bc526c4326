"""The pricing engine: one pass over a page or basket, with the rules filtered and indexed once per call (_index).

A tier table is filled in one walk over the item's rules in precedence order: each group of rules takes the
tier starts it covers that no earlier group priced, which gives the same winner at every start as trying the
rules in order start by start (app.pricing._specification, which the tests hold this engine to), for the cost
of one pass.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from app.pricing._index import COST_PLUS, LIST_MINUS, SELF, Entry, RuleIndex, index_for
from app.pricing._money import round_to
from app.pricing._promotions import Promotion, PromotionBook
from app.pricing._quote import (
    COST_CURRENCY,
    NO_BASE,
    NO_COST,
    NOT_POSITIVE,
    SELF_DISCOUNT,
    Note,
    PriceQuote,
    PriceSheet,
    PricingContext,
    PricingItem,
    Tier,
)
from app.pricing._rules import ONE, Id, PriceRule

ZERO = Decimal(0)
NO_PROBLEMS: tuple = ()
_new = tuple.__new__  # NamedTuple(...) without its Python-level __new__: a page builds thousands of them


# The winner at a tier start: (rule, price, basis), the rule that prices it, its price, and the list price or cost a
# formula started from. A plain tuple, always unpacked by name: the walk makes one for nearly every tier start it
# prices, and a NamedTuple costs several times as much to build and to read.
Winner = tuple[PriceRule, Decimal, Decimal | None]


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
    pricer = _Pricer(index_for(rules, ctx), PromotionBook(promotions, ctx), ctx.currency)
    quote = pricer.quote if tiers else pricer.quote_at
    get = qtys.get
    quotes = {}
    for item in items:
        variant_id = item.variant_id
        qty = get(variant_id, ONE)
        if type(qty) is not Decimal:
            qty = _qty(qty)
        quotes[variant_id] = quote(item, qty)
    return PriceSheet(quotes, pricer.book.coupon_problems(single=len(items) == 1))


def price_for(
    item: PricingItem,
    rules: Iterable[PriceRule],
    promotions: Iterable[Promotion],
    qty: Decimal | int,
    ctx: PricingContext,
) -> PriceQuote:
    """Price one variant with its tier table; the quote carries the coupon problems."""
    book = PromotionBook(promotions, ctx)
    qty = _qty(qty)
    quote = _Pricer(index_for(rules, ctx), book, ctx.currency).quote(item, qty)
    problems = book.coupon_problems(single=True)
    return quote._replace(coupon_problems=problems) if problems else quote


def _qty(qty: Decimal | int) -> Decimal:
    if isinstance(qty, Decimal):
        return qty
    if isinstance(qty, int) and not isinstance(qty, bool):
        return Decimal(qty)
    raise TypeError(f"a quantity is a Decimal or an int, not {type(qty).__name__}")


class _Pricer:
    """One call's pricing: its rules indexed, its promotions and its currency, applied line by line."""

    __slots__ = ("book", "currency", "index", "minor_unit")

    def __init__(self, index: RuleIndex, book: PromotionBook, currency: str) -> None:
        self.index, self.book, self.currency, self.minor_unit = index, book, currency, index.quantum

    def quote(self, item: PricingItem, qty: Decimal) -> PriceQuote:
        """Price one line with its tier table: the winner at each tier start, the one at qty, then promotions."""
        index = self.index
        ranked = index.ranked(item)
        if not ranked:
            return self._finish(item, qty, None, None, (), ())
        # Each tier start's min_qty as the first rule in precedence order writes it (10 or 10.0000).
        firsts = {entry.tier: entry.min_qty for entry in reversed(ranked)}
        starts = sorted(firsts)
        below = bisect_right(starts, index.tier_of(qty))
        at_qty = starts[below - 1] if below else -1  # the start whose winner prices qty
        walk = _Walk(self, item, ranked, bisect_left(ranked, index.base_start), starts, at_qty)
        table: list[Tier] = []
        winners = walk.winners()
        for start in starts:  # the price from each tier start on, equal runs merged
            hit = winners.get(start)
            if hit is not None:
                _rule, price, _basis = hit
                if not table or table[-1].unit_price != price:
                    table.append(_new(Tier, (firsts[start], price)))
        return self._finish(item, qty, walk.found, walk.list_price, tuple(table), walk.notes)

    def quote_at(self, item: PricingItem, qty: Decimal) -> PriceQuote:
        """The quote without a tier table (price_many with tiers=False): the winner at qty alone."""
        index = self.index
        at_qty = index.tier_of(qty)
        ranked = index.ranked(item) if at_qty >= 0 else None
        if not ranked:
            return self._finish(item, qty, None, None, (), ())
        split = bisect_left(ranked, index.base_start)  # the base list's entries come last
        usual = self._usual(ranked, split, at_qty)
        if usual is not None:
            return self._finish(item, qty, usual, ranked[split].fixed, (), ())
        walk = _Walk(self, item, ranked, split, [at_qty], at_qty)
        return self._finish(item, qty, walk.found, walk.list_price, (), walk.notes)

    def _usual(self, ranked: list[Entry], split: int, at_qty: int) -> Winner | None:
        """The winner of the usual line, found without a walk: the base list's first group is one fixed price that
        covers qty, and so is the first group above it, or it is one discount off that base price that stays above
        zero. The walk would stop at each at once, leaving no notes. None for any other line."""
        end = len(ranked)
        if split == end:
            return None
        base = ranked[split]
        list_price = base.fixed
        if list_price is None or base.tier > at_qty or (split + 1 < end and ranked[split + 1].group == base.group):
            return None
        if not split:
            return (base.rule, list_price, None)
        top = ranked[0]
        if top.tier > at_qty or (split > 1 and ranked[1].group == top.group):
            return None
        if top.fixed is not None:
            return (top.rule, top.fixed, None)
        if top.how == LIST_MINUS:
            price = round_to(list_price * top.factor, self.minor_unit, top.gap)
            if price > ZERO:
                return (top.rule, price, list_price)
        return None

    def _finish(
        self,
        item: PricingItem,
        qty: Decimal,
        won: Winner | None,
        list_price: Decimal | None,
        tiers: tuple[Tier, ...],
        notes: Sequence[Note],
    ) -> PriceQuote:
        """The quote from the winner at qty: promotions on its price, the next cheaper tier, the notes."""
        if won is None:
            return self._unpriced(item, qty, tiers, notes)
        rule, price, basis = won
        next_tier = None
        for tier in tiers:  # a loop, not next(generator): baskets have no tiers and a generator costs more than that
            if tier.min_qty > qty and tier.unit_price < price:
                next_tier = tier
                break
        applied, discount, capped = (), ZERO, False
        if self.book.has_promotions:
            candidates = self.book.candidates(item.variant_id, item.product_id, item.category_ids)
            if candidates:
                applied, discount, capped = self.book.apply(price, qty, candidates)
        # Positional, through tuple.__new__: a NamedTuple built by keyword costs several times more.
        return _new(
            PriceQuote,
            (
                item.variant_id,
                self.currency,
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

    def _unpriced(self, item: PricingItem, qty: Decimal, tiers: tuple[Tier, ...], notes: Sequence[Note]) -> PriceQuote:
        """No rule prices qty: the quote says why, and the tiers still show where prices start."""
        return PriceQuote(
            variant_id=item.variant_id,
            currency=self.currency,
            qty=qty,
            unit_price=None,
            tiers=tiers,
            next_tier=next((tier for tier in tiers if tier.min_qty > qty), None),
            skipped=tuple(notes),
        )


class _Walk:
    """An item's ranked rules walked once over some tier starts, the base list's (ranked[split:]) first: the winner
    at each start and the notes of the rules tried at qty before the winner there, in the order tried, for the base
    list (`base_won`, `base_notes`) and for the levels above it (`won`, `notes`); then the answer at qty (`found`,
    `list_price`, and in `notes` the base list's notes after the others').

    The base list goes first: formulas discount its winners, the quote shows them as the list price, and where no
    higher rule prices they are the answer. Walking in precedence order, a group of rules (same level, scope and
    tier) takes the starts it covers that no earlier group priced; within a group the lowest price wins, the first
    on a tie. This is trying the rules in order at each start, done once.
    """

    __slots__ = ("at_qty", "base_notes", "base_won", "found", "item", "list_price", "notes", "pricer", "won")

    def __init__(
        self, pricer: _Pricer, item: PricingItem, ranked: list[Entry], split: int, starts: list[int], at_qty: int
    ) -> None:
        self.pricer, self.item, self.at_qty = pricer, item, at_qty
        self.base_won: dict[int, Winner] = {}
        self.base_notes: list[Note] = []
        self.won: dict[int, Winner] = {}
        self.notes: list[Note] = []
        end = len(ranked)
        if split < end:
            self._fill(ranked, split, end, starts, self.base_won, self.base_notes)
        if split:
            self._fill(ranked, 0, split, starts, self.won, self.notes)
        base_hit = self.base_won.get(at_qty)
        self.found = self.won.get(at_qty, base_hit)
        self.list_price = None
        if base_hit is not None:
            _rule, self.list_price, _basis = base_hit
        if self.base_notes:  # looked at for a discount, for the list price, or as the answer
            _add_notes(self.notes, self.base_notes)

    def winners(self) -> dict[int, Winner]:
        """The winner at each tier start: from above the base list, else the base list's."""
        return {**self.base_won, **self.won}

    def _fill(
        self, ranked: list[Entry], first: int, end: int, starts: list[int], won: dict[int, Winner], notes: list[Note]
    ) -> None:
        """Put in `won` the winner at each tier start (ascending ranks) among ranked[first:end], and in `notes` the
        rules that could not price at qty."""
        open_ = starts
        i = first
        while i < end and open_:
            entry = ranked[i]
            group, tier = entry.group, entry.tier
            j = i + 1
            while j < end and ranked[j].group == group:
                j += 1
            if tier > open_[-1]:  # above every open start
                pass
            elif j == i + 1 and entry.fixed is not None:  # one fixed price: it takes every open start it covers
                hit = (entry.rule, entry.fixed, None)  # a Winner
                keep = []
                for start in open_:
                    if start >= tier:
                        won[start] = hit
                    else:
                        keep.append(start)
                open_ = keep
            elif j == i + 1 and entry.how == LIST_MINUS:  # one discount off the base price, the usual discount list
                open_ = self._fill_discount(entry, open_, won, notes)
            else:
                open_ = self._fill_group(ranked[i:j], tier, open_, won, notes)
            i = j

    def _fill_discount(self, entry: Entry, open_: list[int], won: dict[int, Winner], notes: list[Note]) -> list[int]:
        """_fill for a group of one 'list_minus_pct' rule: at each open start it covers, the base price there less
        the discount; returns the starts still open."""
        tier, factor, gap, rule = entry.tier, entry.factor, entry.gap, entry.rule
        base_won, base_notes, at_qty, minor_unit = self.base_won, self.base_notes, self.at_qty, self.pricer.minor_unit
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
                _base_rule, basis, _base_basis = hit
                price = round_to(basis * factor, minor_unit, gap)
                if price > ZERO:
                    won[start] = (rule, price, basis)
                    continue
                reason = NOT_POSITIVE
            self._note(notes, start, reason, rule)
            keep.append(start)
        return keep

    def _fill_group(
        self, group: list[Entry], tier: int, open_: list[int], won: dict[int, Winner], notes: list[Note]
    ) -> list[int]:
        """_fill for one group in general (formulas, ties): each open start it covers, rule by rule; returns the
        starts still open."""
        keep = []
        for start in open_:
            best, lowest = None, None
            if start >= tier:
                for entry in group:
                    hit = self._price(entry, start, notes)
                    if hit is not None:
                        _rule, price, _basis = hit
                        if lowest is None or price < lowest:
                            best, lowest = hit, price
            if best is None:
                keep.append(start)
            else:
                won[start] = best
        return keep

    def _price(self, entry: Entry, start: int, notes: list[Note]) -> Winner | None:
        """One rule's price at a tier start, or None, noting why at qty."""
        if entry.fixed is not None:
            return (entry.rule, entry.fixed, None)
        basis, reason = self._basis(entry.how, start, notes)
        if basis is not None:
            price = round_to(basis * entry.factor, self.pricer.minor_unit, entry.gap)
            if price > ZERO:
                return (entry.rule, price, basis)
        self._note(notes, start, reason, entry.rule)
        return None

    def _basis(self, how: int, start: int, notes: list[Note]) -> tuple[Decimal | None, str]:
        """What a formula starts from at a tier start (None when it cannot), and the note if it cannot price."""
        if how == LIST_MINUS:
            if start == self.at_qty:
                _add_notes(notes, self.base_notes)
            basis = _price_of(self.base_won.get(start))
            return basis, NO_BASE if basis is None else NOT_POSITIVE
        if how == COST_PLUS:
            if self.item.cost is None:
                return None, NO_COST
            if self.item.cost_currency != self.pricer.currency:
                return None, COST_CURRENCY
            return self.item.cost, NOT_POSITIVE
        return None, SELF_DISCOUNT if how == SELF else NOT_POSITIVE

    def _note(self, notes: list[Note], start: int, reason: str, rule: PriceRule) -> None:
        """Note at qty that a rule could not price, once per reason and list."""
        if start == self.at_qty and (reason, rule.list_code) not in notes:
            notes.append((reason, rule.list_code))


def _price_of(hit: Winner | None) -> Decimal | None:
    if hit is None:
        return None
    _rule, price, _basis = hit
    return price


def _add_notes(notes: list[Note], more: list[Note]) -> None:
    for note in more:
        if note not in notes:
            notes.append(note)

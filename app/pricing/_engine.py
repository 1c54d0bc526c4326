"""The pricing engine: one pass over a page or basket, with the rules filtered and indexed once per call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from app.pricing._money import Rounding, ending_gaps, quantum
from app.pricing._promotions import HUNDRED, Promotion, PromotionBook
from app.pricing._quote import PriceQuote, PriceSheet, PricingContext, PricingItem, Tier
from app.pricing._rules import LEVEL_RANK, ONE, Id, Level, Method, PriceRule
from app.pricing._text import N_

# Plain strings: comparing with an Enum member costs an attribute look-up through EnumType on 3.11.
BASE, GROUP = Level.BASE.value, Level.GROUP.value
M_FIXED, M_COST_PLUS, M_LIST_MINUS = Method.FIXED.value, Method.COST_PLUS_PCT.value, Method.LIST_MINUS_PCT.value
BASE_RANK, GROUP_RANK = LEVEL_RANK[BASE], LEVEL_RANK[GROUP]
SCOPES = 64  # sort key = level rank * SCOPES + scope rank (variant 0, product 1, categories 2.., all last)
ZERO = Decimal(0)
NO_COST = N_("%(list)s skipped: the variant has no cost price")
COST_CURRENCY = N_("%(list)s skipped: the cost is in another currency")
NO_BASE = N_("%(list)s skipped: no base price to discount")
SELF_DISCOUNT = N_("%(list)s skipped: a base list cannot discount itself")
NOT_POSITIVE = N_("%(list)s skipped: the price would not be above zero")

FIXED, COST_PLUS, LIST_MINUS, SELF = 0, 1, 2, 3  # how a rule prices, decided once per call
VARIANT_RANK, PRODUCT_RANK, FIRST_CATEGORY_RANK, ALL_RANK = 0, 1, 2, SCOPES - 1

Note = tuple[str, str]  # (msgid, list code) of a rule that could not price
# A rule ready for one call, flat so the inner loop unpacks it in one step: (level rank * SCOPES + scope rank,
# -min_qty, input order, min_qty, fixed price or None, how, multiplier, ending gap, rule). Sorting entries
# puts them in precedence order; the input order is unique, so sorting never compares further.
Entry = tuple[int, Decimal, int, Decimal, Decimal | None, int, Decimal, Decimal | None, PriceRule]
_UNSET = object()
ROUNDINGS = frozenset(Rounding)


_RULE_FIELDS = "id list_id list_code level currency value method customer_id group_id variant_id product_id category_id"
_RULE_FIELDS += " min_qty rounding valid_from valid_to label"
if PriceRule._fields != tuple(_RULE_FIELDS.split()):  # RuleIndex unpacks rules positionally
    raise RuntimeError("PriceRule fields changed: update RuleIndex.__init__")


def _compile(
    rule: PriceRule, order: int, key: int, quantum_: Decimal, gaps: dict[str, Decimal], method: str, value: Decimal
) -> Entry:
    """Precompute what pricing needs per rule: a fixed price rounded once, a formula's multiplier."""
    rounding, fixed, mult = rule.rounding, None, ONE
    if rounding not in ROUNDINGS:
        raise ValueError(f"price rule {rule.id!r} has an unknown rounding {rounding!r}")
    gap = gaps.get(rounding)
    if method == M_FIXED:
        how = FIXED
        if value > 0:  # round_price, inlined: a page compiles thousands of rules
            fixed = value.quantize(quantum_, ROUND_HALF_UP)
            if gap is not None:
                fixed = (fixed.to_integral_value(ROUND_CEILING) - gap).quantize(quantum_)
            if fixed <= 0:
                fixed = None
    elif method == M_COST_PLUS:
        how, mult = COST_PLUS, (HUNDRED + value) / HUNDRED
    elif method == M_LIST_MINUS:
        how, mult = (SELF if key >= BASE_RANK * SCOPES else LIST_MINUS), (HUNDRED - value) / HUNDRED
    else:
        raise ValueError(f"price rule {rule.id!r} has an unknown method {method!r}")
    return (key, -rule.min_qty, order, rule.min_qty, fixed, how, mult, gap, rule)


class RuleIndex:
    """The rules of one call that fit its currency, day and customer, compiled and keyed by scope."""

    __slots__ = ("category", "everyone", "product", "quantum", "variant")

    def __init__(self, rules: Iterable[PriceRule], ctx: PricingContext) -> None:
        self.variant: dict[Id, list[Entry]] = {}
        self.product: dict[Id, list[Entry]] = {}
        self.category: dict[Id, list[Entry]] = {}  # compiled with scope rank 0; the item adds its depth
        self.everyone: list[Entry] = []
        currency, on, customer, groups = ctx.currency, ctx.on, ctx.customer_id, ctx.group_ids
        self.quantum = quantum_ = quantum(currency)
        gaps = ending_gaps(currency)
        for order, rule in enumerate(rules):
            # One unpacking instead of a dozen attribute look-ups: this loop sees every rule of the page.
            (rule_id, _list_id, _list_code, level, rule_currency, value, method, customer_id, group_id,
             variant_id, product_id, category_id, _min_qty, _rounding, valid_from, valid_to, _label) = rule  # fmt: skip
            if rule_currency != currency:
                continue
            if (valid_from is not None and on < valid_from) or (valid_to is not None and on > valid_to):
                continue
            rank = LEVEL_RANK.get(level)
            if rank is None:
                raise ValueError(f"price rule {rule_id!r} has an unknown level {level!r}")
            if rank == GROUP_RANK:
                if group_id not in groups:
                    continue
            elif rank != BASE_RANK and (customer is None or customer_id != customer):
                continue
            rank *= SCOPES
            if variant_id is not None:
                entry = _compile(rule, order, rank + VARIANT_RANK, quantum_, gaps, method, value)
                self.variant.setdefault(variant_id, []).append(entry)
            elif product_id is not None:
                entry = _compile(rule, order, rank + PRODUCT_RANK, quantum_, gaps, method, value)
                self.product.setdefault(product_id, []).append(entry)
            elif category_id is not None:
                entry = _compile(rule, order, rank, quantum_, gaps, method, value)
                self.category.setdefault(category_id, []).append(entry)
            else:
                self.everyone.append(_compile(rule, order, rank + ALL_RANK, quantum_, gaps, method, value))

    def ranked(self, item: PricingItem) -> list[Entry]:
        """The item's rules in precedence order: level, then scope (nearer categories first), then the
        highest tier first."""
        entries = self.variant.get(item.variant_id, [])[:]
        if self.product:
            entries += self.product.get(item.product_id, ())
        if self.category:
            rank = FIRST_CATEGORY_RANK
            for category_id in item.category_ids:
                for entry in self.category.get(category_id, ()):
                    entries.append((entry[0] + rank, *entry[1:]))  # type: ignore[arg-type]
                if rank < ALL_RANK - 1:
                    rank += 1
        entries += self.everyone
        entries.sort()
        return entries


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
    index = RuleIndex(rules, ctx)
    book = PromotionBook(promotions, ctx)
    quotes = {
        item.variant_id: _quote(item, _qty(qtys.get(item.variant_id, ONE)), index, book, ctx.currency, tiers)
        for item in items
    }
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
    quote = _quote(item, _qty(qty), RuleIndex(rules, ctx), book, ctx.currency, True)
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
    quantum_ = index.quantum
    ranked = index.ranked(item)
    base = _base_part(ranked)
    notes: list[Note] = []
    if not ranked:
        found, tiers = None, ()
    elif with_tiers:
        found, tiers = _tiers(ranked, base, qty, item, currency, quantum_, notes)
    else:
        found, tiers = _best(ranked, base, qty, item, currency, quantum_, notes), ()
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
    rule, price, basis, list_price = found
    if rule.level == BASE:
        list_price = price
    elif list_price is _UNSET:
        best_base = _best(base, base, qty, item, currency, quantum_, notes) if base else None
        list_price = None if best_base is None else best_base[1]
    next_tier = next((t for t in tiers if t.min_qty > qty and t.unit_price < price), None) if tiers else None
    applied, discount, capped = (), ZERO, False
    if book.has_promotions:
        candidates = book.candidates(item.variant_id, item.product_id, item.category_ids)
        if candidates:
            applied, discount, capped = book.apply(price, qty, candidates)
    # Positional: building a NamedTuple by keyword costs several times more, and a page builds a thousand.
    return PriceQuote(
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
    )


def _tiers(
    ranked: list[Entry],
    base: list[Entry],
    qty: Decimal,
    item: PricingItem,
    currency: str,
    quantum_: Decimal,
    notes: list[Note],
) -> tuple[tuple[PriceRule, Decimal, Decimal | None, object] | None, tuple[Tier, ...]]:
    """The winner at qty, and the price from each quantity where the winner can change (every tier start),
    equal runs merged. The winner only changes at a tier start, so the start at or below qty gives it."""
    starts = sorted({entry[3] for entry in ranked})
    tiers: list[Tier] = []
    found = None
    last = len(starts) - 1
    for i, start in enumerate(starts):
        at_qty = start <= qty and (i == last or qty < starts[i + 1])
        best = _best(ranked, base, start, item, currency, quantum_, notes if at_qty else None)
        if at_qty:
            found = best
        if best is not None and (not tiers or tiers[-1][1] != best[1]):
            tiers.append(Tier(start, best[1]))
    return found, tuple(tiers)


def _base_part(ranked: list[Entry]) -> list[Entry]:
    """The base-level tail of a ranked list (levels sort base last)."""
    floor = BASE_RANK * SCOPES
    for i, entry in enumerate(ranked):
        if entry[0] >= floor:
            return ranked[i:] if i else ranked
    return []


def _best(
    ranked: list[Entry],
    base: list[Entry],
    qty: Decimal,
    item: PricingItem,
    currency: str,
    quantum_: Decimal,
    notes: list[Note] | None,
) -> tuple[PriceRule, Decimal, Decimal | None, object] | None:
    """(rule, price, formula basis, list price or _UNSET) of the first rule in precedence order that covers
    qty and can price; None when none can.

    Rules equal in level, scope and tier (a customer in two groups with a rule each) go to the lower price.
    """
    best = None
    best_key = best_neg = None
    list_price: object = _UNSET
    for key, neg_min, _order, min_qty, price, how, mult, gap, rule in ranked:
        if min_qty > qty:
            continue
        if best_key is not None and (key != best_key or neg_min != best_neg):
            break
        basis = None
        if price is None:
            reason = NOT_POSITIVE
            if how == LIST_MINUS:
                if list_price is _UNSET:
                    found = _best(base, base, qty, item, currency, quantum_, notes) if base else None
                    list_price = None if found is None else found[1]
                basis = list_price
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
                price = (basis * mult).quantize(quantum_, ROUND_HALF_UP)  # type: ignore[operator]
                if gap is not None and price > 0:
                    price = (price.to_integral_value(ROUND_CEILING) - gap).quantize(quantum_)
            if price is None or price <= 0:
                if notes is not None and (reason, rule.list_code) not in notes:
                    notes.append((reason, rule.list_code))
                continue
        if best is None or price < best[1]:
            best, best_key, best_neg = (rule, price, basis, list_price), key, neg_min
    if best is not None and best[3] is not list_price:  # a tied rule computed the list price after the best
        best = (best[0], best[1], best[2], list_price)
    return best

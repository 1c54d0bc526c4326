"""The price rules read one at a time: the specification the engine (_engine, _index) is tested against.

Plain and slow on purpose. At each quantity it puts the item's rules in precedence order, as app.pricing.domain
states the rules, and tries them one by one; the tier table is that answer at each tier start. It knows nothing
of rule indexes, tier ranks or one-pass walks, so randomised tests that price the same items both ways catch any
shortcut of the engine that changes an answer. Promotions are left out: both apply the same PromotionBook to the
price found here.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from app.pricing._money import round_price
from app.pricing._quote import (
    COST_CURRENCY,
    NO_BASE,
    NO_COST,
    NOT_POSITIVE,
    SELF_DISCOUNT,
    Note,
    PriceQuote,
    PricingContext,
    PricingItem,
    Tier,
)
from app.pricing._rules import LEVEL_RANK, Level, Method, PriceRule

ALL_PRODUCTS_RANK = 10_000  # a rule for all products ranks after any category, however deep the path


class Priced(NamedTuple):
    """A rule that gives a price at a quantity, and the list price or cost a formula started from."""

    rule: PriceRule
    price: Decimal
    basis: Decimal | None


def price_as_specified(
    item: PricingItem, rules: Iterable[PriceRule], qty: Decimal | int, ctx: PricingContext
) -> PriceQuote:
    """The quote the rules give one item at qty, with its tier table: price_for's answer without promotions."""
    qty = Decimal(qty)
    ranked = in_precedence_order(item, rules, ctx)
    tiers = tier_table(item, ranked, ctx)
    notes: list[Note] = []  # rules that could not price at qty, in the order they were tried
    found = first_price(item, ranked, qty, ctx, notes)
    if found is None:
        next_tier = next((tier for tier in tiers if tier.min_qty > qty), None)
        return PriceQuote(
            item.variant_id, ctx.currency, qty, None, tiers=tiers, next_tier=next_tier, skipped=tuple(notes)
        )
    list_price = found.price if found.rule.level == Level.BASE else base_price(item, ranked, qty, ctx, notes)
    return PriceQuote(
        item.variant_id,
        ctx.currency,
        qty,
        unit_price=found.price,
        customer_price=found.price,
        list_price=list_price,
        rule=found.rule,
        tier_min_qty=found.rule.min_qty,
        tiers=tiers,
        next_tier=next((tier for tier in tiers if tier.min_qty > qty and tier.unit_price < found.price), None),
        basis=found.basis,
        skipped=tuple(notes),
    )


def in_precedence_order(item: PricingItem, rules: Iterable[PriceRule], ctx: PricingContext) -> list[PriceRule]:
    """The rules that apply to this customer and item: level first, then scope (the nearest category first), then
    the highest tier first; rules equal in all three keep their input order."""
    keyed = []
    for order, rule in enumerate(rules):
        scope = scope_rank(item, rule)
        if applies(rule, ctx) and scope is not None:
            keyed.append(((LEVEL_RANK[rule.level], scope, -rule.min_qty, order), rule))
    return [rule for _key, rule in sorted(keyed, key=lambda pair: pair[0])]


def applies(rule: PriceRule, ctx: PricingContext) -> bool:
    """A rule of the context's currency, valid on its day, of a base list or of a list for this customer or one
    of their groups."""
    on = ctx.on
    if rule.currency != ctx.currency:
        return False
    if (rule.valid_from is not None and on < rule.valid_from) or (rule.valid_to is not None and on > rule.valid_to):
        return False
    if rule.level == Level.BASE:
        return True
    if rule.level == Level.GROUP:
        return rule.group_id in ctx.group_ids
    return ctx.customer_id is not None and rule.customer_id == ctx.customer_id


def scope_rank(item: PricingItem, rule: PriceRule) -> int | None:
    """How specific a rule is for the item: variant 0, product 1, its categories from 2 (nearest first), all
    products last; None when it does not cover the item."""
    if rule.variant_id is not None:
        return 0 if rule.variant_id == item.variant_id else None
    if rule.product_id is not None:
        return 1 if rule.product_id == item.product_id else None
    if rule.category_id is not None:
        path = tuple(item.category_ids)
        return 2 + path.index(rule.category_id) if rule.category_id in path else None
    return ALL_PRODUCTS_RANK


def tie(rule: PriceRule) -> tuple:
    """Rules with the same tie apply equally (two of the customer's groups, same scope and tier): the lowest
    price among them wins, the first on equal prices."""
    return (rule.level, rule.variant_id, rule.product_id, rule.category_id, rule.min_qty)


def first_price(
    item: PricingItem, ranked: list[PriceRule], qty: Decimal, ctx: PricingContext, notes: list[Note] | None
) -> Priced | None:
    """The first rule in precedence order that covers qty and gives a price (the lowest of its tie), or None.
    Each rule tried that cannot price leaves a note (when `notes` is given)."""
    best: Priced | None = None
    for rule in ranked:
        if rule.min_qty > qty:
            continue
        if best is not None and tie(rule) != tie(best.rule):
            break
        priced = rule_price(item, rule, ranked, qty, ctx, notes)
        if priced is not None and (best is None or priced.price < best.price):
            best = priced
    return best


def rule_price(
    item: PricingItem,
    rule: PriceRule,
    ranked: list[PriceRule],
    qty: Decimal,
    ctx: PricingContext,
    notes: list[Note] | None,
) -> Priced | None:
    """One rule's price at qty, rounded as it asks, or None with a note saying why."""
    if rule.method == Method.FIXED:
        basis, reason = None, NOT_POSITIVE
        price = round_price(rule.value, ctx.currency, rule.rounding) if rule.value > 0 else None
    else:
        basis, reason = formula_basis(item, rule, ranked, qty, ctx, notes)
        percent = 100 - rule.value if rule.method == Method.LIST_MINUS_PCT else 100 + rule.value
        price = None if basis is None else round_price(basis * (percent / Decimal(100)), ctx.currency, rule.rounding)
    if price is None or price <= 0:
        if notes is not None and (reason, rule.list_code) not in notes:
            notes.append((reason, rule.list_code))
        return None
    return Priced(rule, price, basis)


def formula_basis(
    item: PricingItem,
    rule: PriceRule,
    ranked: list[PriceRule],
    qty: Decimal,
    ctx: PricingContext,
    notes: list[Note] | None,
) -> tuple[Decimal | None, str]:
    """What a formula starts from at qty, the base list's price ('list_minus_pct') or the variant's cost
    ('cost_plus_pct'), and why the rule cannot price: the reason there is no basis, or its price not above zero."""
    if rule.method == Method.LIST_MINUS_PCT:
        if rule.level == Level.BASE:
            return None, SELF_DISCOUNT
        basis = base_price(item, ranked, qty, ctx, notes)
        return basis, NO_BASE if basis is None else NOT_POSITIVE
    if item.cost is None:
        return None, NO_COST
    if item.cost_currency != ctx.currency:
        return None, COST_CURRENCY
    return item.cost, NOT_POSITIVE


def base_price(
    item: PricingItem, ranked: list[PriceRule], qty: Decimal, ctx: PricingContext, notes: list[Note] | None
) -> Decimal | None:
    """The base list's price at qty, which 'list_minus_pct' discounts and the quote shows as the list price."""
    found = first_price(item, [rule for rule in ranked if rule.level == Level.BASE], qty, ctx, notes)
    return None if found is None else found.price


def tier_table(item: PricingItem, ranked: list[PriceRule], ctx: PricingContext) -> tuple[Tier, ...]:
    """The price from each tier start on (each start written as its first rule in precedence order writes it),
    a start dropped when its price equals the one before."""
    starts: dict[Decimal, Decimal] = {}
    for rule in ranked:
        starts.setdefault(rule.min_qty, rule.min_qty)
    table: list[Tier] = []
    for start in sorted(starts):
        found = first_price(item, ranked, start, ctx, None)
        if found is not None and (not table or table[-1].unit_price != found.price):
            table.append(Tier(starts[start], found.price))
    return tuple(table)

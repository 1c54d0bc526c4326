"""What the engine is given (item, context) and what it answers (a quote that can explain itself)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from app.i18n import format_date, format_money, format_number, gettext
from app.pricing._money import Rounding, to_minor_unit
from app.pricing._promotions import AppliedPromotion, CouponProblem, PromotionKind
from app.pricing._rules import Id, Level, Method, PriceRule, Scope
from app.pricing._text import N_

# Why a rule that applies could not give a price: PriceQuote.skipped holds (one of these, the rule's list code).
NO_COST = N_("%(list)s skipped: the variant has no cost price")
COST_CURRENCY = N_("%(list)s skipped: the cost is in another currency")
NO_BASE = N_("%(list)s skipped: no base price to discount")
SELF_DISCOUNT = N_("%(list)s skipped: a base list cannot discount itself")
NOT_POSITIVE = N_("%(list)s skipped: the price would not be above zero")
Note = tuple[str, str]  # (msgid, list code), rendered by explain()


class PricingItem(NamedTuple):
    """What pricing needs to know about one variant, loaded with the rules in the same query round.

    Built from the variants row joined with its product (and the product's category path).

    - variant_id, product_id: the variant and its product.
    - category_ids: the product's categories with their ancestors, most specific first (leaf, parent, ...,
      root); a rule on a nearer category beats one on a farther category.
    - cost, cost_currency: the unit cost for 'cost_plus_pct' rules; None when unknown. A cost in another
      currency than the quote is not converted: the rule is skipped and the explanation says so.
    """

    variant_id: Id
    product_id: Id
    category_ids: tuple[Id, ...] = ()
    cost: Decimal | None = None
    cost_currency: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PricingContext:
    """Who buys, when, in which currency, with which coupon codes.

    - promotion_uses: how many orders of this customer already used each promotion (promotion id -> count),
      for per-customer limits; the total count is Promotion.times_used.
    """

    currency: str
    on: date
    customer_id: Id | None = None
    group_ids: frozenset[Id] = frozenset()
    coupon_codes: tuple[str, ...] = ()
    promotion_uses: Mapping[Id, int] = field(default_factory=dict)


class Tier(NamedTuple):
    """A price break: from `min_qty` units on, each unit costs `unit_price` (before promotions)."""

    min_qty: Decimal
    unit_price: Decimal


class PriceQuote(NamedTuple):
    """The price of one variant for one customer at one quantity, with the reasons behind it.

    A NamedTuple: immutable and cheap, since a page builds a thousand of them.

    - unit_price: what the customer pays per unit, after promotions; None = no price (not purchasable).
    - customer_price: the winning price rule's price, before promotions.
    - list_price: the base-list price at the same quantity, for "you save"; None without a base price.
    - rule: the winning PriceRule (its level, list, label and validity); None when there is no price.
    - tier_min_qty: the winning rule's tier start.
    - tiers: the price breaks this customer gets at every quantity where the winning rule can change,
      before promotions; next_tier: the first of them above qty with a lower price (both empty when
      price_many ran with tiers=False).
    - promotions, discount: the promotions applied and their total discount per unit.
    - basis: the list price or cost a formula rule started from.
    - skipped: (msgid, list code) of higher rules that could not compute a price (no cost, ...).
    - coupon_problems: why an entered coupon did not apply (price_for only; price_many puts them on the sheet).
    """

    variant_id: Id
    currency: str
    qty: Decimal
    unit_price: Decimal | None
    customer_price: Decimal | None = None
    list_price: Decimal | None = None
    rule: PriceRule | None = None
    tier_min_qty: Decimal | None = None
    tiers: tuple[Tier, ...] = ()
    next_tier: Tier | None = None
    promotions: tuple[AppliedPromotion, ...] = ()
    discount: Decimal = Decimal(0)
    basis: Decimal | None = None
    capped: bool = False
    skipped: tuple[Note, ...] = ()
    coupon_problems: tuple[CouponProblem, ...] = ()

    @property
    def purchasable(self) -> bool:
        """False when no rule gives a price in this currency on this day."""
        return self.unit_price is not None

    @property
    def level(self) -> Level | None:
        """The level of the winning rule."""
        return None if self.rule is None else Level(self.rule.level)

    @property
    def savings(self) -> Decimal:
        """Per-unit saving against the list price, zero when there is none."""
        if self.unit_price is None or self.list_price is None or self.list_price <= self.unit_price:
            return Decimal(0)
        return self.list_price - self.unit_price

    @property
    def line_total(self) -> Decimal | None:
        """unit_price times qty, rounded to the minor unit."""
        return None if self.unit_price is None else to_minor_unit(self.unit_price * self.qty, self.currency)

    @property
    def explanation(self) -> list[str]:
        """Short lines for staff, translated in the current locale ("Contract price CT-ACME valid until ...")."""
        return explain(self)


@dataclass(frozen=True, slots=True)
class PriceSheet:
    """The answer for a whole page or basket: a quote per variant and what happened to the coupons."""

    quotes: dict[Id, PriceQuote]
    coupon_problems: tuple[CouponProblem, ...] = ()

    def __getitem__(self, variant_id: Id) -> PriceQuote:
        return self.quotes[variant_id]


_LEVEL_NOTES = {
    Level.CONTRACT: (N_("Contract price %(list)s"), N_("Contract price %(list)s valid until %(date)s")),
    Level.CUSTOMER: (N_("Customer price list %(list)s"), N_("Customer price list %(list)s valid until %(date)s")),
    Level.GROUP: (
        N_("Customer group price list %(list)s"),
        N_("Customer group price list %(list)s valid until %(date)s"),
    ),
    Level.BASE: (N_("Base price list %(list)s"), N_("Base price list %(list)s valid until %(date)s")),
}
_SCOPE_NOTES = {
    Scope.VARIANT: N_("Price for this variant"),
    Scope.PRODUCT: N_("Price for this product"),
    Scope.CATEGORY: N_("Price for the product's category"),
    Scope.ALL: N_("Price for all products"),
}
_PROMOTION_NOTES = {
    (False, PromotionKind.PERCENT): N_("Promotion %(code)s: -%(pct)s %%"),
    (True, PromotionKind.PERCENT): N_("Coupon %(code)s: -%(pct)s %%"),
    (False, PromotionKind.AMOUNT): N_("Promotion %(code)s: -%(amount)s per unit"),
    (True, PromotionKind.AMOUNT): N_("Coupon %(code)s: -%(amount)s per unit"),
}


def explain(quote: PriceQuote) -> list[str]:
    """Render a quote's reasons in the current locale; done on demand so pricing a page stays cheap."""
    rule, currency = quote.rule, quote.currency
    lines = [gettext(msgid, list=code) for msgid, code in quote.skipped]
    if rule is None:
        return [gettext(N_("No price for this product in %(currency)s"), currency=currency), *lines]
    open_note, dated_note = _LEVEL_NOTES[Level(rule.level)]
    head = [
        gettext(dated_note, list=rule.list_code, date=format_date(rule.valid_to))
        if rule.valid_to
        else gettext(open_note, list=rule.list_code),
        gettext(_SCOPE_NOTES[rule.scope]),
    ]
    if rule.label:
        head.append(rule.label)
    if quote.tier_min_qty is not None and quote.tier_min_qty > 1:
        head.append(gettext(N_("Tier %(qty)s+"), qty=format_number(quote.tier_min_qty)))
    pct = format_number(rule.value)
    if rule.method == Method.LIST_MINUS_PCT and quote.basis is not None:
        price = format_money(quote.basis, currency)
        head.append(gettext(N_("%(pct)s %% off the list price %(price)s"), pct=pct, price=price))
    elif rule.method == Method.COST_PLUS_PCT and quote.basis is not None:
        head.append(gettext(N_("Cost %(cost)s plus %(pct)s %%"), cost=format_money(quote.basis, currency), pct=pct))
    if rule.rounding != Rounding.CENT:
        head.append(gettext(N_("Rounded to .%(ending)s"), ending=str(rule.rounding)))
    for applied in quote.promotions:
        promo = applied.promotion
        msgid = _PROMOTION_NOTES[(promo.requires_coupon, PromotionKind(promo.kind))]
        head.append(
            gettext(msgid, code=promo.code, pct=format_number(promo.value), amount=format_money(promo.value, currency))
        )
    if quote.capped:
        head.append(gettext(N_("Discount capped at the price")))
    if quote.next_tier is not None:
        tier = quote.next_tier
        price = format_money(tier.unit_price, currency)
        head.append(gettext(N_("From %(qty)s: %(price)s"), qty=format_number(tier.min_qty), price=price))
    return head + lines

"""The offer on a product page: which variant is chosen, the quantity and its rules, the customer's price.

Choosing is pure (choose, picker, read_quantity); `offer_for` adds the one pricing round: the chosen variant
at the quantity, with the related products' cards priced in the same statement; and what is shown of the stock
(inventory's remembered reads): the chosen variant for one unit and for the quantity asked, the related cards'.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.search import ProductCard
from app.errors import NotFound, ValidationFailed
from app.i18n import format_money
from app.inventory import shown_availability
from app.inventory.domain import AvailabilityDisplay
from app.numbers import MAX_QUANTITY, parse_decimal
from app.pricing.domain import PriceQuote, QuantityCheck, QuantityRule, Tier, check_quantity
from app.pricing.services import offered_tiers, price_variants
from storefront.catalog import CardList, PriceView, Viewer, price_view, prices_from, sign_in_url
from storefront.catalog_detail import Choice, Image, KitLine, ProductData, Variant, relation_heading
from storefront.catalog_stock import OfferStock

MAX_QTY_CHARS = 12


@dataclass(frozen=True, slots=True)
class Option:
    code: str
    label: str
    selected: bool
    available: bool  # some variant has it with the other values currently chosen


@dataclass(frozen=True)
class Axis:
    code: str
    label: str
    options: list[Option]


def _axes(variants: Sequence[Variant]) -> dict[uuid.UUID, list[Choice]]:
    """Attribute id -> the choices of its values over all variants, axes and values in display order."""
    found: dict[uuid.UUID, dict[uuid.UUID, Choice]] = {}
    for v in variants:
        for attribute_id, choice in v.choices.items():
            found.setdefault(attribute_id, {}).setdefault(choice.value_id, choice)
    axes = {a: sorted(values.values(), key=lambda c: (c.value_position, c.value_label)) for a, values in found.items()}
    return dict(sorted(axes.items(), key=lambda kv: (kv[1][0].attribute_position, kv[1][0].attribute_code)))


def by_attributes(variants: Sequence[Variant]) -> bool:
    """True when the attribute values tell every variant apart (else they are picked by SKU)."""
    attributes = list(_axes(variants))
    if not attributes or len(variants) < 2:
        return False
    combos = {tuple(v.choices[a].value_id if a in v.choices else None for a in attributes) for v in variants}
    return len(combos) == len(variants)


def _codes(variant: Variant) -> dict[str, str]:
    return {c.attribute_code: c.value_code for c in variant.choices.values()}


def choose(variants: Sequence[Variant], requested: uuid.UUID | None, picked: Mapping[str, str]) -> Variant:
    """The variant asked for: by the picked values (attribute code -> value code) when they tell variants apart,
    else the requested id, else the first.

    The values changed from the requested variant must hold (the customer just chose them); among the variants
    having them, the one keeping most of the other values wins, in display order.
    """
    current = next((v for v in variants if v.id == requested), None)
    if not picked or not by_attributes(variants):
        return current or variants[0]
    before = _codes(current) if current else {}
    changed = {a: v for a, v in picked.items() if before.get(a) != v}
    having = [v for v in variants if all(_codes(v).get(a) == value for a, value in changed.items())]
    if not having:
        return current or variants[0]
    return max(having, key=lambda v: sum(1 for a, value in _codes(v).items() if picked.get(a) == value))


def picker(variants: Sequence[Variant], current: Variant) -> list[Axis]:
    """The attribute selectors for `current`, each value marked available with the other current values."""
    if not by_attributes(variants):
        return []
    axes = []
    for attribute_id, values in _axes(variants).items():
        others = {a: c.value_id for a, c in current.choices.items() if a != attribute_id}
        options = []
        for choice in values:
            available = any(
                attribute_id in v.choices
                and v.choices[attribute_id].value_id == choice.value_id
                and all(a in v.choices and v.choices[a].value_id == w for a, w in others.items())
                for v in variants
            )
            chosen = current.choices.get(attribute_id)
            selected = chosen is not None and chosen.value_id == choice.value_id
            options.append(Option(choice.value_code, choice.value_label, selected, available))
        axes.append(Axis(values[0].attribute_code, values[0].attribute_label, options))
    return axes


def plain(qty: Decimal) -> str:
    """A quantity as an input's value: '10', '2.5' (no exponent, no trailing zeros)."""
    return format(qty.normalize(), "f")


@dataclass(frozen=True)
class Quantity:
    """The quantity as entered (kept on a problem), what the rules say of it, and the quantity priced."""

    text: str
    check: QuantityCheck
    priced: Decimal


def read_quantity(raw: str | None, rule: QuantityRule) -> Quantity:
    """Parse and check the entered quantity; blank means the smallest valid one."""
    text = (raw or "").strip()[:MAX_QTY_CHARS]
    if not text:
        first = check_quantity(rule.min_qty, rule).suggested or rule.min_qty
        return Quantity(plain(first), check_quantity(first, rule), first)
    try:
        qty = parse_decimal(text, "qty", minimum=Decimal(0), maximum=MAX_QUANTITY)
    except ValidationFailed:
        qty = Decimal(0)  # checked below as too small, with the quantity to order instead
    check = check_quantity(qty, rule)
    priced = qty if check.ok else (check.suggested or rule.min_qty)
    return Quantity(text, check, priced)


@dataclass(frozen=True)
class Offer:
    """What the offer block shows for the chosen variant at the quantity."""

    data: ProductData
    variant: Variant
    axes: list[Axis]
    quantity: Quantity
    quote: PriceQuote | None
    price: PriceView | None  # None: prices hidden until sign-in
    sign_in_url: str
    related: list[tuple[str, CardList]]
    stock: OfferStock | None = None  # the chosen variant's availability (None: not shown)
    offered: tuple[Tier, ...] = ()  # the price breaks with the live offers applied (pricing's offered_tiers)

    @property
    def by_sku(self) -> bool:
        return len(self.data.variants) > 1 and not self.axes

    @property
    def images(self) -> list[Image]:
        """The variant's own images first, then the product's."""
        own = [i for i in self.data.images if i.variant_id == self.variant.id]
        return own + [i for i in self.data.images if i.variant_id is None]

    @property
    def kit(self) -> list[KitLine]:
        return self.data.kits.get(self.variant.id, [])

    @property
    def tiers(self) -> list[tuple[Tier, bool]]:
        """The price breaks as the cart charges them (offers included), the one that applies at the priced
        quantity marked; none when one price holds for every quantity."""
        tiers = list(self.offered)
        if len(tiers) < 2:
            return []
        applies = max((t for t in tiers if t.min_qty <= self.quantity.priced), key=lambda t: t.min_qty, default=None)
        return [(t, t == applies) for t in tiers]

    @property
    def next_tier(self) -> Tier | None:
        """The first break above the priced quantity that costs less than the price now (offers included)."""
        now = self.quote.unit_price if self.quote else None
        if now is None:
            return None
        return next((t for t in self.offered if t.min_qty > self.quantity.priced and t.unit_price < now), None)

    @property
    def has_rules(self) -> bool:
        """True when ordering is limited beyond "one or more" (a minimum, a pack size or a maximum)."""
        rule = self.variant.rule
        return rule.min_qty != 1 or (rule.multiple or 1) != 1 or rule.max_qty is not None

    @property
    def input_limits(self) -> dict[str, str]:
        """The quantity input's min, step and max attributes, from the variant's rules."""
        rule = self.variant.rule
        limits = {"min": plain(rule.min_qty), "step": plain(rule.multiple or Decimal(1))}
        if rule.max_qty is not None:
            limits["max"] = plain(rule.max_qty)
        return limits

    @property
    def priced_text(self) -> str:
        return plain(self.quantity.priced)

    @property
    def line_total(self) -> str | None:
        total = self.quote.line_total if self.quote else None
        return format_money(total, self.quote.currency) if total is not None and self.quote else None

    def url(self, qty: str | None = None) -> str:
        """The product page showing this offer (at `qty` when given)."""
        pairs = [("variant", str(self.variant.id)), ("qty", qty if qty is not None else self.quantity.text)]
        return f"/p/{self.data.slug}?{urlencode(pairs)}"

    def offer_url(self, qty: str) -> str:
        pairs = [("variant", str(self.variant.id)), ("qty", qty)]
        return f"/p/{self.data.slug}/offer?{urlencode(pairs)}"


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


async def offer_for(
    session: AsyncSession, viewer: Viewer, data: ProductData, query: Mapping[str, str], here: str
) -> Offer:
    """Choose the variant from `query` (variant= the current one, sku_variant=, attr_<code>=), check the quantity
    (qty=) and price it in one round."""
    if not data.variants:  # every variant discontinued: nothing to offer
        raise NotFound()
    picked = {k.removeprefix("attr_"): v for k, v in query.items() if k.startswith("attr_") and v}
    requested = _uuid(query.get("sku_variant")) or _uuid(query.get("variant"))  # the SKU picker, else the current
    variant = choose(data.variants, requested, picked)
    quantity = read_quantity(query.get("qty"), variant.rule)
    cards = [card for group in data.related.values() for card in group]
    quote, prices, price, offered = None, {}, None, ()
    if viewer.pricing is not None:
        ids = [variant.id, *(c.default_variant_id for c in cards if c.default_variant_id is not None)]
        sheet = await price_variants(session, viewer.pricing, list(dict.fromkeys(ids)), {variant.id: quantity.priced})
        quote = sheet.quotes.get(variant.id)
        price = price_view(quote, viewer.pricing.currency)
        prices = prices_from(sheet, cards, viewer.pricing.currency)
        if quote is not None and quote.unit_price is not None:
            offered = await offered_tiers(session, viewer.pricing, variant.id)
    stock, shown = await _stock(session, viewer, variant, quantity.priced, cards)
    login = sign_in_url(here)
    related = [
        (relation_heading(kind), CardList(group, prices, viewer.pricing is not None, login, shown))
        for kind, group in data.related.items()
    ]
    axes = picker(data.variants, variant)
    return Offer(data, variant, axes, quantity, quote, price, login, related, stock, offered)


async def _stock(
    session: AsyncSession, viewer: Viewer, variant: Variant, qty: Decimal, cards: Sequence[ProductCard]
) -> tuple[OfferStock, dict[uuid.UUID, AvailabilityDisplay]]:
    """The chosen variant's availability for one unit and for `qty`, and the related cards' (for one unit)."""
    ids = [variant.id, *(c.default_variant_id for c in cards if c.default_variant_id is not None)]
    one = await shown_availability(session, viewer.tenant_id, ids)
    asked = one[variant.id]
    if qty > 0 and qty != 1:
        more = await shown_availability(session, viewer.tenant_id, [variant.id], requested={variant.id: qty})
        asked = more[variant.id]
    return OfferStock(qty, one[variant.id], asked), one

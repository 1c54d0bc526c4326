"""What every storefront catalogue page shares, read for one viewer: the category tree, who is looking (their
assortment and pricing context), the facet counts of plain listings and the prices on cards.

A page resolves its Viewer once; the listing, home and product pages then run their catalogue query and one
pricing round with it. Process-wide caches (app.cache) keep the per-request cost at those two statements: the
category tree, a signed-in customer's catalogues and pricing context, the tenant's hide-prices switch, card
prices and facet counts, each under the change tokens (app.changes) of what it was read from.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy.ext.asyncio import AsyncSession

from app import changes
from app.cache import cache
from app.catalog.domain import translated
from app.catalog.search import FacetCache, ProductCard
from app.catalog.services import category_tree, hide_prices_until_sign_in, viewer_catalogs
from app.changes import Token
from app.i18n import current_locale, format_money, format_number
from app.i18n import gettext as _
from app.pricing.domain import PriceQuote, PriceSheet, PricingContext, PromotionKind, Tier
from app.pricing.services import price_variants, pricing_context_for
from app.pricing.services.quotes import TenantLike

CACHE_SECONDS = 30.0
_TREES = cache("storefront.category_trees", size=2_000, ttl=CACHE_SECONDS)  # tenant id -> CategoryTree
_HIDDEN = cache("storefront.prices_hidden", size=2_000, ttl=10.0)  # tenant id -> prices hidden until sign-in
_VIEWERS = cache("storefront.viewers", size=10_000, ttl=CACHE_SECONDS)  # (tenant, customer, day) -> their facts
_CARD_PRICES = cache("storefront.card_prices", size=200_000, ttl=600.0)  # (pricing context, variant) -> PriceView


# --- the category tree -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryNode:
    id: uuid.UUID
    slug: str
    parent_id: uuid.UUID | None
    path: tuple[uuid.UUID, ...]
    names: Mapping[str, str]

    def label(self, locale: str) -> str:
        return translated(self.names, locale)


class CategoryTree:
    """The tenant's categories, parents before children and siblings in display order."""

    def __init__(self, nodes: Sequence[CategoryNode]) -> None:
        self.nodes = list(nodes)
        self.by_id = {n.id: n for n in self.nodes}
        self.by_slug = {n.slug: n for n in self.nodes}
        self._children: dict[uuid.UUID | None, list[CategoryNode]] = {}
        for node in self.nodes:
            self._children.setdefault(node.parent_id, []).append(node)

    def roots(self) -> list[CategoryNode]:
        return self._children.get(None, [])

    def children(self, node_id: uuid.UUID | None) -> list[CategoryNode]:
        return self._children.get(node_id, [])

    def trail(self, node: CategoryNode) -> list[CategoryNode]:
        """The breadcrumb: ancestors from the root, the node itself last."""
        return [self.by_id[i] for i in node.path if i in self.by_id]


async def tree(
    session: AsyncSession, tenant_id: uuid.UUID, *, fresh: bool = False, token: Token | None = None
) -> CategoryTree:
    """The tenant's category tree, from the cache unless stale or `fresh` is asked for.

    Give the viewer's catalogue `token` where a page built on the tree is itself kept under that token
    (storefront.listing_cache): the tree is then the one of that generation, never an older one.
    """
    cached = None if fresh else _TREES.get(token, tenant_id)
    if cached is None:
        rows = await category_tree(session)
        cached = CategoryTree(
            [CategoryNode(c.id, c.slug, c.parent_id, tuple(c.path), dict(c.name or {})) for c in rows]
        )
        _TREES.put(token, tenant_id, cached)
    return cached


async def category_for(
    session: AsyncSession, tenant_id: uuid.UUID, slug: str, *, token: Token | None = None
) -> tuple[CategoryTree, CategoryNode]:
    """The category at `slug` and the tree; a slug the cache does not know yet reloads it once. LookupError if none."""
    categories = await tree(session, tenant_id, token=token)
    node = categories.by_slug.get(slug)
    if node is None:
        categories = await tree(session, tenant_id, fresh=True, token=token)
        node = categories.by_slug.get(slug)
    if node is None:
        raise LookupError(slug)
    return categories, node


# --- who is looking ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Viewer:
    """The visitor of a catalogue page: their assortment, how they are priced (None: prices hidden)."""

    tenant_id: uuid.UUID
    currency: str
    locale: str
    customer_id: uuid.UUID | None
    catalog_ids: frozenset[uuid.UUID] | None
    pricing: PricingContext | None
    pricing_token: Token | None = None  # the tenant's pricing generation (app.changes); None: do not cache prices
    catalog_token: Token | None = None  # the same for the catalogue (products, categories, assortments)


def facet_cache(viewer: Viewer) -> FacetCache:
    """The facet counts of this viewer's listings, kept under their catalogue and pricing tokens."""
    return FacetCache(viewer.catalog_token, viewer.pricing_token)


# --- prices as cards and offers show them --------------------------------------------------------------------


@lru_cache(maxsize=65_536)
def _money(amount: Decimal, currency: str, locale: str) -> str:
    return format_money(amount, currency, locale)


@lru_cache(maxsize=4_096)
def _number(value: Decimal, locale: str) -> str:
    return format_number(value, locale)


def money_text(amount: Decimal, currency: str) -> str:
    """format_money, remembered: a page shows the same few prices to many customers."""
    return _money(amount, currency, current_locale.get())


def number_text(value: Decimal) -> str:
    return _number(value, current_locale.get())


@dataclass(frozen=True, slots=True)
class PriceView:
    """A quote as the customer reads it: their unit price, what it was, the better tier, the offers."""

    currency: str
    unit: Decimal | None
    was: Decimal | None = None  # the list price, when the customer pays less
    better_tier: Tier | None = None  # a lower price from a larger quantity
    badges: tuple[str, ...] = ()

    @property
    def unit_text(self) -> str:
        return money_text(self.unit, self.currency) if self.unit is not None else ""

    @property
    def was_text(self) -> str:
        return money_text(self.was, self.currency) if self.was is not None else ""

    @property
    def tier_text(self) -> str:
        """The better tier as the card says it (From 90,00 € at 50+), else empty."""
        tier = self.better_tier
        if tier is None:
            return ""
        return _(
            "From %(price)s at %(qty)s+",
            price=money_text(tier.unit_price, self.currency),
            qty=number_text(tier.min_qty),
        )


def badge(kind: str, value: Decimal, currency: str) -> str:
    """A promotion as a short badge: "-10 %" or "-€5.00"."""
    if kind == PromotionKind.PERCENT:
        return _("-%(pct)s %%", pct=number_text(value))
    return _("-%(amount)s", amount=money_text(value, currency))


def price_view(quote: PriceQuote | None, currency: str) -> PriceView:
    if quote is None or quote.unit_price is None:
        return PriceView(currency, None)
    was = quote.list_price if quote.savings > 0 else None
    # tiers are before promotions: hint at one only when it beats what the customer pays now
    lower = [t for t in quote.tiers if t.min_qty > quote.qty and t.unit_price < quote.unit_price]
    better = min(lower, key=lambda t: (t.unit_price, t.min_qty)) if lower else None
    badges = tuple(badge(a.promotion.kind, a.promotion.value, quote.currency) for a in quote.promotions)
    return PriceView(quote.currency, quote.unit_price, was, better, badges)


async def card_prices(
    session: AsyncSession, viewer: Viewer, cards: Sequence[ProductCard]
) -> dict[uuid.UUID, PriceView]:
    """Each card's price for the viewer (its default variant at one unit), in at most one pricing round.

    Card prices are remembered per pricing context and variant under the tenant's pricing generation, so a
    page seen again (by anyone priced alike) costs no pricing round until a price, a rule, a promotion or a
    cost changes; a promotion with a per-customer limit keeps its context per customer (customer_id is in it).
    """
    ctx = viewer.pricing
    if ctx is None:
        return {}
    variants = {c.default_variant_id for c in cards if c.default_variant_id is not None}
    if not variants:
        return {}
    token = viewer.pricing_token
    context = (viewer.tenant_id, viewer.locale, ctx.currency, ctx.on, ctx.customer_id, ctx.group_ids)
    context += ctx.coupon_codes  # the badges are words in the viewer's language
    views: dict[uuid.UUID, PriceView] = {}
    for variant_id in variants:
        view = _CARD_PRICES.get(token, (context, variant_id))
        if view is not None:
            views[variant_id] = view
    missing = [v for v in variants if v not in views]
    if missing:
        sheet = await price_variants(session, ctx, missing)
        for variant_id in missing:
            views[variant_id] = view = price_view(sheet.quotes.get(variant_id), ctx.currency)
            _CARD_PRICES.put(token, (context, variant_id), view)
    return {c.product_id: views[c.default_variant_id] for c in cards if c.default_variant_id is not None}


def prices_from(sheet: PriceSheet, cards: Iterable[ProductCard], currency: str) -> dict[uuid.UUID, PriceView]:
    """The cards' prices from a sheet holding their default variants' quotes."""
    return {
        c.product_id: price_view(sheet.quotes.get(c.default_variant_id), currency)
        for c in cards
        if c.default_variant_id is not None
    }


async def viewer(session: AsyncSession, tenant: TenantLike, locale: str, customer_id: uuid.UUID | None) -> Viewer:
    """The visitor of a catalogue page: a signed-in customer's facts from the cache when fresh."""
    # taken before reading anything: see app.changes
    pricing_token, catalog_token = changes.token(tenant.id, "pricing"), changes.token(tenant.id, "catalog")
    if customer_id is None:
        hidden = _HIDDEN.get(catalog_token, tenant.id)
        if hidden is None:
            hidden = await hide_prices_until_sign_in(session, tenant.id)
            _HIDDEN.put(catalog_token, tenant.id, hidden)
        pricing = None if hidden else await pricing_context_for(session, tenant)
        return Viewer(tenant.id, tenant.currency, locale, None, None, pricing, pricing_token, catalog_token)
    tokens, key = (pricing_token, catalog_token), (tenant.id, customer_id, date.today())
    facts = _VIEWERS.get(tokens, key)
    if facts is None:
        facts = (await viewer_catalogs(session, customer_id), await pricing_context_for(session, tenant, customer_id))
        _VIEWERS.put(tokens, key, facts)
    return Viewer(tenant.id, tenant.currency, locale, customer_id, facts[0], facts[1], pricing_token, catalog_token)

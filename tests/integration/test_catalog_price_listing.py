"""Listings by the viewer's own prices: sorts, an inclusive range, the price facet, and the price index behind them.

The shop is the web tests' demo catalogue with prices (tests.web.test_storefront_catalog.build_shop): base
prices (Kappa 100 with tiers, every other product cost + 50 %), a 10 % promotion on Sigma, and a customer
with a contract price on Kappa; here that customer's group also gets a price for Delta. The prices a listing
sorts by come from the pricing engine, so the expected figures below are the engine's, as the cards show them.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from litestar.datastructures import MultiDict
from sqlalchemy import select

from app import changes, parties
from app.actor import SYSTEM
from app.cache import Cache
from app.catalog import services as catalog
from app.catalog.documents import ProductSearch
from app.catalog.search import CatalogQuery, FacetCache, PriceBucket, browse
from app.catalog.services import ProductInput, VariantInput
from app.errors import ValidationFailed
from app.pricing import services as pricing
from app.pricing.domain import PricingContext
from app.pricing.services import PriceListInput, RuleInput, price_index, price_variants
from app.pricing.services.price_index import unit_prices
from storefront.catalog import Viewer
from storefront.catalog_listing import category_listing
from tests.web.test_storefront_catalog import Shop, build_shop

D = Decimal
ANONYMOUS_ASC = [  # name (es), unit price for a visitor who is not signed in
    ("Lámpara de escritorio Lumen", D("33.00")),
    ("Silla de confidente Alba", D("52.50")),
    ("Silla giratoria Sigma", D("79.65")),  # 59 + 50 %, less 10 %
    ("Silla ergonómica Kappa", D("100.00")),
    ("Estantería metálica Delta", D("112.50")),
    ("Armario alto con puertas Atlas", D("270.00")),
    ("Escritorio regulable Nova", D("360.00")),
    ("Mesa de reuniones Roble", D("615.00")),
]


class Generation:
    """A change feed standing at one generation, as a listening feed does between two notices (a fake)."""

    def __init__(self, token) -> None:
        self.current = token

    def token(self, tenant_id, topic):
        return self.current


class PriceIndex:
    """The price index as a test sees it: its own cache in place of the process's, and how many variants the
    engine priced through it."""

    def __init__(self, monkeypatch, *, size: int = 500_000, ttl: float = 300.0) -> None:
        self.cache = Cache("test.unit_prices", size=size, ttl=ttl, weigh=len)
        self.priced = 0
        monkeypatch.setattr(price_index, "PRICES", self.cache)
        real = price_index.price_variants

        async def counted(session, ctx, variant_ids, *args, **kwargs):
            variant_ids = list(variant_ids)
            self.priced += len(variant_ids)
            return await real(session, ctx, variant_ids, *args, **kwargs)

        monkeypatch.setattr(price_index, "price_variants", counted)

    def __len__(self) -> int:
        return self.cache.weight


async def priced_under(generation, session, ctx, variants):
    """unit_prices while the change feed stands at `generation`."""
    with changes.answering(Generation(generation)):
        return await unit_prices(session, ctx, variants)


class Lookup:
    """A PriceLookup over the price index, counting the calls."""

    def __init__(self, session, ctx: PricingContext) -> None:
        self.session, self.ctx, self.calls = session, ctx, 0
        self.key = ("test", ctx.customer_id)

    async def __call__(self, products):
        self.calls += 1
        found = await priced_under((1, 0), self.session, self.ctx, [v for _p, v in products])
        return {p: found[v] for p, v in products if v in found}


@pytest.fixture
async def shop(db, tenant_a) -> Shop:
    shop = await build_shop(db, tenant_a)
    async with db.transaction(tenant_a.id) as s:
        group = await parties.create_customer_group(s, tenant_a.id, "PRO", "Professionals", SYSTEM)
        await parties.set_customer_group(s, tenant_a.id, shop.customer.id, group.id, SYSTEM)
        data = PriceListInput("GR-PRO", "Professionals", "EUR", "group", customer_group_id=group.id)
        listed = await pricing.create_price_list(s, tenant_a.id, data, SYSTEM)
        rule = RuleInput(D("20"), product_id=shop.demo.products["delta"])
        await pricing.add_rule(s, tenant_a.id, listed.id, rule, SYSTEM)
    return shop


async def _page(db, shop, customer_id=None, *, cache=None, **query):
    async with db.transaction(shop.tenant.id) as s:
        ctx = await pricing.pricing_context_for(s, shop.tenant, customer_id)
        lookup = Lookup(s, ctx)
        page = await browse(s, CatalogQuery(**query), customer_id=customer_id, prices=lookup, cache=cache)
    return page, lookup


def _named(page) -> list[tuple[str, Decimal | None]]:
    return [(item.name, item.price) for item in page.items]


async def test_price_sorts_order_by_the_engines_unit_price_both_ways(db, shop):
    ascending, _lookup = await _page(db, shop, sort="price_asc")
    assert _named(ascending) == ANONYMOUS_ASC and ascending.total == 8
    descending, _lookup = await _page(db, shop, sort="price_desc")
    assert _named(descending) == ANONYMOUS_ASC[::-1]
    second, _lookup = await _page(db, shop, sort="price_asc", per_page=3, page=2)
    assert _named(second) == ANONYMOUS_ASC[3:6] and second.pages == 3


async def test_products_without_a_price_come_last_in_both_orders(db, shop):
    async with db.transaction(shop.tenant.id) as s:  # no cost, no rule of its own: the engine has no price
        data = ProductInput({"es": "Perchero Zen"}, category_id=shop.demo.categories["sillas"])
        product = await catalog.create_product(s, shop.tenant.id, data, SYSTEM, [VariantInput("PER-ZEN")])
        await catalog.change_product_status(s, shop.tenant.id, product.id, "active", SYSTEM)
    ascending, _lookup = await _page(db, shop, category_id=shop.demo.categories["sillas"], sort="price_asc")
    descending, _lookup = await _page(db, shop, category_id=shop.demo.categories["sillas"], sort="price_desc")
    assert [n for n, _p in _named(ascending)] == [
        "Silla de confidente Alba",
        "Silla giratoria Sigma",
        "Silla ergonómica Kappa",
        "Perchero Zen",
    ]
    assert [n for n, _p in _named(descending)][-1] == "Perchero Zen" and ascending.items[-1].price is None
    ranged, _lookup = await _page(db, shop, category_id=shop.demo.categories["sillas"], price_min=D(0))
    assert "Perchero Zen" not in [n for n, _p in _named(ranged)]  # no price is in no range


async def test_price_range_is_inclusive_and_keeps_the_chosen_order(db, shop):
    page, _lookup = await _page(db, shop, price_min=D("52.50"), price_max=D("100"), sort="price_desc")
    assert _named(page) == [ANONYMOUS_ASC[3], ANONYMOUS_ASC[2], ANONYMOUS_ASC[1]] and page.total == 3
    by_name, _lookup = await _page(db, shop, price_min=D("52.50"), price_max=D("100"), sort="name", locale="en")
    assert [i.name for i in by_name.items] == ["Alba visitor chair", "Kappa ergonomic chair", "Sigma swivel chair"]
    newest, _lookup = await _page(db, shop, price_max=D("100"), sort="newest")
    assert [i.name for i in newest.items] == [
        "Lámpara de escritorio Lumen",
        "Silla de confidente Alba",
        "Silla giratoria Sigma",
        "Silla ergonómica Kappa",
    ]
    searched, _lookup = await _page(db, shop, text="silla", price_max=D("80"))
    assert {i.name for i in searched.items} == {"Silla de confidente Alba", "Silla giratoria Sigma"}
    nothing, _lookup = await _page(db, shop, price_min=D("615.01"))
    assert nothing.items == [] and nothing.total == 0


async def test_price_facet_counts_ignore_the_price_filter_but_follow_the_other_facets(db, shop):
    page, _lookup = await _page(db, shop)  # a plain listing by name also gets its price facet
    everything = (
        PriceBucket(None, D(50), 1, None, D("49.99")),
        PriceBucket(D(50), D(100), 2, D(50), D("99.99")),
        PriceBucket(D(100), D(500), 4, D(100), D("499.99")),
        PriceBucket(D(500), None, 1, D(500), None),
    )
    assert page.price_facet.buckets == everything
    assert (page.price_facet.lowest, page.price_facet.highest) == (D("33.00"), D("615.00"))
    ranged, _lookup = await _page(db, shop, price_min=D(50), price_max=D("99.99"))
    assert [i.name for i in ranged.items] == ["Silla de confidente Alba", "Silla giratoria Sigma"]
    assert ranged.price_facet.buckets == everything  # the range does not narrow its own facet
    assert {(b.label, b.count) for b in ranged.facets.brands} == {("Actiu", 2)}  # but it narrows the others
    assert {(c.label, c.count) for c in ranged.facets.categories} == {("Sillas", 2)}
    ofiprix = shop.demo.brands["Ofiprix"]
    other = await _page(db, shop, price_min=D(50), price_max=D("99.99"), brand_ids=(ofiprix,))
    page_b = other[0]
    assert page_b.items == [] and {(b.label, b.count, b.selected) for b in page_b.facets.brands} == {
        ("Actiu", 2, False)  # a brand's own selection does not narrow its counts; the price range does
    }
    assert [(b.high, b.count) for b in page_b.price_facet.buckets] == [(D(500), 3), (None, 1)]  # Ofiprix's four
    actiu, _lookup = await _page(db, shop, brand_ids=(shop.demo.brands["Actiu"],), sort="price_asc")
    assert sum(b.count for b in actiu.price_facet.buckets) == 3 and actiu.price_facet.priced == 3


async def test_a_customer_with_contract_and_group_prices_sorts_by_their_own_prices(db, shop):
    page, _lookup = await _page(db, shop, shop.customer.id, sort="price_asc")
    assert _named(page)[:5] == [
        ("Estantería metálica Delta", D("20.00")),  # the group's price
        ("Lámpara de escritorio Lumen", D("33.00")),
        ("Silla de confidente Alba", D("52.50")),
        ("Silla giratoria Sigma", D("79.65")),
        ("Silla ergonómica Kappa", D("80.00")),  # the contract price
    ]
    anonymous, _lookup = await _page(db, shop, sort="price_asc")
    assert [i.product_id for i in page.items] != [i.product_id for i in anonymous.items]
    cheap, _lookup = await _page(db, shop, shop.customer.id, price_max=D("30"))
    assert _named(cheap) == [("Estantería metálica Delta", D("20.00"))]


async def test_sort_prices_are_the_prices_the_cards_show(db, shop):
    async with db.transaction(shop.tenant.id) as s:
        for customer_id in (None, shop.customer.id):
            ctx = await pricing.pricing_context_for(s, shop.tenant, customer_id)
            variants = list(shop.variants.values())
            quotes = (await price_variants(s, ctx, variants)).quotes  # as card_prices asks: with tiers
            listed = await unit_prices(s, ctx, variants)
            assert listed == {v: q.unit_price for v, q in quotes.items() if q.unit_price is not None}


async def test_the_index_prices_each_variant_once_per_context_and_generation(db, shop, monkeypatch):
    monkeypatch.setattr(price_index, "CHUNK", 3)  # several price_variants rounds
    index = PriceIndex(monkeypatch)
    variants = list(shop.variants.values())
    async with db.transaction(shop.tenant.id) as s:
        ctx = await pricing.pricing_context_for(s, shop.tenant)
        first = await priced_under((1, 1), s, ctx, variants)
        assert index.priced == len(variants) == len(index)
        again = await priced_under((1, 1), s, ctx, variants[:5])
        assert index.priced == len(variants) and again == {v: first[v] for v in variants[:5]}
        await priced_under((1, 2), s, ctx, variants)  # a price changed
        assert index.priced == 2 * len(variants)
        customer = await pricing.pricing_context_for(s, shop.tenant, shop.customer.id)
        mine = await priced_under((1, 2), s, customer, variants)
        assert index.priced == 3 * len(variants) and mine != first
        await priced_under(None, s, ctx, variants)  # the feed is not listening: priced afresh, nothing kept
        assert index.priced == 4 * len(variants) and len(index) == 3 * len(variants)
    async with db.transaction(None) as s:  # no tenant: nothing to price, nothing kept
        assert await priced_under((1, 2), s, ctx, variants) == {}


async def test_the_index_is_bounded_by_contexts_prices_and_time(db, shop, monkeypatch):
    """Contexts are bounded through the prices they hold (app.cache weighs each context by its prices)."""
    variants = list(shop.variants.values())
    async with db.transaction(shop.tenant.id) as s:
        ctx = await pricing.pricing_context_for(s, shop.tenant)
        few = PriceIndex(monkeypatch, size=2 * len(variants))
        for generation in range(3):
            await priced_under((1, generation), s, ctx, variants)
        await priced_under((1, 0), s, ctx, variants)  # the oldest went out: priced again
        assert few.priced == 4 * len(variants) and len(few) == 2 * len(variants)
        small = PriceIndex(monkeypatch, size=len(variants) + 1)
        await priced_under((1, 1), s, ctx, variants)
        await priced_under((1, 2), s, ctx, variants)
        assert len(small) == len(variants)  # one context's prices fit, two do not
        stale = PriceIndex(monkeypatch, ttl=0)
        await priced_under((1, 0), s, ctx, variants[:2])
        await priced_under((1, 0), s, ctx, variants[:2])
        assert stale.priced == 4  # expired at once: priced again


async def test_listings_reuse_prices_and_the_cached_price_facet(db, shop, monkeypatch):
    index, cache = PriceIndex(monkeypatch), FacetCache((1, 0))
    sillas = shop.demo.categories["sillas"]
    first, lookup = await _page(db, shop, cache=cache, category_id=sillas, sort="price_asc")
    assert index.priced == 3 and lookup.calls == 1
    resorted, _lookup = await _page(db, shop, cache=cache, category_id=sillas, sort="price_desc")
    assert index.priced == 3 and [i.name for i in resorted.items] == [i.name for i in first.items][::-1]
    plain, lookup = await _page(db, shop, cache=cache, category_id=sillas)  # the cached fast path
    again, lookup = await _page(db, shop, cache=cache, category_id=sillas)
    assert lookup.calls == 0 and again.price_facet == plain.price_facet == first.price_facet
    assert plain.facets == first.facets and plain.total == first.total == 3


async def test_bad_prices_and_price_requests_without_prices_are_refused(db, shop):
    with pytest.raises(ValidationFailed) as negative:
        await _page(db, shop, price_min=D(-1))
    with pytest.raises(ValidationFailed) as upside_down:
        await _page(db, shop, price_min=D(100), price_max=D(50))
    with pytest.raises(ValidationFailed) as no_prices:
        async with db.transaction(shop.tenant.id) as s:
            await browse(s, CatalogQuery(sort="price_desc"))
    assert set(negative.value.errors) == {"price_min"} and set(upside_down.value.errors) == {"price_max"}
    assert set(no_prices.value.errors) == {"sort"}


async def test_hidden_prices_ignore_price_parameters(db, shop):
    viewer = Viewer(shop.tenant.id, "EUR", "en", None, None, None)  # prices hidden until sign-in
    query = MultiDict([("sort", "price_desc"), ("price_min", "60"), ("price_max", "90")])
    async with db.transaction(shop.tenant.id) as s:
        listing = await category_listing(s, viewer, "sillas", query, "/c/sillas")
    assert "price_asc" not in listing.sorts and listing.params.price_min is None and listing.sort == "name"
    assert [c.name for c in listing.page.items] == [
        "Alba visitor chair",
        "Kappa ergonomic chair",
        "Sigma swivel chair",
    ]
    assert listing.page.price_facet is None and not listing.cards.show_prices


async def test_another_tenants_prices_and_products_stay_apart(db, shop, tenant_b, monkeypatch):
    PriceIndex(monkeypatch)
    async with db.transaction(tenant_b.id) as s:
        data = ProductInput({"es": "Widget Globex"})
        product = await catalog.create_product(s, tenant_b.id, data, SYSTEM, [VariantInput("GLX-1", cost=D(10))])
        await catalog.change_product_status(s, tenant_b.id, product.id, "active", SYSTEM)
        ctx = await pricing.pricing_context_for(s, tenant_b)
        assert await priced_under((1, 0), s, ctx, list(shop.variants.values())) == {}  # tenant A's ids
        page = await browse(s, CatalogQuery(sort="price_asc"), prices=Lookup(s, ctx))
    assert [i.name for i in page.items] == ["Widget Globex"] and page.items[0].price is None  # no price list yet
    tenant_a_ids = await _ids(db, shop)
    assert product.id not in tenant_a_ids


async def _ids(db, shop) -> set[uuid.UUID]:
    async with db.transaction(shop.tenant.id) as s:
        return set(await s.scalars(select(ProductSearch.product_id)))

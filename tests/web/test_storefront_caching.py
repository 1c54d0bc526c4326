"""Catalogue pages remember prices between requests, and forget them when the database says something changed.

These tests start the app's change feed (app.changes), as a served app does at startup: the LISTEN connection
gets the notices the tables' triggers send on commit (migration 0006).
"""

from __future__ import annotations

import asyncio
import re
from decimal import Decimal

import pytest
from sqlalchemy import select, text

import app.catalog_pricing.storefront as storefront_catalog
import storefront.catalog_home as storefront_home
import storefront.catalog_listing as storefront_listing
from app.actor import SYSTEM
from app.cache import Cache
from app.catalog import services as catalog
from app.catalog.services import ProductInput
from app.changes import ChangeFeed
from app.pricing import services as pricing
from app.pricing.models import PriceRuleRecord as PriceRule
from tests.web.test_auth_sign_in import add_staff, post_form, sign_in
from tests.web.test_storefront_catalog import build_shop, product_names, signed_in

D = Decimal


@pytest.fixture
async def shop(db, tenant_a):
    return await build_shop(db, tenant_a)


@pytest.fixture
async def listening(app):
    feed: ChangeFeed = app.state.changes
    await feed.start()
    assert feed.listening
    yield feed
    await feed.stop()


@pytest.fixture
def pricing_rounds(monkeypatch):
    """How many pricing rounds the card prices ran."""
    calls: list[int] = []
    real = storefront_catalog.price_variants

    async def counted(session, ctx, variant_ids, *args, **kwargs):
        calls.append(len(list(variant_ids)))
        return await real(session, ctx, variant_ids, *args, **kwargs)

    monkeypatch.setattr(storefront_catalog, "price_variants", counted)
    return calls


async def until(predicate, seconds: float = 5.0) -> None:
    """Wait for a notice to arrive (they come asynchronously, right after the writer's commit)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "no change notice arrived"
        await asyncio.sleep(0.02)


async def set_kappa_price(db, shop, price: Decimal, *, then_fail: bool = False) -> None:
    """Kappa's base price from one unit, through the pricing service."""
    kappa = shop.demo.products["kappa"]
    async with db.transaction(shop.tenant.id) as s:
        rule_id = await s.scalar(select(PriceRule.id).where(PriceRule.product_id == kappa, PriceRule.min_qty == 1))
        await pricing.update_rule(s, shop.tenant.id, rule_id, pricing.RuleInput(price, product_id=kappa), SYSTEM)
        if then_fail:
            raise RuntimeError("abandon")


def kappa_card(html: str) -> str:
    card = html[html.index("Kappa ergonomic chair") :]
    return card[: card.index("</article>")]


async def test_a_committed_write_advances_the_tenants_token_and_only_its_own(listening, db, tenant_a, tenant_b, shop):
    before_a = listening.token(tenant_a.id, "pricing")
    before_b = listening.token(tenant_b.id, "pricing")
    catalog_before = listening.token(tenant_a.id, "catalog")
    await set_kappa_price(db, shop, D("120"))
    await until(lambda: listening.token(tenant_a.id, "pricing") != before_a)
    assert listening.token(tenant_b.id, "pricing") == before_b  # another tenant's caches are left alone
    assert listening.token(tenant_a.id, "catalog") == catalog_before  # a price is not a catalogue change


async def test_a_rolled_back_write_sends_no_notice(listening, db, tenant_a, shop):
    before, notices = listening.token(tenant_a.id, "pricing"), listening.notices
    with pytest.raises(RuntimeError):
        await set_kappa_price(db, shop, D("120"), then_fail=True)
    await asyncio.sleep(0.2)
    assert listening.token(tenant_a.id, "pricing") == before and listening.notices == notices


async def test_card_prices_are_reused_until_a_price_changes(listening, client_a, db, shop, pricing_rounds):
    first = await client_a.get("/c/sillas")
    assert "€100.00" in kappa_card(first.text)
    assert len(pricing_rounds) == 1
    again = await client_a.get("/c/sillas")
    assert again.text.count("€") == first.text.count("€") and len(pricing_rounds) == 1  # served from memory
    before = listening.token(shop.tenant.id, "pricing")
    await set_kappa_price(db, shop, D("120"))
    await until(lambda: listening.token(shop.tenant.id, "pricing") != before)
    changed = await client_a.get("/c/sillas")
    assert "€120.00" in kappa_card(changed.text) and "€100.00" not in kappa_card(changed.text)
    assert len(pricing_rounds) == 2


async def test_a_write_to_variants_products_or_categories_moves_the_pricing_token(listening, db, shop):
    """Pricing remembers each variant's product, category path and cost under the pricing token
    (app.pricing.repo.ITEMS): a committed write to any of them must move that token, not only the catalogue's."""
    tenant, kappa, chairs = shop.tenant.id, shop.demo.products["kappa"], shop.demo.categories["sillas"]
    writes = (
        ("UPDATE product_variants SET cost = 12 WHERE product_id = :id", {"id": kappa}),
        ("UPDATE products SET category_id = :category WHERE id = :id", {"id": kappa, "category": chairs}),
        ("UPDATE categories SET position = position + 1 WHERE id = :category", {"category": chairs}),
    )
    for sql, values in writes:
        before = listening.token(tenant, "pricing")
        async with db.transaction(tenant) as s:
            await s.execute(text(sql), values)
        await until(lambda before=before: listening.token(tenant, "pricing") != before)


async def test_customers_priced_alike_do_not_share_a_customers_own_prices(listening, client_a, shop, pricing_rounds):
    anonymous = await client_a.get("/c/sillas-oficina")
    assert "€100.00" in kappa_card(anonymous.text)
    await signed_in(client_a)  # the contract customer: Kappa at 80
    mine = await client_a.get("/c/sillas-oficina")
    assert "€80.00" in kappa_card(mine.text)
    assert len(pricing_rounds) == 2  # their own context, their own round


async def test_without_the_feed_nothing_is_cached(client_a, shop, pricing_rounds):
    await client_a.get("/c/sillas")
    await client_a.get("/c/sillas")
    assert len(pricing_rounds) == 2


async def test_price_sorted_listings_follow_a_price_change_with_or_without_the_feed(app, client_a, db, shop):
    """Price sorts and facets rank by the engine's prices (the price index): kept under the pricing token while the
    feed listens, and priced afresh while it does not, so a new price reorders the listing at once either way."""
    feed: ChangeFeed = app.state.changes
    for listening, price in ((False, D("1")), (True, D("2000"))):
        if listening:
            await feed.start()
        try:
            first = product_names((await client_a.get("/c/sillas?sort=price_asc")).text)
            before = feed.token(shop.tenant.id, "pricing")
            await set_kappa_price(db, shop, price)
            if listening:
                await until(lambda before=before: feed.token(shop.tenant.id, "pricing") != before)
            names = product_names((await client_a.get("/c/sillas?sort=price_asc")).text)
            kappa = next(n for n in names if n.startswith("Kappa"))
            assert names.index(kappa) == (0 if price < 10 else len(names) - 1), (listening, first, names)
        finally:
            await feed.stop()


async def test_without_the_feed_facet_counts_follow_a_change_at_once(client_a, db, shop):
    """Facet counts are kept under the catalogue token; with no feed listening nothing is kept, so a product
    taken off sale leaves its brand's count at once (not when the counts' lifetime ends)."""

    def brand_counts(html: str) -> list[str]:
        return re.findall(r'name="brand" value="[^"]+"> ([^<]+) <span class="count">(\d+)</span>', html)

    before = brand_counts((await client_a.get("/c/sillas")).text)
    assert sum(int(n) for _b, n in before) == 3
    kappa = shop.demo.products["kappa"]
    async with db.transaction(shop.tenant.id) as s:
        await catalog.change_product_status(s, shop.tenant.id, kappa, "discontinued", SYSTEM)
    after = brand_counts((await client_a.get("/c/sillas")).text)
    assert sum(int(n) for _b, n in after) == 2, (before, after)


async def test_a_lost_connection_stops_caching_until_listening_again(listening, owner, tenant_a):
    token = listening.token(tenant_a.id, "pricing")
    pid = listening._conn.get_server_pid()
    await owner.execute("SELECT pg_terminate_backend($1)", pid)
    await until(lambda: listening.token(tenant_a.id, "pricing") is None)
    await until(lambda: listening.token(tenant_a.id, "pricing") is not None, seconds=10)
    assert listening.token(tenant_a.id, "pricing") != token  # a new epoch: what was cached before is retired


async def test_a_feed_that_cannot_connect_caches_nothing_and_keeps_trying(database_url):
    feed = ChangeFeed("postgresql://nobody@127.0.0.1:1/none")
    await feed.start()
    try:
        assert feed.token("t", "pricing") is None and feed._task is not None and not feed._task.done()
    finally:
        await feed.stop()


def test_token_cache_is_bounded_and_expires():
    cache = Cache("test.bounded", size=2, ttl=60)
    token = (1, 0)
    cache.put(token, "a", 1)
    cache.put(token, "b", 2)
    cache.put(token, "c", 3)
    assert (
        cache.get(token, "a") is None and cache.get(token, "b") == 2 and cache.get(token, "c") == 3 and len(cache) == 2
    )
    expired = Cache("test.expired", size=2, ttl=-1)
    expired.put(token, "a", 1)
    assert expired.get(token, "a", "gone") == "gone"


# --- whole listing blocks --------------------------------------------------------------------------------------


@pytest.fixture
def catalogue_queries(monkeypatch):
    """How many catalogue queries (browse) the listing pages and the home ran."""
    calls: list[str] = []
    real = storefront_listing.browse

    async def counted(session, query, *args, **kwargs):
        calls.append(query.text)
        return await real(session, query, *args, **kwargs)

    monkeypatch.setattr(storefront_listing, "browse", counted)
    monkeypatch.setattr(storefront_home, "browse", counted)
    return calls


async def test_a_listing_seen_again_runs_no_catalogue_query_until_the_catalogue_changes(
    listening, client_a, db, shop, catalogue_queries
):
    first = await client_a.get("/c/sillas")
    again = await client_a.get("/c/sillas")
    assert again.status_code == 200 and product_names(again.text) == product_names(first.text)
    assert len(catalogue_queries) == 1
    fragment = await client_a.get("/c/sillas", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and product_names(fragment.text) == product_names(first.text)
    assert fragment.headers["vary"] == "HX-Request" and len(catalogue_queries) == 1
    other = await client_a.get("/c/sillas?sort=newest")  # another URL, another block
    assert len(catalogue_queries) == 2 and other.status_code == 200

    before = listening.token(shop.tenant.id, "catalog")
    kappa = shop.demo.products["kappa"]
    async with db.transaction(shop.tenant.id) as s:
        product, _variants = await catalog.get_product(s, kappa)
        data = ProductInput(
            {"en": "Kappa Pro ergonomic chair", "es": "Silla ergonómica Kappa Pro"}, category_id=product.category_id
        )
        await catalog.update_product(s, shop.tenant.id, kappa, data, SYSTEM)
    await until(lambda: listening.token(shop.tenant.id, "catalog") != before)
    renamed = await client_a.get("/c/sillas")
    assert "Kappa Pro ergonomic chair" in product_names(renamed.text) and len(catalogue_queries) == 3


async def test_the_page_around_a_kept_listing_is_the_visitors_own(listening, client_a, shop, catalogue_queries):
    anonymous = await client_a.get("/c/sillas-oficina")
    assert "Sign in" in anonymous.text and "€100.00" in kappa_card(anonymous.text)
    await signed_in(client_a)
    mine = await client_a.get("/c/sillas-oficina")
    assert "Sign out" in mine.text and "€80.00" in kappa_card(mine.text)  # their block, their prices
    assert len(catalogue_queries) == 2
    spanish = await client_a.get("/c/sillas-oficina", headers={"accept-language": "es"})
    assert "Silla ergonómica Kappa" in spanish.text and len(catalogue_queries) == 3  # each language its own
    mine_again = await client_a.get("/c/sillas-oficina")
    assert "Sign out" in mine_again.text and "<title>Office chairs" in mine_again.text
    assert len(catalogue_queries) == 3


async def test_an_unknown_category_is_still_404_with_the_cache_on(listening, client_a, shop):
    assert (await client_a.get("/c/no-such-thing")).status_code == 404
    assert (await client_a.get("/c/no-such-thing")).status_code == 404


async def test_the_home_keeps_its_catalogue_part_but_not_the_welcome(listening, client_a, shop, catalogue_queries):
    anonymous = await client_a.get("/")
    assert "Sign in to order" in anonymous.text and "New in the catalogue" in anonymous.text
    await signed_in(client_a)
    mine = await client_a.get("/")
    again = await client_a.get("/")
    assert "Sign in to order" not in again.text and "Sign out" in again.text
    assert product_names(again.text) == product_names(mine.text) == product_names(anonymous.text)
    assert len(catalogue_queries) == 2  # once per pricing context; the second visit is served from memory


async def test_a_silent_connection_is_given_up_on_and_replaced(app, tenant_a, monkeypatch):
    feed = ChangeFeed(app.state.changes.dsn)
    feed.heartbeat_seconds = 0.05
    monkeypatch.setattr("app.changes.HEARTBEAT_TIMEOUT", 0.05)
    await feed.start()
    try:
        silent = feed._conn

        async def never_answers(*_args, **_kwargs):
            await asyncio.sleep(3600)

        monkeypatch.setattr(feed, "_ping", never_answers)
        await until(lambda: silent.is_closed() and feed.token(tenant_a.id, "pricing") is None, seconds=5)
        monkeypatch.setattr(feed, "_ping", ChangeFeed._ping)  # the next connection answers
        await until(lambda: feed.token(tenant_a.id, "pricing") is not None, seconds=10)
        assert feed._conn is not silent
    finally:
        await feed.stop()


# --- signed-in sessions --------------------------------------------------------------------------------------


async def test_a_remembered_session_ends_everywhere_at_sign_out(listening, client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")
    await sign_in(client_a, "olga@acme.test", staff=True)
    stolen = client_a.cookies["bodega_session"]
    assert (await client_a.get("/admin")).status_code == 200
    # An UPDATE of a session sends no notice (only ends do): the page is served from memory, without a look-up
    # that would now find the session expired. The app itself ends sessions by deleting them.
    await owner.execute("UPDATE user_sessions SET expires_at = now() - interval '1 second'")
    assert (await client_a.get("/admin")).status_code == 200
    await owner.execute("UPDATE user_sessions SET expires_at = now() + interval '1 day'")
    before = listening.token(tenant_a.id, "sessions")
    assert (await post_form(client_a, "/admin/sign-out")).status_code == 303
    await until(lambda: listening.token(tenant_a.id, "sessions") != before)
    client_a.cookies.set("bodega_session", stolen)  # a copy of the cookie, kept from before
    replayed = await client_a.get("/admin")
    assert replayed.status_code == 303 and replayed.headers["location"].startswith("/admin/sign-in")


async def test_a_deactivated_user_is_signed_out_at_once_despite_the_memory(listening, client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")
    await sign_in(client_a, "olga@acme.test", staff=True)
    assert (await client_a.get("/admin")).status_code == 200
    before = listening.token(tenant_a.id, "sessions")
    async with db.transaction(tenant_a.id) as s:  # as the app does it: the users table notifies
        await s.execute(text("UPDATE users SET is_active = false WHERE email = 'olga@acme.test'"))
    await until(lambda: listening.token(tenant_a.id, "sessions") != before)
    assert (await client_a.get("/admin")).status_code == 303

"""The storefront catalogue on a phone (360×740, Spanish): a misspelt search, a brand facet, a product, another
variant, a quantity that reaches the next price tier. Screenshots go to test-artifacts/e2e/.

The walk is planned from whatever the live server's demo holds, read through the services: a product of the
Cowork buyer's assortment with a variant whose price has tiers for them. A demo without a catalogue gets the
small furniture catalogue of app.catalog.demo, with tiers on its base prices.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest
from playwright.async_api import expect
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.actor import SYSTEM
from app.catalog import services as catalog
from app.catalog.demo import seed_demo_catalog
from app.catalog.documents import ProductSearch
from app.catalog.models import Attribute, AttributeValue, ProductVariant, VariantAttributeValue
from app.db import Database
from app.i18n import format_money
from app.identity.models import User
from app.parties import Customer
from app.pricing import services as pricing
from app.pricing.domain import QuantityRule, check_quantity
from app.pricing.models import PriceList
from app.pricing.services import RuleInput
from app.settings import Settings
from storefront.catalog_offer import plain
from tenants.services import tenant_by_slug
from tests.e2e.conftest import assert_no_horizontal_scroll, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "demo-Bodega-2026"
BUYER = "compras@cowork-valencia.test"


def shop(port: str, path: str = "/") -> str:
    return f"http://demo.localhost:{port}{path}"


@dataclass(frozen=True)
class Walk:
    email: str | None  # who signs in (None: an anonymous visitor)
    search: str  # the product's name with one word misspelt
    brand: str
    slug: str
    picks: tuple[tuple[str, str], ...]  # (attribute code, value code) to tap to reach the variant
    variant_id: uuid.UUID
    sku: str
    first: str  # the price shown for the variant at its first quantity
    qty: str  # a quantity of the next tier
    tier_price: str  # the price shown at that quantity


def misspelt(name: str) -> str:
    """The name with its longest word missing a middle letter ("ergonómica" -> "ergonóica")."""
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    words[longest] = word[: len(word) // 2] + word[len(word) // 2 + 1 :]
    return " ".join(words)


async def _values(s, variant_id: uuid.UUID) -> dict[str, str]:
    rows = await s.execute(
        select(Attribute.code, AttributeValue.code)
        .select_from(VariantAttributeValue)
        .join(Attribute, Attribute.id == VariantAttributeValue.attribute_id)
        .join(AttributeValue, AttributeValue.id == VariantAttributeValue.value_id)
        .where(VariantAttributeValue.variant_id == variant_id)
    )
    return dict(rows.all())


async def _candidates(s, tenant, customer_id):
    """(doc, variant, quote) for non-default variants of visible branded products whose price has tiers."""
    catalogs = await catalog.viewer_catalogs(s, customer_id)
    ctx = await pricing.pricing_context_for(s, tenant, customer_id)
    docs = list(
        await s.scalars(
            select(ProductSearch)
            .where(ProductSearch.status == "active", ProductSearch.variant_count >= 2)
            .where(ProductSearch.brand_name.is_not(None))
            .order_by(ProductSearch.slug)
        )
    )
    docs = [d for d in docs if catalogs is None or set(d.catalog_ids) & catalogs]
    variants = list(
        await s.scalars(
            select(ProductVariant).where(
                ProductVariant.product_id.in_([d.product_id for d in docs]), ProductVariant.status == "active"
            )
        )
    )
    sheet = await pricing.price_variants(s, ctx, [v.id for v in variants])
    by_product = {d.product_id: d for d in docs}
    found = []
    for v in variants:
        doc, quote = by_product[v.product_id], sheet.quotes.get(v.id)
        if v.id != doc.default_variant_id and quote is not None and len(quote.tiers) >= 2:
            found.append((doc, v, ctx))
    return docs, found


async def _add_tiers(s, tenant, doc) -> None:
    base = await s.scalar(select(PriceList.id).where(PriceList.code == "BASE", PriceList.currency == tenant.currency))
    for value, qty in (("120", 1), ("108", 10), ("99", 50)):
        rule = RuleInput(Decimal(value), product_id=doc.product_id, min_qty=Decimal(qty))
        await pricing.add_rule(s, tenant.id, base, rule, SYSTEM)


async def _priced(s, ctx, variant: ProductVariant, qty: Decimal) -> str:
    quote = (await pricing.price_variants(s, ctx, [variant.id], {variant.id: qty}))[variant.id]
    return format_money(quote.unit_price, quote.currency, "es")


async def plan_walk(server_url: str) -> Walk:
    """Choose the walk on the live server's database (as tests/e2e/conftest.py names it)."""
    url = make_url(server_url).set(database=f"bodega_e2e_{os.getpid()}").render_as_string(hide_password=False)
    db = Database(Settings().with_database(url), null_pool=True)
    try:
        async with db.session(None) as s:
            tenant = await tenant_by_slug(s, "demo")
        async with db.transaction(tenant.id) as s:
            if not await s.scalar(select(func.count()).select_from(ProductSearch)):
                await seed_demo_catalog(s, tenant.id, SYSTEM)
            customer_id = await s.scalar(
                select(Customer.id).join(User, User.customer_id == Customer.id).where(User.email == BUYER)
            )
            docs, found = await _candidates(s, tenant, customer_id)
            if not found and docs:
                await _add_tiers(s, tenant, docs[0])
                docs, found = await _candidates(s, tenant, customer_id)
            for doc, variant, ctx in found:
                rule = QuantityRule(variant.id, variant.min_qty, variant.order_multiple, variant.max_qty)
                first_qty = check_quantity(variant.min_qty, rule).suggested or variant.min_qty
                quote = (await pricing.price_variants(s, ctx, [variant.id], {variant.id: first_qty}))[variant.id]
                tier = next((t for t in quote.tiers if t.min_qty > first_qty), None)
                tier_qty = check_quantity(tier.min_qty, rule).suggested if tier else None
                if tier_qty is None:
                    continue
                first, at_tier = await _priced(s, ctx, variant, first_qty), await _priced(s, ctx, variant, tier_qty)
                if first == at_tier:
                    continue
                default, wanted = await _values(s, doc.default_variant_id), await _values(s, variant.id)
                picks = tuple((a, v) for a, v in sorted(wanted.items()) if default.get(a) != v)
                name = doc.name.get("es") or doc.name.get("en")
                email = BUYER if customer_id else None
                return Walk(email, misspelt(name), doc.brand_name, doc.slug, picks, variant.id, variant.sku,
                            first, plain(tier_qty), at_tier)  # fmt: skip
            if await catalog.hide_prices_until_sign_in(s, tenant.id) and customer_id is None:
                pytest.skip("the demo hides prices and has no Cowork buyer to sign in")
        pytest.skip("no product of the demo has a variant with price tiers for the walk")
    finally:
        await db.dispose()


async def sign_in(page, port: str, email: str) -> None:
    await page.goto(shop(port, "/sign-in"))
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form.stack button[type=submit]")
    await page.wait_for_load_state("networkidle")


async def test_search_filter_and_price_a_variant_on_a_phone(live_server, server_url, phone):
    walk = await plan_walk(server_url)
    page = phone
    if walk.email:
        await sign_in(page, live_server, walk.email)

    await page.goto(shop(live_server))
    await page.fill("#store-q", walk.search)
    await page.press("#store-q", "Enter")
    await page.wait_for_url("**/search?q=*")
    card = page.locator(f".product-card a[href='/p/{walk.slug}']")
    await expect(card).to_have_count(1)
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "catalog-search-misspelt")

    await page.click("button.filter-toggle")
    await page.locator("#filter-panel fieldset label", has_text=walk.brand).first.click()
    await page.wait_for_url("**brand=*")
    await expect(page.locator("#filter-panel input[name=brand]:checked")).to_have_count(1)
    await expect(page.locator("#filter-panel.is-open")).to_have_count(1)  # open for the next choice
    await expect(card).to_have_count(1)
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "catalog-search-filtered")
    await page.click("[data-filters-close]")
    await page.go_back()  # Back undoes the filter, Forward brings it back
    await page.wait_for_url(lambda url: "brand=" not in url)
    await page.go_forward()
    await page.wait_for_url("**brand=*")

    await page.locator(f".product-card a[href='/p/{walk.slug}']").click()
    await page.wait_for_url(f"**/p/{walk.slug}")
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "catalog-product")

    if await page.locator("select#variant-sku").count():
        await page.select_option("select#variant-sku", str(walk.variant_id))
    for attribute, value in walk.picks:
        await page.click(f"label[for=opt-{attribute}-{value}]")
        await expect(page.locator(f"#opt-{attribute}-{value}")).to_be_checked()
    await expect(page.locator(".specs .sku")).to_have_text(walk.sku)
    price = page.locator(".offer-price .price-now")
    await expect(price).to_have_text(walk.first)

    await page.fill("#qty", walk.qty)
    await page.press("#qty", "Enter")
    await expect(price).to_have_text(walk.tier_price)
    await expect(page.locator("tr.is-current")).to_have_count(1)
    assert f"variant={walk.variant_id}" in page.url and f"qty={walk.qty}" in page.url  # a reload shows it again
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "catalog-product-tier")

    await page.goto(shop(live_server, "/search"))  # every product, sorted by the price this customer sees
    await page.select_option("#f-sort", "price_asc")
    await page.wait_for_url("**sort=price_asc*")
    shown = [euros(t) for t in await page.locator(".product-card .price-now").all_inner_texts()]
    assert len(shown) >= 2 and shown == sorted(shown)
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "catalog-search-by-price")


def euros(text: str) -> Decimal:
    """A price as the Spanish storefront shows it ("1.234,50 €")."""
    return Decimal(re.sub(r"[^\d,]", "", text).replace(",", "."))

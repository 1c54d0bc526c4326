"""The storefront catalogue through HTTP: category pages, search, facets, sort, pages, htmx fragments, prices.

The catalogue is the demo furniture one (app.catalog.demo) with prices, a promotion, a customer with a
contract and an assortment, all built through the catalog, pricing and identity services. The fixtures
here are shared with test_storefront_catalog_product.py.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.actor import SYSTEM
from app.catalog import services as catalog
from app.catalog.demo import DemoCatalog, seed_demo_catalog
from app.catalog.services import CategoryInput, ProductInput, VariantInput
from app.pricing import services as pricing
from app.pricing.models import PriceList
from app.pricing.services import PriceListInput, PromotionInput, RuleInput
from tests.web.test_auth_sign_in import add_customer, add_customer_user, sign_in

D = Decimal
HTMX = {"HX-Request": "true"}


@dataclass
class Shop:
    tenant: object
    demo: DemoCatalog
    variants: dict[str, uuid.UUID]  # SKU -> variant id
    customer: object
    chairs_only: uuid.UUID  # a catalogue holding the Sillas subtree


@pytest.fixture
def settings(settings, tmp_path):
    """Media files of these tests go to a temporary folder."""
    return replace(settings, data_dir=tmp_path)


async def variant_ids(s, product_ids) -> dict[str, uuid.UUID]:
    found = {}
    for product_id in product_ids:
        _product, variants = await catalog.get_product(s, product_id)
        found |= {v.sku: v.id for v in variants}
    return found


async def build_shop(db, tenant) -> Shop:
    """The demo catalogue with base prices and tiers, a promotion, and a customer with a contract price."""
    async with db.transaction(tenant.id) as s:
        demo = await seed_demo_catalog(s, tenant.id, SYSTEM)
        variants = await variant_ids(s, demo.products.values())
        base = await s.scalar(select(PriceList.id).where(PriceList.code == "BASE"))
        rules = [
            RuleInput(D("100"), product_id=demo.products["kappa"]),
            RuleInput(D("95"), product_id=demo.products["kappa"], min_qty=D(10)),
            RuleInput(D("90"), product_id=demo.products["kappa"], min_qty=D(50)),
            RuleInput(D("50"), method="cost_plus_pct"),  # every other product: cost + 50 %
        ]
        for rule in rules:
            await pricing.add_rule(s, tenant.id, base, rule, SYSTEM)
        promotion = PromotionInput("SIGMA10", "percent", D("10"), product_id=demo.products["sigma"])
        await pricing.create_promotion(s, tenant.id, promotion, SYSTEM)
        chairs_only = await catalog.create_catalog(s, tenant.id, "CHAIRS", "Chairs only", SYSTEM)
        await catalog.set_catalog_contents(
            s, tenant.id, chairs_only.id, SYSTEM, category_ids=[demo.categories["sillas"]]
        )
    customer = await add_customer(db, tenant, "C001", "Buyer Co")
    async with db.transaction(tenant.id) as s:
        data = PriceListInput("CT-BUYER", "Buyer contract", "EUR", "contract", customer_id=customer.id)
        contract = await pricing.create_price_list(s, tenant.id, data, SYSTEM)
        await pricing.add_rule(s, tenant.id, contract.id, RuleInput(D("80"), product_id=demo.products["kappa"]), SYSTEM)
    await add_customer_user(db, tenant, customer, "cam@buyer.test", "buyer")
    return Shop(tenant, demo, variants, customer, chairs_only.id)


@pytest.fixture
async def shop(db, tenant_a) -> Shop:
    return await build_shop(db, tenant_a)


async def signed_in(client) -> None:
    assert (await sign_in(client, "cam@buyer.test", staff=False)).status_code == 303


def product_names(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", n).strip() for n in re.findall(r'class="product-card-name">([^<]+)<', html)]


# --- category pages ----------------------------------------------------------------------------------------


async def test_category_page_lists_its_subtree_with_breadcrumb_subcategories_and_prices(client_a, shop):
    page = await client_a.get("/c/sillas")
    assert page.status_code == 200
    assert product_names(page.text) == ["Alba visitor chair", "Kappa ergonomic chair", "Sigma swivel chair"]
    assert "<h1>Chairs</h1>" in page.text and "3 products" in page.text
    assert 'href="/c/sillas-oficina"' in page.text and 'href="/c/sillas-confidente"' in page.text
    assert "€100.00" in page.text  # Kappa's base price for an anonymous visitor
    assert "From €90.00 at 50+" in page.text  # its best tier
    spanish = await client_a.get("/c/sillas", headers={"accept-language": "es"})
    assert "Silla ergonómica Kappa" in spanish.text and "100,00" in spanish.text


async def test_unknown_category_is_404(client_a, shop):
    assert (await client_a.get("/c/no-such-thing")).status_code == 404


async def test_facet_filters_narrow_and_keep_the_url(client_a, shop):
    black = shop.demo.values["color:negro"]
    page = await client_a.get(f"/c/sillas?value={black}")
    assert product_names(page.text) == ["Kappa ergonomic chair", "Sigma swivel chair"]
    assert f'id="f-value-{black}" name="value" value="{black}" checked' in page.text
    actiu = shop.demo.brands["Actiu"]
    narrower = await client_a.get(f"/c/sillas?value={black}&brand={actiu}")
    assert product_names(narrower.text) == ["Sigma swivel chair"]
    assert "Clear filters" in narrower.text
    junk = await client_a.get("/c/sillas?brand=not-an-id&value=&page=x&sort=bogus")
    assert junk.status_code == 200 and len(product_names(junk.text)) == 3


async def test_sort_by_name_and_newest(client_a, shop):
    by_name = await client_a.get("/c/sillas?sort=name")
    assert product_names(by_name.text) == ["Alba visitor chair", "Kappa ergonomic chair", "Sigma swivel chair"]
    newest = await client_a.get("/c/sillas?sort=newest")
    assert product_names(newest.text) == ["Alba visitor chair", "Sigma swivel chair", "Kappa ergonomic chair"]
    assert '<option value="newest" selected>' in newest.text


async def test_pages_of_24_with_links_that_keep_the_filters(client_a, db, shop):
    async with db.transaction(shop.tenant.id) as s:
        folder = await catalog.create_category(s, shop.tenant.id, CategoryInput({"en": "Folders"}), SYSTEM)
        for n in range(30):
            data = ProductInput({"en": f"Folder {n:02d}"}, category_id=folder.id)
            product = await catalog.create_product(s, shop.tenant.id, data, SYSTEM, [VariantInput(f"FOLDER-{n:02d}")])
            await catalog.change_product_status(s, shop.tenant.id, product.id, "active", SYSTEM)
    first = await client_a.get(f"/c/{folder.slug}?sort=newest")
    assert len(product_names(first.text)) == 24 and "Page 1 of 2" in first.text
    assert f'href="/c/{folder.slug}?sort=newest&amp;page=2"' in first.text
    second = await client_a.get(f"/c/{folder.slug}?sort=newest&page=2")
    assert product_names(second.text) == [f"Folder {n:02d}" for n in range(5, -1, -1)]
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text
    beyond = await client_a.get(f"/c/{folder.slug}?page=9")
    assert beyond.status_code == 200 and "There are no products on this page." in beyond.text


async def test_htmx_gets_only_the_listing_block_and_pushes_the_url(client_a, shop):
    black = shop.demo.values["color:negro"]
    fragment = await client_a.get(f"/c/sillas?value={black}", headers={**HTMX, "HX-Trigger": "filters"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="listing"') and "<html" not in fragment.text
    assert product_names(fragment.text) == ["Kappa ergonomic chair", "Sigma swivel chair"]
    assert 'hx-push-url="true"' in fragment.text and 'hx-get="/c/sillas"' in fragment.text
    assert 'class="filter-panel is-open"' in fragment.text  # the panel the customer is using stays open
    assert "HX-Request" in fragment.headers["vary"]
    restore = await client_a.get(f"/c/sillas?value={black}", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text  # Back after the cache expired: the whole page


# --- search ------------------------------------------------------------------------------------------------


async def test_search_ignores_accents_and_case(client_a, shop):
    for q in ("lampara", "LÁMPARA", "Lampara escritorio"):
        page = await client_a.get("/search", params={"q": q})
        assert product_names(page.text)[0] == "Lumen desk lamp", q
    assert 'value="Lampara escritorio"' in page.text  # the search box keeps the words


async def test_misspelt_search_finds_the_product_and_suggests_the_spelling(client_a, shop):
    page = await client_a.get("/search", params={"q": "sila ergonomca"})
    assert product_names(page.text)[0] == "Kappa ergonomic chair"
    assert "Did you mean" in page.text and 'href="/search?q=silla%20ergonomica"' in page.text


async def test_search_narrowed_by_category_and_brand(client_a, shop):
    page = await client_a.get("/search", params={"q": "silla", "category": "sillas-oficina"})
    assert product_names(page.text) == ["Kappa ergonomic chair", "Sigma swivel chair"]
    assert 'name="category" value="sillas-oficina"' in page.text and "search everywhere" in page.text
    brand = await client_a.get("/search", params={"q": "silla", "brand": str(shop.demo.brands["Ofiprix"])})
    assert product_names(brand.text) == ["Kappa ergonomic chair"]


async def test_nothing_found_says_so_and_offers_categories(client_a, shop):
    page = await client_a.get("/search", params={"q": "zzqxw"})
    assert page.status_code == 200 and product_names(page.text) == []
    assert "Nothing matches “zzqxw”" in page.text and 'href="/c/sillas"' in page.text


async def test_empty_search_lists_everything(client_a, shop):
    page = await client_a.get("/search")
    assert "All products" in page.text and "8 products" in page.text


# --- prices, assortments, hidden prices --------------------------------------------------------------------


async def test_customer_sees_their_own_price_with_the_list_price_struck_through(client_a, shop):
    await signed_in(client_a)
    page = await client_a.get("/c/sillas-oficina")
    kappa = page.text[page.text.index("Kappa ergonomic chair") :]
    kappa = kappa[: kappa.index("</article>")]
    assert "€80.00" in kappa and "<s" in kappa and "€100.00" in kappa
    sigma = page.text[page.text.index("Sigma swivel chair") :]
    sigma = sigma[: sigma.index("</article>")]
    assert "-10 %" in sigma and "€79.65" in sigma and "€88.50" in sigma  # cost 59 + 50 %, less 10 %


async def test_hidden_prices_ask_anonymous_visitors_to_sign_in(client_a, db, shop):
    async with db.transaction(shop.tenant.id) as s:
        await catalog.set_hide_prices_until_sign_in(s, shop.tenant.id, True, SYSTEM)
    page = await client_a.get("/c/sillas")
    assert "Sign in to see your prices" in page.text and "€" not in page.text
    assert 'href="/sign-in?next=%2Fc%2Fsillas"' in page.text
    await signed_in(client_a)
    page = await client_a.get("/c/sillas")
    assert "Sign in to see your prices" not in page.text and "€80.00" in page.text


async def test_assortment_limits_listings_search_and_product_pages(client_a, db, shop):
    async with db.transaction(shop.tenant.id) as s:
        await catalog.assign_catalog(s, shop.tenant.id, shop.chairs_only, SYSTEM, customer_id=shop.customer.id)
    lamp = await client_a.get("/p/lampara-de-escritorio-lumen")
    assert lamp.status_code == 200  # anonymous visitors see everything
    await signed_in(client_a)
    everything = await client_a.get("/search")
    assert product_names(everything.text) == ["Alba visitor chair", "Kappa ergonomic chair", "Sigma swivel chair"]
    assert product_names((await client_a.get("/search", params={"q": "lampara"})).text) == []
    assert (await client_a.get("/p/lampara-de-escritorio-lumen")).status_code == 404
    assert (await client_a.get("/p/lampara-de-escritorio-lumen/offer", headers=HTMX)).status_code == 404


async def test_home_has_search_categories_and_the_newest_products(client_a, shop):
    page = await client_a.get("/")
    assert page.status_code == 200
    assert 'action="/search"' in page.text and 'href="/c/sillas"' in page.text
    assert product_names(page.text)[0] == "Lumen desk lamp"  # the newest
    assert "€33.00" in page.text  # cost 22 + 50 %


# --- tenants -----------------------------------------------------------------------------------------------


async def test_another_tenants_catalogue_is_not_reachable(client_a, client_b, db, tenant_b, shop):
    async with db.transaction(tenant_b.id) as s:
        data = ProductInput({"en": "Globex widget"}, slug="globex-widget")
        product = await catalog.create_product(s, tenant_b.id, data, SYSTEM, [VariantInput("GLX-1")])
        await catalog.change_product_status(s, tenant_b.id, product.id, "active", SYSTEM)
    assert (await client_b.get("/c/sillas")).status_code == 404
    assert (await client_b.get("/p/silla-ergonomica-kappa")).status_code == 404
    assert (await client_b.get("/p/silla-ergonomica-kappa/offer", headers=HTMX)).status_code == 404
    assert product_names((await client_b.get("/search", params={"q": "silla"})).text) == []
    assert product_names((await client_b.get("/search")).text) == ["Globex widget"]
    assert (await client_a.get("/p/globex-widget")).status_code == 404

"""Category and search pages by price through HTTP: sorts, the price facet and range, bad input, hidden prices.

The shop is tests.web.test_storefront_catalog's (demo catalogue with base prices, a promotion and a customer
with a contract). Chairs for a visitor who is not signed in: Alba €52.50, Sigma €79.65 (less 10 %), Kappa
€100.00; the customer's contract makes Kappa €80.00, and here their group gets Alba at €90.00.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from app import parties
from app.actor import SYSTEM
from app.catalog import services as catalog
from app.catalog.services import CategoryInput, ProductInput, VariantInput
from app.pricing import services as pricing
from app.pricing.services import PriceListInput, RuleInput
from tests.web.test_storefront_catalog import HTMX, Shop, build_shop, product_names, signed_in

D = Decimal
CHAIRS_ASC = ["Alba visitor chair", "Sigma swivel chair", "Kappa ergonomic chair"]


@pytest.fixture
async def shop(db, tenant_a) -> Shop:
    return await build_shop(db, tenant_a)


def price_links(html: str) -> list[tuple[str, str, str]]:
    """The price facet's ranges: (href, label, count)."""
    facet = html[html.index("facet-price") :]
    facet = facet[: facet.index("</fieldset>")]
    found = re.findall(r'<a href="([^"]+)"[^>]*>(?:<strong>)?([^<]+)(?:</strong>)? <span class="count">(\d+)<', facet)
    return [(href.replace("&amp;", "&"), label, count) for href, label, count in found]


async def test_category_page_sorts_by_price_both_ways(client_a, shop):
    ascending = await client_a.get("/c/sillas?sort=price_asc")
    assert ascending.status_code == 200 and product_names(ascending.text) == CHAIRS_ASC
    assert '<option value="price_asc" selected>Price: low to high</option>' in ascending.text
    descending = await client_a.get("/c/sillas", params={"sort": "price_desc"})
    assert product_names(descending.text) == CHAIRS_ASC[::-1]
    assert descending.text.index("€100.00") < descending.text.index("€79.65") < descending.text.index("€52.50")


async def test_price_facet_offers_ranges_that_filter_inclusively(client_a, shop):
    page = await client_a.get("/c/sillas")
    links = price_links(page.text)
    assert [(label, count) for _href, label, count in links] == [("Under €100.00", "2"), ("€100.00 and above", "1")]
    assert links[0][0] == "/c/sillas?price_max=99.99"
    under = await client_a.get(links[0][0])
    assert product_names(under.text) == ["Alba visitor chair", "Sigma swivel chair"]
    assert 'aria-current="true"><strong>Under €100.00</strong>' in under.text  # chosen: its link widens back
    assert price_links(under.text)[0][0] == "/c/sillas" and "Clear filters" in under.text
    inclusive = await client_a.get("/c/sillas?price_min=52.50&price_max=100")
    assert product_names(inclusive.text) == CHAIRS_ASC[:1] + CHAIRS_ASC[2:] + CHAIRS_ASC[1:2]  # by name
    assert 'name="price_min" min="0" step="any" inputmode="decimal" value="52.5"' in inclusive.text
    assert 'name="price_max" min="0" step="any" inputmode="decimal" value="100"' in inclusive.text
    narrow = await client_a.get("/c/sillas?price_min=52.51&price_max=99.99&sort=price_desc")
    assert product_names(narrow.text) == ["Sigma swivel chair"] and "1 product" in narrow.text


async def test_search_page_sorts_and_filters_by_price(client_a, shop):
    page = await client_a.get("/search", params={"q": "silla", "sort": "price_desc", "price_max": "90"})
    assert page.status_code == 200 and product_names(page.text) == ["Sigma swivel chair", "Alba visitor chair"]
    assert '<option value="price_desc" selected>' in page.text and 'name="q" value="silla"' in page.text
    everything = await client_a.get("/search", params={"sort": "price_asc"})
    names = product_names(everything.text)
    assert names[0] == "Lumen desk lamp" and names[-1] == "Roble meeting table" and len(names) == 8


async def test_bad_price_parameters_are_ignored_with_a_message_never_an_error(client_a, shop):
    for query, message in [
        ("price_min=abc", "Enter prices as numbers of 0 or more."),
        ("price_min=-5", "Enter prices as numbers of 0 or more."),
        ("price_max=NaN", "Enter prices as numbers of 0 or more."),
        ("price_min=1e999", "Enter prices as numbers of 0 or more."),
        ("price_min=100&price_max=10", "above the “to” price: the price filter is not applied."),
        ("sort=price_sideways&price_min=", None),
    ]:
        page = await client_a.get(f"/c/sillas?{query}")
        assert (query, page.status_code) == (query, 200)
        assert product_names(page.text) == sorted(CHAIRS_ASC), query  # unfiltered, by name
        if message:
            assert message in page.text and 'aria-invalid="true"' in page.text, query
    half = await client_a.get("/c/sillas?price_min=60&price_max=abc")  # the price that parses still applies
    assert product_names(half.text) == ["Kappa ergonomic chair", "Sigma swivel chair"]
    assert "Enter prices as numbers of 0 or more." in half.text
    search = await client_a.get("/search", params={"q": "silla", "price_min": "9" * 50, "sort": "price_asc"})
    assert search.status_code == 200 and product_names(search.text) == CHAIRS_ASC


async def test_htmx_updates_and_pages_keep_the_price_range_and_sort(client_a, db, shop):
    async with db.transaction(shop.tenant.id) as s:
        folder = await catalog.create_category(s, shop.tenant.id, CategoryInput({"en": "Folders"}), SYSTEM)
        for n in range(30):  # cost n + 1: priced 1.50, 3.00, ... 45.00
            data = ProductInput({"en": f"Folder {n:02d}"}, category_id=folder.id)
            variant = VariantInput(f"FOLDER-{n:02d}", cost=D(n + 1))
            product = await catalog.create_product(s, shop.tenant.id, data, SYSTEM, [variant])
            await catalog.change_product_status(s, shop.tenant.id, product.id, "active", SYSTEM)
    url = f"/c/{folder.slug}?price_min=3&sort=price_desc"
    fragment = await client_a.get(url, headers={**HTMX, "HX-Trigger": "filters"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert product_names(fragment.text)[:2] == ["Folder 29", "Folder 28"] and "29 products" in fragment.text
    assert 'name="price_min" min="0" step="any" inputmode="decimal" value="3"' in fragment.text
    assert f'href="/c/{folder.slug}?price_min=3&amp;sort=price_desc&amp;page=2"' in fragment.text
    second = await client_a.get(f"/c/{folder.slug}?price_min=3&sort=price_desc&page=2")
    assert product_names(second.text) == [f"Folder {n:02d}" for n in range(5, 0, -1)]  # Folder 00 is below €3
    assert '<span class="badge">1</span>' in second.text  # the price range counts as a chosen filter


async def test_hidden_prices_offer_no_price_sort_or_facet_and_ignore_the_parameters(client_a, db, shop):
    async with db.transaction(shop.tenant.id) as s:
        await catalog.set_hide_prices_until_sign_in(s, shop.tenant.id, True, SYSTEM)
    page = await client_a.get("/c/sillas?sort=price_desc&price_min=60&price_max=90")
    assert page.status_code == 200 and product_names(page.text) == sorted(CHAIRS_ASC)
    assert "price_asc" not in page.text and 'name="price_min"' not in page.text and "€" not in page.text
    search = await client_a.get("/search", params={"q": "silla", "sort": "price_asc", "price_max": "x"})
    assert search.status_code == 200 and len(product_names(search.text)) == 3
    await signed_in(client_a)  # a customer sees prices again, and can sort by them
    mine = await client_a.get("/c/sillas?sort=price_desc")
    assert product_names(mine.text) == ["Kappa ergonomic chair", "Sigma swivel chair", "Alba visitor chair"]


async def test_a_signed_in_customer_sorts_by_their_own_prices(client_a, db, shop):
    async with db.transaction(shop.tenant.id) as s:
        group = await parties.create_customer_group(s, shop.tenant.id, "PRO", "Professionals", SYSTEM)
        await parties.set_customer_group(s, shop.tenant.id, shop.customer.id, group.id, SYSTEM)
        data = PriceListInput("GR-PRO", "Professionals", "EUR", "group", customer_group_id=group.id)
        listed = await pricing.create_price_list(s, shop.tenant.id, data, SYSTEM)
        rule = RuleInput(D("90"), product_id=shop.demo.products["alba"])
        await pricing.add_rule(s, shop.tenant.id, listed.id, rule, SYSTEM)
    anonymous = await client_a.get("/c/sillas?sort=price_asc")
    assert product_names(anonymous.text) == CHAIRS_ASC
    await signed_in(client_a)
    mine = await client_a.get("/c/sillas?sort=price_asc")
    assert product_names(mine.text) == ["Sigma swivel chair", "Kappa ergonomic chair", "Alba visitor chair"]
    cheap = await client_a.get("/c/sillas?price_max=85")  # their €80.00 contract price is in, Alba's €90.00 not
    assert product_names(cheap.text) == ["Kappa ergonomic chair", "Sigma swivel chair"]


async def test_another_tenants_categories_and_brands_are_not_reachable_by_price(client_a, client_b, db, tenant_b, shop):
    async with db.transaction(tenant_b.id) as s:
        data = ProductInput({"en": "Globex widget"}, slug="globex-widget")
        product = await catalog.create_product(s, tenant_b.id, data, SYSTEM, [VariantInput("GLX-1", cost=D(10))])
        await catalog.change_product_status(s, tenant_b.id, product.id, "active", SYSTEM)
    assert (await client_b.get("/c/sillas?sort=price_asc&price_max=100")).status_code == 404
    actiu = shop.demo.brands["Actiu"]
    by_brand = await client_b.get("/search", params={"sort": "price_asc", "brand": str(actiu), "price_min": "0"})
    assert by_brand.status_code == 200 and product_names(by_brand.text) == []
    own = await client_b.get("/search", params={"sort": "price_desc"})
    assert product_names(own.text) == ["Globex widget"] and "Alba" not in own.text
    mine = await client_a.get("/search", params={"sort": "price_desc", "q": "widget"})
    assert product_names(mine.text) == []

"""Availability in the storefront through HTTP: the line on cards and on the offer per the tenant's setting, the
warning when a buyer asks for more than is available, the in-stock facet, a stock move that changes what is shown
while the kept listing stays, and another tenant's stock never showing.

The shop is the web tests' demo furniture catalogue (tests.web.test_storefront_catalog.build_shop) with stock
received through the inventory services into the tenant's main warehouse: Kappa 12, Sigma 3 with 10 more on a
transfer due in ten days, Alba none here but 4 on that transfer, Lumen none at all.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

import storefront.catalog_listing as storefront_listing
from app import changes
from app.actor import SYSTEM
from app.catalog.documents import ProductSearch
from app.i18n import format_date
from app.inventory import queries, services, shown_availability
from app.inventory.values import InventorySettingsInput, Receipt, ReceiptLine, TransferInput, WarehouseInput
from tests.web.test_storefront_catalog import HTMX, Shop, build_shop, product_names

D = Decimal
DUE = date.today() + timedelta(days=10)


@dataclass
class Stocked:
    shop: Shop
    slugs: dict[str, str]  # product key -> slug
    defaults: dict[str, uuid.UUID]  # product key -> default variant id
    main: uuid.UUID  # the tenant's main warehouse


class Feed:
    """A listening change feed whose generations the test moves itself (app.changes.answering)."""

    def __init__(self) -> None:
        self.generations: dict[tuple[str, str], int] = {}

    def token(self, tenant_id, topic):
        return (1, self.generations.get((str(tenant_id), topic), 0))

    def move(self, tenant_id, topic: str) -> None:
        key = (str(tenant_id), topic)
        self.generations[key] = self.generations.get(key, 0) + 1


async def receive(db, tenant_id, warehouse_id, variant_id, qty) -> None:
    async with db.transaction(tenant_id) as s:
        place = (await queries.warehouse(s, warehouse_id)).receipt_location_id
        receipt = Receipt(warehouse_id, (ReceiptLine(variant_id, D(qty), D(10), place),))
        await services.receive(s, tenant_id, receipt, SYSTEM)


async def stock(db, tenant) -> Stocked:
    shop = await build_shop(db, tenant)
    async with db.transaction(tenant.id) as s:
        docs = {d.product_id: d for d in await s.scalars(select(ProductSearch))}
        main = next(w.id for w in await queries.warehouses(s) if w.is_default)
        mad = (await services.create_warehouse(s, tenant.id, WarehouseInput("MAD", "Madrid"), SYSTEM)).id
    keys = {product_id: key for key, product_id in shop.demo.products.items()}
    stocked = Stocked(
        shop,
        {keys[p]: d.slug for p, d in docs.items() if p in keys},
        {keys[p]: d.default_variant_id for p, d in docs.items() if p in keys},
        main,
    )
    kappa, sigma, alba = (stocked.defaults[k] for k in ("kappa", "sigma", "alba"))
    await receive(db, tenant.id, main, kappa, 12)
    await receive(db, tenant.id, main, sigma, 3)
    await receive(db, tenant.id, mad, sigma, 10)
    await receive(db, tenant.id, mad, alba, 4)
    async with db.transaction(tenant.id) as s:
        lines = ((sigma, D(10)), (alba, D(4)))
        transfer = await services.create_transfer(s, tenant.id, TransferInput(mad, main, lines, DUE), SYSTEM)
        await services.ship_transfer(s, tenant.id, transfer.id, SYSTEM)
    return stocked


async def set_mode(db, tenant_id, mode: str, low_stock_at: Decimal = D(5)) -> None:
    async with db.transaction(tenant_id) as s:
        rules = InventorySettingsInput(availability_mode=mode, low_stock_at=low_stock_at)
        await services.set_inventory_settings(s, tenant_id, rules, SYSTEM)


@pytest.fixture
async def shop(db, tenant_a) -> Stocked:
    return await stock(db, tenant_a)


def cards(html: str) -> dict[str, str]:
    """Each card's product name -> its availability line (empty when there is none)."""
    found = {}
    for card in re.findall(r'<article class="product-card">(.*?)</article>', html, re.S):
        name = re.search(r'class="product-card-name">([^<]+)<', card).group(1).strip()
        line = re.search(r'<p class="stock [\w-]+">([^<]*)</p>', card)
        found[name] = line.group(1) if line else ""
    return found


def offer_line(html: str) -> str:
    found = re.search(
        r'<div id="offer-stock" class="offer-stock" aria-live="polite"><p class="stock [\w-]+">([^<]*)<', html
    )
    return found.group(1) if found else ""


def offer_note(html: str) -> str:
    found = re.search(r'<p id="qty-stock" class="stock-note" role="status">([^<]*)</p>', html)
    return found.group(1) if found else ""


def due(locale: str = "en") -> str:
    return format_date(DUE, "d MMM" if DUE.year == date.today().year else "medium", locale)


# --- cards -----------------------------------------------------------------------------------------------------


async def test_cards_show_stock_levels_by_default(client_a, shop):
    chairs = cards((await client_a.get("/c/sillas")).text)
    assert chairs == {
        "Alba visitor chair": f"Available from {due()}",
        "Kappa ergonomic chair": "In stock",
        "Sigma swivel chair": "Low stock",  # 3, at or under the tenant's 5
    }
    everything = cards((await client_a.get("/search")).text)
    assert everything["Lumen desk lamp"] == "Out of stock" and everything["Kappa ergonomic chair"] == "In stock"
    spanish = cards((await client_a.get("/c/sillas", headers={"accept-language": "es"})).text)
    assert spanish["Silla ergonómica Kappa"] == "En stock"
    home = cards((await client_a.get("/")).text)
    assert home["Lumen desk lamp"] == "Out of stock"


async def test_cards_show_figures_in_exact_mode(client_a, db, shop):
    await set_mode(db, shop.shop.tenant.id, "exact")
    chairs = cards((await client_a.get("/c/sillas")).text)
    assert chairs == {
        "Alba visitor chair": f"Available from {due()}",
        "Kappa ergonomic chair": "12 available",
        "Sigma swivel chair": "3 available",
    }
    assert cards((await client_a.get("/search?q=lumen")).text) == {"Lumen desk lamp": "On request"}


async def test_hidden_availability_shows_nothing_and_offers_no_facet(client_a, db, shop):
    await set_mode(db, shop.shop.tenant.id, "hidden")
    page = await client_a.get("/c/sillas")
    assert set(cards(page.text).values()) == {""} and 'class="stock' not in page.text
    assert 'name="stock"' not in page.text
    narrowed = await client_a.get("/c/sillas?stock=1")  # ignored: it would tell what is in stock
    assert len(product_names(narrowed.text)) == 3
    product = await client_a.get(f"/p/{shop.slugs['sigma']}?qty=8")
    assert offer_line(product.text) == "" and offer_note(product.text) == ""


# --- the product page --------------------------------------------------------------------------------------------


async def test_asking_for_more_than_is_available_warns_with_the_date(client_a, db, shop):
    await set_mode(db, shop.shop.tenant.id, "exact")
    sigma = f"/p/{shop.slugs['sigma']}"
    one = await client_a.get(sigma)
    assert offer_line(one.text) == "3 available" and offer_note(one.text) == ""
    many = await client_a.get(f"{sigma}?qty=8")
    assert many.status_code == 200
    assert offer_line(many.text) == f"Only 3 available: the rest from {due()}"
    note = f"Not all 8 are in stock right now. You can still order them: we can deliver them all from {due()}."
    assert offer_note(many.text) == note
    assert 'aria-describedby=" qty-stock"' in many.text  # the field names its warning
    variant = shop.defaults["sigma"]
    fragment = await client_a.get(f"{sigma}/offer?variant={variant}&qty=8", headers=HTMX)
    assert "<html" not in fragment.text and offer_note(fragment.text) == note
    back = await client_a.get(f"{sigma}/offer?variant={variant}&qty=2", headers=HTMX)
    assert offer_line(back.text) == "3 available" and offer_note(back.text) == ""

    kappa = await client_a.get(f"/p/{shop.slugs['kappa']}?qty=20")  # nothing more is coming
    assert offer_line(kappa.text) == "Only 12 available: the rest on request"
    assert offer_note(kappa.text) == (
        "Not all 20 are in stock right now. You can still order them: we will confirm the delivery date."
    )


async def test_levels_say_in_stock_and_the_note_says_the_rest(client_a, shop):
    many = await client_a.get(f"/p/{shop.slugs['sigma']}?qty=8")
    assert offer_line(many.text) == "Low stock"
    assert offer_note(many.text).endswith(f"we can deliver them all from {due()}.")
    none = await client_a.get(f"/p/{shop.slugs['lumen']}")
    assert offer_line(none.text) == "Out of stock" and offer_note(none.text) == ""  # for one, the line says it
    two = await client_a.get(f"/p/{shop.slugs['lumen']}?qty=2")
    assert offer_note(two.text) == (
        "Not all 2 are in stock right now. You can still order them: we will confirm the delivery date."
    )
    later = await client_a.get(f"/p/{shop.slugs['alba']}?qty=4")
    assert offer_line(later.text) == f"Available from {due()}"
    too_many = await client_a.get(f"/p/{shop.slugs['alba']}?qty=5")  # more than is coming
    assert offer_line(too_many.text) == "Out of stock"


async def test_a_quantity_that_does_not_parse_is_still_no_error(client_a, shop):
    for qty in ("abc", "-3", "1e999", "0", "9" * 12, "%00"):
        response = await client_a.get(f"/p/{shop.slugs['sigma']}?qty={qty}")
        assert response.status_code in (200, 400), (qty, response.status_code)


# --- the in-stock facet ------------------------------------------------------------------------------------------


async def test_the_in_stock_facet_keeps_what_is_available_now(client_a, shop):
    page = await client_a.get("/c/sillas")
    assert 'id="f-stock" name="stock" value="1">' in page.text
    narrowed = await client_a.get("/c/sillas?stock=1")
    assert product_names(narrowed.text) == ["Kappa ergonomic chair", "Sigma swivel chair"]
    assert 'id="f-stock" name="stock" value="1" checked>' in narrowed.text and "2 products" in narrowed.text
    assert '<span class="count">2</span></label>' in narrowed.text  # the facet counts what it keeps
    searched = await client_a.get("/search?stock=1&sort=price_asc")
    assert product_names(searched.text) == ["Sigma swivel chair", "Kappa ergonomic chair"]
    fragment = await client_a.get("/search?q=silla&stock=1", headers=HTMX)
    assert "<html" not in fragment.text and "Alba visitor chair" not in product_names(fragment.text)
    cleared = await client_a.get("/c/sillas?stock=1&sort=newest")
    assert '<a class="btn" href="/c/sillas?sort=newest" hx-get="/c/sillas?sort=newest"' in cleared.text


@pytest.mark.parametrize("value", ["%00", "0", "yes", "1" * 1999, "%E2%80%AE1", "1" * 5000, "%FF"])
async def test_the_facet_shrugs_off_odd_values(client_a, shop, value):
    response = await client_a.get(f"/c/sillas?stock={value}")
    assert response.status_code < 500
    if response.status_code == 200:
        assert len(product_names(response.text)) == 3  # anything but stock=1 is off


# --- a stock move and the kept listing ---------------------------------------------------------------------------


@pytest.fixture
def catalogue_queries(monkeypatch):
    calls: list[str] = []
    real = storefront_listing.browse

    async def counted(session, query, *args, **kwargs):
        calls.append(query.text)
        return await real(session, query, *args, **kwargs)

    monkeypatch.setattr(storefront_listing, "browse", counted)
    return calls


async def test_a_stock_move_changes_what_is_shown_while_the_listing_stays_kept(client_a, db, shop, catalogue_queries):
    feed, tenant = Feed(), shop.shop.tenant.id
    with changes.answering(feed):
        first = await client_a.get("/c/sillas")
        assert cards(first.text)["Alba visitor chair"] == f"Available from {due()}"
        again = await client_a.get("/c/sillas")
        assert again.text == first.text and len(catalogue_queries) == 1

        await receive(db, tenant, shop.main, shop.defaults["alba"], 6)
        remembered = await client_a.get("/c/sillas")  # the feed has not moved: the availability kept is served
        assert cards(remembered.text)["Alba visitor chair"] == f"Available from {due()}"

        feed.move(tenant, "availability")  # as the stock_levels trigger's notice does at commit
        moved = await client_a.get("/c/sillas")
        assert cards(moved.text)["Alba visitor chair"] == "In stock"
        assert len(catalogue_queries) == 1  # the listing itself was not built again
        fragment = await client_a.get("/c/sillas", headers=HTMX)
        assert cards(fragment.text)["Alba visitor chair"] == "In stock" and len(catalogue_queries) == 1
        product = await client_a.get(f"/p/{shop.slugs['alba']}")
        assert offer_line(product.text) == "In stock"
        in_stock = await client_a.get("/c/sillas?stock=1")  # never kept: built from the stock of the moment
        assert "Alba visitor chair" in product_names(in_stock.text) and len(catalogue_queries) == 2
        await client_a.get("/c/sillas?stock=1")
        assert len(catalogue_queries) == 3

        feed.move(tenant, "catalog")
        await client_a.get("/c/sillas")
        assert len(catalogue_queries) == 4  # a catalogue change does rebuild it


async def test_a_change_of_setting_shows_at_once_on_a_kept_listing(client_a, db, shop, catalogue_queries):
    feed, tenant = Feed(), shop.shop.tenant.id
    with changes.answering(feed):
        assert cards((await client_a.get("/c/sillas")).text)["Kappa ergonomic chair"] == "In stock"
        await set_mode(db, tenant, "exact")
        feed.move(tenant, "availability")  # inventory_settings sends it
        assert cards((await client_a.get("/c/sillas")).text)["Kappa ergonomic chair"] == "12 available"
        await set_mode(db, tenant, "hidden")
        feed.move(tenant, "availability")
        hidden = await client_a.get("/c/sillas")
        assert 'class="stock' not in hidden.text and 'name="stock"' not in hidden.text


# --- tenants -----------------------------------------------------------------------------------------------------


async def test_another_tenants_stock_never_shows(client_a, client_b, db, shop, tenant_b):
    other = await build_shop(db, tenant_b)  # the same catalogue, no stock
    feed = Feed()
    with changes.answering(feed):
        assert cards((await client_a.get("/c/sillas")).text)["Kappa ergonomic chair"] == "In stock"
        theirs = await client_b.get("/c/sillas")
        assert set(cards(theirs.text).values()) == {"Out of stock"}
        assert product_names((await client_b.get("/c/sillas?stock=1")).text) == []
        assert offer_line((await client_b.get(f"/p/{shop.slugs['kappa']}")).text) == "Out of stock"
    async with db.transaction(other.tenant.id) as s:  # tenant A's variant asked for by id, from tenant B
        shown = await shown_availability(s, other.tenant.id, [shop.defaults["kappa"]])
        assert shown[shop.defaults["kappa"]].signal == "out_of_stock"
        assert await queries.in_stock_products(s, other.tenant.id) == frozenset()

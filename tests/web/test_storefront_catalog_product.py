"""The product page and its offer fragment through HTTP: variants, tiers, quantity rules, kits, media, tenants."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.actor import SYSTEM
from app.catalog import services as catalog
from app.catalog.services import Component, ProductInput, VariantInput
from app.catalog.storage import LocalStorage
from app.pricing import services as pricing
from app.pricing.models import PriceList
from app.pricing.services import PromotionInput, RuleInput
from tests.web.test_auth_sign_in import csrf
from tests.web.test_storefront_catalog import HTMX, Shop, build_shop, signed_in

D = Decimal
KAPPA = "/p/silla-ergonomica-kappa"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def current_tier(html: str) -> list[str]:
    row = re.search(r'<tr class="is-current" aria-current="true">(.*?)</tr>', html, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", row.group(1)).split() if row else []


@pytest.fixture
def settings(settings, tmp_path):
    """Media files of these tests go to a temporary folder."""
    return replace(settings, data_dir=tmp_path)


@pytest.fixture
async def shop(db, tenant_a) -> Shop:
    return await build_shop(db, tenant_a)


@pytest.fixture
async def boxes(db, shop):
    """Paper sold in boxes: at least 10, in packs of 5, at most 100; 2.00 each, 1.80 from 50."""
    tenant = shop.tenant
    async with db.transaction(tenant.id) as s:
        data = ProductInput({"en": "Copy paper A4", "es": "Papel A4"}, slug="papel-a4", weight_kg=D("2.5"))
        variant = VariantInput("PAPER-A4", gtin="8412345678905", min_qty=D(10), order_multiple=D(5), max_qty=D(100))
        product = await catalog.create_product(s, tenant.id, data, SYSTEM, [variant])
        await catalog.change_product_status(s, tenant.id, product.id, "active", SYSTEM)
        _product, variants = await catalog.get_product(s, product.id)
        base_id = await s.scalar(select(PriceList.id).where(PriceList.code == "BASE"))
        for value, min_qty in ((D("2.00"), D(1)), (D("1.80"), D(50))):
            await pricing.add_rule(
                s, tenant.id, base_id, RuleInput(value, variant_id=variants[0].id, min_qty=min_qty), SYSTEM
            )
    return product


async def test_product_page_shows_the_offer_picker_specs_and_description(client_a, shop):
    page = await client_a.get(KAPPA)
    assert page.status_code == 200
    assert "<h1>Kappa ergonomic chair</h1>" in page.text and "Ofiprix" in page.text
    assert "Kappa ergonomic chair for the office." in page.text
    assert 'name="attr_color" value="negro" checked' in page.text and 'name="attr_color" value="gris"' in page.text
    assert "SIL-KAPPA-NEGRO-MALLA" in page.text and "12.5 kg" in page.text
    assert "€100.00" in page.text and current_tier(page.text) == ["1", "or", "more", "your", "tier", "€100.00"]
    assert 'hx-get="/p/silla-ergonomica-kappa/offer"' in page.text
    assert "Add to cart" not in page.text
    spanish = await client_a.get(KAPPA, headers={"accept-language": "es"})
    assert "Silla ergonómica Kappa para la oficina." in spanish.text


async def test_offer_reprices_at_the_tier_boundaries(client_a, shop):
    expected = {  # qty: unit price, line total, the tier that applies
        "9": ("€100.00", "€900.00", "1"),
        "10": ("€95.00", "€950.00", "10"),
        "49": ("€95.00", "€4,655.00", "10"),
        "50": ("€90.00", "€4,500.00", "50"),
    }
    variant = shop.variants["SIL-KAPPA-GRIS-MALLA"]
    for qty, (unit, total, tier) in expected.items():
        fragment = await client_a.get(f"{KAPPA}/offer", params={"variant": str(variant), "qty": qty}, headers=HTMX)
        assert fragment.status_code == 200
        assert fragment.text.lstrip().startswith('<div id="offer"') and "<html" not in fragment.text
        assert f'<span class="price-now">{unit}</span>' in fragment.text, qty
        assert f"Total for {qty}: {total}" in fragment.text, qty
        assert current_tier(fragment.text)[0] == tier
        assert "SIL-KAPPA-GRIS-MALLA" in fragment.text
        assert fragment.headers["hx-replace-url"] == f"{KAPPA}?variant={variant}&qty={qty}"


async def test_customer_offer_uses_their_contract(client_a, shop):
    await signed_in(client_a)
    fragment = await client_a.get(f"{KAPPA}/offer", params={"qty": "60"}, headers=HTMX)
    assert '<span class="price-now">€80.00</span>' in fragment.text and "€90.00" in fragment.text  # list at 60


def tier_rows(html: str) -> list[tuple[str, str]]:
    """The product page's tier table as (from quantity, unit price) pairs."""
    table = html[html.index('<div class="table-wrap tiers">') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<td>(.*?) or more.*?</td>\s*<td class=\"num\">(.*?)</td>", table, re.S)
    return [(qty.strip(), price.strip()) for qty, price in rows]


async def test_tiers_and_the_next_tier_hint_include_the_live_offers(client_a, db, shop):
    async with db.transaction(shop.tenant.id) as s:
        promotion = PromotionInput("KAPPA20", "percent", D("20"), product_id=shop.demo.products["kappa"])
        await pricing.create_promotion(s, shop.tenant.id, promotion, SYSTEM)
    page = await client_a.get(KAPPA)
    assert '<span class="price-now">€80.00</span>' in page.text and "-20 %" in page.text
    assert "before offers" not in page.text
    assert tier_rows(page.text) == [("1", "€80.00"), ("10", "€76.00"), ("50", "€72.00")]
    assert "Order 10 or more and pay €76.00 each." in page.text
    listing = await client_a.get("/c/sillas-oficina")
    kappa = listing.text[listing.text.index("Kappa ergonomic chair") :]
    kappa = kappa[: kappa.index("</article>")]
    assert "€80.00" in kappa


async def test_an_offer_from_a_quantity_of_its_own_is_a_price_break(client_a, db, shop):
    async with db.transaction(shop.tenant.id) as s:
        offer = PromotionInput("KAPPA-30", "amount", D("5"), currency="EUR", product_id=shop.demo.products["kappa"])
        await pricing.create_promotion(s, shop.tenant.id, replace(offer, min_qty=D(30)), SYSTEM)
    page = await client_a.get(KAPPA, params={"qty": "12"})
    assert tier_rows(page.text) == [("1", "€100.00"), ("10", "€95.00"), ("30", "€90.00"), ("50", "€85.00")]
    assert "Order 30 or more and pay €90.00 each." in page.text


async def test_the_tier_price_shown_for_a_quantity_is_what_the_cart_charges_for_it(client_a, db, shop):
    """A buyer with a contract, a group offer and an offer from 30 units: every row of the product page's tier
    table, ordered at its quantity, is priced in the cart at the unit price the row showed."""
    async with db.transaction(shop.tenant.id) as s:
        kappa = shop.demo.products["kappa"]
        await pricing.create_promotion(
            s, shop.tenant.id, PromotionInput("K10", "percent", D("10"), product_id=kappa), SYSTEM
        )
        offer = PromotionInput("K30", "amount", D("3"), currency="EUR", product_id=kappa, stackable=True)
        await pricing.create_promotion(s, shop.tenant.id, replace(offer, min_qty=D(30)), SYSTEM)
    await signed_in(client_a)
    variant = shop.variants["SIL-KAPPA-GRIS-MALLA"]
    page = await client_a.get(KAPPA, params={"variant": str(variant)})
    rows = tier_rows(page.text)
    assert rows == [("1", "€72.00"), ("30", "€69.00")]  # the contract's €80 less 10 %, then €3 off from 30
    for qty, shown in rows:
        await client_a.post(f"/cart/lines/{variant}/remove", headers={"x-csrftoken": await csrf(client_a)})
        added = await client_a.post(
            "/cart/add", data={"variant": str(variant), "qty": qty}, headers={"x-csrftoken": await csrf(client_a)}
        )
        assert added.status_code == 303
        cart = await client_a.get("/cart")
        assert f"{shown} each" in cart.text, (qty, shown)
        fragment = await client_a.get(f"{KAPPA}/offer", params={"variant": str(variant), "qty": qty}, headers=HTMX)
        assert f'<span class="price-now">{shown}</span>' in fragment.text, (qty, shown)


async def test_picking_attribute_values_chooses_the_variant(client_a, shop):
    fragment = await client_a.get(
        f"{KAPPA}/offer", params={"attr_color": "gris", "attr_material": "malla"}, headers=HTMX
    )
    assert '<dd class="sku">SIL-KAPPA-GRIS-MALLA</dd>' in fragment.text
    assert 'name="attr_color" value="gris" checked' in fragment.text
    page = await client_a.get(KAPPA, params={"attr_color": "gris", "qty": "10"})  # the same form without JavaScript
    assert '<dd class="sku">SIL-KAPPA-GRIS-MALLA</dd>' in page.text and 'value="10"' in page.text


async def test_the_value_just_picked_wins_when_the_combination_does_not_exist(client_a, db, shop):
    tenant = shop.tenant
    async with db.transaction(tenant.id) as s:
        data = ProductInput({"en": "Stool Duo"}, slug="stool-duo")
        variants = [
            VariantInput("DUO-BLACK-MESH", attributes={"color": "negro", "material": "malla"}),
            VariantInput("DUO-GREY-METAL", attributes={"color": "gris", "material": "metal"}),
        ]
        product = await catalog.create_product(s, tenant.id, data, SYSTEM, variants)
        await catalog.change_product_status(s, tenant.id, product.id, "active", SYSTEM)
        _product, rows = await catalog.get_product(s, product.id)
    black = next(v.id for v in rows if v.sku == "DUO-BLACK-MESH")
    page = await client_a.get("/p/stool-duo")
    assert 'class="picker-option is-unavailable" for="opt-color-gris"' in page.text  # grey comes in metal only
    picked = {"variant": str(black), "attr_color": "gris", "attr_material": "malla"}
    fragment = await client_a.get("/p/stool-duo/offer", params=picked, headers=HTMX)
    assert '<dd class="sku">DUO-GREY-METAL</dd>' in fragment.text
    assert 'name="attr_material" value="metal" checked' in fragment.text


async def test_variants_without_attributes_are_picked_by_sku(client_a, db, shop):
    tenant = shop.tenant
    async with db.transaction(tenant.id) as s:
        data = ProductInput({"en": "Cable ties"}, slug="cable-ties")
        product = await catalog.create_product(
            s, tenant.id, data, SYSTEM, [VariantInput("TIE-100"), VariantInput("TIE-500")]
        )
        await catalog.change_product_status(s, tenant.id, product.id, "active", SYSTEM)
        _product, rows = await catalog.get_product(s, product.id)
    ids = {v.sku: v.id for v in rows}
    page = await client_a.get("/p/cable-ties")
    assert 'name="sku_variant"' in page.text and '<dd class="sku">TIE-100</dd>' in page.text
    chosen = {"variant": str(ids["TIE-100"]), "sku_variant": str(ids["TIE-500"])}
    fragment = await client_a.get("/p/cable-ties/offer", params=chosen, headers=HTMX)
    assert '<dd class="sku">TIE-500</dd>' in fragment.text


async def test_offer_without_htmx_redirects_to_the_page(client_a, shop):
    response = await client_a.get(f"{KAPPA}/offer", params={"qty": "10"})
    assert (response.status_code, response.headers["location"]) == (303, f"{KAPPA}?qty=10")


async def test_quantity_rules_shape_the_input_and_explain_a_bad_quantity(client_a, boxes):
    page = await client_a.get("/p/papel-a4")
    assert 'value="10"' in page.text and 'min="10" step="5" max="100"' in page.text
    assert "Minimum 10 · in packs of 5 · maximum 100" in page.text and "8412345678905" in page.text
    cases = {
        "7": ("The minimum order quantity is 10", "Use 10", "€20.00"),
        "12": ("Order in multiples of 5", "Use 15", "€30.00"),
        "101": ("The maximum order quantity is 100", "Use 100", "€180.00"),
        "abc": ("Enter a quantity greater than zero", "Use 10", "€20.00"),
    }
    for qty, (message, suggestion, total) in cases.items():
        fragment = await client_a.get("/p/papel-a4/offer", params={"qty": qty}, headers=HTMX)
        assert fragment.status_code == 200
        assert message in fragment.text and suggestion in fragment.text and total in fragment.text, qty
        assert 'role="alert"' in fragment.text and "field-error" in fragment.text
    good = await client_a.get("/p/papel-a4/offer", params={"qty": "50"}, headers=HTMX)
    assert 'role="alert"' not in good.text and "Total for 50: €90.00" in good.text


async def test_kits_list_their_contents_and_relations_show_visible_products(client_a, db, shop):
    tenant = shop.tenant
    async with db.transaction(tenant.id) as s:
        data = ProductInput({"en": "Meeting room set"}, slug="meeting-set", is_kit=True)
        kit = await catalog.create_product(s, tenant.id, data, SYSTEM, [VariantInput("SET-MEETING")])
        _kit, kit_variants = await catalog.get_product(s, kit.id)
        parts = [
            Component(shop.variants["SIL-ALBA-GRIS-METAL"], D(6)),
            Component(shop.variants["MES-ROBLE-MADERA"], D(1)),
        ]
        await catalog.set_kit_components(s, tenant.id, kit_variants[0].id, parts, SYSTEM)
        await catalog.change_product_status(s, tenant.id, kit.id, "active", SYSTEM)
        await catalog.set_relations(s, tenant.id, kit.id, "related", [shop.demo.products["lumen"]], SYSTEM)
        await catalog.set_relations(s, tenant.id, kit.id, "substitute", [shop.demo.products["nova"]], SYSTEM)
        await catalog.change_product_status(s, tenant.id, shop.demo.products["nova"], "discontinued", SYSTEM)
    page = await client_a.get("/p/meeting-set")
    assert "This kit contains" in page.text
    assert '6 × <a href="/p/silla-de-confidente-alba">Alba visitor chair</a>' in page.text
    assert "Roble meeting table" in page.text
    assert "Related products" in page.text and "Lumen desk lamp" in page.text and "€33.00" in page.text
    assert "Alternatives" not in page.text and "Nova" not in page.text  # discontinued: not offered


async def test_draft_and_unknown_products_are_404(client_a, db, shop):
    async with db.transaction(shop.tenant.id) as s:
        data = ProductInput({"en": "Secret prototype"}, slug="prototype")
        await catalog.create_product(s, shop.tenant.id, data, SYSTEM, [VariantInput("PROTO-1")])
    assert (await client_a.get("/p/prototype")).status_code == 404
    assert (await client_a.get("/p/no-such-product")).status_code == 404
    assert (await client_a.get("/p/no-such-product/offer", headers=HTMX)).status_code == 404


async def test_media_serves_the_tenants_images_and_no_one_elses(client_a, client_b, db, settings, shop):
    tenant = shop.tenant
    storage = LocalStorage.for_tenant(settings, tenant.id)
    async with db.transaction(tenant.id) as s:
        image = await catalog.add_product_image(
            s, tenant.id, shop.demo.products["kappa"], PNG, "image/png", storage, SYSTEM, alt={"en": "Kappa, front"}
        )
    key = image.storage_key
    listing = await client_a.get("/c/sillas")
    assert f'src="/media/{key}"' in listing.text
    page = await client_a.get(KAPPA)
    assert f'<img src="/media/{key}" alt="Kappa, front"' in page.text
    served = await client_a.get(f"/media/{key}")
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["content-type"] == "image/png"
    assert "immutable" in served.headers["cache-control"] and served.headers["etag"]
    again = await client_a.get(f"/media/{key}", headers={"if-none-match": served.headers["etag"]})
    assert again.status_code == 304
    assert (await client_b.get(f"/media/{key}")).status_code == 404  # another tenant's host
    for bad in ("../../etc/passwd", f"{key[:-4]}.gif", "ab/..%2F..%2Fsecret.png", "nothing"):
        assert (await client_a.get(f"/media/{bad}")).status_code == 404, bad

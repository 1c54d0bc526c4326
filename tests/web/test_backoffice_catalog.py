"""Back-office catalog screens: the product list with filters and bulk actions, the product form, images, guards.

The helpers at the top (staff sign-in, a small catalogue built through the services) are shared by the other
back-office catalog and pricing tests.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.catalog.services import (
    AttributeInput,
    CategoryInput,
    ProductInput,
    ValueInput,
    VariantInput,
    add_attribute_value,
    change_product_status,
    create_attribute,
    create_brand,
    create_catalog,
    create_category,
    create_product,
)
from tests.web.test_auth_sign_in import add_staff, csrf, post_form, sign_in

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


async def htmx_post(client, url: str, data: dict):
    """A form post as htmx sends it (the answer is a fragment)."""
    return await client.post(url, data=data, headers={"x-csrftoken": await csrf(client), "hx-request": "true"})


@pytest.fixture
def settings(settings, tmp_path):
    """Uploaded images go to a folder of the test, not the checkout's data folder."""
    return replace(settings, data_dir=tmp_path)


async def sign_in_staff(client, db, tenant, email: str, *roles: str) -> None:
    await add_staff(db, tenant, email, *roles)
    assert (await sign_in(client, email, staff=True)).status_code == 303


@pytest.fixture
async def sales_a(client_a, db, tenant_a):
    """Sam, a sales user of Acme, signed in on client_a (catalog and pricing are for owners and sales)."""
    await sign_in_staff(client_a, db, tenant_a, "sam@acme.test", "sales")


async def build_catalog(db, tenant) -> dict:
    """Two categories, a brand, a colour attribute and three products (one active) through the services."""
    async with db.transaction(tenant.id) as s:
        tid = tenant.id
        furniture = await create_category(s, tid, CategoryInput(name={"es": "Muebles", "en": "Furniture"}), SYSTEM)
        chairs = await create_category(
            s, tid, CategoryInput(name={"es": "Sillas", "en": "Chairs"}, parent_id=furniture.id), SYSTEM
        )
        lamps = await create_category(s, tid, CategoryInput(name={"es": "Lámparas", "en": "Lamps"}), SYSTEM)
        brand = await create_brand(s, tid, "Ergo", SYSTEM)
        colour = await create_attribute(s, tid, AttributeInput(code="colour", name={"en": "Colour"}), SYSTEM)
        black = await add_attribute_value(s, tid, colour.id, ValueInput(code="black", name={"en": "Black"}), SYSTEM)
        await add_attribute_value(s, tid, colour.id, ValueInput(code="white", name={"en": "White"}), SYSTEM)
        chair = await create_product(
            s,
            tid,
            ProductInput(
                name={"en": "Office chair", "es": "Silla de oficina"}, category_id=chairs.id, brand_id=brand.id
            ),
            SYSTEM,
            [VariantInput(sku="CH-1", attributes={"colour": "black"}, cost=Decimal("40"))],
        )
        await change_product_status(s, tid, chair.id, "active", SYSTEM)
        stool = await create_product(
            s,
            tid,
            ProductInput(name={"en": "Bar stool"}, category_id=chairs.id),
            SYSTEM,
            [VariantInput(sku="ST-1")],
        )
        lamp = await create_product(s, tid, ProductInput(name={"en": "Desk lamp"}, category_id=lamps.id), SYSTEM)
        catalog = await create_catalog(s, tid, "PRO", "Professional", SYSTEM)
    return {
        "furniture": furniture,
        "chairs": chairs,
        "lamps": lamps,
        "brand": brand,
        "colour": colour,
        "black": black,
        "chair": chair,
        "stool": stool,
        "lamp": lamp,
        "catalog": catalog,
        "chair_variant": (await _variant_id(db, tenant, "CH-1")),
    }


async def _variant_id(db, tenant, sku: str):
    from sqlalchemy import select

    from app.catalog.models import ProductVariant

    async with db.transaction(tenant.id) as s:
        return await s.scalar(select(ProductVariant.id).where(ProductVariant.sku == sku))


@pytest.fixture
async def catalog_a(db, tenant_a):
    return await build_catalog(db, tenant_a)


def product_names(html: str) -> list[str]:
    """The product names linked from the list's rows, in order."""
    return re.findall(r'<a href="/admin/catalog/products/[0-9a-f-]{36}">([^<]+)</a>', html)


async def test_list_filters_sorts_and_counts(client_a, sales_a, catalog_a):
    everything = await client_a.get("/admin/catalog/products")
    assert everything.status_code == 200
    assert product_names(everything.text) == ["Bar stool", "Desk lamp", "Office chair"]
    assert "3 products" in everything.text
    assert 'data-shortcut="filter"' in everything.text and 'data-shortcut="new"' in everything.text

    by_sku = await client_a.get("/admin/catalog/products?q=ch-1")
    by_subtree = await client_a.get(f"/admin/catalog/products?category={catalog_a['furniture'].id}")
    by_brand = await client_a.get(f"/admin/catalog/products?brand={catalog_a['brand'].id}")
    drafts = await client_a.get("/admin/catalog/products?status=draft&sort=-name")
    fragment = await client_a.get("/admin/catalog/products?q=lamp", headers={"hx-request": "true"})

    assert product_names(by_sku.text) == ["Office chair"]
    assert product_names(by_subtree.text) == ["Bar stool", "Office chair"]  # Chairs sits under Furniture
    assert product_names(by_brand.text) == ["Office chair"]
    assert product_names(drafts.text) == ["Desk lamp", "Bar stool"]
    assert re.search(r"Draft <span class=\"count\">2</span>", drafts.text)
    assert re.search(r"Active <span class=\"count\">1</span>", drafts.text)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert product_names(fragment.text) == ["Desk lamp"] and 'id="product-results"' in fragment.text


async def test_list_pages(client_a, db, tenant_a, sales_a):
    async with db.transaction(tenant_a.id) as s:
        for n in range(53):
            await create_product(s, tenant_a.id, ProductInput(name={"en": f"Item {n:02d}"}), SYSTEM)
    first = await client_a.get("/admin/catalog/products")
    second = await client_a.get("/admin/catalog/products?page=2")
    assert len(product_names(first.text)) == 50 and "Page 1 of 2" in first.text
    assert product_names(second.text) == ["Item 50", "Item 51", "Item 52"]


async def test_bulk_actions(client_a, owner, sales_a, catalog_a):
    chair, stool, lamp = catalog_a["chair"], catalog_a["stool"], catalog_a["lamp"]
    back = "/admin/catalog/products?status=draft"

    activate = await post_form(
        client_a,
        "/admin/catalog/products/bulk",
        {"action": "activate", "ids": [str(stool.id), str(lamp.id)], "back": back},
    )
    assert activate.status_code == 303 and activate.headers["location"] == back
    statuses = dict(await owner.fetch("SELECT slug, status FROM products"))
    assert statuses["bar-stool"] == "active" and statuses["desk-lamp"] == "draft"  # the lamp has no variant
    shown = await client_a.get(back)
    assert "1 product activated." in shown.text and "Desk lamp: Add an active variant" in shown.text

    moved = await post_form(
        client_a,
        "/admin/catalog/products/bulk",
        {"action": "set_category", "ids": [str(chair.id), str(lamp.id)], "category_id": str(catalog_a["lamps"].id)},
    )
    assert moved.status_code == 303
    rows = await owner.fetch("SELECT slug FROM products WHERE category_id = $1 ORDER BY slug", catalog_a["lamps"].id)
    assert [r["slug"] for r in rows] == ["desk-lamp", "silla-de-oficina"]

    added = await post_form(
        client_a,
        "/admin/catalog/products/bulk",
        {"action": "add_to_catalog", "ids": [str(chair.id)], "catalog_id": str(catalog_a["catalog"].id)},
    )
    assert added.status_code == 303
    assert await owner.fetchval("SELECT count(*) FROM catalog_products WHERE product_id = $1", chair.id) == 1

    stop = await post_form(client_a, "/admin/catalog/products/bulk", {"action": "discontinue", "ids": [str(chair.id)]})
    assert stop.status_code == 303
    assert await owner.fetchval("SELECT status FROM products WHERE id = $1", chair.id) == "discontinued"
    audit = await owner.fetchval(
        "SELECT actor_label FROM audit_log WHERE action = 'product.discontinued' AND entity_id = $1", chair.id
    )
    assert audit == "sam@acme.test"

    nothing = await post_form(client_a, "/admin/catalog/products/bulk", {"action": "activate"})
    assert nothing.status_code == 303
    assert "Choose at least one product." in (await client_a.get("/admin/catalog/products")).text


async def test_create_product_with_variants_through_the_form(client_a, owner, sales_a, catalog_a):
    form = await client_a.get("/admin/catalog/products/new")
    assert form.status_code == 200 and 'name="name_es"' in form.text and 'name="name_en"' in form.text
    row = await client_a.get("/admin/catalog/products/variant-row", headers={"hx-request": "true"})
    token = re.search(r'name="row" value="([0-9a-f]+)"', row.text).group(1)
    assert f'name="v_{token}_attr_colour"' in row.text

    response = await post_form(
        client_a,
        "/admin/catalog/products",
        {
            "name_es": "Mesa alta",
            "name_en": "High table",
            "category_id": str(catalog_a["furniture"].id),
            "brand_id": str(catalog_a["brand"].id),
            "tax_class": "reduced",
            "weight_kg": "12,5",
            "is_kit": "",
            "row": ["a1", "b2", "c3"],
            "v_a1_sku": "tab-1-b",
            "v_a1_attr_colour": "black",
            "v_a1_min_qty": "2",
            "v_a1_order_multiple": "2",
            "v_a1_cost": "80.50",
            "v_b2_sku": "TAB-1-W",
            "v_b2_gtin": "4006381333931",
            "v_b2_attr_colour": "white",
            "v_b2_max_qty": "10",
            "v_c3_sku": "",
        },
    )

    assert response.status_code == 303, response.text
    product_id = response.headers["location"].rsplit("/", 1)[1]
    product = await owner.fetchrow("SELECT * FROM products WHERE id = $1", product_id)
    assert product["name"] == '{"en": "High table", "es": "Mesa alta"}' or "High table" in product["name"]
    assert (product["status"], product["tax_class"], product["weight_kg"]) == ("draft", "reduced", Decimal("12.5"))
    variants = await owner.fetch(
        "SELECT sku, gtin, min_qty, order_multiple, max_qty, cost FROM product_variants WHERE product_id = $1 "
        "ORDER BY position",
        product_id,
    )
    assert [(v["sku"], v["gtin"]) for v in variants] == [("TAB-1-B", None), ("TAB-1-W", "4006381333931")]
    assert (variants[0]["min_qty"], variants[0]["order_multiple"], variants[0]["cost"]) == (2, 2, Decimal("80.5"))
    assert variants[1]["max_qty"] == 10
    page = await client_a.get(response.headers["location"])
    assert page.status_code == 200 and "Product created as a draft." in page.text
    assert "TAB-1-W" in page.text and "product.created" in page.text and "sam@acme.test" in page.text


async def test_validation_errors_keep_the_input(client_a, owner, sales_a, catalog_a):
    response = await post_form(
        client_a,
        "/admin/catalog/products",
        {
            "name_es": "",
            "name_en": "",
            "description_en": "Kept description",
            "slug": "Bad Slug!",
            "weight_kg": "heavy",
            "row": ["x1"],
            "v_x1_sku": "NEW-1",
            "v_x1_min_qty": "lots",
        },
    )
    assert response.status_code == 400
    assert "Enter a number." in response.text
    assert 'value="NEW-1"' in response.text and 'value="lots"' in response.text
    assert "Kept description" in response.text and 'value="heavy"' in response.text

    named = await post_form(
        client_a,
        "/admin/catalog/products",
        {"name_en": "", "slug": "Bad Slug!", "weight_kg": "-1", "row": ["x1"], "v_x1_sku": "CH-1"},
    )
    assert named.status_code == 400
    assert "Enter the text in Spanish or English." in named.text
    assert "Enter a number of zero or more." in named.text and 'value="Bad Slug!"' in named.text
    assert await owner.fetchval("SELECT count(*) FROM products") == 3

    taken = await post_form(client_a, "/admin/catalog/products", {"name_en": "Twin", "row": ["x1"], "v_x1_sku": "ch-1"})
    assert taken.status_code == 400
    assert re.search(r'id="f-v_x1_sku-error">SKU CH-1 is already used.', taken.text)
    assert 'value="Twin"' in taken.text


async def test_product_page_edits_details_status_and_variants(client_a, owner, sales_a, catalog_a):
    chair = catalog_a["chair"]
    page = await client_a.get(f"/admin/catalog/products/{chair.id}")
    assert page.status_code == 200
    assert "Office chair" in page.text and "CH-1" in page.text and "Price check" in page.text
    assert "Audit trail" in page.text and "Status history" in page.text

    saved = await post_form(
        client_a,
        f"/admin/catalog/products/{chair.id}",
        {"name_en": "Task chair", "name_es": "", "tax_class": "standard"},
    )
    assert saved.status_code == 303
    bad = await post_form(client_a, f"/admin/catalog/products/{chair.id}", {"name_en": "Task chair", "height_cm": "x"})
    assert bad.status_code == 400 and 'value="x"' in bad.text

    variant = catalog_a["chair_variant"]
    row = await htmx_post(
        client_a,
        f"/admin/catalog/variants/{variant}",
        {"sku": "CH-1", "min_qty": "0", "order_multiple": "1", "status": "active", "attr_colour": "black"},
    )
    assert row.status_code == 400 and row.text.lstrip().startswith("<tr")
    assert "The minimum quantity must be more than zero." in row.text and 'value="0"' in row.text
    ok = await htmx_post(
        client_a,
        f"/admin/catalog/variants/{variant}",
        {
            "sku": "CH-1",
            "min_qty": "5",
            "order_multiple": "5",
            "cost": "41",
            "status": "active",
            "attr_colour": "white",
        },
    )
    assert ok.status_code == 200 and "Saved" in ok.text
    assert await owner.fetchval("SELECT min_qty FROM product_variants WHERE id = $1", variant) == 5

    generated = await post_form(
        client_a,
        f"/admin/catalog/products/{chair.id}/variants/generate",
        {"base_sku": "CH", "axis_colour": ["black", "white"]},
    )
    assert generated.status_code == 303
    skus = await owner.fetch("SELECT sku FROM product_variants WHERE product_id = $1 ORDER BY sku", chair.id)
    assert [r["sku"] for r in skus] == ["CH-1", "CH-BLACK"]  # CH-1 is white now: only black was missing

    draft = await post_form(client_a, f"/admin/catalog/products/{catalog_a['lamp'].id}/status", {"status": "active"})
    assert draft.status_code == 400 and "Add an active variant (with its SKU) before publishing." in draft.text


async def test_image_upload_rejects_a_non_image_and_keeps_images_in_order(client_a, owner, sales_a, catalog_a):
    chair = catalog_a["chair"]
    token = await csrf(client_a)
    refused = await client_a.post(
        f"/admin/catalog/products/{chair.id}/images",
        files={"image": ("notes.png", b"just some text", "image/png")},
        data={"alt_en": "A chair"},
        headers={"x-csrftoken": token},
    )
    assert refused.status_code == 400
    assert 'id="f-image-error">Use a PNG, JPEG or WebP image.' in refused.text
    assert await owner.fetchval("SELECT count(*) FROM product_images") == 0

    added = await client_a.post(
        f"/admin/catalog/products/{chair.id}/images",
        files={"image": ("chair.png", PNG, "image/png")},
        data={"alt_en": "A chair"},
        headers={"x-csrftoken": token},
    )
    assert added.status_code == 303
    image_id = await owner.fetchval("SELECT id FROM product_images WHERE product_id = $1", chair.id)
    served = await client_a.get(f"/admin/catalog/products/{chair.id}/images/{image_id}")
    assert served.status_code == 200 and served.content == PNG and served.headers["content-type"] == "image/png"

    removed = await post_form(
        client_a,
        f"/admin/catalog/products/{chair.id}/images/order",
        {"image": str(image_id), f"remove_{image_id}": "1"},
    )
    assert removed.status_code == 303
    assert await owner.fetchval("SELECT count(*) FROM product_images") == 0


async def test_relations_kit_and_units(client_a, owner, sales_a, catalog_a):
    chair, stool = catalog_a["chair"], catalog_a["stool"]
    picker = await client_a.get(
        f"/admin/catalog/products/picker?q=stool&name=related_ids&exclude={chair.id}", headers={"hx-request": "true"}
    )
    assert "Bar stool" in picker.text and f'value="{stool.id}"' in picker.text

    related = await post_form(
        client_a, f"/admin/catalog/products/{chair.id}/relations/accessory", {"related_ids": [str(stool.id)]}
    )
    assert related.status_code == 303
    assert await owner.fetchval("SELECT related_id FROM product_relations WHERE kind = 'accessory'") == stool.id
    itself = await post_form(
        client_a, f"/admin/catalog/products/{chair.id}/relations/related", {"related_ids": [str(chair.id)]}
    )
    assert itself.status_code == 400 and "Choose another existing product." in itself.text

    not_kit = await post_form(
        client_a, f"/admin/catalog/variants/{catalog_a['chair_variant']}/components", {"c_sku": "ST-1", "c_qty": "2"}
    )
    assert not_kit.status_code == 400 and "Mark the product as a kit first." in not_kit.text

    box = await owner.fetchval("SELECT id FROM units_of_measure LIMIT 1")
    assert box is not None  # the piece unit, created with the first product
    units = await post_form(
        client_a,
        f"/admin/catalog/products/{chair.id}/uoms",
        {"u_row": ["0"], "u_uom": [str(box)], "u_factor": ["12"], "u_barcode": [""], "u_variant": [""]},
    )
    assert units.status_code == 400 and "The stock unit needs no conversion." in units.text


async def test_catalog_screens_need_owner_or_sales(client_a, db, tenant_a, catalog_a):
    await sign_in_staff(client_a, db, tenant_a, "wes@acme.test", "warehouse")
    for url in (
        "/admin/catalog/products",
        f"/admin/catalog/products/{catalog_a['chair'].id}",
        "/admin/pricing/price-lists",
    ):
        assert (await client_a.get(url)).status_code == 403
    response = await post_form(client_a, "/admin/catalog/products/bulk", {"action": "activate"})
    assert response.status_code == 403

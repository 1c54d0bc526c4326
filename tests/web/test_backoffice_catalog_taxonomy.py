"""Back-office catalog screens around the products: categories, brands, attributes, customer groups, assortments."""

from __future__ import annotations

import re

import pytest

from tests.web.test_auth_sign_in import add_customer, post_form
from tests.web.test_backoffice_catalog import build_catalog, sign_in_staff


@pytest.fixture
async def catalog(client_a, db, tenant_a):
    data = await build_catalog(db, tenant_a)
    await sign_in_staff(client_a, db, tenant_a, "olga@acme.test", "owner")
    return data


async def test_category_tree_create_edit_and_cycle_refused(client_a, owner, catalog):
    tree = await client_a.get("/admin/catalog/categories")
    assert tree.status_code == 200
    rows = re.findall(r'<td class="depth-(\d)"><a href="/admin/catalog/categories/[0-9a-f-]+">([^<]+)</a>', tree.text)
    assert rows == [("0", "Lamps"), ("0", "Furniture"), ("1", "Chairs")]  # by position, then slug (lamparas, muebles)

    created = await post_form(
        client_a,
        "/admin/catalog/categories",
        {"name_es": "Sillas de oficina", "name_en": "Office chairs", "parent_id": str(catalog["chairs"].id)},
    )
    assert created.status_code == 303
    office = await owner.fetchrow("SELECT id, slug, path FROM categories WHERE slug = 'sillas-de-oficina'")
    assert office["path"] == [catalog["furniture"].id, catalog["chairs"].id, office["id"]]

    furniture = catalog["furniture"]
    cycle = await post_form(
        client_a,
        f"/admin/catalog/categories/{furniture.id}",
        {"name_en": "Furniture", "name_es": "Muebles", "parent_id": str(office["id"])},
    )
    assert cycle.status_code == 400
    assert 'id="f-parent_id-error">A category cannot be moved under itself or one of its subcategories.' in cycle.text
    assert await owner.fetchval("SELECT parent_id FROM categories WHERE id = $1", furniture.id) is None

    moved = await post_form(
        client_a,
        f"/admin/catalog/categories/{catalog['chairs'].id}",
        {"name_en": "Chairs", "name_es": "Sillas", "parent_id": str(catalog["lamps"].id), "position": "2"},
    )
    assert moved.status_code == 303
    path = await owner.fetchval("SELECT path FROM categories WHERE id = $1", office["id"])
    assert path == [catalog["lamps"].id, catalog["chairs"].id, office["id"]]
    page = await client_a.get(f"/admin/catalog/categories/{catalog['chairs'].id}")
    assert "category.updated" in page.text and "Audit trail" in page.text

    blank = await post_form(client_a, "/admin/catalog/categories", {"name_en": "", "slug": "kept-slug"})
    assert blank.status_code == 400 and "Enter the text in Spanish or English." in blank.text
    assert 'value="kept-slug"' in blank.text
    full = await post_form(client_a, f"/admin/catalog/categories/{catalog['lamps'].id}/delete")
    assert full.status_code == 400 and "Move or delete its subcategories first." in full.text
    empty = await post_form(client_a, f"/admin/catalog/categories/{office['id']}/delete")
    assert empty.status_code == 303


async def test_brands_and_attributes(client_a, owner, catalog):
    brands = await client_a.get("/admin/catalog/brands")
    assert brands.status_code == 200 and "Ergo" in brands.text
    taken = await post_form(client_a, "/admin/catalog/brands", {"name": "Ergo"})
    assert taken.status_code == 400 and "“Ergo” is already used." in taken.text
    renamed = await post_form(client_a, f"/admin/catalog/brands/{catalog['brand'].id}", {"name": "Ergo Pro"})
    assert renamed.status_code == 303
    assert await owner.fetchval("SELECT name FROM brands WHERE id = $1", catalog["brand"].id) == "Ergo Pro"

    created = await post_form(
        client_a, "/admin/catalog/attributes", {"code": "Size", "name_en": "Size", "name_es": "Talla", "is_facet": "1"}
    )
    assert created.status_code == 303
    attribute_id = created.headers["location"].rsplit("/", 1)[1]
    value = await post_form(
        client_a, f"/admin/catalog/attributes/{attribute_id}/values", {"code": "XL", "name_en": "Extra large"}
    )
    assert value.status_code == 303
    twice = await post_form(
        client_a, f"/admin/catalog/attributes/{attribute_id}/values", {"code": "xl", "name_en": "Again"}
    )
    assert twice.status_code == 400 and "“xl” is already used." in twice.text and 'value="Again"' in twice.text
    value_id = await owner.fetchval("SELECT id FROM attribute_values WHERE code = 'xl'")
    rename = await post_form(
        client_a,
        f"/admin/catalog/attributes/{attribute_id}/values/{value_id}",
        {"name_en": "X-Large", "name_es": "Muy grande", "position": "3"},
    )
    assert rename.status_code == 303
    assert await owner.fetchval("SELECT name->>'en' FROM attribute_values WHERE id = $1", value_id) == "X-Large"
    wrong_parent = await post_form(
        client_a, f"/admin/catalog/attributes/{catalog['colour'].id}/values/{value_id}", {"name_en": "Nope"}
    )
    assert wrong_parent.status_code == 404


async def test_customer_groups_and_assortments(client_a, db, tenant_a, owner, catalog):
    customer = await add_customer(db, tenant_a, "C001", "Buyer Co")
    created = await post_form(client_a, "/admin/catalog/customer-groups", {"code": "vip", "name": "VIP customers"})
    assert created.status_code == 303
    group_url = created.headers["location"]
    group_id = group_url.rsplit("/", 1)[1]
    unknown = await post_form(client_a, f"{group_url}/members", {"customer": "C999"})
    assert unknown.status_code == 400 and "No customer has the code “C999”." in unknown.text
    added = await post_form(client_a, f"{group_url}/members", {"customer": "c001"})
    assert added.status_code == 303
    assert str(await owner.fetchval("SELECT group_id FROM customers WHERE id = $1", customer.id)) == group_id
    listing = await client_a.get("/admin/catalog/customer-groups")
    assert "VIP" in listing.text and "VIP customers" in listing.text

    catalog_url = f"/admin/catalog/assortments/{catalog['catalog'].id}"
    contents = await post_form(
        client_a,
        f"{catalog_url}/contents",
        {"category_ids": [str(catalog["chairs"].id)], "product_ids": [str(catalog["lamp"].id)]},
    )
    assert contents.status_code == 303
    assert await owner.fetchval("SELECT category_id FROM catalog_categories") == catalog["chairs"].id
    assert await owner.fetchval("SELECT product_id FROM catalog_products") == catalog["lamp"].id
    nobody = await post_form(client_a, f"{catalog_url}/assignments", {})
    assert nobody.status_code == 400 and "Choose a customer group or a customer." in nobody.text
    assigned = await post_form(client_a, f"{catalog_url}/assignments", {"group_id": group_id})
    assert assigned.status_code == 303
    page = await client_a.get(catalog_url)
    assert "VIP · VIP customers" in page.text and "Desk lamp" in page.text and "catalog.assigned" in page.text
    assignment = await owner.fetchval("SELECT id FROM catalog_assignments")
    removed = await post_form(client_a, f"{catalog_url}/assignments/{assignment}/remove")
    assert removed.status_code == 303
    assert await owner.fetchval("SELECT count(*) FROM catalog_assignments") == 0

    left = await post_form(client_a, f"{group_url}/members/{customer.id}/remove")
    assert left.status_code == 303
    assert await owner.fetchval("SELECT group_id FROM customers WHERE id = $1", customer.id) is None
    deleted = await post_form(client_a, f"{catalog_url}/delete")
    assert deleted.status_code == 303 and await owner.fetchval("SELECT count(*) FROM catalogs") == 0

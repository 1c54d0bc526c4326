"""Every catalog and pricing route that takes an id answers 404 for another tenant's id, and changes nothing.

One case per kind of record (product, variant, category, brand, attribute, customer group, catalogue, price
list, rule, promotion); test_routes_with_ids_are_all_listed keeps ROUTES complete as routes are added.
"""

from __future__ import annotations

import pytest

from app.actor import SYSTEM
from app.catalog.services import assign_catalog
from app.parties import create_customer_group, set_customer_group
from app.pricing.services import PromotionInput, RuleInput, add_rule, create_promotion
from tests.web.test_auth_sign_in import add_customer, post_form
from tests.web.test_backoffice_catalog import build_catalog, sign_in_staff

# (method, path): {name} is replaced by the id of tenant B's record of that kind.
ROUTES = [
    ("GET", "/admin/catalog/products/{product}"),
    ("POST", "/admin/catalog/products/{product}"),
    ("POST", "/admin/catalog/products/{product}/status"),
    ("POST", "/admin/catalog/products/{product}/variants"),
    ("POST", "/admin/catalog/products/{product}/variants/generate"),
    ("POST", "/admin/catalog/products/{product}/images"),
    ("POST", "/admin/catalog/products/{product}/images/order"),
    ("GET", "/admin/catalog/products/{product}/images/{image}"),
    ("POST", "/admin/catalog/products/{product}/relations/related"),
    ("POST", "/admin/catalog/products/{product}/uoms"),
    ("GET", "/admin/catalog/products/{product}/price-check"),
    ("POST", "/admin/catalog/variants/{variant}"),
    ("POST", "/admin/catalog/variants/{variant}/components"),
    ("GET", "/admin/catalog/categories/{category}"),
    ("POST", "/admin/catalog/categories/{category}"),
    ("POST", "/admin/catalog/categories/{category}/delete"),
    ("GET", "/admin/catalog/brands/{brand}"),
    ("POST", "/admin/catalog/brands/{brand}"),
    ("GET", "/admin/catalog/attributes/{attribute}"),
    ("POST", "/admin/catalog/attributes/{attribute}"),
    ("POST", "/admin/catalog/attributes/{attribute}/values"),
    ("POST", "/admin/catalog/attributes/{attribute}/values/{value}"),
    ("GET", "/admin/catalog/customer-groups/{group}"),
    ("POST", "/admin/catalog/customer-groups/{group}/members"),
    ("POST", "/admin/catalog/customer-groups/{group}/members/{customer}/remove"),
    ("GET", "/admin/catalog/assortments/{catalog}"),
    ("POST", "/admin/catalog/assortments/{catalog}"),
    ("POST", "/admin/catalog/assortments/{catalog}/contents"),
    ("POST", "/admin/catalog/assortments/{catalog}/assignments"),
    ("POST", "/admin/catalog/assortments/{catalog}/assignments/{assignment}/remove"),
    ("POST", "/admin/catalog/assortments/{catalog}/delete"),
    ("GET", "/admin/pricing/price-lists/{price_list}"),
    ("POST", "/admin/pricing/price-lists/{price_list}"),
    ("POST", "/admin/pricing/price-lists/{price_list}/rules"),
    ("GET", "/admin/pricing/rules/{rule}"),
    ("POST", "/admin/pricing/rules/{rule}"),
    ("POST", "/admin/pricing/rules/{rule}/delete"),
    ("GET", "/admin/pricing/promotions/{promotion}"),
    ("POST", "/admin/pricing/promotions/{promotion}"),
]
# What a form would send, so that a route cannot answer 400 before it has looked the record up.
FORM = {
    "name_en": "Taken over",
    "name": "Taken over",
    "code": "HIJACK",
    "kind": "percent",
    "value": "10",
    "currency": "EUR",
    "level": "base",
    "status": "active",
    "sku": "HIJACK-1",
    "row": "t1",
    "v_t1_sku": "HIJACK-2",
    "base_sku": "HIJACK",
    "axis_colour": "black",
    "customer": "B001",
    "category_ids": "",
}


@pytest.fixture
async def tenant_b_records(db, owner, tenant_b):
    """One record of every kind in tenant B, by the name the routes use."""
    data = await build_catalog(db, tenant_b)
    customer = await add_customer(db, tenant_b, "B001", "Globex buyer")
    base_id = await owner.fetchval("SELECT id FROM price_lists WHERE tenant_id = $1", tenant_b.id)
    async with db.transaction(tenant_b.id) as s:
        group = await create_customer_group(s, tenant_b.id, "GB", "Globex group", SYSTEM)
        await set_customer_group(s, tenant_b.id, customer.id, group.id, SYSTEM)
        assignment = await assign_catalog(s, tenant_b.id, data["catalog"].id, SYSTEM, customer_group_id=group.id)
        rule = await add_rule(s, tenant_b.id, base_id, RuleInput(value="10"), SYSTEM)
        promotion = await create_promotion(s, tenant_b.id, PromotionInput("GLOBEX", "percent", "5"), SYSTEM)
    image = await owner.fetchval(
        "INSERT INTO product_images (tenant_id, id, product_id, storage_key, content_type, byte_size, alt, position) "
        "VALUES ($1, gen_random_uuid(), $2, 'ab/x.png', 'image/png', 1, '{}', 0) RETURNING id",
        tenant_b.id,
        data["chair"].id,
    )
    return {
        "product": data["chair"].id,
        "variant": data["chair_variant"],
        "image": image,
        "category": data["chairs"].id,
        "brand": data["brand"].id,
        "attribute": data["colour"].id,
        "value": data["black"].id,
        "group": group.id,
        "customer": customer.id,
        "catalog": data["catalog"].id,
        "assignment": assignment.id,
        "price_list": base_id,
        "rule": rule.id,
        "promotion": promotion.id,
    }


async def _snapshot(owner, tenant_id) -> list:
    """Everything tenant B has that these routes could change."""
    tables = (
        "products",
        "product_variants",
        "product_images",
        "categories",
        "brands",
        "attributes",
        "attribute_values",
        "customer_groups",
        "customers",
        "catalogs",
        "catalog_assignments",
        "catalog_products",
        "price_lists",
        "price_rules",
        "promotions",
    )
    rows = []
    for table in tables:
        rows.append(await owner.fetch(f"SELECT * FROM {table} WHERE tenant_id = $1 ORDER BY 1, 2", tenant_id))
    return rows


def _kind(template: str) -> str:
    """The record a route is about: the first id in its path."""
    return template.split("{", 1)[1].split("}", 1)[0]


KINDS = sorted({_kind(t) for _m, t in ROUTES})


@pytest.mark.parametrize("kind", KINDS)
async def test_another_tenants_id_is_not_found(client_a, db, owner, tenant_a, tenant_b, tenant_b_records, kind):
    """For each kind of record, every route taking its id: 404 with tenant B's id, and B's data unchanged."""
    assert all(tenant_b_records.values())
    await sign_in_staff(client_a, db, tenant_a, "olga@acme.test", "owner")
    before = await _snapshot(owner, tenant_b.id)
    routes = [(m, t) for m, t in ROUTES if _kind(t) == kind]
    answers = {}
    for method, template in routes:
        path = template.format(**tenant_b_records)
        response = await client_a.get(path) if method == "GET" else await post_form(client_a, path, FORM)
        answers[f"{method} {template}"] = response.status_code

    assert answers == {f"{m} {t}": 404 for m, t in routes}
    assert await _snapshot(owner, tenant_b.id) == before
    staff_entries = "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND actor_kind = 'staff'"
    assert await owner.fetchval(staff_entries, tenant_b.id) == 0


def test_routes_with_ids_are_all_listed():
    """Every route of the screens that takes an id appears in ROUTES (so the test above covers it)."""
    import re

    from backoffice.catalog import ROUTER

    listed = {(m, re.sub(r"\{[a-z_]+\}", "{}", t.removeprefix("/admin"))) for m, t in ROUTES}
    missing = []
    for route in ROUTER.routes:
        if "{" not in route.path:
            continue
        shape = re.sub(r"\{[a-z_]+:[a-z]+\}", "{}", route.path)
        shape = shape.replace("/relations/{}", "/relations/related")
        for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
            if (method, shape) not in listed:
                missing.append(f"{method} {route.path}")
    assert missing == []

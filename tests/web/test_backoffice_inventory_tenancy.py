"""Every inventory route that takes an id answers 404 for another tenant's id, and changes nothing.

test_routes_with_ids_are_all_listed keeps ROUTES complete as routes are added.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.inventory import services
from app.inventory.values import ReorderRuleInput, TransferInput
from tests.integration.inventory.conftest import build_shop, receive
from tests.web.test_auth_sign_in import post_form
from tests.web.test_backoffice_catalog import sign_in_staff

ROUTES = [
    ("GET", "/admin/inventory/variants/{variant}"),
    ("POST", "/admin/inventory/variants/{variant}/tracking"),
    ("GET", "/admin/inventory/warehouses/{warehouse}"),
    ("POST", "/admin/inventory/warehouses/{warehouse}"),
    ("POST", "/admin/inventory/warehouses/{warehouse}/locations"),
    ("GET", "/admin/inventory/locations/{location}"),
    ("POST", "/admin/inventory/locations/{location}"),
    ("GET", "/admin/inventory/documents/{document}?kind=receipt"),
    ("POST", "/admin/inventory/documents/{document}/reverse"),
    ("GET", "/admin/inventory/transfers/{transfer}"),
    ("POST", "/admin/inventory/transfers/{transfer}/lines"),
    ("POST", "/admin/inventory/transfers/{transfer}/lines/{line}/remove"),
    ("POST", "/admin/inventory/transfers/{transfer}/ship"),
    ("POST", "/admin/inventory/transfers/{transfer}/receive"),
    ("POST", "/admin/inventory/transfers/{transfer}/cancel"),
    ("GET", "/admin/inventory/counts/{count}"),
    ("POST", "/admin/inventory/counts/{count}/scan"),
    ("POST", "/admin/inventory/counts/{count}/lines"),
    ("POST", "/admin/inventory/counts/{count}/validate"),
    ("POST", "/admin/inventory/counts/{count}/cancel"),
    ("POST", "/admin/inventory/replenishment/{rule}/delete"),
]
# What a form would send, so that a route cannot answer 400 before it has looked the record up.
FORM = {
    "code": "CHAIR",
    "name": "Taken over",
    "qty": "1",
    "counted": "1",
    "location": "",
    "kind": "receipt",
    "tracking": "lot",
    "edit": "1",
    "is_active": "1",
}
TABLES = (
    "warehouses",
    "locations",
    "stock_moves",
    "stock_quants",
    "stock_levels",
    "stock_items",
    "lots",
    "transfers",
    "transfer_lines",
    "stock_counts",
    "stock_count_lines",
    "reorder_rules",
    "reservations",
    "stock_valuations",
)


@pytest.fixture
async def b_records(db, tenant_b):
    """One record of every kind in tenant B, by the name the routes use."""
    shop = await build_shop(db, tenant_b)
    posted = await receive(db, shop, "CHAIR", 5, "A-01")
    chair, main = shop.skus["CHAIR"], shop.warehouses["MAIN"]
    async with db.transaction(tenant_b.id) as s:
        transfer = await services.create_transfer(
            s, tenant_b.id, TransferInput(main, shop.warehouses["MAD"], ((chair, Decimal(1)),)), SYSTEM
        )
        line = await services.set_transfer_line(s, tenant_b.id, transfer.id, chair, Decimal(1), SYSTEM)
        count = await services.start_count(s, tenant_b.id, main, SYSTEM)
        rule = await services.set_reorder_rule(
            s, tenant_b.id, ReorderRuleInput(chair, main, "min_max", Decimal(1), Decimal(2)), SYSTEM
        )
    return {
        "variant": chair,
        "warehouse": main,
        "location": shop.places["A-01"],
        "document": posted.document.id,
        "transfer": transfer.id,
        "line": line.id,
        "count": count.id,
        "rule": rule.id,
    }


async def _snapshot(owner, tenant_id) -> list:
    return [await owner.fetch(f"SELECT * FROM {t} WHERE tenant_id = $1 ORDER BY 1, 2", tenant_id) for t in TABLES]


async def test_another_tenants_ids_are_not_found(client_a, db, owner, tenant_a, tenant_b, b_records):
    await build_shop(db, tenant_a)
    await sign_in_staff(client_a, db, tenant_a, "olga@acme.test", "owner")
    before = await _snapshot(owner, tenant_b.id)
    answers = {}
    for method, template in ROUTES:
        path = template.format(**b_records)
        response = await client_a.get(path) if method == "GET" else await post_form(client_a, path, FORM)
        answers[f"{method} {template}"] = response.status_code
    assert answers == {f"{m} {t}": 404 for m, t in ROUTES}
    assert await _snapshot(owner, tenant_b.id) == before
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND actor_kind = 'staff'", tenant_b.id
        )
        == 0
    )


def test_routes_with_ids_are_all_listed():
    from backoffice.inventory import ROUTER

    listed = {(m, re.sub(r"\{[a-z_]+\}", "{}", t.removeprefix("/admin").split("?")[0])) for m, t in ROUTES}
    missing = [
        f"{method} {route.path}"
        for route in ROUTER.routes
        if "{" in route.path
        for method in sorted(route.methods - {"OPTIONS", "HEAD"})
        if (method, re.sub(r"\{[a-z_]+:[a-z]+\}", "{}", route.path)) not in listed
    ]
    assert missing == []

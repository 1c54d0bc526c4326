"""Back-office inventory screens: every page renders for the warehouse role, goods are received by typing a
barcode, transfers and counts run end to end over HTTP, bad input is an inline error and nothing is posted."""

from __future__ import annotations

import re

import pytest

from tests.integration.inventory.conftest import build_shop, receive
from tests.web.test_auth_sign_in import post_form
from tests.web.test_backoffice_catalog import sign_in_staff

GS1 = "(01)08412345678905(17)271231(10)L-42"


@pytest.fixture
async def shop(db, tenant_a):
    return await build_shop(db, tenant_a)


@pytest.fixture
async def marta(client_a, db, tenant_a, shop):
    """Marta, of Acme's warehouse, signed in on client_a."""
    await sign_in_staff(client_a, db, tenant_a, "marta@acme.test", "warehouse")
    return client_a


async def test_every_inventory_page_renders_for_the_warehouse(marta, shop, db):
    await receive(db, shop, "CHAIR", 5, "A-01", cost="40")
    home = await marta.get("/admin")
    assert 'href="/admin/inventory"' in home.text
    pages = [
        "/admin/inventory",
        "/admin/inventory?q=chair&all=1",
        f"/admin/inventory/variants/{shop.skus['CHAIR']}",
        "/admin/inventory/warehouses",
        f"/admin/inventory/warehouses/{shop.warehouses['MAIN']}",
        f"/admin/inventory/locations/{shop.places['A-01']}",
        "/admin/inventory/receive",
        "/admin/inventory/adjust",
        "/admin/inventory/transfers",
        "/admin/inventory/counts",
        "/admin/inventory/replenishment",
        "/admin/inventory/scan?code=CHAIR",
        "/admin/inventory/scan?code=123",
    ]
    for url in pages:
        response = await marta.get(url)
        assert response.status_code == 200, url
    stock = await marta.get("/admin/inventory")
    assert "CHAIR" in stock.text and ("200,00" in stock.text or "200.00" in stock.text)
    assert (await marta.get("/admin/inventory/settings")).status_code == 403


async def test_others_may_not_open_the_inventory(client_a, db, tenant_a, shop):
    await sign_in_staff(client_a, db, tenant_a, "sam@acme.test", "sales")
    assert (await client_a.get("/admin/inventory")).status_code == 403
    assert 'href="/admin/inventory"' not in (await client_a.get("/admin")).text


async def test_receive_by_typing_a_gs1_barcode_fills_lot_and_expiry(marta, shop, owner):
    form = {
        "code": GS1,
        "qty": "3",
        "warehouse_id": str(shop.warehouses["MAIN"]),
        "location": "a-02",
        "unit_cost": "41,5",
    }
    response = await post_form(marta, "/admin/inventory/receive", form)
    assert response.status_code == 303, response.text
    assert "location=a-02" in response.headers["location"]
    row = await owner.fetchrow(
        "SELECT q.on_hand, lot.code, lot.expiry_date::text, l.code AS place FROM stock_quants q "
        "JOIN lots lot ON lot.id = q.lot_id JOIN locations l ON l.id = q.location_id"
    )
    assert tuple(row) == (3, "L-42", "2027-12-31", "A-02")
    page = await marta.get(response.headers["location"])
    assert "Received 3 × CHAIR (GR-00001)." in page.text
    variant = await marta.get(f"/admin/inventory/variants/{shop.skus['CHAIR']}")
    assert "L-42" in variant.text and "GR-00001" in variant.text


BAD_RECEIPTS = [
    ({"qty": "abc"}, "qty", "Enter a number."),
    ({"qty": "-1"}, "qty", "Enter 0.0001 or more."),
    ({"code": "8412345678900"}, "code", "wrong check digit"),
    ({"code": "NOPE"}, "code", "Nothing has the code NOPE."),
    ({"location": "MAD-STOCK"}, "location", "Location MAD-STOCK belongs to another warehouse."),
    ({"expiry": "31/12/2027"}, "expiry", "Enter a date."),
]


async def test_bad_receipts_are_inline_errors_and_post_nothing(marta, shop, owner):
    for change, field, message in BAD_RECEIPTS:
        form = {"code": "CHAIR", "qty": "1", "warehouse_id": str(shop.warehouses["MAIN"]), "location": "", **change}
        response = await post_form(marta, "/admin/inventory/receive", form)
        assert response.status_code == 400, change
        assert f'id="f-{field}-error"' in response.text and message in response.text, change
    assert await owner.fetchval("SELECT count(*) FROM stock_moves") == 0


async def test_a_transfer_over_http(marta, shop, db, owner):
    await receive(db, shop, "LAMP", 10, "A-01")
    created = await post_form(
        marta,
        "/admin/inventory/transfers",
        {"from_warehouse_id": str(shop.warehouses["MAIN"]), "to_warehouse_id": str(shop.warehouses["MAD"])},
    )
    assert created.status_code == 303
    url = created.headers["location"]
    assert (await post_form(marta, f"{url}/lines", {"code": "LAMP", "qty": "4"})).status_code == 303
    assert (await post_form(marta, f"{url}/ship", {})).status_code == 303
    page = await marta.get(url)
    assert "In transit" in page.text
    (name,) = re.findall(r'name="(qty_[0-9a-f-]+)"', page.text)
    assert (await post_form(marta, f"{url}/receive", {name: "4", "location": ""})).status_code == 303
    assert "Done" in (await marta.get(url)).text
    assert (
        await owner.fetchval(
            "SELECT on_hand FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id WHERE w.code = 'MAD'"
        )
        == 4
    )


async def test_a_count_over_http_and_a_negative_count_refused(marta, shop, db, owner):
    await receive(db, shop, "DESK", 5, "A-01", cost="100")
    started = await post_form(
        marta, "/admin/inventory/counts", {"warehouse_id": str(shop.warehouses["MAIN"]), "location": "A-01"}
    )
    assert started.status_code == 303
    url = started.headers["location"]
    refused = await post_form(marta, f"{url}/scan", {"location": "A-01", "code": "DESK", "counted": "-2"})
    assert refused.status_code == 400 and 'id="f-counted-error"' in refused.text
    assert (
        await post_form(marta, f"{url}/scan", {"location": "A-01", "code": "DESK", "counted": "4"})
    ).status_code == 303
    assert (await post_form(marta, f"{url}/validate", {})).status_code == 303
    assert await owner.fetchval("SELECT on_hand FROM stock_levels") == 4
    assert await owner.fetchval("SELECT reason FROM stock_moves WHERE document_kind = 'count'") == "count"


async def test_adjust_scrap_rules_and_settings(marta, shop, db, owner, client_a, tenant_a):
    await receive(db, shop, "CHAIR", 6, "A-01", cost="40")
    scrap = {"location": "A-01", "code": "CHAIR", "qty": "1", "action": "scrap", "reason": "damage"}
    assert (await post_form(marta, "/admin/inventory/adjust", scrap)).status_code == 303
    wrong = {**scrap, "action": "add"}
    response = await post_form(marta, "/admin/inventory/adjust", wrong)
    assert response.status_code == 400 and 'id="f-reason-error"' in response.text
    rule = {
        "code": "CHAIR",
        "warehouse_id": str(shop.warehouses["MAIN"]),
        "kind": "min_max",
        "min_qty": "10",
        "max_qty": "30",
    }
    assert (await post_form(marta, "/admin/inventory/replenishment", rule)).status_code == 303
    page = await marta.get("/admin/inventory/replenishment")
    assert "Purchase suggestions" in page.text and ">25<" in page.text.replace(" ", "")
    await sign_in_staff(client_a, db, tenant_a, "olga@acme.test", "owner")
    saved = await post_form(
        client_a,
        "/admin/inventory/settings",
        {"cost_method": "fifo", "availability_mode": "exact", "pick_strategy": "fefo", "low_stock_at": "3"},
    )
    assert saved.status_code == 400 and "cost method can no longer change" in saved.text
    saved = await post_form(
        client_a,
        "/admin/inventory/settings",
        {"cost_method": "average", "availability_mode": "exact", "pick_strategy": "fefo", "low_stock_at": "3"},
    )
    assert saved.status_code == 303
    assert (
        await owner.fetchval("SELECT availability_mode FROM inventory_settings WHERE tenant_id = $1", tenant_a.id)
        == "exact"
    )

"""Fulfilment and returns in the back office through HTTP: the order's Fulfil link, a pick list made from the
order and confirmed by typed codes (a wrong location refused beside the field), packing by scans, shipping with
tracking, the delivery note PDF, shipping more than reserved (400, nothing written), returns approved and
received, the role guard, and another tenant's pick list, shipment, return and order (404).

The shop is the sales tests' one (tests.integration.sales.conftest.build_sales): ten chairs in MAIN-STOCK."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from app import sales
from app.actor import Actor
from tests.integration.sales.conftest import Sales, build_sales, order
from tests.web.test_auth_sign_in import post_form
from tests.web.test_backoffice_catalog import sign_in_staff


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


def _found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match, pattern
    return match.group(1)


async def _pick_and_pack(client, placed) -> str:
    """Make the order's pick list, confirm its stops by typed codes, finish, pack; the packed shipment's URL."""
    fulfil = await client.get(f"/admin/sales/orders/{placed.order_id}/fulfil")
    assert fulfil.status_code == 200 and "Make a pick list" in fulfil.text
    made = await post_form(client, f"/admin/sales/orders/{placed.order_id}/pick-list", {})
    assert made.status_code == 303
    pick_url = made.headers["location"]
    page = await client.get(pick_url)
    assert "Next stop" in page.text and "MAIN-STOCK" in page.text
    wrong = await post_form(client, f"{pick_url}/pick", {"location": "A-01", "product": "CHAIR"})
    assert wrong.status_code == 400 and "The list takes no CHAIR from A-01." in wrong.text
    picked = await post_form(client, f"{pick_url}/pick", {"location": "main-stock", "product": "8412345678905"})
    assert picked.status_code == 303
    assert "Picked 2 × CHAIR at MAIN-STOCK." in (await client.get(pick_url)).text
    assert (await post_form(client, f"{pick_url}/finish", {})).status_code == 303
    short = await post_form(
        client, f"/admin/sales/orders/{placed.order_id}/pack", {"scanned": "CHAIR", "packages": "1"}
    )
    assert short.status_code == 400 and "CHAIR: 1 more" in short.text and ">CHAIR</textarea>" in short.text
    packed = await post_form(
        client,
        f"/admin/sales/orders/{placed.order_id}/pack",
        {"scanned": "CHAIR\nchair", "packages": "1", "weight_kg": "9,5"},
    )
    assert packed.status_code == 303
    fulfil = await client.get(f"/admin/sales/orders/{placed.order_id}/fulfil")
    return "/admin/sales/shipments/" + _found(r'href="/admin/sales/shipments/([0-9a-f-]{36})"', fulfil.text)


async def test_pick_pack_ship_by_typed_codes_and_print_the_delivery_note(client_a, db, tenant_a, shop):
    placed = await order(db, shop, "carl", ("CHAIR", 2))
    await sign_in_staff(client_a, db, tenant_a, "marta@acme.test", "warehouse")
    detail_guard = await client_a.get(f"/admin/sales/orders/{placed.order_id}")
    assert detail_guard.status_code in (302, 303, 401, 403)  # the order page is the sales team's
    shipment_url = await _pick_and_pack(client_a, placed)
    bad = await post_form(client_a, f"{shipment_url}/ship", {"tracking_url": "javascript:alert(1)"})
    assert bad.status_code == 400 and "Enter a web address starting with https://." in bad.text
    shipped = await post_form(
        client_a,
        f"{shipment_url}/ship",
        {"tracking_number": "TRK-123", "tracking_url": "https://track.example/TRK-123"},
    )
    assert shipped.status_code == 303
    page = await client_a.get(shipment_url)
    assert "Shipped: the customer has the tracking number." in page.text and "TRK-123" in page.text
    pdf = await client_a.get(f"{shipment_url}/delivery-note.pdf")
    assert (
        pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    )
    listing = await client_a.get("/admin/sales/shipments?status=shipped")
    assert "TRK-123" in listing.text


async def test_the_order_page_links_to_fulfil(client_a, db, tenant_a, shop):
    placed = await order(db, shop, "carl", ("CHAIR", 1))
    await sign_in_staff(client_a, db, tenant_a, "sonia@acme.test", "sales")
    page = await client_a.get(f"/admin/sales/orders/{placed.order_id}")
    assert f'href="/admin/sales/orders/{placed.order_id}/fulfil"' in page.text
    hub = await client_a.get("/admin/sales/fulfilment")
    assert hub.status_code == 200 and placed.number in hub.text
    batch = await post_form(client_a, "/admin/sales/pick-lists", {"warehouse": str(shop.shop.warehouses["MAIN"])})
    assert batch.status_code == 303 and "/admin/sales/pick-lists/" in batch.headers["location"]
    assert "No open pick list." not in (await client_a.get("/admin/sales/fulfilment")).text


async def test_shipping_more_than_reserved_is_a_400_and_writes_nothing(client_a, db, tenant_a, shop, owner):
    placed = await order(db, shop, "carl", ("CHAIR", 12))
    line = await owner.fetchval("SELECT id FROM sales_order_lines WHERE order_id = $1", placed.order_id)
    await sign_in_staff(client_a, db, tenant_a, "marta@acme.test", "warehouse")
    before = await owner.fetchval("SELECT count(*) FROM stock_moves")
    refused = await post_form(client_a, f"/admin/sales/orders/{placed.order_id}/ship", {f"qty_{line}": "11"})
    assert refused.status_code == 400
    assert "Shipping more than reserved: line CHAIR has 10 reserved, 11 to ship." in refused.text
    assert 'value="11"' in refused.text
    assert await owner.fetchval("SELECT count(*) FROM stock_moves") == before
    assert await owner.fetchval("SELECT count(*) FROM shipments") == 0
    assert await owner.fetchval("SELECT shipped_qty FROM sales_order_lines WHERE id = $1", line) == 0
    shipped = await post_form(
        client_a, f"/admin/sales/orders/{placed.order_id}/ship", {f"qty_{line}": "10", "packages": "2"}
    )
    assert shipped.status_code == 303
    page = await client_a.get(f"/admin/sales/orders/{placed.order_id}/fulfil")
    assert "Partially shipped" in page.text


async def test_a_return_is_approved_and_received_to_stock_and_scrap(client_a, db, tenant_a, shop, owner):
    placed = await order(db, shop, "carl", ("CHAIR", 3))
    line = await owner.fetchval("SELECT id FROM sales_order_lines WHERE order_id = $1", placed.order_id)
    async with db.transaction(shop.tenant_id) as s:
        staff = Actor("staff", None, "test")
        await sales.ship_order(s, shop.tenant_id, placed.order_id, sales.DirectShipment({line: Decimal(3)}), staff)
        request = sales.ReturnRequest(placed.order_id, shop.customers["ROCA"], shop.users["carl"], {line: Decimal(2)})
        rma = await sales.request_return(s, shop.tenant_id, request, Actor("customer", shop.users["carl"], "carl"))
        rma_id = rma.id
    await sign_in_staff(client_a, db, tenant_a, "marta@acme.test", "warehouse")
    assert rma.number in (await client_a.get("/admin/sales/returns?status=requested")).text
    url = f"/admin/sales/returns/{rma_id}"
    silent = await post_form(client_a, f"{url}/reject", {"note": ""})
    assert silent.status_code == 400 and "Tell the customer why the return is rejected." in silent.text
    assert (await post_form(client_a, f"{url}/approve", {"note": "Send them back"})).status_code == 303
    return_line = await owner.fetchval("SELECT id FROM sales_return_lines WHERE return_id = $1", rma_id)
    no_reason = await post_form(
        client_a, f"{url}/receive", {f"restock_{return_line}": "1", f"scrap_{return_line}": "1"}
    )
    assert no_reason.status_code == 400 and "Say why the goods are scrapped." in no_reason.text
    received = await post_form(
        client_a,
        f"{url}/receive",
        {
            f"restock_{return_line}": "1",
            f"scrap_{return_line}": "1",
            f"reason_{return_line}": "damage",
            "location": "A-01",
        },
    )
    assert received.status_code == 303
    page = await client_a.get(url)
    assert "Goods received." in page.text and "Received" in page.text
    a01 = await owner.fetchval(
        "SELECT coalesce(sum(q.on_hand), 0) FROM stock_quants q JOIN locations l ON l.id = q.location_id "
        "WHERE l.code = 'A-01'"
    )
    assert a01 == 1  # two came back to A-01, one of them went on to scrap


async def test_another_tenants_fulfilment_pages_are_404(client_a, client_b, db, tenant_a, tenant_b, shop, owner):
    placed = await order(db, shop, "carl", ("CHAIR", 2))
    await sign_in_staff(client_a, db, tenant_a, "marta@acme.test", "warehouse")
    shipment_url = await _pick_and_pack(client_a, placed)
    pick_id = await owner.fetchval("SELECT id FROM pick_lists")
    line = await owner.fetchval("SELECT id FROM sales_order_lines WHERE order_id = $1", placed.order_id)
    async with db.transaction(shop.tenant_id) as s:
        await sales.ship_packed(
            s,
            shop.tenant_id,
            await owner.fetchval("SELECT id FROM shipments"),
            sales.Dispatch(),
            Actor("staff", None, "t"),
        )
        request = sales.ReturnRequest(placed.order_id, shop.customers["ROCA"], None, {line: Decimal(1)})
        rma_id = (await sales.request_return(s, shop.tenant_id, request, Actor("customer", None, "carl"))).id
    await sign_in_staff(client_b, db, tenant_b, "marta@other.test", "warehouse")
    for url in (
        f"/admin/sales/pick-lists/{pick_id}",
        shipment_url,
        f"{shipment_url}/delivery-note.pdf",
        f"/admin/sales/orders/{placed.order_id}/fulfil",
        f"/admin/sales/returns/{rma_id}",
    ):
        assert (await client_b.get(url)).status_code == 404, url
    for url, data in (
        (f"/admin/sales/pick-lists/{pick_id}/pick", {"location": "MAIN-STOCK", "product": "CHAIR"}),
        (f"/admin/sales/pick-lists/{pick_id}/finish", {}),
        (f"{shipment_url}/ship", {}),
        (f"/admin/sales/orders/{placed.order_id}/pack", {"scanned": "CHAIR"}),
        (f"/admin/sales/orders/{placed.order_id}/ship", {f"qty_{line}": "1"}),
        (f"/admin/sales/orders/{placed.order_id}/pick-list", {}),
        (f"/admin/sales/orders/{placed.order_id}/reserve", {}),
        (f"/admin/sales/returns/{rma_id}/approve", {}),
        (f"/admin/sales/returns/{rma_id}/receive", {}),
    ):
        assert (await post_form(client_b, url, data)).status_code == 404, url
    assert placed.number not in (await client_b.get("/admin/sales/shipments")).text

"""Staff enter an order for a customer (their prices, live through htmx), place it once per form, change it
before it ships (priced again, reservations adjusted, a timeline entry; refused after a shipment) and print its
confirmation; another tenant's order is a 404 and other roles are kept out.

The shop is tests.integration.sales.conftest.build_sales: CHAIR 100, DESK 250, LAMP 20 (+21 %), ten chairs."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest

from tests.integration.sales.conftest import Sales, build_sales, order
from tests.web.test_auth_sign_in import csrf, post_form
from tests.web.test_backoffice_catalog import sign_in_staff

HTMX = {"HX-Request": "true"}


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


@pytest.fixture
async def clerk(client_a, db, tenant_a, shop):
    await sign_in_staff(client_a, db, tenant_a, "sonia@acme.test", "sales")
    return client_a


def key_of(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html).group(1)


async def test_staff_enter_an_order_with_the_customers_prices_and_place_it_once(clerk, owner, shop):
    await owner.execute(
        "UPDATE customers SET group_id = NULL WHERE code = 'ROCA'"
    )  # the base price list applies: CHAIR 100
    form = await clerk.get("/admin/sales/orders/new?customer=ROCA")
    assert form.status_code == 200 and "Roca S.A." in form.text and 'name="sku"' in form.text
    assert str(shop.addresses["ROCA"]) in form.text
    fields = {"customer": "ROCA", "sku": ["chair", "LAMP", ""], "qty": ["2", "5", ""]}
    priced = await clerk.post(
        "/admin/sales/orders/new/lines", data=fields, headers=HTMX | {"x-csrftoken": await csrf(clerk)}
    )
    assert priced.status_code == 200 and "<html" not in priced.text and 'id="entry-lines"' in priced.text
    assert "€100.00" in priced.text and "€200.00" in priced.text and "€300.00" in priced.text  # 200 + 100
    unknown = await clerk.post(
        "/admin/sales/orders/new/lines",
        data={"customer": "ROCA", "sku": ["NOPE"], "qty": ["1"]},
        headers=HTMX | {"x-csrftoken": await csrf(clerk)},
    )
    assert "No article for sale has this SKU." in unknown.text
    key = key_of(form.text)
    place = fields | {
        "idempotency_key": key,
        "action": "place",
        "po_number": "PO-PHONE",
        "ship_address_id": str(shop.addresses["ROCA"]),
        "delivery_mode": "ship_available",
    }
    placed = await post_form(clerk, "/admin/sales/orders/new", place)
    assert placed.status_code == 303 and placed.headers["location"].startswith("/admin/sales/orders/")
    again = await post_form(clerk, "/admin/sales/orders/new", place)  # a double click
    assert again.headers["location"] == placed.headers["location"]
    row = await owner.fetchrow("SELECT status, gross, po_number, placed_by FROM sales_orders")
    assert (row["status"], row["gross"], row["po_number"]) == ("confirmed", 363, "PO-PHONE")  # staff: no approval
    page = await clerk.get(placed.headers["location"])
    assert "Order SO-" in page.text and "PO-PHONE" in page.text and 'id="order-edit"' in page.text


async def test_entry_refusals_come_back_beside_their_rows_and_nothing_is_placed(clerk, owner, shop):
    key = key_of((await clerk.get("/admin/sales/orders/new?customer=ROCA")).text)
    base = {"customer": "ROCA", "idempotency_key": key, "action": "place"}
    for rows, message in (
        ({"sku": ["CHAIR"], "qty": ["-1"]}, "greater than zero"),
        ({"sku": ["GHOST"], "qty": ["1"]}, "No article for sale has this SKU."),
        ({"sku": [""], "qty": [""]}, "Add at least one item to order."),
    ):
        refused = await post_form(clerk, "/admin/sales/orders/new", base | rows)
        assert refused.status_code == 400 and message in refused.text, rows
    late = await post_form(
        clerk, "/admin/sales/orders/new", base | {"sku": ["LAMP"], "qty": ["1"], "requested_date": "2001-01-01"}
    )
    assert late.status_code == 400 and "Choose a date from today on." in late.text
    nobody = await post_form(clerk, "/admin/sales/orders/new", {"customer": "NOBODY", "sku": ["LAMP"], "qty": ["1"]})
    assert nobody.status_code == 400 and "Choose the customer." in nobody.text
    assert await owner.fetchval("SELECT count(*) FROM sales_orders") == 0


async def test_staff_change_an_order_before_it_ships(clerk, db, owner, shop):
    placed = await order(db, shop, "carl", ("CHAIR", 2), ("DESK", 1))
    form = await clerk.get(f"/admin/sales/orders/{placed.order_id}/edit")
    assert form.status_code == 200 and 'value="CHAIR"' in form.text and 'value="2"' in form.text
    preview = await post_form(
        clerk, f"/admin/sales/orders/{placed.order_id}/edit", {"sku": ["CHAIR", "DESK"], "qty": ["4", "1"]}
    )
    assert (
        preview.status_code == 200
        and await owner.fetchval("SELECT qty FROM sales_order_lines WHERE sku = 'CHAIR'") == 2
    )
    saved = await post_form(
        clerk,
        f"/admin/sales/orders/{placed.order_id}/edit",
        {"sku": ["CHAIR", "DESK", "LAMP"], "qty": ["4", "0", "2"], "note": "Customer phoned", "action": "save"},
    )
    assert saved.status_code == 303
    lines = await owner.fetch("SELECT sku, qty, reserved_qty FROM sales_order_lines ORDER BY sku")
    assert [(r["sku"], r["qty"], r["reserved_qty"]) for r in lines] == [("CHAIR", 4, 4), ("LAMP", 2, 0)]
    assert await owner.fetchval("SELECT reserved FROM stock_levels") == 4
    assert await owner.fetchval("SELECT gross FROM sales_orders") == Decimal("532.40")  # (400 + 40) * 1.21
    page = await clerk.get(saved.headers["location"])
    assert "Order changed" in page.text and "DESK removed" in page.text and "Customer phoned" in page.text


async def test_changing_an_order_after_a_shipment_is_refused(clerk, db, owner, shop):
    placed = await order(db, shop, "carl", ("CHAIR", 2))
    await owner.execute("UPDATE sales_order_lines SET shipped_qty = 2, reserved_qty = 0")
    await owner.execute("UPDATE sales_orders SET status = 'shipped'")
    page = await clerk.get(f"/admin/sales/orders/{placed.order_id}")
    assert 'id="order-edit"' not in page.text
    refused = await post_form(
        clerk, f"/admin/sales/orders/{placed.order_id}/edit", {"sku": ["CHAIR"], "qty": ["5"], "action": "save"}
    )
    assert refused.status_code == 400 and "have shipped" in refused.text
    assert await owner.fetchval("SELECT qty FROM sales_order_lines") == 2


async def test_the_confirmation_pdf_and_another_tenants_order(clerk, client_b, db, tenant_b, shop):
    placed = await order(db, shop, "carl", ("CHAIR", 2))
    pdf = await clerk.get(f"/admin/sales/orders/{placed.order_id}/confirmation.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    await build_sales(db, tenant_b, chairs=0)
    await sign_in_staff(client_b, db, tenant_b, "sonia@beta.test", "sales")
    for path in ("confirmation.pdf", "edit"):
        assert (await client_b.get(f"/admin/sales/orders/{placed.order_id}/{path}")).status_code == 404
    refused = await post_form(
        client_b, f"/admin/sales/orders/{placed.order_id}/edit", {"sku": ["CHAIR"], "qty": ["9"], "action": "save"}
    )
    assert refused.status_code == 404
    assert (await client_b.get(f"/admin/sales/orders/{uuid.uuid4()}/edit")).status_code == 404


async def test_other_roles_are_kept_out(client_a, db, tenant_a, shop):
    await sign_in_staff(client_a, db, tenant_a, "wendy@acme.test", "warehouse")
    assert (await client_a.get("/admin/sales/orders/new")).status_code == 403


async def test_staff_choose_the_delivery_method_and_the_order_keeps_it(clerk, db, owner, shop, tenant_a, tenant_b):
    """With carriers, the entry form offers their services for the lines and the ship-to (cheapest chosen at
    first, the totals with its shipping), re-quoted through htmx as lines or the address change; the order keeps
    the chosen service at the server's price; another tenant's service is refused and nothing is placed."""
    from tests.integration.shipping.carriers import build_carriers

    carriers = await build_carriers(db, tenant_a)
    other = await build_carriers(db, tenant_b)
    await owner.execute("UPDATE product_variants SET weight_kg = 2 WHERE tenant_id = $1", tenant_a.id)
    form = await clerk.get("/admin/sales/orders/new?customer=ROCA")
    assert 'id="entry-delivery"' in form.text and "Add items to see the delivery methods" in form.text
    fields = {"customer": "ROCA", "sku": ["CHAIR"], "qty": ["2"], "delivery_mode": "ship_available"}
    priced = await clerk.post(
        "/admin/sales/orders/new/lines", data=fields, headers=HTMX | {"x-csrftoken": await csrf(clerk)}
    )
    delivery = priced.text.split('id="entry-delivery"')[1]
    eco, fast = carriers["eco"].id, carriers["fast"].id
    assert 'hx-swap-oob="true"' in priced.text and f'value="{eco}" checked' in delivery
    assert "Cheapest" in delivery and "Fastest" in delivery and "€4.95" in delivery
    chosen = await clerk.post(
        "/admin/sales/orders/new/delivery",
        data=fields | {"delivery_service_id": str(fast)},
        headers=HTMX | {"x-csrftoken": await csrf(clerk)},
    )
    assert chosen.status_code == 200 and "<html" not in chosen.text and f'value="{fast}" checked' in chosen.text
    assert 'id="entry-shipping">€9.90' in chosen.text
    key = key_of(form.text)
    place = fields | {"idempotency_key": key, "action": "place", "ship_address_id": str(shop.addresses["ROCA"])}
    refused = await post_form(clerk, "/admin/sales/orders/new", place | {"delivery_service_id": str(other["fast"].id)})
    assert refused.status_code == 400 and 'id="f-delivery_service_id-error"' in refused.text
    assert await owner.fetchval("SELECT count(*) FROM sales_orders") == 0
    placed = await post_form(clerk, "/admin/sales/orders/new", place | {"delivery_service_id": str(fast)})
    assert placed.status_code == 303
    row = await owner.fetchrow("SELECT delivery_service_id, shipping_net FROM sales_orders")
    assert (row["delivery_service_id"], row["shipping_net"]) == (fast, Decimal("9.90"))

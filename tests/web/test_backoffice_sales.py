"""Sales orders in the back office through HTTP: the list and its filters, an order's page with its lines,
reservations and timeline, cancel / hold / release, the role guard, and another tenant's order (404).

The shop is the sales tests' one (tests.integration.sales.conftest.build_sales)."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.sales.conftest import Sales, build_sales, order
from tests.web.test_auth_sign_in import post_form
from tests.web.test_backoffice_catalog import sign_in_staff


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


async def test_the_list_filters_by_status_customer_and_number(client_a, db, tenant_a, shop):
    confirmed = await order(db, shop, "carl", ("CHAIR", 2), po_number="PO-CARL")
    waiting = await order(db, shop, "ana", ("CHAIR", 5))
    other = await order(db, shop, "otto", ("LAMP", 1), company="OTRA")
    await sign_in_staff(client_a, db, tenant_a, "sonia@acme.test", "sales")
    page = await client_a.get("/admin/sales/orders")
    assert page.status_code == 200
    assert all(o.number in page.text for o in (confirmed, waiting, other))
    assert 'href="/admin/sales/orders"' in page.text  # the nav entry
    by_status = await client_a.get("/admin/sales/orders?status=awaiting_approval")
    assert waiting.number in by_status.text and confirmed.number not in by_status.text
    by_customer = await client_a.get("/admin/sales/orders?customer=OTRA")
    assert other.number in by_customer.text and confirmed.number not in by_customer.text
    by_number = await client_a.get("/admin/sales/orders", params={"q": confirmed.number})
    assert confirmed.number in by_number.text and waiting.number not in by_number.text
    by_po = await client_a.get("/admin/sales/orders?q=po-carl")
    assert confirmed.number in by_po.text and other.number not in by_po.text
    junk = await client_a.get("/admin/sales/orders?status=bogus&customer=NOPE&page=x&q=%25_")
    assert junk.status_code == 200 and "No sales orders here." in junk.text


async def test_the_order_page_shows_lines_reservations_and_the_timeline(client_a, db, tenant_a, shop):
    placed = await order(db, shop, "carl", ("CHAIR", 12), ("LAMP", 2))  # 10 chairs in stock: 2 backordered
    await sign_in_staff(client_a, db, tenant_a, "sonia@acme.test", "sales")
    page = await client_a.get(f"/admin/sales/orders/{placed.order_id}")
    assert page.status_code == 200
    assert "CHAIR" in page.text and "LAMP" in page.text and "backorder 2" in page.text
    assert "Roca S.A." in page.text and "Confirmed" in page.text
    assert "/hold" in page.text and "/cancel" in page.text and "/release" not in page.text


async def test_hold_release_and_cancel(client_a, db, tenant_a, shop):
    placed = await order(db, shop, "carl", ("CHAIR", 2))
    await sign_in_staff(client_a, db, tenant_a, "sonia@acme.test", "sales")
    url = f"/admin/sales/orders/{placed.order_id}"
    held = await post_form(client_a, f"{url}/hold", {"note": "Customer called"})
    assert held.status_code == 303 and held.headers["location"] == url
    page = await client_a.get(url)
    assert "Order put on hold." in page.text and "On hold" in page.text and "Customer called" in page.text
    again = await post_form(client_a, f"{url}/hold")
    assert again.status_code == 400
    assert (await post_form(client_a, f"{url}/release")).status_code == 303
    assert "Hold released." in (await client_a.get(url)).text
    assert (await post_form(client_a, f"{url}/cancel", {"note": "Duplicate"})).status_code == 303
    page = await client_a.get(url)
    assert "Cancelled" in page.text and "/cancel" not in page.text
    assert (await post_form(client_a, f"{url}/cancel")).status_code == 400
    assert (await client_a.post(f"{url}/hold", data={})).status_code == 403  # no CSRF token


async def test_other_roles_and_other_tenants_are_kept_out(client_a, client_b, db, tenant_a, tenant_b, shop):
    placed = await order(db, shop, "carl", ("CHAIR", 1))
    await sign_in_staff(client_a, db, tenant_a, "wanda@acme.test", "warehouse")
    assert (await client_a.get("/admin/sales/orders")).status_code == 403
    assert (await post_form(client_a, f"/admin/sales/orders/{placed.order_id}/cancel")).status_code == 403
    await sign_in_staff(client_b, db, tenant_b, "olga@globex.test", "owner")
    assert (await client_b.get(f"/admin/sales/orders/{placed.order_id}")).status_code == 404
    assert (await post_form(client_b, f"/admin/sales/orders/{placed.order_id}/cancel")).status_code == 404
    assert (await client_b.get(f"/admin/sales/orders/{uuid.uuid4()}")).status_code == 404
    assert placed.number not in (await client_b.get("/admin/sales/orders")).text

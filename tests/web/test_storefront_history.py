"""The portal's order history search (number, PO number, status, dates) and the order confirmation PDF; another
company's or another tenant's order is never listed and its PDF is a 404."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.integration.sales.conftest import Sales, build_sales, order
from tests.web.test_storefront_ordering import as_user


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


async def test_history_searches_by_number_po_status_and_dates(client_a, db, owner, shop):
    first = await order(db, shop, "carl", ("LAMP", 1), po_number="PO-ALPHA")
    second = await order(db, shop, "ana", ("CHAIR", 5), po_number="PO-BETA")  # awaiting approval
    await owner.execute("UPDATE sales_orders SET placed_at = now() - interval '40 days' WHERE id = $1", first.order_id)
    await as_user(client_a, "carl@roca.test")
    everything = await client_a.get("/account/orders")
    assert first.number in everything.text and second.number in everything.text
    by_po = await client_a.get("/account/orders?q=alpha")
    assert first.number in by_po.text and second.number not in by_po.text and 'value="alpha"' in by_po.text
    by_number = await client_a.get(f"/account/orders?q={second.number}")
    assert second.number in by_number.text and first.number not in by_number.text
    waiting = await client_a.get("/account/orders?status=awaiting_approval")
    assert second.number in waiting.text and first.number not in waiting.text
    recent = await client_a.get(f"/account/orders?from={(date.today() - timedelta(days=7)).isoformat()}")
    assert second.number in recent.text and first.number not in recent.text
    old = await client_a.get(f"/account/orders?to={(date.today() - timedelta(days=30)).isoformat()}")
    assert first.number in old.text and second.number not in old.text
    nothing = await client_a.get("/account/orders?q=nope&status=bogus&from=not-a-date")
    assert nothing.status_code == 200 and "No order matches your search." in nothing.text


async def test_history_never_lists_another_companys_orders(client_a, db, shop):
    theirs = await order(db, shop, "otto", ("LAMP", 1), company="OTRA", po_number="PO-OTRA")
    await as_user(client_a, "carl@roca.test")
    assert theirs.number not in (await client_a.get("/account/orders?q=PO-OTRA")).text
    assert "No order matches your search." in (await client_a.get(f"/account/orders?q={theirs.number}")).text


async def test_the_confirmation_pdf_is_the_companys_own(client_a, client_b, db, shop, tenant_b):
    placed = await order(db, shop, "carl", ("LAMP", 2), po_number="PO-PDF")
    await as_user(client_a, "carl@roca.test")
    assert (
        f"/account/orders/{placed.order_id}/confirmation.pdf"
        in (await client_a.get(f"/account/orders/{placed.order_id}")).text
    )
    pdf = await client_a.get(f"/account/orders/{placed.order_id}/confirmation.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and placed.number in pdf.headers["content-disposition"]
    await as_user(client_a, "otto@otra.test")
    assert (await client_a.get(f"/account/orders/{placed.order_id}/confirmation.pdf")).status_code == 404
    await build_sales(db, tenant_b, chairs=0)
    await as_user(client_b, "carl@roca.test")
    assert (await client_b.get(f"/account/orders/{placed.order_id}/confirmation.pdf")).status_code == 404

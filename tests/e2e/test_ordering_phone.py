"""B2B ordering on a phone (360×740, Spanish): the Cowork buyer pastes two lines into the quick order, lands in
the cart, changes a quantity (htmx re-prices the line and the totals), checks out on account with a PO number,
and finds the order in the history. Screenshots go to test-artifacts/e2e/.

The SKUs are two the demo already sold to Cowork (so they are in its assortment and priced for it), read from
the live server's database.
"""

from __future__ import annotations

import os

import pytest
from playwright.async_api import expect
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.db import Database
from app.identity.models import User
from app.sales.models import SalesOrder, SalesOrderLine
from app.settings import Settings
from tenants.services import tenant_by_slug
from tests.e2e.conftest import assert_no_horizontal_scroll, screenshot
from tests.e2e.test_stock_phone import BUYER, shop, sign_in

pytestmark = pytest.mark.e2e
PO = "E2E-PO-77"


async def bought_before(server_url: str) -> list[str]:
    """Two SKUs of the demo's orders for the buyer's company (as tests/e2e/conftest.py names the database)."""
    url = make_url(server_url).set(database=f"bodega_e2e_{os.getpid()}").render_as_string(hide_password=False)
    db = Database(Settings().with_database(url), null_pool=True)
    try:
        async with db.session(None) as s:
            tenant = await tenant_by_slug(s, "demo")
        async with db.transaction(tenant.id) as s:
            customer_id = await s.scalar(select(User.customer_id).where(User.email == BUYER))
            rows = await s.scalars(
                select(SalesOrderLine.sku)
                .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
                .where(SalesOrder.customer_id == customer_id)
                .order_by(SalesOrderLine.sku)
                .distinct()
            )
            skus = list(rows)
    finally:
        await db.dispose()
    if len(skus) < 2:
        pytest.skip("the demo has no orders of the buyer's company to order again")
    return skus[:2]


async def test_quick_order_to_cart_to_checkout_on_account_to_history(live_server, server_url, phone):
    first, second = await bought_before(server_url)
    page = phone
    await sign_in(page, shop(live_server, "/sign-in"), BUYER)

    await page.goto(shop(live_server, "/quick-order"))
    await page.fill("#quick-lines", f"{first} 1\n{second};2")
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "ordering-quick-order")
    await page.click("button[name=action][value=add]")
    await page.wait_for_url("**/cart")
    lines = page.locator("#cart .cart-line")
    await expect(lines).to_have_count(2)
    await expect(page.locator("#cart-count .cart-badge")).to_contain_text("2")

    gross = await page.locator("#cart-gross").inner_text()
    qty = lines.first.locator("input[name=qty]")
    await qty.fill("3")
    await qty.dispatch_event("change")  # htmx posts the line and swaps the cart block
    await expect(page.locator("#cart-gross")).not_to_have_text(gross)
    await expect(page.locator("#cart .cart-line").first.locator("input[name=qty]")).to_have_value("3")
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "ordering-cart")

    await page.click("#cart a[href='/checkout']")
    await page.wait_for_url("**/checkout")
    await expect(page.locator("#pay-account")).to_be_checked()
    await expect(page.locator("#pay-card")).to_be_disabled()
    await page.fill("#f-po_number", PO)
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "ordering-checkout")
    await page.click(".checkout-form button[type=submit].btn-primary")
    await page.wait_for_url("**/account/orders/*")
    await expect(page.locator("#order-status")).to_be_visible()
    await expect(page.locator("#order-lines tbody tr")).to_have_count(2)
    await expect(page.locator("main")).to_contain_text(PO)
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "ordering-order")

    await page.goto(shop(live_server, "/account/orders"))
    await expect(page.locator("table", has_text=PO)).to_have_count(1)
    await assert_no_horizontal_scroll(page)
    await screenshot(page, "ordering-history")
    await page.goto(shop(live_server, "/cart"))
    await expect(page.locator(".empty-cart")).to_be_visible()

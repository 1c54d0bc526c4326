"""Fulfilment on a phone (360×740, Spanish): the Cowork buyer orders one unit on account; in the back office the
warehouse opens the order's fulfilment page, makes its pick list, confirms the stop by typing the location and
the article's code, finishes, packs by typing the code, and ships with the demo's courier and a tracking number;
the buyer then sees the order "shipped" with the tracking number in the portal. Screenshots go to
test-artifacts/e2e/.

The article is one the demo already sold to Cowork (in its assortment, priced for it) with the most stock free in
its warehouse, read from the live server's database; no other browser test ships orders.
"""

from __future__ import annotations

import os
import re

import pytest
from playwright.async_api import expect
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app import inventory
from app.db import Database
from app.identity.models import User
from app.sales.models import SalesOrder, SalesOrderLine
from app.settings import Settings
from tenants.services import tenant_by_slug
from tests.e2e.conftest import PHONE, assert_no_horizontal_scroll, screenshot
from tests.e2e.test_stock_phone import BUYER, STAFF, shop, sign_in

pytestmark = pytest.mark.e2e
TRACKING = "MLV-E2E-4711"


async def roomiest_sku(server_url: str) -> str:
    """Of the SKUs the buyer's company bought, the one with the most stock free (as tests/e2e/conftest.py names
    the database)."""
    url = make_url(server_url).set(database=f"bodega_e2e_{os.getpid()}").render_as_string(hide_password=False)
    db = Database(Settings().with_database(url), null_pool=True)
    try:
        async with db.session(None) as s:
            tenant = await tenant_by_slug(s, "demo")
        async with db.transaction(tenant.id) as s:
            customer_id = await s.scalar(select(User.customer_id).where(User.email == BUYER))
            rows = await s.execute(
                select(SalesOrderLine.variant_id, SalesOrderLine.sku)
                .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
                .where(SalesOrder.customer_id == customer_id)
                .distinct()
            )
            skus = dict(rows.all())
            free = await inventory.availability(s, list(skus))
    finally:
        await db.dispose()
    best = max(free, key=lambda a: a.available, default=None)
    if best is None or best.available < 1:
        pytest.skip("no article the buyer's company bought has stock free in the demo")
    return skus[best.variant_id]


async def place_one(page, live_server: str, sku: str) -> str:
    """The buyer orders one unit on account through the quick order; returns the order page's path."""
    await sign_in(page, shop(live_server, "/sign-in"), BUYER)
    await page.goto(shop(live_server, "/quick-order"))
    await page.fill("#quick-lines", f"{sku} 1")
    await page.click("button[name=action][value=add]")
    await page.wait_for_url("**/cart")
    await page.click("#cart a[href='/checkout']")
    await page.wait_for_url("**/checkout")
    await page.fill("#f-po_number", "E2E-SHIP-1")
    await page.click(".checkout-form button[type=submit].btn-primary")
    await page.wait_for_url("**/account/orders/*")
    return "/" + page.url.split("/", 3)[3]


async def test_picked_packed_and_shipped_by_typing_codes_then_the_buyer_sees_tracking(
    live_server, server_url, phone, browser
):
    sku = await roomiest_sku(server_url)
    buyer = phone
    order_path = await place_one(buyer, live_server, sku)
    order_id = order_path.rsplit("/", 1)[1]

    context = await browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="es-ES"
    )
    staff = await context.new_page()
    try:
        await sign_in(staff, shop(live_server, "/admin/sign-in"), STAFF)
        await staff.goto(shop(live_server, f"/admin/sales/orders/{order_id}/fulfil"))
        await expect(staff.locator("#fulfil-lines")).to_contain_text(sku)
        await assert_no_horizontal_scroll(staff)
        await screenshot(staff, "fulfilment-order")

        await staff.click("#make-pick-list")
        await staff.wait_for_url("**/admin/sales/pick-lists/*")
        stop = staff.locator("#pick-stops tbody tr").filter(has_text=sku).first
        location = (await stop.locator("td").nth(0).inner_text()).strip()
        lot = (await stop.locator("td").nth(2).inner_text()).split("·")[0].strip()
        await assert_no_horizontal_scroll(staff)
        await screenshot(staff, "fulfilment-pick-list")
        await staff.fill("#f-location", location)
        await staff.fill("#f-product", sku)
        if await staff.locator("#f-lot").count():
            await staff.fill("#f-lot", "" if lot == "—" else lot)
        await staff.click("form[action$='/pick'] button[type=submit]")
        await expect(staff.locator("#pick-stops tbody tr").filter(has_text=sku).first).to_contain_text("✓")
        await staff.click("form[action$='/finish'] button[type=submit]")
        await expect(staff.locator("#pick-status")).not_to_contain_text("Open")

        await staff.goto(shop(live_server, f"/admin/sales/orders/{order_id}/fulfil"))
        await staff.fill("#f-scanned", sku)
        await assert_no_horizontal_scroll(staff)
        await screenshot(staff, "fulfilment-pack")
        await staff.click("form[action$='/pack'] button[type=submit]")
        await staff.wait_for_url(f"**/admin/sales/orders/{order_id}/fulfil")
        await staff.click("#shipments a.btn-primary")
        await staff.wait_for_url("**/admin/sales/shipments/*")
        options = await staff.locator("#f-service_id option").all()
        if len(options) > 1:
            await staff.select_option("#f-service_id", index=1)
        await staff.fill("#f-tracking_number", TRACKING)
        await staff.click("form[action$='/ship'] button[type=submit]")
        await expect(staff.locator("#tracking")).to_contain_text(TRACKING)
        await assert_no_horizontal_scroll(staff)
        await screenshot(staff, "fulfilment-shipped")
    finally:
        await context.close()

    await buyer.goto(shop(live_server, order_path))
    await expect(buyer.locator("#order-status")).to_have_class(re.compile(r"\bstatus-shipped\b"))
    await expect(buyer.locator("#shipments")).to_contain_text(TRACKING)
    await assert_no_horizontal_scroll(buyer)
    await screenshot(buyer, "fulfilment-buyer-tracking")

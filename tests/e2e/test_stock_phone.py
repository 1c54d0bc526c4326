"""Goods in, availability out, on a phone (360×740, Spanish): the warehouse receives an open purchase order by typing
its articles' barcodes, sees the stock and its value grow, and a buyer then sees the new availability on the
product's page in the storefront and finds it with the in-stock filter. Screenshots go to test-artifacts/e2e/.

The walk is planned from what the live server's demo holds, read through the services: an order sent (or partly
received) with a line still to come of an untracked article that is a product's default variant in the Cowork
buyer's assortment, one the storefront shows as not in stock now when the demo has one ("available from" the
order's date). No other browser test receives goods or reads this order; figures are compared before and after.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest
from playwright.async_api import expect
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app import purchasing
from app.catalog.documents import ProductSearch
from app.catalog.models import ProductVariant
from app.catalog.services import viewer_catalogs
from app.db import Database
from app.identity.models import User
from app.inventory import queries as stock
from app.inventory import storefront_availability
from app.parties import Customer
from app.purchasing.models import PurchaseOrder
from app.settings import Settings
from storefront.catalog_offer import plain
from tenants.services import tenant_by_slug
from tests.e2e.conftest import assert_no_horizontal_scroll, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "demo-Bodega-2026"
STAFF = "almacen@demo.bodega.test"
BUYER = "compras@cowork-valencia.test"
IN_STOCK = ("stock-in", "stock-low")


def shop(port: str, path: str = "/") -> str:
    return f"http://demo.localhost:{port}{path}"


@dataclass(frozen=True)
class Delivery:
    order_id: uuid.UUID
    number: str
    variant_id: uuid.UUID
    sku: str
    code: str  # what is typed: the GTIN when the article has one, else its SKU
    qty: Decimal  # what is received: what is still to come of the line
    slug: str
    was_in_stock: bool
    another: tuple[str, str] | None  # (code, SKU) of another line still to come, received one unit at a time


async def _untracked(s, variant_id: uuid.UUID) -> bool:
    item = await stock.tracking(s, variant_id)
    return item is None or item.tracking == "none"  # lots and serials are typed as well: not this walk


async def _code(s, variant_id: uuid.UUID) -> tuple[str, str]:
    """What the scanner reads of an article (its GTIN, else its SKU), and its SKU."""
    variant = await s.scalar(select(ProductVariant).where(ProductVariant.id == variant_id))
    return variant.gtin or variant.sku, variant.sku


async def _candidates(s, customer_id):
    """(order, line row, product document, variant) for lines still to come of visible, untracked default variants."""
    catalogs = await viewer_catalogs(s, customer_id)
    orders = await s.scalars(
        select(PurchaseOrder)
        .where(PurchaseOrder.status.in_(("sent", "partially_received")))
        .order_by(PurchaseOrder.number)
    )
    docs = {
        d.default_variant_id: d
        for d in await s.scalars(select(ProductSearch).where(ProductSearch.status == "active"))
        if catalogs is None or set(d.catalog_ids) & catalogs
    }
    found = []
    for order in list(orders):
        detail = await purchasing.queries.order_detail(s, order.id)
        for row in detail.lines:
            doc = docs.get(row.line.variant_id)
            if row.remaining <= 0 or doc is None or not await _untracked(s, row.line.variant_id):
                continue
            variant = await s.scalar(select(ProductVariant).where(ProductVariant.id == row.line.variant_id))
            found.append((order, row, doc, variant))
    return found


async def plan_delivery(server_url: str) -> Delivery:
    """Choose the order line on the live server's database (as tests/e2e/conftest.py names it)."""
    url = make_url(server_url).set(database=f"bodega_e2e_{os.getpid()}").render_as_string(hide_password=False)
    db = Database(Settings().with_database(url), null_pool=True)
    try:
        async with db.session(None) as s:
            tenant = await tenant_by_slug(s, "demo")
        async with db.transaction(tenant.id) as s:
            customer_id = await s.scalar(
                select(Customer.id).join(User, User.customer_id == Customer.id).where(User.email == BUYER)
            )
            found = await _candidates(s, customer_id)
            if not found:
                pytest.skip("the demo has no open purchase order of an article the buyer sees")
            shown = await storefront_availability(s, tenant.id, [v.id for _o, _r, _d, v in found])
            in_stock = {v for v, display in shown.items() if display.signal in ("in_stock", "low_stock")}
            order, row, doc, variant = min(found, key=lambda f: f[3].id in in_stock)  # one not in stock, if any
            lines = (await purchasing.queries.order_detail(s, order.id)).lines
            others = [
                r.line.variant_id
                for r in lines
                if r.line.id != row.line.id and r.remaining >= 1 and await _untracked(s, r.line.variant_id)
            ]
            another = await _code(s, others[0]) if others else None
            return Delivery(
                order.id, order.number, variant.id, variant.sku, variant.gtin or variant.sku, row.remaining,
                doc.slug, variant.id in in_stock, another,
            )  # fmt: skip
    finally:
        await db.dispose()


async def sign_in(page, url: str, email: str) -> None:
    await page.goto(url)
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form.stack button[type=submit]")
    await page.wait_for_load_state("networkidle")


async def kpis(page) -> list[str]:
    """The stock page's figures: in stock, stock value, unit cost, cost method."""
    return [t.strip() for t in await page.locator(".kpi strong").all_inner_texts()]


def amount(text: str) -> Decimal:
    """A figure as the Spanish back office shows it ("1.234,50 €", "12")."""
    digits = "".join(c for c in text if c.isdigit() or c in ",-")
    return Decimal(digits.replace(",", ".") or "0")


async def stock_line(page) -> tuple[str, str]:
    """The offer's availability line: its class (stock-in, stock-low, stock-later...) and its text."""
    line = page.locator("#offer-stock .stock")
    if not await line.count():
        return "", ""
    classes = (await line.get_attribute("class") or "").split()
    return next((c for c in classes if c.startswith("stock-")), ""), (await line.inner_text()).strip()


async def test_goods_received_on_a_phone_show_in_the_storefront(live_server, server_url, browser, phone):
    delivery = await plan_delivery(server_url)
    buyer_context = await browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="es-ES"
    )
    buyer = await buyer_context.new_page()
    try:
        await sign_in(buyer, shop(live_server, "/sign-in"), BUYER)
        await buyer.goto(shop(live_server, f"/p/{delivery.slug}"))
        before = await stock_line(buyer)
        assert before[0], "the product page shows no availability"
        await screenshot(buyer, "stock-product-before")

        staff = phone
        await sign_in(staff, shop(live_server, "/admin/sign-in"), STAFF)
        await staff.goto(shop(live_server, f"/admin/inventory/variants/{delivery.variant_id}"))
        was = await kpis(staff)

        await staff.goto(shop(live_server, "/admin/purchasing/orders?status=sent"))
        orders = f"#order-table a[href='/admin/purchasing/orders/{delivery.order_id}']"
        if not await staff.locator(orders).count():
            await staff.goto(shop(live_server, "/admin/purchasing/orders?status=partially_received"))
        await staff.click(orders)
        await staff.wait_for_url(f"**/admin/purchasing/orders/{delivery.order_id}")
        await staff.click(f"a[href='/admin/purchasing/orders/{delivery.order_id}/receive']")
        await staff.wait_for_url("**/receive")
        await expect(staff.locator("#f-code")).to_be_focused()  # ready for the scanner
        await assert_no_horizontal_scroll(staff)
        await screenshot(staff, "stock-receive-form")

        await staff.fill("#f-qty", plain(delivery.qty))
        await staff.click("#f-code")
        await staff.keyboard.type(delivery.code)  # a scanner types, then sends Enter
        await staff.keyboard.press("Enter")
        await staff.wait_for_load_state("networkidle")
        flash = staff.locator(".flash-success, .flash[role=status]").first
        await expect(flash).to_contain_text(delivery.sku)
        await expect(staff.locator("#f-code")).to_be_focused()  # the next article
        if delivery.another is not None:  # one unit of another line: the code alone, Enter (the quantity is 1)
            code, sku = delivery.another
            await staff.keyboard.type(code)
            await staff.keyboard.press("Enter")
            await staff.wait_for_load_state("networkidle")
            await expect(staff.locator(".flash-success, .flash[role=status]").first).to_contain_text(sku)
        await assert_no_horizontal_scroll(staff)
        await screenshot(staff, "stock-received")

        await staff.goto(shop(live_server, f"/admin/inventory?q={delivery.sku}"))
        await staff.click(f"a[href='/admin/inventory/variants/{delivery.variant_id}']")
        await staff.wait_for_url(f"**/admin/inventory/variants/{delivery.variant_id}")
        now = await kpis(staff)
        assert amount(now[0]) == amount(was[0]) + delivery.qty, (was, now)
        assert amount(now[1]) > amount(was[1]), (was, now)  # the stock's value grew with it
        await assert_no_horizontal_scroll(staff)
        await screenshot(staff, "stock-article")

        after = before
        for _attempt in range(40):  # the change notice reaches the server just after the receipt's commit
            await buyer.reload()
            after = await stock_line(buyer)
            if after[0] in IN_STOCK and after != before:
                break
            await asyncio.sleep(0.25)
        assert after[0] in IN_STOCK, (before, after)
        assert delivery.was_in_stock or after != before
        await assert_no_horizontal_scroll(buyer)
        await screenshot(buyer, "stock-product-after")

        await buyer.goto(shop(live_server, f"/search?q={delivery.sku}&stock=1"))
        await expect(buyer.locator(f".product-card a[href='/p/{delivery.slug}']")).to_have_count(1)
        await expect(buyer.locator("#f-stock")).to_be_checked()
        card = buyer.locator(".product-card", has=buyer.locator(f"a[href='/p/{delivery.slug}']"))
        await expect(card.locator(".stock")).to_have_count(1)
        await assert_no_horizontal_scroll(buyer)
        await screenshot(buyer, "stock-search-in-stock")
    finally:
        await buyer_context.close()

"""Saved lists shared within a customer company, filled from the cart or a past order and put back into the cart;
and reorder: a past order's lines in the cart at today's prices, with the lines no longer for sale reported."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app import sales
from app.errors import NotFound, ValidationFailed
from tests.integration.sales.conftest import build_sales, order


async def test_a_list_is_shared_by_the_company_and_filled_from_the_cart_and_an_order(db, sales_a):
    tid, users = sales_a.tenant_id, sales_a.users
    async with db.transaction(tid) as s:
        list_id = await sales.create_list(s, tid, users["carl"], "  Monthly   office supplies ")
        await sales.add_to_cart(s, tid, users["carl"], sales_a.sku("LAMP"), 3)
        assert await sales.add_cart_to_list(s, tid, users["carl"], list_id) == 1
        assert await sales.cart_count(s, users["carl"]) == 1  # the cart stays
    placed = await order(db, sales_a, "carl", ("CHAIR", 2), ("LAMP", 1))
    async with db.transaction(tid) as s:
        assert await sales.add_order_to_list(s, tid, users["ana"], placed.order_id, list_id) == 2
        found = await sales.saved_lists(s, sales_a.customers["ROCA"])
        assert [(x.name, x.lines, x.created_by_name) for x in found] == [("Monthly office supplies", 2, "Carl")]
        shown = await sales.saved_list(s, tid, list_id, sales_a.customers["ROCA"])
        assert {line.sku: line.qty for line in shown.lines} == {"LAMP": Decimal(4), "CHAIR": Decimal(2)}
        await sales.set_list_qty(s, tid, users["bea"], list_id, sales_a.sku("LAMP"), "6")
        await sales.remove_list_line(s, tid, users["bea"], list_id, sales_a.sku("CHAIR"))
        await sales.rename_list(s, tid, users["bea"], list_id, "Lamps")
        filled = await sales.add_list_to_cart(s, tid, users["ana"], list_id)
        assert filled == sales.CartFill(("LAMP",), ())
        cart = await sales.cart(s, tid, users["ana"])
        assert [(line.sku, line.qty, line.unit_price) for line in cart.lines] == [("LAMP", Decimal(6), Decimal(20))]
        assert [x.name for x in await sales.saved_lists(s, sales_a.customers["ROCA"])] == ["Lamps"]
        await sales.delete_list(s, tid, users["carl"], list_id)
        assert await sales.saved_lists(s, sales_a.customers["ROCA"]) == ()


async def test_list_names_are_checked(db, sales_a):
    tid, carl = sales_a.tenant_id, sales_a.users["carl"]
    async with db.transaction(tid) as s:
        await sales.create_list(s, tid, carl, "Chairs")
        for name, message in (("  ", "Give the list a name."), ("x" * 121, "At most 120"), ("CHAIRS", "already has")):
            with pytest.raises(ValidationFailed) as refused:
                await sales.create_list(s, tid, sales_a.users["ana"], name)
            assert message in refused.value.errors["name"]
        other = await sales.create_list(s, tid, carl, "Desks")
        with pytest.raises(ValidationFailed):
            await sales.rename_list(s, tid, carl, other, "chairs")
        with pytest.raises(ValidationFailed) as empty:
            await sales.add_list_to_cart(s, tid, carl, other)
        assert "empty" in empty.value.errors["list_id"]
        with pytest.raises(ValidationFailed) as bad_qty:
            await sales.set_list_qty(s, tid, carl, other, sales_a.sku("LAMP"), "-1")
        assert bad_qty.value.errors


async def test_another_companys_or_tenants_list_is_not_found(db, sales_a, tenant_b):
    tid = sales_a.tenant_id
    async with db.transaction(tid) as s:
        list_id = await sales.create_list(s, tid, sales_a.users["carl"], "Ours")
    placed = await order(db, sales_a, "carl", ("CHAIR", 1))
    otto = sales_a.users["otto"]
    async with db.transaction(tid) as s:
        for call in (
            sales.add_list_to_cart(s, tid, otto, list_id),
            sales.rename_list(s, tid, otto, list_id, "Mine now"),
            sales.delete_list(s, tid, otto, list_id),
            sales.add_cart_to_list(s, tid, otto, list_id),
            sales.reorder(s, tid, otto, placed.order_id),
            sales.saved_list(s, tid, list_id, sales_a.customers["OTRA"]),
        ):
            with pytest.raises(NotFound):
                await call
        own = await sales.create_list(s, tid, otto, "Otto's")
        with pytest.raises(NotFound):  # another company's order into one's own list
            await sales.add_order_to_list(s, tid, otto, placed.order_id, own)
        assert [x.name for x in await sales.saved_lists(s, sales_a.customers["OTRA"])] == ["Otto's"]
    shop_b = await build_sales(db, tenant_b, chairs=0)
    async with db.transaction(shop_b.tenant_id) as s:
        with pytest.raises(NotFound):
            await sales.add_list_to_cart(s, shop_b.tenant_id, shop_b.users["carl"], list_id)
        with pytest.raises(NotFound):
            await sales.reorder(s, shop_b.tenant_id, shop_b.users["carl"], placed.order_id)


async def test_reorder_puts_the_lines_in_the_cart_at_todays_prices_and_reports_what_is_gone(db, sales_a, owner):
    placed = await order(db, sales_a, "carl", ("CHAIR", 2), ("LAMP", 5), ("DESK", 1))
    await owner.execute("UPDATE product_variants SET status = 'discontinued' WHERE sku = 'DESK'")
    await owner.execute("UPDATE price_rules SET value = 22 WHERE tenant_id = $1 AND value = 20", sales_a.tenant_id)
    async with db.transaction(sales_a.tenant_id) as s:
        filled = await sales.reorder(s, sales_a.tenant_id, sales_a.users["ana"], placed.order_id)
        assert filled.added == ("CHAIR", "LAMP")
        assert filled.skipped == (("DESK", "DESK is not for sale."),)
        cart = await sales.cart(s, sales_a.tenant_id, sales_a.users["ana"])
    assert {line.sku: (line.qty, line.unit_price) for line in cart.lines} == {
        "CHAIR": (2, Decimal(100)),
        "LAMP": (5, Decimal(22)),  # today's price, not the order's 20
    }

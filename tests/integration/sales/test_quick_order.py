"""Quick order through the service: each pasted line answered for the buyer's company (the assortment included),
the good lines added to the cart, and a line whose total with the cart breaks its rule reported, not added."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.catalog.services import assign_catalog, create_catalog
from app.errors import NotFound, ValidationFailed
from app.sales import add_quick_order, add_to_cart, cart, check_quick_order_text


async def test_lines_outside_the_companys_assortment_are_refused(db, sales_a):
    tid = sales_a.tenant_id
    async with db.transaction(tid) as s:
        empty = await create_catalog(s, tid, "NOTHING", "Nothing", SYSTEM)
        await assign_catalog(s, tid, empty.id, SYSTEM, customer_id=sales_a.customers["ROCA"])
    async with db.transaction(tid) as s:
        result = await check_quick_order_text(s, tid, sales_a.users["carl"], "CHAIR 1")
        assert [str(line.reason) for line in result.lines] == ["CHAIR is not in your assortment."]
        other = await check_quick_order_text(s, tid, sales_a.users["otto"], "CHAIR 1")  # OTRA sees everything
        assert other.all_ok and [line.sku for line in other.orderable] == ["CHAIR"]


async def test_good_lines_go_to_the_cart_and_a_broken_total_is_reported(db, sales_a, owner):
    tid, carl = sales_a.tenant_id, sales_a.users["carl"]
    await owner.execute("UPDATE product_variants SET max_qty = 5 WHERE sku = 'LAMP'")
    async with db.transaction(tid) as s:
        await add_to_cart(s, tid, carl, sales_a.sku("LAMP"), 4)
        done = await add_quick_order(s, tid, carl, "CHAIR 2\nLAMP 1\nLAMP 1\nNOPE 3")
        assert done.added == ("CHAIR",)
        assert "maximum" in done.refused["LAMP"].lower()
        assert [line.status.value for line in done.result.lines] == ["ok", "ok", "merged", "refused"]
        view = await cart(s, tid, carl)
        assert {(line.sku, line.qty) for line in view.lines} == {("CHAIR", Decimal(2)), ("LAMP", Decimal(4))}


async def test_empty_or_huge_lists_and_staff_are_refused(db, sales_a, owner):
    tid = sales_a.tenant_id
    staff = await owner.fetchval("SELECT id FROM users WHERE tenant_id = $1 AND kind = 'staff' LIMIT 1", tid)
    async with db.transaction(tid) as s:
        with pytest.raises(ValidationFailed) as empty:
            await check_quick_order_text(s, tid, sales_a.users["carl"], "\n  \n")
        assert "at least one line" in empty.value.errors["lines"]
        with pytest.raises(ValidationFailed) as huge:
            await check_quick_order_text(s, tid, sales_a.users["carl"], "A 1\n" * 10_000)
        assert "at most 500 lines" in huge.value.errors["lines"]
        if staff is not None:
            with pytest.raises(NotFound):
                await check_quick_order_text(s, tid, staff, "CHAIR 1")

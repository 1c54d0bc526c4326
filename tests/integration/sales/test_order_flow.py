"""After placing: cancel releases the reservations, hold and release, and the order lists."""

from __future__ import annotations

import pytest

from app.actor import SYSTEM
from app.errors import ValidationFailed
from app.sales import cancel_order, hold_order, order_detail, orders, orders_for_customer, release_hold
from tests.integration.sales.conftest import order


async def test_cancelling_releases_the_reservations(db, sales_a, owner):
    placed = await order(db, sales_a, "carl", ("CHAIR", 4))
    async with db.transaction(sales_a.tenant_id) as s:
        cancelled = await cancel_order(s, sales_a.tenant_id, placed.order_id, SYSTEM, note="Customer called")
    assert cancelled.status == "cancelled"
    assert await owner.fetchval("SELECT reserved FROM stock_levels") == 0
    assert await owner.fetchval("SELECT count(*) FROM reservations") == 0
    async with db.transaction(sales_a.tenant_id) as s:
        detail = await order_detail(s, placed.order_id)
        assert [line.reserved_qty for line in detail.lines] == [0]
        assert detail.timeline[-1].note == "Customer called"
        with pytest.raises(ValidationFailed) as refused:
            await cancel_order(s, sales_a.tenant_id, placed.order_id, SYSTEM)
    assert "cannot change any more" in refused.value.errors["status"]


async def test_hold_keeps_the_stock_and_release_returns_to_confirmed(db, sales_a, owner):
    placed = await order(db, sales_a, "carl", ("CHAIR", 2))
    async with db.transaction(sales_a.tenant_id) as s:
        held = await hold_order(s, sales_a.tenant_id, placed.order_id, SYSTEM, note="Check address")
        assert (held.status, held.held_from) == ("on_hold", "confirmed")
    assert await owner.fetchval("SELECT reserved FROM stock_levels") == 2
    async with db.transaction(sales_a.tenant_id) as s:
        released = await release_hold(s, sales_a.tenant_id, placed.order_id, SYSTEM)
        assert (released.status, released.held_from) == ("confirmed", None)
        with pytest.raises(ValidationFailed):
            await release_hold(s, sales_a.tenant_id, placed.order_id, SYSTEM)


async def test_order_lists_for_the_customer_and_for_staff(db, sales_a):
    first = await order(db, sales_a, "carl", ("CHAIR", 1), po_number="PO-A")
    await order(db, sales_a, "ana", ("CHAIR", 5))
    await order(db, sales_a, "otto", ("CHAIR", 1), company="OTRA")
    async with db.transaction(sales_a.tenant_id) as s:
        mine = await orders_for_customer(s, sales_a.customers["ROCA"], per_page=1)
        assert (mine.total, len(mine.orders)) == (2, 1)
        waiting = await orders(s, status="awaiting_approval")
        assert [o.customer_name for o in waiting.orders] == ["Roca S.A."]
        found = await orders(s, search="po-a")
        assert [o.id for o in found.orders] == [first.order_id]

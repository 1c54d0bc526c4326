"""A shop that takes no backorders: an order reserves every line in full or is refused, naming the line."""

from __future__ import annotations

import pytest

from app.actor import SYSTEM
from app.errors import ValidationFailed
from app.sales import backorders_allowed, set_backorders_allowed
from tests.integration.sales.conftest import order


async def _no_backorders(db, sales) -> None:
    async with db.transaction(sales.tenant_id) as s:
        await set_backorders_allowed(s, sales.tenant_id, False, SYSTEM)


async def test_backorders_are_allowed_by_default_and_the_rest_waits(db, sales_a, owner):
    async with db.transaction(sales_a.tenant_id) as s:
        assert await backorders_allowed(s, sales_a.tenant_id)
    placed = await order(db, sales_a, "carl", ("CHAIR", 12))
    assert placed.status == "confirmed"
    assert await owner.fetchval("SELECT reserved_qty FROM sales_order_lines") == 10  # two backordered


async def test_without_backorders_a_short_line_refuses_the_whole_order(db, sales_a, owner):
    await _no_backorders(db, sales_a)
    with pytest.raises(ValidationFailed) as refused:
        await order(db, sales_a, "carl", ("LAMP", 1), ("CHAIR", 11))
    message = refused.value.errors["lines.1.qty"]
    assert "Only 10 of CHAIR left in stock" in message and "does not take backorders" in message
    assert await owner.fetchval("SELECT count(*) FROM sales_orders") == 0
    assert await owner.fetchval("SELECT coalesce(sum(reserved), 0) FROM stock_levels") == 0
    with pytest.raises(ValidationFailed) as lamp:
        await order(db, sales_a, "carl", ("LAMP", 1))  # none on the shelf at all
    assert "Only 0 of LAMP" in lamp.value.errors["lines.0.qty"]


async def test_without_backorders_what_is_on_the_shelf_is_sold_in_full(db, sales_a, owner):
    await _no_backorders(db, sales_a)
    await order(db, sales_a, "carl", ("CHAIR", 4))
    await order(db, sales_a, "carl", ("CHAIR", 6))
    with pytest.raises(ValidationFailed):
        await order(db, sales_a, "carl", ("CHAIR", 1))
    level = await owner.fetchrow(
        "SELECT on_hand, reserved FROM stock_levels WHERE variant_id = $1", sales_a.sku("CHAIR")
    )
    assert (level["on_hand"], level["reserved"]) == (10, 10)
    assert await owner.fetchval("SELECT sum(reserved_qty) = sum(qty) FROM sales_order_lines")


async def test_the_switch_is_audited_and_kept_per_tenant(db, sales_a, owner, tenant_b):
    await _no_backorders(db, sales_a)
    await _no_backorders(db, sales_a)  # no change: no second record
    assert await owner.fetchval("SELECT count(*) FROM audit_log WHERE action = 'settings.updated'") == 1
    async with db.transaction(tenant_b.id) as s:
        assert await backorders_allowed(s, tenant_b.id)
    async with db.transaction(sales_a.tenant_id) as s:
        assert not await backorders_allowed(s, sales_a.tenant_id)
        await set_backorders_allowed(s, sales_a.tenant_id, True, SYSTEM)
    placed = await order(db, sales_a, "carl", ("LAMP", 1))
    assert placed.created

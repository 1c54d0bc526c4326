"""Staff change an order before it ships: quantities up and down, lines added and removed, priced again for
the customer, reservations following the quantities, a timeline entry; refused after a shipment, for bad
input (nothing written), beyond the credit limit, and for another tenant's order (not found)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.actor import Actor
from app.errors import NotFound, ValidationFailed
from app.sales import OrderEdit, OrderLineRequest, edit_order, order_detail
from tests.integration.sales.conftest import Sales, build_sales, order

CLERK = Actor("staff", None, "clerk@acme.test")


def lines(sales: Sales, *pairs) -> OrderEdit:
    return OrderEdit(tuple(OrderLineRequest(sales.sku(sku), qty) for sku, qty in pairs), note="Phoned in")


async def edit(db, sales: Sales, order_id, change: OrderEdit):
    async with db.transaction(sales.tenant_id) as s:
        return await edit_order(s, sales.tenant_id, order_id, change, CLERK)


async def detail(db, sales: Sales, order_id):
    async with db.transaction(sales.tenant_id) as s:
        return await order_detail(s, order_id)


async def test_quantities_change_lines_come_and_go_and_the_stock_follows(db, sales_a, owner):
    placed = await order(db, sales_a, "carl", ("CHAIR", 2), ("DESK", 1))
    assert await owner.fetchval("SELECT reserved FROM stock_levels") == 2
    edited = await edit(db, sales_a, placed.order_id, lines(sales_a, ("CHAIR", 6), ("LAMP", 3)))  # DESK removed
    assert edited.gross == Decimal("798.6000")  # (600 + 60) * 1.21
    assert sorted(edited.changes) == ["CHAIR 2 → 6", "DESK removed", "LAMP added (3)"]
    after = await detail(db, sales_a, placed.order_id)
    assert {(x.sku, x.qty, x.reserved_qty) for x in after.lines} == {
        ("CHAIR", Decimal(6), Decimal(6)),
        ("LAMP", Decimal(3), Decimal(0)),  # no lamps in stock: backordered
    }
    assert (after.net, after.tax, after.summary.gross) == (Decimal(660), Decimal("138.6"), Decimal("798.6"))
    assert await owner.fetchval("SELECT reserved FROM stock_levels") == 6
    entry = after.timeline[-1]
    assert (entry.from_status, entry.to_status, entry.actor_label) == ("confirmed", "confirmed", "clerk@acme.test")
    assert "DESK removed" in entry.note and "Phoned in" in entry.note
    assert await owner.fetchval("SELECT count(*) FROM outbox WHERE topic = 'sales.order_changed'") == 1

    await edit(db, sales_a, placed.order_id, lines(sales_a, ("CHAIR", 1), ("LAMP", 3)))
    assert await owner.fetchval("SELECT reserved FROM stock_levels") == 1
    assert await owner.fetchval("SELECT sum(qty) FROM reservations") == 1


async def test_a_zero_quantity_removes_the_line_but_an_order_keeps_one(db, sales_a):
    placed = await order(db, sales_a, "carl", ("CHAIR", 2), ("LAMP", 1))
    await edit(db, sales_a, placed.order_id, lines(sales_a, ("CHAIR", 0), ("LAMP", 1)))
    assert [x.sku for x in (await detail(db, sales_a, placed.order_id)).lines] == ["LAMP"]
    with pytest.raises(ValidationFailed) as refused:
        await edit(db, sales_a, placed.order_id, lines(sales_a, ("LAMP", 0)))
    assert "at least one line" in refused.value.errors["lines"]


@pytest.mark.parametrize(
    ("qty", "message"), [("-1", "greater than zero"), ("abc", "Enter a number."), ("1e400", "Enter a quantity up to")]
)
async def test_bad_quantities_are_refused_with_the_forms_line_number_and_nothing_changes(
    db, sales_a, owner, qty, message
):
    placed = await order(db, sales_a, "carl", ("CHAIR", 2))
    with pytest.raises(ValidationFailed) as refused:
        await edit(db, sales_a, placed.order_id, lines(sales_a, ("LAMP", 0), ("CHAIR", qty)))
    assert message in refused.value.errors["lines.1.qty"]
    assert [x.qty for x in (await detail(db, sales_a, placed.order_id)).lines] == [Decimal(2)]
    assert await owner.fetchval("SELECT reserved FROM stock_levels") == 2


async def test_editing_after_a_shipment_is_refused(db, sales_a, owner):
    placed = await order(db, sales_a, "carl", ("CHAIR", 2))
    await owner.execute(
        "UPDATE sales_order_lines SET shipped_qty = 1, reserved_qty = 1 WHERE order_id = $1", placed.order_id
    )
    await owner.execute("UPDATE sales_orders SET status = 'partially_shipped' WHERE id = $1", placed.order_id)
    with pytest.raises(ValidationFailed) as refused:
        await edit(db, sales_a, placed.order_id, lines(sales_a, ("CHAIR", 3)))
    assert "have shipped" in refused.value.errors["status"]
    await owner.execute("UPDATE sales_orders SET status = 'confirmed' WHERE id = $1", placed.order_id)
    with pytest.raises(ValidationFailed):  # a line shipped, whatever the status says
        await edit(db, sales_a, placed.order_id, lines(sales_a, ("CHAIR", 3)))


async def test_a_cancelled_order_cannot_be_changed(db, sales_a, owner):
    placed = await order(db, sales_a, "carl", ("CHAIR", 2))
    await owner.execute("UPDATE sales_orders SET status = 'cancelled' WHERE id = $1", placed.order_id)
    with pytest.raises(ValidationFailed) as refused:
        await edit(db, sales_a, placed.order_id, lines(sales_a, ("CHAIR", 3)))
    assert "cancelled order cannot be changed" in refused.value.errors["status"]


async def test_growing_an_order_on_account_is_checked_against_the_credit_limit(db, sales_a, owner):
    placed = await order(db, sales_a, "carl", ("CHAIR", 2))  # 242.00
    await owner.execute("UPDATE customers SET credit_limit = 300 WHERE code = 'ROCA'")
    await edit(db, sales_a, placed.order_id, lines(sales_a, ("CHAIR", 1)))  # shrinking is always fine
    with pytest.raises(ValidationFailed) as refused:
        await edit(db, sales_a, placed.order_id, lines(sales_a, ("CHAIR", 3)))  # 363.00 > 300
    assert "credit limit" in refused.value.errors["lines"]
    await edit(
        db, sales_a, placed.order_id, lines(sales_a, ("CHAIR", 2))
    )  # 242.00: its own old total not counted twice


async def test_another_tenants_order_is_not_found(db, sales_a, tenant_b):
    placed = await order(db, sales_a, "carl", ("CHAIR", 2))
    sales_b = await build_sales(db, tenant_b, chairs=0)
    async with db.transaction(tenant_b.id) as s:
        change = OrderEdit((OrderLineRequest(sales_b.sku("CHAIR"), 1),))
        with pytest.raises(NotFound):
            await edit_order(s, tenant_b.id, placed.order_id, change, CLERK)

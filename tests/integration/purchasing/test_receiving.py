"""Receiving purchase orders: partial receipts move the order on and post stock at the order's price; receiving more
than ordered beyond the tolerance is a clear error with nothing posted; open lines count as incoming supply."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.errors import ValidationFailed
from app.inventory import atp, availability
from app.purchasing import queries
from tests.integration.purchasing.conftest import TODAY, order, receive


async def test_partial_receipts_post_stock_and_complete_the_order(db, buying_a):
    chairs = await order(db, buying_a, "MADERAS", ("CHAIR", 10), ("DESK", 2))
    chair, main = buying_a.sku("CHAIR"), buying_a.shop.warehouses["MAIN"]
    async with db.transaction(buying_a.tenant_id) as s:
        before = await atp(s, [chair], [main], by_warehouse=True, today=TODAY)
        assert before.incoming[(chair, main)][0].qty == 10  # the open line is expected supply
    first = await receive(db, buying_a, chairs, ("CHAIR", 6))
    async with db.transaction(buying_a.tenant_id) as s:
        detail = await queries.order_detail(s, chairs)
        assert detail.order.status == "partially_received" and detail.lines[0].line.qty_received == 6
        stock = {row.variant_id: row.on_hand for row in await availability(s, [chair], [main])}
        assert stock[chair] == 6
        receipt = await queries.receipt_detail(s, first.id)
        assert receipt.lines[0].line.unit_cost == 35 and receipt.lines[0].line.value == Decimal("210.00")
        assert len(receipt.lines[0].line.move_ids) == 1
    await receive(db, buying_a, chairs, ("CHAIR", "3.5"), ("DESK", 2))  # 9.5 of 10: within the 5 % under tolerance
    async with db.transaction(buying_a.tenant_id) as s:
        assert (await queries.order_detail(s, chairs)).order.status == "received"
        after = await atp(s, [chair], [main], by_warehouse=True, today=TODAY)
        assert (chair, main) not in after.incoming


async def test_receiving_beyond_the_tolerance_is_refused_and_nothing_is_posted(db, buying_a, owner):
    chairs = await order(db, buying_a, "MADERAS", ("CHAIR", 10), ("DESK", 1))
    await receive(db, buying_a, chairs, ("CHAIR", 8))
    counts = "SELECT (SELECT count(*) FROM stock_moves), (SELECT count(*) FROM purchase_receipts)"
    before = await owner.fetchrow(counts)
    with pytest.raises(ValidationFailed) as refused:
        await receive(db, buying_a, chairs, ("DESK", 1), ("CHAIR", 3))  # 8 + 3 = 11 > 10 + 5 %
    assert refused.value.errors["qty"] == (
        "Receiving 3 of CHAIR is over the tolerance: 10 ordered, 8 received, at most 2.5 more may come (5 % over)."
    )
    assert await owner.fetchrow(counts) == before
    async with db.transaction(buying_a.tenant_id) as s:
        lines = (await queries.order_detail(s, chairs)).lines
        assert [row.line.qty_received for row in lines] == [8, 0]
    await receive(db, buying_a, chairs, ("CHAIR", "2.5"))  # exactly the tolerance is fine


async def test_bad_receipts_name_their_field(db, buying_a):
    glue = await order(db, buying_a, "LUZ", ("GLUE", 20))
    draft = await order(db, buying_a, "LUZ", ("GLUE", 20), submit=False)
    cases = [
        (glue, ("GLUE", 5), "lot"),  # GLUE is tracked by lot
        (glue, ("DESK", 1), "code"),  # not on this order
        (glue, ("GLUE", "-1"), "qty"),
        (glue, ("GLUE", 1, {"location_id": buying_a.shop.places["MAD-STOCK"], "lot_code": "L1"}), "location"),
        (draft, ("GLUE", 1), "status"),
    ]
    for order_id, line, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            await receive(db, buying_a, order_id, line)
        assert field in refused.value.errors, (line, refused.value.errors)
    await receive(db, buying_a, glue, ("GLUE", 5, {"lot_code": "L-2026-12", "expiry": "2027-12-01"}))

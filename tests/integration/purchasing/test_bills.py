"""Supplier bills matched three ways through the services: quantity over tolerance, price over tolerance and a bill
before the goods are each held with their reason; within tolerance a bill is approved (and announced)."""

from __future__ import annotations

import json

import pytest

from app.actor import SYSTEM
from app.errors import ValidationFailed
from app.purchasing import APPROVED_TOPIC, bill_queries, payable_bills, queries, services
from app.purchasing.services import BillInput, BillLineInput, RulesInput
from tests.integration.purchasing.conftest import TODAY, order, receive


async def _bill(db, buying, order_id, reference, *lines):
    """A bill of (sku, qty, unit price) lines against the order's lines of those articles."""
    async with db.transaction(buying.tenant_id) as s:
        by_sku = {row.sku: row.line.id for row in (await queries.order_detail(s, order_id)).lines}
        typed = tuple(BillLineInput(by_sku[sku], str(qty), str(price)) for sku, qty, price in lines)
        return await services.record_bill(s, buying.tenant_id, BillInput(order_id, reference, TODAY, typed), SYSTEM)


async def _holds(db, buying, bill_id):
    async with db.transaction(buying.tenant_id) as s:
        detail = await bill_queries.bill_detail(s, bill_id)
        return detail.bill.status, [list(line.line.holds) for line in detail.lines], detail


async def test_three_way_match_holds_each_problem_with_its_reason(db, buying_a, owner):
    tid = buying_a.tenant_id
    async with db.transaction(tid) as s:  # 2 % over the ordered price passes, quantities must not exceed receipts
        await services.set_buying_rules(s, tid, RulesInput("", "0", "2"), SYSTEM)
    chairs = await order(db, buying_a, "MADERAS", ("CHAIR", 10), ("DESK", 2))
    await receive(db, buying_a, chairs, ("CHAIR", 10))

    within = await _bill(db, buying_a, chairs, "F-1", ("CHAIR", 6, "35.70"))  # 2 % over 35.00
    assert within.status == "approved" and within.hold_reasons == []
    event = await owner.fetchrow("SELECT payload FROM outbox WHERE topic = $1", APPROVED_TOPIC)
    assert event is not None and json.loads(event["payload"])["number"] == within.number

    too_many = await _bill(db, buying_a, chairs, "F-2", ("CHAIR", 5, "35"))  # 6 + 5 billed, 10 received
    status, holds, detail = await _holds(db, buying_a, too_many.id)
    assert (status, holds) == ("held", [["qty_over_tolerance"]])
    assert detail.lines[0].messages == (("Quantity over tolerance", "11 billed in all, 10 received."),)

    too_dear = await _bill(db, buying_a, chairs, "F-3", ("DESK", 1, "140"), ("CHAIR", 1, "36"))
    status, holds, detail = await _holds(db, buying_a, too_dear.id)  # no desk has come; 36 is 2.9 % over 35
    assert (status, holds) == ("held", [["billed_before_receipt"], ["qty_over_tolerance", "price_over_tolerance"]])
    assert detail.lines[1].messages[1] == ("Price over tolerance", "36 a unit billed, 35 ordered (EUR).")
    assert too_dear.hold_reasons == ["billed_before_receipt", "price_over_tolerance", "qty_over_tolerance"]
    async with db.transaction(tid) as s:
        assert [b.number for b in await payable_bills(s)] == [within.number]


async def test_a_bill_before_the_goods_is_held_until_they_come(db, buying_a):
    desks = await order(db, buying_a, "MADERAS", ("DESK", 2))
    early = await _bill(db, buying_a, desks, "F-10", ("DESK", 2, "140"))
    assert (early.status, early.hold_reasons) == ("held", ["billed_before_receipt"])
    await receive(db, buying_a, desks, ("DESK", 2))  # the receipt matches the held bill again
    status, holds, _detail = await _holds(db, buying_a, early.id)
    assert (status, holds) == ("approved", [[]])


async def test_a_person_approves_a_held_bill_saying_why(db, buying_a):
    tid = buying_a.tenant_id
    desks = await order(db, buying_a, "MADERAS", ("DESK", 2))
    await receive(db, buying_a, desks, ("DESK", 2))
    dear = await _bill(db, buying_a, desks, "F-20", ("DESK", 2, "150"))
    assert (dear.status, dear.hold_reasons) == ("held", ["price_over_tolerance"])
    async with db.transaction(tid) as s:
        with pytest.raises(ValidationFailed) as why:
            await services.approve_bill(s, tid, dear.id, "", SYSTEM)
        assert "note" in why.value.errors
        approved = await services.approve_bill(s, tid, dear.id, "New price agreed by phone", SYSTEM)
        assert (approved.status, approved.approval_note) == ("approved", "New price agreed by phone")
    with pytest.raises(ValidationFailed) as twice:
        await _bill(db, buying_a, desks, "F-20", ("DESK", 1, "140"))
    assert "supplier_reference" in twice.value.errors
    draft = await order(db, buying_a, "MADERAS", ("DESK", 1), submit=False)
    with pytest.raises(ValidationFailed):
        await _bill(db, buying_a, draft, "F-21", ("DESK", 1, "140"))

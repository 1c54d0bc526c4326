"""Buyer approvals: an order over the buyer's limit waits for an approver of the same company."""

from __future__ import annotations

import pytest

from app.errors import NotFound, ValidationFailed
from app.sales import approve_order, order_detail, reject_order
from tests.integration.sales.conftest import order


async def _decide(db, sales, verb, order_id, user: str, comment: str = ""):
    async with db.transaction(sales.tenant_id) as s:
        return await verb(s, sales.tenant_id, order_id, sales.users[user], sales.actor(user), comment)


async def test_an_order_over_the_limit_waits_and_an_approver_confirms_it(db, sales_a):
    placed = await order(db, sales_a, "ana", ("CHAIR", 5))  # 605.00 with tax, over ana's 500 per order
    assert placed.status == "awaiting_approval"
    approved = await _decide(db, sales_a, approve_order, placed.order_id, "bea", "ok")
    assert approved.status == "confirmed"
    async with db.transaction(sales_a.tenant_id) as s:
        detail = await order_detail(s, placed.order_id)
    assert "above your limit of 500" in detail.approval_reason
    assert [(e.from_status, e.to_status) for e in detail.timeline] == [
        (None, "awaiting_approval"),
        ("awaiting_approval", "confirmed"),
    ]


async def test_an_order_within_the_limit_is_confirmed_at_once(db, sales_a):
    assert (await order(db, sales_a, "ana", ("CHAIR", 4))).status == "confirmed"  # 484.00


async def test_a_buyer_cannot_approve_their_own_order(db, sales_a):
    placed = await order(db, sales_a, "ana", ("CHAIR", 5))
    with pytest.raises(ValidationFailed) as refused:
        await _decide(db, sales_a, approve_order, placed.order_id, "ana")
    assert "cannot approve your own order" in refused.value.errors["status"]


async def test_a_plain_buyer_cannot_approve(db, sales_a):
    placed = await order(db, sales_a, "ana", ("CHAIR", 5))
    with pytest.raises(ValidationFailed) as refused:
        await _decide(db, sales_a, approve_order, placed.order_id, "carl")
    assert "Only an approver" in refused.value.errors["status"]


async def test_a_user_of_another_company_gets_not_found(db, sales_a):
    placed = await order(db, sales_a, "ana", ("CHAIR", 5))
    with pytest.raises(NotFound):
        await _decide(db, sales_a, approve_order, placed.order_id, "otto")
    with pytest.raises(NotFound):
        await _decide(db, sales_a, reject_order, placed.order_id, "otto", "no")
    async with db.transaction(sales_a.tenant_id) as s:
        with pytest.raises(NotFound):
            await order_detail(s, placed.order_id, customer_id=sales_a.customers["OTRA"])


async def test_rejecting_needs_a_reason_and_releases_the_stock(db, sales_a, owner):
    placed = await order(db, sales_a, "ana", ("CHAIR", 5))
    with pytest.raises(ValidationFailed) as refused:
        await _decide(db, sales_a, reject_order, placed.order_id, "bea", "  ")
    assert "comment" in refused.value.errors
    rejected = await _decide(db, sales_a, reject_order, placed.order_id, "bea", "Too many chairs")
    assert rejected.status == "rejected"
    assert await owner.fetchval("SELECT reserved FROM stock_levels") == 0
    assert await owner.fetchval("SELECT count(*) FROM reservations") == 0


async def test_staff_ordering_for_a_customer_need_no_approval(db, sales_a, owner):
    staff = await owner.fetchval("SELECT id FROM users WHERE kind = 'staff' LIMIT 1")
    sales_a.users["staff"] = staff
    placed = await order(db, sales_a, "staff", ("CHAIR", 8))
    assert placed.status == "confirmed"
    async with db.transaction(sales_a.tenant_id) as s:
        assert (await order_detail(s, placed.order_id)).placed_by == staff

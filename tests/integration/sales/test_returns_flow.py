"""Returns (RMA) through the services: a buyer may return at most what shipped less what other returns claim,
staff approve or reject (a rejection needs a reason), and received goods go back on the shelf or to scrap with a
reason, moving the stock accordingly; another company's order and another tenant's return are not found."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app import sales
from app.actor import Actor
from app.errors import NotFound, ValidationFailed
from tests.integration.sales.conftest import Sales, order
from tests.integration.sales.test_fulfilment_flow import STAFF, _lines

D = Decimal


async def _shipped(db, shop: Sales, qty: int):
    placed = await order(db, shop, "carl", ("CHAIR", qty))
    (line,) = await _lines(db, shop, placed.order_id)
    async with db.transaction(shop.tenant_id) as s:
        await sales.ship_order(s, shop.tenant_id, placed.order_id, sales.DirectShipment({line.id: D(qty)}), STAFF)
    return placed, line


def _request(shop: Sales, placed, lines, company: str = "ROCA") -> sales.ReturnRequest:
    return sales.ReturnRequest(placed.order_id, shop.customers[company], shop.users["carl"], lines, {}, "Wrong colour")


async def _level(owner, shop: Sales, kind: str):
    return await owner.fetchval(
        "SELECT coalesce(sum(CASE WHEN m.to_location_id = l.id THEN m.qty ELSE -m.qty END), 0) FROM stock_moves m "
        "JOIN locations l ON l.id IN (m.to_location_id, m.from_location_id) WHERE l.kind = $1 AND m.variant_id = $2",
        kind,
        shop.sku("CHAIR"),
    )


async def test_request_approve_receive_restock_and_scrap(db, sales_a, owner):
    shop = sales_a
    placed, line = await _shipped(db, shop, 3)
    buyer = Actor("customer", shop.users["carl"], "carl")
    async with db.transaction(shop.tenant_id) as s:
        with pytest.raises(ValidationFailed) as too_many:
            await sales.request_return(s, shop.tenant_id, _request(shop, placed, {line.id: D(4)}), buyer)
        assert "at most 3" in too_many.value.errors[f"qty_{line.id}"]
    async with db.transaction(shop.tenant_id) as s:
        rma = await sales.request_return(s, shop.tenant_id, _request(shop, placed, {line.id: D(2)}), buyer)
        rma_id = rma.id
        assert rma.number.startswith("RMA-") and rma.status == "requested"
    async with db.transaction(shop.tenant_id) as s:
        with pytest.raises(ValidationFailed) as claimed:  # 3 shipped, 2 already being returned
            await sales.request_return(s, shop.tenant_id, _request(shop, placed, {line.id: D(2)}), buyer)
        assert "at most 1" in claimed.value.errors[f"qty_{line.id}"]
        (return_line,) = (await sales.fulfilment_queries.return_detail(s, rma_id)).lines
        with pytest.raises(ValidationFailed):  # not approved yet
            goods = [sales.ReturnedGoods(return_line.id, D(1), "restock")]
            await sales.receive_goods(s, shop.tenant_id, rma_id, goods, STAFF)
    async with db.transaction(shop.tenant_id) as s:
        await sales.approve_return(s, shop.tenant_id, rma_id, STAFF, "OK")
    on_hand_before = await owner.fetchval("SELECT on_hand FROM stock_levels WHERE variant_id = $1", shop.sku("CHAIR"))
    async with db.transaction(shop.tenant_id) as s:
        with pytest.raises(ValidationFailed) as no_reason:
            goods = [sales.ReturnedGoods(return_line.id, D(1), "scrap", "")]
            await sales.receive_goods(s, shop.tenant_id, rma_id, goods, STAFF)
        assert f"reason_{return_line.id}" in no_reason.value.errors
    async with db.transaction(shop.tenant_id) as s:
        goods = [
            sales.ReturnedGoods(return_line.id, D(1), "restock"),
            sales.ReturnedGoods(return_line.id, D(1), "scrap", "damage", "Leg broken"),
        ]
        done = await sales.receive_goods(s, shop.tenant_id, rma_id, goods, STAFF)
        assert done.status == "received"
    on_hand = await owner.fetchval("SELECT on_hand FROM stock_levels WHERE variant_id = $1", shop.sku("CHAIR"))
    assert on_hand == on_hand_before + 1  # two came back, one of them went on to scrap
    assert await _level(owner, shop, "scrap") == 1
    async with db.transaction(shop.tenant_id) as s:
        detail = await sales.fulfilment_queries.return_detail(s, rma_id)
    (received,) = detail.lines
    assert (received.restocked, received.scrapped) == (D(1), D(1)) and "Leg broken" in received.scrap_reason


async def test_a_rejection_needs_a_reason_and_frees_the_quantity(db, sales_a):
    shop = sales_a
    placed, line = await _shipped(db, shop, 2)
    buyer = Actor("customer", shop.users["carl"], "carl")
    async with db.transaction(shop.tenant_id) as s:
        rma_id = (await sales.request_return(s, shop.tenant_id, _request(shop, placed, {line.id: D(2)}), buyer)).id
    async with db.transaction(shop.tenant_id) as s:
        with pytest.raises(ValidationFailed) as silent:
            await sales.reject_return(s, shop.tenant_id, rma_id, STAFF, "")
        assert "note" in silent.value.errors
        await sales.reject_return(s, shop.tenant_id, rma_id, STAFF, "Used goods")
    async with db.transaction(shop.tenant_id) as s:
        with pytest.raises(ValidationFailed):
            await sales.approve_return(s, shop.tenant_id, rma_id, STAFF)  # rejected is final
        again = await sales.request_return(s, shop.tenant_id, _request(shop, placed, {line.id: D(2)}), buyer)
        assert again.status == "requested"


async def test_another_company_or_tenant_cannot_see_or_return(db, sales_a, tenant_b):
    shop = sales_a
    placed, line = await _shipped(db, shop, 1)
    otto = Actor("customer", shop.users["otto"], "otto")
    async with db.transaction(shop.tenant_id) as s:
        with pytest.raises(NotFound):
            await sales.request_return(s, shop.tenant_id, _request(shop, placed, {line.id: D(1)}, "OTRA"), otto)
        rma_id = (
            await sales.request_return(
                s, shop.tenant_id, _request(shop, placed, {line.id: D(1)}), Actor("customer", None, "carl")
            )
        ).id
        with pytest.raises(NotFound):
            await sales.fulfilment_queries.return_detail(s, rma_id, customer_id=shop.customers["OTRA"])
    async with db.transaction(tenant_b.id) as s:
        with pytest.raises(NotFound):
            await sales.fulfilment_queries.return_detail(s, rma_id)
        assert await sales.fulfilment_queries.returns(s) == []
        with pytest.raises(NotFound):
            await sales.approve_return(s, tenant_b.id, rma_id, STAFF)

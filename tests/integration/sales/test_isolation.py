"""Tenant isolation: another tenant's order ids are unknown, to every service and query."""

from __future__ import annotations

import pytest

from app.actor import SYSTEM
from app.errors import NotFound
from app.sales import (
    OrderLineRequest,
    PlaceOrder,
    approve_order,
    cancel_order,
    hold_order,
    order_detail,
    orders,
    place_order,
)
from tests.integration.sales.conftest import build_sales, order


async def test_another_tenants_order_is_not_found(db, sales_a, tenant_b):
    placed = await order(db, sales_a, "ana", ("CHAIR", 5))
    sales_b = await build_sales(db, tenant_b, chairs=0)
    async with db.transaction(tenant_b.id) as s:
        with pytest.raises(NotFound):
            await order_detail(s, placed.order_id)
        with pytest.raises(NotFound):
            await cancel_order(s, tenant_b.id, placed.order_id, SYSTEM)
        with pytest.raises(NotFound):
            await hold_order(s, tenant_b.id, placed.order_id, SYSTEM)
        with pytest.raises(NotFound):
            await approve_order(s, tenant_b.id, placed.order_id, sales_b.users["bea"], SYSTEM)
        assert (await orders(s)).total == 0
    async with db.transaction(sales_a.tenant_id) as s:
        assert (await order_detail(s, placed.order_id)).summary.status == "awaiting_approval"


async def test_another_tenants_customer_cannot_be_ordered_for(db, sales_a, tenant_b):
    sales_b = await build_sales(db, tenant_b, chairs=0)
    data = PlaceOrder(
        sales_a.customers["ROCA"], sales_b.users["carl"], "x", (OrderLineRequest(sales_b.sku("CHAIR"), 1),)
    )
    async with db.transaction(tenant_b.id) as s:
        with pytest.raises(NotFound):
            await place_order(s, tenant_b.id, data, sales_b.actor("carl"))

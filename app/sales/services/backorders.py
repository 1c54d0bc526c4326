"""Backorders: when stock arrives, the open quantities of orders waiting for it are reserved, oldest order first,
so that they ship before any later order takes the units. Runs on every stock move event (inventory.moved) for
the variants and warehouses the moves touched, and on demand from the fulfilment screens."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.outbox.models import OutboxEvent
from app.sales._lifecycle import RESERVING
from app.sales.models import SalesOrder, SalesOrderLine
from app.sales.services.ordering import reserve_available

ZERO = Decimal(0)
OUTGOING = frozenset({"delivery", "scrap"})  # moves that only take stock away: nothing new to reserve


async def reserve_backorders(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    variant_ids: Sequence[uuid.UUID] | None = None,
    warehouse_ids: Sequence[uuid.UUID] | None = None,
) -> Decimal:
    """Reserve what is available now for backordered lines (of these variants and warehouses); returns the
    quantity newly reserved."""
    stmt = (
        select(SalesOrder, SalesOrderLine)
        .join(
            SalesOrderLine,
            (SalesOrderLine.tenant_id == SalesOrder.tenant_id) & (SalesOrderLine.order_id == SalesOrder.id),
        )
        .where(
            SalesOrder.status.in_([s.value for s in RESERVING]),
            SalesOrderLine.qty > SalesOrderLine.reserved_qty + SalesOrderLine.shipped_qty,
        )
        .order_by(SalesOrder.placed_at, SalesOrder.id, SalesOrderLine.position)
        .limit(500)
    )
    if variant_ids is not None:
        stmt = stmt.where(SalesOrderLine.variant_id.in_(list(variant_ids)))
    if warehouse_ids is not None:
        stmt = stmt.where(SalesOrder.warehouse_id.in_(list(warehouse_ids)))
    gained = ZERO
    for order, line in (await session.execute(stmt)).all():
        before = line.reserved_qty
        line.reserved_qty = await reserve_available(session, tenant_id, order.warehouse_id, order, line)
        gained += line.reserved_qty - before
    await session.flush()
    return gained


async def on_stock_moved(session: AsyncSession, event: OutboxEvent) -> None:
    """The inventory.moved handler: stock came in somewhere, so backorders of those articles may now be held."""
    payload = event.payload or {}
    if payload.get("document_kind") in OUTGOING:
        return
    variants = [uuid.UUID(v) for v in payload.get("variant_ids", [])]
    warehouses = [uuid.UUID(w) for w in payload.get("warehouse_ids", [])]
    if variants and warehouses:
        await reserve_backorders(session, event.tenant_id, variant_ids=variants, warehouse_ids=warehouses)

"""Open purchase order lines as dated incoming supply: what inventory's available-to-promise counts on (registered
at assembly with `app.inventory.register_incoming`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.values import Supply
from app.purchasing.domain import PoState
from app.purchasing.models import PurchaseOrder, PurchaseOrderLine

# An approved order is as good as placed (it is sent next); a draft or one waiting for approval is not.
INCOMING_STATES = (PoState.APPROVED.value, PoState.SENT.value, PoState.PARTIALLY_RECEIVED.value)


async def open_order_supply(
    session: AsyncSession, variant_ids: Sequence[uuid.UUID], warehouse_ids: Sequence[uuid.UUID] | None
) -> list[Supply]:
    """What is still to come of the variants on open orders, per warehouse and expected date (an overdue one
    counts as today in the ATP rule: a late delivery is still expected)."""
    if not variant_ids:
        return []
    left = func.sum(PurchaseOrderLine.qty - PurchaseOrderLine.qty_received)
    day = func.coalesce(PurchaseOrderLine.expected_on, PurchaseOrder.expected_on, PurchaseOrder.ordered_on)
    stmt = (
        select(PurchaseOrderLine.variant_id, PurchaseOrder.warehouse_id, day, left)
        .join(
            PurchaseOrder,
            (PurchaseOrder.tenant_id == PurchaseOrderLine.tenant_id) & (PurchaseOrder.id == PurchaseOrderLine.order_id),
        )
        .where(
            PurchaseOrder.status.in_(INCOMING_STATES),
            PurchaseOrderLine.variant_id.in_(list(variant_ids)),
            PurchaseOrderLine.qty > PurchaseOrderLine.qty_received,
        )
        .group_by(PurchaseOrderLine.variant_id, PurchaseOrder.warehouse_id, day)
    )
    if warehouse_ids is not None:
        stmt = stmt.where(PurchaseOrder.warehouse_id.in_(list(warehouse_ids)))
    return [Supply(v, w, on, qty) for v, w, on, qty in (await session.execute(stmt)).all()]

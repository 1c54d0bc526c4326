"""An order's status timeline: one append-only row per change of status."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.sales.models import SalesOrderEvent


async def record_event(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    order_id: uuid.UUID,
    from_status: str | None,
    to_status: str,
    actor: Actor,
    note: str = "",
) -> None:
    session.add(
        SalesOrderEvent(
            tenant_id=tenant_id,
            order_id=order_id,
            from_status=from_status,
            to_status=str(to_status),
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_label=actor.label[:320],
            note=note[:2000],
        )
    )

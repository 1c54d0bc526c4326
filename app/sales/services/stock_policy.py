"""Whether the shop sells beyond its stock: a tenant-wide switch kept in tenants.settings (JSONB).

With backorders allowed (the default) an order reserves what is on the shelf and backorders the rest; without,
placing an order must reserve every line in full or is refused, naming the SKU and what is left, so that a
shop selling unique or discontinued articles never takes an order it cannot fill.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from tenants.models import Tenant

ALLOW_BACKORDERS = "allow_backorders"
_SET = text(
    "UPDATE tenants SET settings = settings || jsonb_build_object(CAST(:key AS text), CAST(:value AS boolean)) "
    "WHERE id = :id"
)


async def backorders_allowed(session: AsyncSession, tenant_id: uuid.UUID) -> bool:
    """True unless the tenant switched backorders off."""
    settings = await session.scalar(select(Tenant.settings).where(Tenant.id == tenant_id))
    return (settings or {}).get(ALLOW_BACKORDERS) is not False


async def set_backorders_allowed(session: AsyncSession, tenant_id: uuid.UUID, allowed: bool, actor: Actor) -> None:
    """Switch backorders on or off for every later order (orders already placed keep what they hold)."""
    before = await backorders_allowed(session, tenant_id)
    # one key merged in SQL, so a concurrent change to another setting is not overwritten
    await session.execute(_SET, {"key": ALLOW_BACKORDERS, "value": bool(allowed), "id": tenant_id})
    if before != bool(allowed):
        change = {ALLOW_BACKORDERS: [before, bool(allowed)]}
        await audit.record(session, tenant_id, actor, "settings.updated", "tenant", tenant_id, change)

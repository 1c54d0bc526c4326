"""Tenant-wide storefront switches kept in tenants.settings (JSONB): read and change them."""

from __future__ import annotations

import uuid

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from tenants.models import Tenant

HIDE_PRICES = "hide_prices_until_sign_in"
_SET = text(
    "UPDATE tenants SET settings = settings || jsonb_build_object(CAST(:key AS text), CAST(:value AS boolean)) "
    "WHERE id = :id"
)


async def hide_prices_until_sign_in(session: AsyncSession, tenant_id: uuid.UUID) -> bool:
    """True when anonymous visitors see the catalogue without prices (off by default)."""
    settings = await session.scalar(select(Tenant.settings).where(Tenant.id == tenant_id))
    return bool((settings or {}).get(HIDE_PRICES, False))


async def set_hide_prices_until_sign_in(session: AsyncSession, tenant_id: uuid.UUID, hide: bool, actor: Actor) -> None:
    before = await hide_prices_until_sign_in(session, tenant_id)
    # one key merged in SQL, so a concurrent change to another setting is not overwritten
    await session.execute(_SET, {"key": HIDE_PRICES, "value": bool(hide), "id": tenant_id})
    if before != bool(hide):
        await audit.record(
            session, tenant_id, actor, "settings.updated", "tenant", tenant_id, {HIDE_PRICES: [before, bool(hide)]}
        )

"""Looking up the tenant's shipping rows by id for a use case: NotFound for another tenant's id or none."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.shipping.models import CarrierRecord, CarrierServiceRecord, ShippingZone


async def one(session: AsyncSession, model: Any, row_id: uuid.UUID, *, for_update: bool = False) -> Any:
    """The row of `model` with this id (RLS keeps it to the tenant), locked when asked; NotFound otherwise."""
    stmt = select(model).where(model.id == row_id)
    found = await session.scalar(stmt.with_for_update() if for_update else stmt)
    if found is None:
        raise NotFound()
    return found


async def carrier(session: AsyncSession, carrier_id: uuid.UUID, *, for_update: bool = False) -> CarrierRecord:
    return await one(session, CarrierRecord, carrier_id, for_update=for_update)


async def service(session: AsyncSession, service_id: uuid.UUID, *, for_update: bool = False) -> CarrierServiceRecord:
    return await one(session, CarrierServiceRecord, service_id, for_update=for_update)


async def zone(session: AsyncSession, zone_id: uuid.UUID, *, for_update: bool = False) -> ShippingZone:
    return await one(session, ShippingZone, zone_id, for_update=for_update)


async def code_taken(session: AsyncSession, model: Any, row_id: uuid.UUID | None, code: str, **scope: Any) -> bool:
    """Is `code` used by another row of `model` (within the scope, e.g. one carrier's)?"""
    stmt = select(model.id).where(model.code == code, *(getattr(model, k) == v for k, v in scope.items()))
    if row_id is not None:
        stmt = stmt.where(model.id != row_id)
    return await session.scalar(stmt.limit(1)) is not None

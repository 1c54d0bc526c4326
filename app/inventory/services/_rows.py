"""Loading one row of this tenant by id (another tenant's id is NotFound: RLS hides its rows)."""

from __future__ import annotations

import uuid
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound

T = TypeVar("T")


async def get(session: AsyncSession, model: type[T], id_: uuid.UUID | None, *, for_update: bool = False) -> T:
    """The row with this id, optionally locked; NotFound when there is none for this tenant."""
    if id_ is None:
        raise NotFound()
    stmt = select(model).where(model.id == id_)  # type: ignore[attr-defined]
    if for_update:
        stmt = stmt.with_for_update()
    row = await session.scalar(stmt)
    if row is None:
        raise NotFound()
    return row

"""Take the next number of a series: the row lock makes it gapless under concurrency."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_TAKE = text(
    "UPDATE number_series SET next_number = next_number + 1 "
    "WHERE code = :code RETURNING prefix, padding, next_number - 1"
)


async def take_number(session: AsyncSession, code: str) -> str:
    """The next document number of series `code`; rolled back with its transaction, so no gaps."""
    row = (await session.execute(_TAKE, {"code": code})).one_or_none()
    if row is None:
        raise LookupError(f"number series {code!r} does not exist")
    prefix, padding, number = row
    return f"{prefix}{number:0{padding}d}"

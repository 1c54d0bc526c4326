"""Background jobs on the same database (pgqueuer); enqueued inside the business transaction."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from pgqueuer import AsyncpgDriver, Queries
from sqlalchemy.ext.asyncio import AsyncSession


async def enqueue_in_session(
    session: AsyncSession, entrypoint: str, payload: dict[str, Any], *, delay: timedelta | None = None
) -> None:
    """Enqueue on the session's own connection: the job commits or rolls back with the transaction."""
    connection = await session.connection()  # begins the transaction first, as pgqueuer requires
    raw = await connection.get_raw_connection()
    queries = Queries(AsyncpgDriver(raw.driver_connection))
    await queries.enqueue(entrypoint, json.dumps(payload).encode(), execute_after=delay)

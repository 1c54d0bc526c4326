"""Engine and sessions for the application role; the tenant is set on every transaction."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from uuid import UUID

import asyncpg
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app.settings import Settings

TENANT_KEY = "tenant_id"
log = logging.getLogger("bodega.db")
_SET_TENANT = text("SELECT set_config('app.tenant_id', :tenant, true)")


@event.listens_for(Session, "after_begin")
def _set_tenant_on_begin(session: Session, transaction, connection) -> None:
    """Every transaction of a tenant session starts by declaring its tenant to RLS."""
    tenant_id = session.info.get(TENANT_KEY)
    connection.execute(_SET_TENANT, {"tenant": str(tenant_id) if tenant_id else ""})


async def driver_connection(session: AsyncSession) -> asyncpg.Connection:
    """The session's asyncpg connection, inside its transaction (begun here if need be, tenant declared).

    For the few statements every request runs: asyncpg directly skips SQLAlchemy's per-statement work
    (parameter processing, result wrapping), which on a hot page costs more than the query itself.
    Use positional parameters ($1, ...) and read rows as asyncpg Records.
    """
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection  # type: ignore[return-value]


def make_engine(url: str, *, pool_size: int = 10, null_pool: bool = False) -> AsyncEngine:
    """An asyncpg engine; NullPool for short-lived processes and tests."""
    kwargs: dict = {"pool_pre_ping": False}
    if null_pool:
        kwargs["poolclass"] = NullPool
    else:
        kwargs.update(pool_size=pool_size, max_overflow=pool_size)
    return create_async_engine(url, **kwargs)


class Database:
    """The application's connection to PostgreSQL as the role that RLS constrains."""

    def __init__(self, settings: Settings, *, null_pool: bool = False) -> None:
        self.settings = settings
        self.engine = make_engine(settings.app_database_url, pool_size=settings.pool_size, null_pool=null_pool)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)

    def session(self, tenant_id: UUID | None) -> AsyncSession:
        """A session bound to one tenant (or none: then tenant tables look empty)."""
        session = self.sessionmaker()
        session.info[TENANT_KEY] = tenant_id
        return session

    @asynccontextmanager
    async def transaction(self, tenant_id: UUID | None) -> AsyncIterator[AsyncSession]:
        """One business operation: commit on success, roll back on any error."""
        async with self.session(tenant_id) as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


def plain_dsn(url: str) -> str:
    """postgresql+asyncpg://... (SQLAlchemy) -> postgresql://... (asyncpg itself)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def refresh_statistics(settings: Settings, tables: Sequence[str]) -> bool:
    """ANALYZE `tables` after a bulk write, so the planner stops planning for the tables as they were before it.

    Autovacuum would, but only a minute or more later: a file imported, corrected and imported again within that
    minute would run its second pass on plans made for near-empty tables. ANALYZE needs the tables' owner, so it
    runs on a short connection of DATABASE_URL. Statistics are an aid, never a condition: False, with a warning
    in the log, when that connection or the ANALYZE fails.
    """
    if not settings.database_url or not tables:
        return False
    if not all(re.fullmatch(r"[a-z_]+", t) for t in tables):
        raise ValueError(f"not table names: {tables!r}")
    try:
        connection = await asyncpg.connect(plain_dsn(settings.database_url), timeout=10)
        try:
            await connection.execute(f"ANALYZE {', '.join(tables)}")
        finally:
            await connection.close()
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        log.warning("statistics not refreshed: %s", exc)
        return False
    return True

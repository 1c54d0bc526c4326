"""Change notices from PostgreSQL, so process-local caches of catalogue pages and prices are never stale for long.

Writes to the tables behind what a shopper sees (topic `catalog`), pays (topic `pricing`) or who is signed
in (topic `sessions`: a session ended, a user or their roles or company changed) send
`NOTIFY bodega_changes, '<tenant id>:<topic>'` when they commit (migration 0006). Each app process keeps one
LISTEN connection; a notice bumps that tenant's generation for the topic, and caches (app.cache) key
their entries by `token(tenant, topic)`, so an entry written before the change is never read after it.
The process's running feed answers the module-level `token()`, which the domains' read functions ask
themselves: callers never pass tokens around.

The token is None while the feed is not listening (not started yet, connection lost, server restarting):
callers then compute instead of caching. A reconnect starts a new epoch, which retires every entry cached
before the gap, since notices sent while nobody listened are lost.

A request that read the database just before a change committed could store the old answer after the
notice arrived: `token` is taken before the read and the entry is stored under that token, so the old
answer lands under the old generation, which no later request asks for.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import uuid
from collections.abc import Iterator
from typing import Any, Protocol

import asyncpg

CHANNEL = "bodega_changes"
RETRY_SECONDS = (0.5, 1, 2, 5, 10)
# A connection can die without the socket saying so (a dropped network path): it is asked for a reply this
# often, and given up on (caches off, reconnect) when none comes within HEARTBEAT_TIMEOUT.
HEARTBEAT_SECONDS = 15.0
HEARTBEAT_TIMEOUT = 5.0

log = logging.getLogger("bodega.changes")
Token = tuple[int, int]
TOPICS = ("catalog", "pricing", "sessions", "availability", "shipping")
_RUNNING: list[ChangeFeed] = []  # the feed this process started last (an app process runs one)


def token(tenant_id: uuid.UUID | str, topic: str) -> Token | None:
    """The current generation of a tenant's topic in this process, or None when nothing may be cached."""
    return _RUNNING[-1].token(tenant_id, topic) if _RUNNING else None


class Tokens(Protocol):
    def token(self, tenant_id: uuid.UUID | str, topic: str) -> Token | None: ...


@contextlib.contextmanager
def answering(feed: Tokens) -> Iterator[None]:
    """`token()` answers from `feed` inside the block: a test's fake feed with generations it sets itself."""
    _RUNNING.append(feed)  # type: ignore[arg-type]
    try:
        yield
    finally:
        _RUNNING.remove(feed)  # type: ignore[arg-type]


class ChangeFeed:
    """The generations of each (tenant, topic), advanced by the database's change notices."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._epochs = itertools.count(1)
        self.epoch = 0  # 0: not listening
        self._generations: dict[tuple[str, str], int] = {}
        self._conn: asyncpg.Connection | None = None
        self._task: asyncio.Task | None = None
        self._heartbeat: asyncio.Task | None = None
        self._closing = False
        self.notices = 0
        self.heartbeat_seconds = HEARTBEAT_SECONDS

    # -- what caches ask -------------------------------------------------------------------------------------

    def token(self, tenant_id: uuid.UUID | str, topic: str) -> Token | None:
        """The current generation of a tenant's topic, or None when caching is off (not listening)."""
        if not self.epoch:
            return None
        return (self.epoch, self._generations.get((str(tenant_id), topic), 0))

    @property
    def listening(self) -> bool:
        return bool(self.epoch)

    # -- the connection --------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen now if the server answers, else keep trying in the background; answers `token()` from now."""
        _RUNNING.append(self)
        self._heartbeat = asyncio.get_running_loop().create_task(self._beat())
        try:
            await self._connect()
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("change feed not listening yet: %s", exc)
            self._reconnect_later()

    async def stop(self) -> None:
        self._closing = True
        self.epoch = 0
        if self in _RUNNING:
            _RUNNING.remove(self)
        for task in (self._task, self._heartbeat):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._conn is not None and not self._conn.is_closed():
            await self._conn.close()
        self._conn = None

    async def _connect(self) -> None:
        conn = await asyncpg.connect(self.dsn)
        conn.add_termination_listener(self._lost)
        await conn.add_listener(CHANNEL, self._notice)
        self._conn = conn
        self._generations.clear()
        self.epoch = next(self._epochs)

    def _lost(self, conn: asyncpg.Connection) -> None:
        if conn is not self._conn:
            return  # an earlier connection, already replaced
        self.epoch = 0  # notices may be missed from now on: cache nothing until listening again
        if not self._closing:
            log.warning("change feed lost its connection; reconnecting")
            self._reconnect_later()

    @staticmethod
    async def _ping(conn: asyncpg.Connection) -> None:
        await conn.fetchval("SELECT 1")

    async def _beat(self) -> None:
        """Ask the listening connection for a reply now and then; a silent one is given up on."""
        while not self._closing:
            await asyncio.sleep(self.heartbeat_seconds)
            conn = self._conn
            if conn is None or not self.epoch or conn.is_closed():
                continue
            try:
                await asyncio.wait_for(self._ping(conn), HEARTBEAT_TIMEOUT)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
                log.warning("change feed connection did not answer (%s); reconnecting", exc)
                conn.terminate()
                self._lost(conn)

    def _reconnect_later(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        for delay in itertools.chain(RETRY_SECONDS, itertools.repeat(RETRY_SECONDS[-1])):
            await asyncio.sleep(delay)
            if self._closing:
                return
            try:
                await self._connect()
                log.info("change feed listening again")
                return
            except (OSError, asyncpg.PostgresError) as exc:
                log.debug("change feed still not listening: %s", exc)

    def _notice(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        self.notices += 1
        tenant, _, topic = payload.partition(":")
        if tenant == "*":  # a write without a tenant: it may concern anyone
            self.epoch = next(self._epochs)
            self._generations.clear()
            return
        key = (tenant, topic)
        self._generations[key] = self._generations.get(key, 0) + 1

"""The worker process: picks up committed outbox jobs, delivers them and stops cleanly."""

from __future__ import annotations

import asyncio

from app.outbox.services import queue_mail
from app.worker import run_worker


async def _until(predicate) -> None:
    """Poll until `predicate()` is true; bounded so a broken worker fails the test instead of hanging it."""
    async with asyncio.timeout(20):
        while not await predicate():  # noqa: ASYNC110 - the database has no event to await
            await asyncio.sleep(0.05)


async def test_worker_delivers_a_committed_mail_and_stops_cleanly(db, owner, settings, tenant_a):
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(settings, stop=stop))
    try:
        async with db.transaction(tenant_a.id) as session:
            event = await queue_mail(
                session,
                tenant_a.id,
                to="buyer@example.test",
                template="mail/test_notice",
                context={"name": "Ana", "note": "from the worker"},
                locale="es",
            )

        async def delivered() -> bool:
            query = "SELECT count(*) FROM mail_messages WHERE outbox_id = $1"
            return await owner.fetchval(query, event.id) == 1

        await _until(delivered)
        assert await owner.fetchval("SELECT status FROM outbox WHERE id = $1", event.id) == "delivered"
    finally:
        stop.set()
        await asyncio.wait_for(worker, timeout=30)
    assert worker.exception() is None

"""The background worker: delivers outbox events from the pgqueuer queue, and sweeps up lost ones.

`bodega worker` runs this until SIGINT/SIGTERM. Jobs carry their tenant in the payload
and each delivery opens its own transaction for that tenant, as the app role (RLS on).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import uuid
from datetime import timedelta

import asyncpg
import structlog
from pgqueuer import AsyncpgDriver, Job, Queries, QueueManager

from app.assembly import assemble
from app.db import Database, plain_dsn
from app.events import topic_handlers
from app.outbox.delivery import DELIVER_JOB, deliver, requeue_orphans
from app.settings import Settings
from app.tasks.runner import run_task
from app.tasks.services import RUN_JOB
from app.web.ops import configure_logging

SWEEP_SECONDS = 60.0

log = structlog.get_logger("bodega.worker")


async def run_worker(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """Process jobs until `stop` is set (by SIGINT/SIGTERM when no event is given), then finish cleanly."""
    configure_logging()
    assemble()
    stop = stop or _stop_on_signals()
    db = Database(settings)
    connection = await asyncpg.connect(plain_dsn(settings.app_database_url))
    queue = QueueManager(Queries(AsyncpgDriver(connection)))
    handlers = topic_handlers(settings)

    @queue.entrypoint(DELIVER_JOB)
    async def deliver_job(job: Job) -> None:
        data = json.loads(job.payload or b"{}")
        await deliver(db, uuid.UUID(data["tenant_id"]), uuid.UUID(data["event_id"]), handlers)

    @queue.entrypoint(RUN_JOB, concurrency_limit=2)  # long tasks: two at a time leave room for deliveries
    async def task_job(job: Job) -> None:
        data = json.loads(job.payload or b"{}")
        await run_task(db, settings, uuid.UUID(data["tenant_id"]), uuid.UUID(data["task_id"]))

    log.info("worker_started")
    tasks = [
        asyncio.create_task(queue.run(dequeue_timeout=timedelta(seconds=30))),
        asyncio.create_task(_sweep_until(stop, db)),
    ]
    try:
        await _until_stop_or_crash(stop, tasks)
    finally:
        queue.shutdown.set()  # lets in-flight jobs finish
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        await connection.close()
        await db.dispose()
    if crashed := next((o for o in outcomes if isinstance(o, Exception)), None):
        log.error("worker_crashed", error=repr(crashed))
        raise crashed  # a non-zero exit, so the supervisor restarts us
    log.info("worker_stopped")


async def _until_stop_or_crash(stop: asyncio.Event, tasks: list[asyncio.Task]) -> None:
    """Wait for the stop signal; if the queue or the sweep dies first, stop as well."""
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait([stopper, *tasks], return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    await stopper


async def _sweep_until(stop: asyncio.Event, db: Database) -> None:
    """Belt and braces: every minute, enqueue due pending events whose job was lost."""
    while not stop.is_set():
        try:
            if requeued := await requeue_orphans(db):
                log.info("outbox_requeued", events=requeued)
        except Exception as exc:
            log.error("outbox_sweep_failed", error=repr(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SWEEP_SECONDS)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop

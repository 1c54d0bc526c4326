"""Deliver one outbox event after commit: run its handlers once, or record the failure and retry later."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

import structlog
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import Database
from app.jobs import enqueue_in_session
from app.outbox.domain import gives_up, retry_delay
from app.outbox.models import OutboxEvent
from tenants.models import Tenant

DELIVER_JOB = "outbox.deliver"  # the entrypoint app.outbox.services enqueues
NO_HANDLER = "no handler for topic"

log = structlog.get_logger("bodega.outbox")


def job_payload(tenant_id: uuid.UUID, event_id: uuid.UUID) -> dict[str, str]:
    return {"tenant_id": str(tenant_id), "event_id": str(event_id)}


Handler = Callable[[AsyncSession, OutboxEvent], Awaitable[object]]
Handlers = Callable[[str], Sequence[Handler] | None]  # topic -> its handlers in order; None: unknown topic


async def deliver(db: Database, tenant_id: uuid.UUID, event_id: uuid.UUID, handlers_for: Handlers) -> str:
    """Run the event's handlers in a savepoint; the status bookkeeping commits whatever they do.

    Idempotent: only a pending event is delivered, under FOR UPDATE SKIP LOCKED, so a job
    run twice (or by two workers at once) sends once. Returns the resulting status, or
    "skipped" when the event is missing, another tenant's, or being delivered elsewhere.
    """
    async with db.transaction(tenant_id) as session:
        event = await session.scalar(
            select(OutboxEvent).where(OutboxEvent.id == event_id).with_for_update(skip_locked=True)
        )
        if event is None:
            return "skipped"
        if event.status != "pending":
            return event.status
        handlers = handlers_for(event.topic)
        if handlers is None:
            event.status, event.last_error = "failed", NO_HANDLER
            log.error("outbox_failed", event_id=str(event.id), topic=event.topic, error=NO_HANDLER)
            return event.status
        try:
            async with session.begin_nested():
                for handler in handlers:
                    await handler(session, event)
        except Exception as exc:
            await _record_failure(session, event, exc)
            return event.status
        event.status, event.delivered_at = "delivered", datetime.now(UTC)
        log.info("outbox_delivered", event_id=str(event.id), topic=event.topic, attempts=event.attempts + 1)
        return event.status


async def _record_failure(session: AsyncSession, event: OutboxEvent, exc: Exception) -> None:
    """Count the attempt; retry later with back-off (a delayed job), or give up after the last one."""
    event.attempts += 1
    # First line only: a database error goes on with the SQL and its parameters (the whole e-mail).
    event.last_error = f"{type(exc).__name__}: {exc}".splitlines()[0][:2000]
    fields = {"event_id": str(event.id), "topic": event.topic, "attempts": event.attempts}
    if gives_up(event.attempts):
        event.status = "failed"
        log.error("outbox_failed", error=event.last_error, **fields)
        return
    delay = retry_delay(event.attempts)
    event.next_attempt_at = datetime.now(UTC) + delay
    await enqueue_in_session(session, DELIVER_JOB, job_payload(event.tenant_id, event.id), delay=delay)
    log.warning("outbox_retry", error=event.last_error, retry_in_s=round(delay.total_seconds()), **fields)


_ORPHANS = text(
    """
    SELECT o.id FROM outbox o
    WHERE o.status = 'pending' AND o.next_attempt_at <= now()
      AND NOT EXISTS (
        SELECT 1 FROM pgqueuer q
        WHERE q.entrypoint = :entrypoint AND q.status IN ('queued', 'picked')
          AND convert_from(q.payload, 'UTF8')::jsonb ->> 'event_id' = o.id::text)
    ORDER BY o.next_attempt_at
    """
)


async def requeue_orphans(db: Database) -> int:
    """Enqueue a job for every due pending event that has none (its job was lost); returns how many.

    RLS hides outbox rows outside the session's tenant, so this walks the global tenants
    table one tenant per transaction: fine for hundreds of tenants every minute.
    """
    async with db.transaction(None) as session:
        tenant_ids = list((await session.scalars(select(Tenant.id).order_by(Tenant.id))).all())
    requeued = 0
    for tenant_id in tenant_ids:
        async with db.transaction(tenant_id) as session:
            event_ids = list((await session.scalars(_ORPHANS, {"entrypoint": DELIVER_JOB})).all())
            for event_id in event_ids:
                await enqueue_in_session(session, DELIVER_JOB, job_payload(tenant_id, event_id))
        requeued += len(event_ids)
    return requeued

"""Emit events into the outbox, in the caller's transaction; the worker delivers them after commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.outbox.models import OutboxEvent

MAIL_TOPIC = "mail.send"


async def emit(session: AsyncSession, tenant_id: uuid.UUID, topic: str, payload: dict[str, Any]) -> OutboxEvent:
    """Record that something happened; committed or rolled back with the change itself."""
    event = OutboxEvent(tenant_id=tenant_id, topic=topic, payload=payload)
    session.add(event)
    await session.flush()
    await _wake_worker(session, event)
    return event


async def queue_mail(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    locale: str,
) -> OutboxEvent:
    """An e-mail rendered and sent by the worker from `template` (without extension) and `context`."""
    payload = {"to": to, "template": template, "context": context, "locale": locale}
    return await emit(session, tenant_id, MAIL_TOPIC, payload)


async def _wake_worker(session: AsyncSession, event: OutboxEvent) -> None:
    """Enqueue the delivery job on the same connection, so it exists only if the transaction commits."""
    from app.jobs import enqueue_in_session

    await enqueue_in_session(session, "outbox.deliver", {"tenant_id": str(event.tenant_id), "event_id": str(event.id)})

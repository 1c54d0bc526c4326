"""Write audit entries inside the business transaction; read them for a record's page."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit.models import AuditEntry
from app.base import new_id

_SECRET_FIELDS = {"password", "password_hash", "token", "token_hash", "secret"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The audited fields of a row, before and after a change, for diff."""
    return {f: getattr(row, f) for f in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed, secrets masked."""
    changes: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            if key in _SECRET_FIELDS:
                changes[key] = ["•••", "•••"]
            else:
                changes[key] = [_jsonable(old), _jsonable(new)]
    return changes


async def record(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    changes: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            tenant_id=tenant_id,
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_label=actor.label,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            changes={k: v for k, v in (changes or {}).items()},
            ip=actor.ip,
            request_id=actor.request_id,
        )
    )


async def record_many(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    actor: Actor,
    action: str,
    entity_type: str,
    changes: Iterable[tuple[uuid.UUID | None, dict[str, Any]]],
) -> int:
    """One entry per (entity id, changes), as `record` writes them, in one INSERT: bulk writers audit every row."""
    rows = [
        {
            "tenant_id": tenant_id,
            "id": new_id(),
            "actor_kind": actor.kind,
            "actor_id": actor.id,
            "actor_label": actor.label,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "changes": dict(change),
            "ip": actor.ip,
            "request_id": actor.request_id,
        }
        for entity_id, change in changes
    ]
    if rows:
        await session.execute(insert(AuditEntry), rows)
    return len(rows)


async def history(session: AsyncSession, entity_type: str, entity_id: uuid.UUID, limit: int = 100) -> list[AuditEntry]:
    """The audit trail of one record, newest first (RLS limits it to the session's tenant)."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list((await session.scalars(stmt)).all())

"""Start, find, cancel and retry background tasks, and report their progress: the API every long job uses.

How a task runs:
1. A use case calls `start_task(session, ...)` in its request's transaction: the task row ('queued'), its
   files and a pgqueuer job "tasks.run" {tenant_id, task_id} commit together, or not at all.
2. The worker takes the job and calls app.tasks.runner.run_task: the task turns 'running' and the runner
   registered for its kind (app.tasks.registry) gets a TaskContext.
3. The runner reports progress in its own short transactions (`report_progress`, `ctx.progress`), or commits
   each unit of work together with the progress it stands for (`ctx.step`), so the task page sees it live.
4. It ends 'succeeded', 'failed' (with a message for the user) or 'cancelled' (a user asked; the runner
   stops at its next step). A failed or lost run may be retried: it resumes after its last committed step.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.base import new_id
from app.db import Database
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.jobs import enqueue_in_session
from app.tasks.domain import Issue, is_stale
from app.tasks.models import BackgroundTask, TaskFile, TaskIssue

RUN_JOB = "tasks.run"  # the pgqueuer entrypoint app.worker registers


@dataclass(frozen=True)
class InputFile:
    """A file handed to a task (an upload)."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class TaskPage:
    rows: list[BackgroundTask]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def job_payload(tenant_id: uuid.UUID, task_id: uuid.UUID) -> dict[str, str]:
    return {"tenant_id": str(tenant_id), "task_id": str(task_id)}


async def start_task(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    kind: str,
    actor: Actor,
    *,
    params: Mapping[str, Any] | None = None,
    files: Mapping[str, InputFile] | None = None,
    message: str = "",
) -> BackgroundTask:
    """Queue a task of `kind` in the caller's transaction; the worker starts it once that commits."""
    task = BackgroundTask(
        tenant_id=tenant_id,
        id=new_id(),
        kind=kind,
        status="queued",
        done=0,
        params={**(params or {}), "actor": {"kind": actor.kind, "ip": actor.ip, "request_id": actor.request_id}},
        result={},
        message=message or _("Waiting for a worker…"),
        created_by=actor.id,
        created_by_label=actor.label,
    )
    session.add(task)
    await session.flush()
    for role, file in (files or {}).items():
        session.add(
            TaskFile(
                tenant_id=tenant_id,
                task_id=task.id,
                role=role,
                filename=file.filename[:255],
                content_type=file.content_type[:100],
                byte_size=len(file.data),
                sha256=hashlib.sha256(file.data).hexdigest(),
                data=file.data,
            )
        )
    await session.flush()
    await enqueue_in_session(session, RUN_JOB, job_payload(tenant_id, task.id))
    await audit.record(session, tenant_id, actor, "task.started", "task", task.id, {"kind": [None, kind]})
    return task


async def get_task(
    session: AsyncSession, task_id: uuid.UUID, *, kinds: Collection[str] | None = None
) -> BackgroundTask:
    """The tenant's task (NotFound for another tenant's id, or a kind the caller may not see)."""
    task = await session.scalar(select(BackgroundTask).where(BackgroundTask.id == task_id))
    if task is None or (kinds is not None and task.kind not in kinds):
        raise NotFound()
    return task


async def list_tasks(
    session: AsyncSession, *, kinds: Collection[str] | None = None, page: int = 1, per_page: int = 50
) -> TaskPage:
    """The tenant's tasks, newest first (only these kinds, when given)."""
    stmt = select(BackgroundTask)
    if kinds is not None:
        stmt = stmt.where(BackgroundTask.kind.in_(list(kinds)))
    total = await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, min(page, max(1, math.ceil(total / per_page))))
    rows = await session.scalars(
        stmt.order_by(BackgroundTask.created_at.desc(), BackgroundTask.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return TaskPage(list(rows), total, page, per_page)


async def task_issues(
    session: AsyncSession, task_id: uuid.UUID, *, limit: int | None = 100, offset: int = 0
) -> list[Issue]:
    """The issues a task reported, in report order."""
    stmt = (
        select(TaskIssue.line, TaskIssue.column, TaskIssue.reason, TaskIssue.value)
        .where(TaskIssue.task_id == task_id)
        .order_by(TaskIssue.seq)
        .offset(offset)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [Issue(*row) for row in (await session.execute(stmt)).all()]


async def issue_count(session: AsyncSession, task_id: uuid.UUID) -> int:
    return await session.scalar(select(func.count()).where(TaskIssue.task_id == task_id)) or 0


async def cancel_task(
    session: AsyncSession, tenant_id: uuid.UUID, task_id: uuid.UUID, actor: Actor, *, kinds: Collection[str] | None
) -> BackgroundTask:
    """Stop a queued or running task; a running one stops at its next step (what it committed stays)."""
    task = await get_task(session, task_id, kinds=kinds)
    await session.refresh(task, with_for_update=True)
    if not task.is_active:
        raise ValidationFailed({"status": _("This task has already finished.")})
    now = datetime.now(UTC)
    task.status, task.finished_at, task.updated_at = "cancelled", now, now
    task.message = _("Cancelled by %(who)s.", who=actor.label)
    await audit.record(
        session, tenant_id, actor, "task.cancelled", "task", task.id, {"status": ["running", "cancelled"]}
    )
    return task


async def retry_task(
    session: AsyncSession, tenant_id: uuid.UUID, task_id: uuid.UUID, actor: Actor, *, kinds: Collection[str] | None
) -> BackgroundTask:
    """Queue a failed (or lost) task again; it resumes after its last committed step."""
    task = await get_task(session, task_id, kinds=kinds)
    await session.refresh(task, with_for_update=True)
    before = task.status
    if task.status != "failed" and not is_stale(task.status, task.updated_at, datetime.now(UTC)):
        raise ValidationFailed({"status": _("Only a task that failed can be run again.")})
    task.status, task.finished_at, task.updated_at = "queued", None, datetime.now(UTC)
    task.message = _("Waiting for a worker…")
    await session.flush()
    await enqueue_in_session(session, RUN_JOB, job_payload(tenant_id, task.id))
    await audit.record(session, tenant_id, actor, "task.retried", "task", task.id, {"status": [before, "queued"]})
    return task


async def report_progress(
    db: Database,
    tenant_id: uuid.UUID,
    task_id: uuid.UUID,
    *,
    done: int | None = None,
    total: int | None = None,
    message: str | None = None,
) -> bool:
    """Record progress in its own short transaction (the page sees it at once); False once the task was cancelled."""
    values: dict[str, Any] = {"updated_at": func.now()}
    if done is not None:
        values["done"] = done
    if total is not None:
        values["total"] = total
    if message is not None:
        values["message"] = message[:500]
    async with db.transaction(tenant_id) as session:
        moved = await session.scalar(
            update(BackgroundTask)
            .where(BackgroundTask.id == task_id, BackgroundTask.status == "running")
            .values(**values)
            .returning(BackgroundTask.id)
        )
    return moved is not None

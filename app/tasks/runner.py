"""Run one task in the worker: claim it, hand its runner a TaskContext, record how it ended.

A runner is `async def run(ctx: TaskContext) -> str` (the closing message). It raises TaskFailed with a
message for the user when its input cannot be used; anything else it raises marks the task failed with
a generic message (the details go to the log). Work is committed in steps (`async with ctx.step(n)`), each
together with its progress and counters, so a retried run resumes after `ctx.checkpoint` and counts once.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.db import Database
from app.i18n import gettext as _
from app.i18n import use_locale
from app.settings import Settings
from app.tasks import services
from app.tasks.domain import MAX_ISSUES, STALE_AFTER, Issue, clipped, ordered
from app.tasks.models import BackgroundTask, TaskFile, TaskIssue
from app.tasks.registry import runner_for

log = structlog.get_logger("bodega.tasks")

Runner = Callable[["TaskContext"], Awaitable[str]]


class TaskFailed(Exception):
    """The task cannot go on for a reason the user can act on (`message`, already translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TaskCancelled(Exception):
    """Somebody cancelled the task; the runner stops and its current step rolls back."""


@dataclass
class Step:
    """One unit of work: its session, and the counters it adds to the task's result when it commits."""

    session: AsyncSession
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, **counts: int) -> None:
        for key, n in counts.items():
            self.counts[key] = self.counts.get(key, 0) + n


class TaskContext:
    """What a runner may do with its task: read its params and files, report progress and issues, commit steps."""

    def __init__(self, db: Database, settings: Settings, task: BackgroundTask) -> None:
        self.db, self.settings = db, settings
        self.tenant_id, self.task_id, self.kind = task.tenant_id, task.id, task.kind
        self.params: dict[str, Any] = dict(task.params or {})
        self.checkpoint, self.attempt = task.checkpoint, task.attempts
        self.result: dict[str, Any] = dict(task.result or {})
        who = self.params.get("actor") or {}
        self.actor = Actor(
            kind=str(who.get("kind") or "system"),
            id=task.created_by,
            label=task.created_by_label or "system",
            ip=who.get("ip"),
            request_id=who.get("request_id"),
        )

    async def input_file(self, role: str = "input") -> bytes:
        async with self.db.transaction(self.tenant_id) as session:
            data = await session.scalar(
                select(TaskFile.data).where(TaskFile.task_id == self.task_id, TaskFile.role == role)
            )
        if data is None:
            raise TaskFailed(_("The uploaded file is missing."))
        return data

    async def progress(self, done: int | None = None, total: int | None = None, message: str | None = None) -> None:
        """Record progress now; raises TaskCancelled when the task was cancelled meanwhile."""
        if not await services.report_progress(
            self.db, self.tenant_id, self.task_id, done=done, total=total, message=message
        ):
            raise TaskCancelled()

    async def set_result(self, **values: Any) -> None:
        """Merge values into the task's result (counters added by steps stay)."""
        async with self.db.transaction(self.tenant_id) as session:
            task = await self._locked(session)
            task.result = {**task.result, **values}
            self.result = task.result

    async def replace_issues(self, issues: Sequence[Issue]) -> int:
        """Store the task's issues (the first MAX_ISSUES, in report order) in place of any earlier ones."""
        async with self.db.transaction(self.tenant_id) as session:
            await session.execute(delete(TaskIssue).where(TaskIssue.task_id == self.task_id))
            return await self._insert_issues(session, ordered(issues), 0)

    async def add_issues(self, issues: Sequence[Issue]) -> int:
        """Append issues found late (while importing) after the stored ones."""
        async with self.db.transaction(self.tenant_id) as session:
            last = await session.scalar(
                select(TaskIssue.seq).where(TaskIssue.task_id == self.task_id).order_by(TaskIssue.seq.desc()).limit(1)
            )
            return await self._insert_issues(session, ordered(issues), 0 if last is None else last + 1)

    async def _insert_issues(self, session: AsyncSession, issues: list[Issue], first: int) -> int:
        room = max(0, MAX_ISSUES - first)
        rows = [
            {"tenant_id": self.tenant_id, "task_id": self.task_id, "seq": first + n, **clipped(i)._asdict()}
            for n, i in enumerate(issues[:room])
        ]
        if rows:
            await session.execute(insert(TaskIssue), rows)
        return len(rows)

    @asynccontextmanager
    async def step(self, done: int = 0) -> AsyncIterator[Step]:
        """One transaction for a unit of work and its progress: both commit, or neither (cancel rolls back)."""
        async with self.db.transaction(self.tenant_id) as session:
            step = Step(session)
            yield step
            task = await self._locked(session)
            if task.status != "running":
                raise TaskCancelled()
            result = dict(task.result)
            for key, n in step.counts.items():
                result[key] = int(result.get(key, 0)) + n
            task.result, task.done, task.checkpoint = result, task.done + done, task.checkpoint + 1
            task.updated_at = datetime.now(UTC)
            self.result = result
        self.checkpoint += 1

    async def _locked(self, session: AsyncSession) -> BackgroundTask:
        task = await session.scalar(select(BackgroundTask).where(BackgroundTask.id == self.task_id).with_for_update())
        assert task is not None  # RLS and the claim guarantee it
        return task


async def run_task(db: Database, settings: Settings, tenant_id: uuid.UUID, task_id: uuid.UUID) -> str:
    """Run the task once (the worker's "tasks.run" job); returns its final status, or 'skipped'."""
    task = await _claim(db, tenant_id, task_id)
    if task is None:
        return "skipped"
    ctx = TaskContext(db, settings, task)
    fields = {"task_id": str(task_id), "kind": task.kind, "attempt": task.attempts}
    with use_locale(str(ctx.params.get("locale", ""))):
        runner = runner_for(task.kind)
        try:
            if runner is None:
                raise TaskFailed(_("This kind of task is not known."))
            message = await runner(ctx)
        except TaskCancelled:
            log.info("task_cancelled", **fields)
            return "cancelled"
        except TaskFailed as exc:
            log.warning("task_failed", reason=exc.message, **fields)
            return await _finish(db, tenant_id, task_id, "failed", exc.message)
        except Exception as exc:
            log.exception("task_crashed", error=f"{type(exc).__name__}: {exc}".splitlines()[0][:500], **fields)
            message = _(
                "The task stopped on an unexpected error. The work it completed is kept; "
                "run it again, or tell support the reference %(ref)s.",
                ref=str(task_id),
            )
            return await _finish(db, tenant_id, task_id, "failed", message)
        log.info("task_succeeded", **fields)
        return await _finish(db, tenant_id, task_id, "succeeded", message)


async def _claim(db: Database, tenant_id: uuid.UUID, task_id: uuid.UUID) -> BackgroundTask | None:
    """Mark a queued (or lost running) task as running, once: a duplicate job, or a finished task, is skipped."""
    now = datetime.now(UTC)
    async with db.transaction(tenant_id) as session:
        task = await session.scalar(
            select(BackgroundTask)
            .where(
                BackgroundTask.id == task_id,
                or_(
                    BackgroundTask.status == "queued",
                    (BackgroundTask.status == "running") & (BackgroundTask.updated_at < now - STALE_AFTER),
                ),
            )
            .with_for_update(skip_locked=True)
        )
        if task is None:
            return None
        task.status, task.attempts, task.updated_at = "running", task.attempts + 1, now
        task.started_at = task.started_at or now
        with use_locale(str((task.params or {}).get("locale", ""))):
            task.message = _("Started.")
    return task


async def _finish(db: Database, tenant_id: uuid.UUID, task_id: uuid.UUID, status: str, message: str) -> str:
    """Close a running task (one cancelled meanwhile stays cancelled)."""
    async with db.transaction(tenant_id) as session:
        closed = await session.scalar(
            update(BackgroundTask)
            .where(BackgroundTask.id == task_id, BackgroundTask.status == "running")
            .values(status=status, message=message[:500], finished_at=datetime.now(UTC), updated_at=datetime.now(UTC))
            .returning(BackgroundTask.status)
        )
    return closed or "cancelled"

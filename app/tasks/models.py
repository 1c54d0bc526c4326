"""Background tasks, the files they work on and the row-by-row issues they report.

A task's input file is kept in the database (`task_files.data`, bytea) rather than on local disk:
the worker that runs the task may be on another machine than the app process that took the upload,
the file commits (or rolls back) in the same transaction as its task row, and row-level security
guards it like every other tenant row. Uploads are capped (20 MB), so bytea stays comfortable.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped, tenant_fk

STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")
ACTIVE = ("queued", "running")


class BackgroundTask(TenantOwned, Timestamped, Base):
    """One run of long work: its kind, where it is (status, done of total) and what came out (result)."""

    __tablename__ = "background_tasks"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in STATUSES)})", name="status"),
        CheckConstraint("done >= 0 AND (total IS NULL OR total >= 0)", name="progress"),
        Index("ix_background_tasks_created", "tenant_id", "created_at"),
        Index("ix_background_tasks_kind", "tenant_id", "kind", "created_at"),
    )

    kind: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="queued", server_default="queued")
    done: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    total: Mapped[int | None] = mapped_column(BigInteger)
    message: Mapped[str] = mapped_column(String(500), default="", server_default="")
    params: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
    result: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
    # steps committed so far: a run that is retried resumes after them
    checkpoint: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_by_label: Mapped[str] = mapped_column(String(200), default="", server_default="")
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None while the total is unknown."""
        if not self.total:
            return 100 if self.total == 0 and self.status == "succeeded" else None
        return min(100, self.done * 100 // self.total)


class TaskFile(TenantOwned, Timestamped, Base):
    """A file a task reads (role 'input') or writes; the bytes live here, see the module docstring."""

    __tablename__ = "task_files"
    __table_args__ = (
        UniqueConstraint("tenant_id", "task_id", "role"),
        tenant_fk(["task_id"], "background_tasks", ondelete="CASCADE"),
    )

    task_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    role: Mapped[str] = mapped_column(String(20), default="input")
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    byte_size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class TaskIssue(Base):
    """One problem a task found: the line and column of its input, the value there and the reason."""

    __tablename__ = "task_issues"
    __table_args__ = (tenant_fk(["task_id"], "background_tasks", ondelete="CASCADE"),)

    tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    task_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)  # report order: by line, then column
    line: Mapped[int | None] = mapped_column(Integer)  # None: about the whole file
    column: Mapped[str] = mapped_column(String(100), default="", server_default="")
    value: Mapped[str] = mapped_column(String(200), default="", server_default="")
    reason: Mapped[str] = mapped_column(String(500))

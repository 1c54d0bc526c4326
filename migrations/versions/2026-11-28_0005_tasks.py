"""Background tasks: the task rows with their progress, their input files, the issues they report.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28

All three tables are tenant-owned (forced RLS through tenant_table); files and issues hang off their
task by (tenant_id, task_id) and go with it. The task list reads (tenant_id, created_at) newest first.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from tenants.rls import tenant_table

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

STATUSES = "status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')"


def _task_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", "task_id"],
        ["background_tasks.tenant_id", "background_tasks.id"],
        name=op.f(f"fk_{table}_tenant_id_task_id_background_tasks"),
        ondelete="CASCADE",
    )


def _now() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "background_tasks",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("status", sa.String(20), server_default="queued", nullable=False),
        sa.Column("done", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=True),
        sa.Column("message", sa.String(500), server_default="", nullable=False),
        sa.Column("params", JSONB(), server_default="{}", nullable=False),
        sa.Column("result", JSONB(), server_default="{}", nullable=False),
        sa.Column("checkpoint", sa.Integer(), server_default="0", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("created_by_label", sa.String(200), server_default="", nullable=False),
        _now(),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(STATUSES, name=op.f("ck_background_tasks_status")),
        sa.CheckConstraint("done >= 0 AND (total IS NULL OR total >= 0)", name=op.f("ck_background_tasks_progress")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_background_tasks")),
    )
    op.create_index("ix_background_tasks_created", "background_tasks", ["tenant_id", "created_at"])
    op.create_index("ix_background_tasks_kind", "background_tasks", ["tenant_id", "kind", "created_at"])
    tenant_table("background_tasks")

    op.create_table(
        "task_files",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("task_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("byte_size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        _now(),
        _task_fk("task_files"),
        sa.UniqueConstraint("tenant_id", "task_id", "role", name=op.f("uq_task_files_tenant_id_task_id_role")),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_task_files")),
    )
    tenant_table("task_files")

    op.create_table(
        "task_issues",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("task_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("column", sa.String(100), server_default="", nullable=False),
        sa.Column("value", sa.String(200), server_default="", nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        _task_fk("task_issues"),
        sa.PrimaryKeyConstraint("tenant_id", "task_id", "seq", name=op.f("pk_task_issues")),
    )
    tenant_table("task_issues")


def downgrade() -> None:
    for table in ("task_issues", "task_files", "background_tasks"):
        op.drop_table(table)

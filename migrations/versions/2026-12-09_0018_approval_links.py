"""Approval by e-mail: single-use, expiring links that let a customer company's approver approve or reject an
order signed out (the database keeps only the token's hash).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-09

Tenant-owned (forced RLS through tenant_table), keyed with tenant_id first; the order and the approver are
foreign keys that carry tenant_id, and the token's hash is unique per tenant.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenants.rls import tenant_table

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TABLE = "sales_approval_links"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=f"pk_{TABLE}"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "order_id"],
            ["sales_orders.tenant_id", "sales_orders.id"],
            name=f"fk_{TABLE}_order_id",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "user_id"], ["users.tenant_id", "users.id"], name=f"fk_{TABLE}_user_id", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("tenant_id", "token_hash", name=f"uq_{TABLE}_token_hash"),
    )
    op.create_index(f"ix_{TABLE}_order", TABLE, ["tenant_id", "order_id"])
    tenant_table(TABLE)


def downgrade() -> None:
    op.drop_table(TABLE)

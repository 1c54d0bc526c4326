"""Sign-in attempts counted platform-wide, before the password is checked.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

One table for every kind of user (staff, customer, operator): an attempt takes a row per key it counts
against (`account:<kind>:<e-mail>` and `address:<ip>`) under an advisory lock on each key, in a
transaction of its own, before the password is verified; a success gives its rows back. Keys are not
per tenant, so one address has one allowance across all tenants. The per-tenant `login_failures` and the
operators' `platform_login_failures` it replaces counted after the password and could be outrun.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import CITEXT, INET

from tenants.rls import global_table, tenant_table

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), primary_key=True),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_index("ix_sign_in_attempts_key_at", "sign_in_attempts", ["key", "at"])
    global_table("sign_in_attempts", "SELECT, INSERT, DELETE")
    op.drop_table("login_failures")
    op.drop_table("platform_login_failures")


def downgrade() -> None:
    op.create_table(
        "platform_login_failures",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("email", CITEXT(), nullable=False),
        sa.Column("ip", INET(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_login_failures")),
    )
    op.create_index(op.f("ix_platform_login_failures_at"), "platform_login_failures", ["at"])
    op.create_index(op.f("ix_platform_login_failures_email"), "platform_login_failures", ["email"])
    global_table("platform_login_failures", "SELECT, INSERT, DELETE")
    op.create_table(
        "login_failures",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("email", CITEXT(), nullable=False),
        sa.Column("ip", INET(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_email", "login_failures", ["tenant_id", "email", "at"])
    op.create_index("ix_login_failures_ip", "login_failures", ["tenant_id", "ip", "at"])
    tenant_table("login_failures")
    op.drop_table("sign_in_attempts")

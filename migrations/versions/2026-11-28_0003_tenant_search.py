"""Indexes for the platform's tenant list: trigram search on name and slug, newest first.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX ix_tenants_name_trgm ON tenants USING gin (name gin_trgm_ops)")
    op.execute("CREATE INDEX ix_tenants_slug_trgm ON tenants USING gin ((slug::text) gin_trgm_ops)")
    op.execute("CREATE INDEX ix_tenants_created ON tenants (created_at DESC, id DESC)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_tenants_created")
    op.execute("DROP INDEX ix_tenants_slug_trgm")
    op.execute("DROP INDEX ix_tenants_name_trgm")

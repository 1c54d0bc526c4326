"""A change to a tenant's settings (tenants.settings: the storefront's switches) sends the `catalog` notice.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

The storefront keeps the hide-prices switch under the catalogue's change token (app.cache's one rule):
before, it was kept 10 seconds whatever changed.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TRIGGER notify_change AFTER UPDATE ON tenants "
        "FOR EACH STATEMENT EXECUTE FUNCTION public.notify_change('catalog')"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS notify_change ON tenants")

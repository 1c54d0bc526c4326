"""Carriers' tracking address: a template with {tracking} where the shipment's tracking number goes, so that a
shipment's tracking link is made from the number alone.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-10
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE carriers ADD COLUMN tracking_url_template varchar(500) NOT NULL DEFAULT ''")
    op.execute(
        "ALTER TABLE carriers ADD CONSTRAINT ck_carriers_tracking_url CHECK (tracking_url_template = '' OR "
        "(tracking_url_template ~ '^https?://[^[:space:]]+$' AND tracking_url_template LIKE '%{tracking}%'))"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE carriers DROP CONSTRAINT IF EXISTS ck_carriers_tracking_url")
    op.execute("ALTER TABLE carriers DROP COLUMN IF EXISTS tracking_url_template")

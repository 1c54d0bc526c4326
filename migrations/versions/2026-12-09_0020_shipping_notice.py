"""Change notices for the shipping tables: a write to carriers, their services, zones or rates tells every app
process (topic `shipping`), so that checkout can remember a tenant's carriers and rates between orders.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-09
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

TABLES = ("carriers", "carrier_services", "shipping_zones", "shipping_rates", "shipping_rate_brackets")


def upgrade() -> None:
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER notify_shipping AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION public.notify_change('shipping')"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS notify_shipping ON {table}")

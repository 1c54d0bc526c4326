"""The delivery chosen at checkout on each sales order: the carrier service, its label as sold, the shipping
charge (net and tax) and the promised delivery date.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-09

The service is a nullable foreign key that carries tenant_id (an order can never point at another tenant's
service); orders placed before, and orders of a tenant without carriers, keep no service, an empty label and a
zero charge, so existing rows and code stay as they were.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

TABLE = "sales_orders"
AMOUNT = sa.Numeric(16, 4)


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("delivery_service_id", sa.UUID(), nullable=True))
    op.add_column(TABLE, sa.Column("delivery_label", sa.String(300), server_default="", nullable=False))
    op.add_column(TABLE, sa.Column("shipping_net", AMOUNT, server_default="0", nullable=False))
    op.add_column(TABLE, sa.Column("shipping_tax", AMOUNT, server_default="0", nullable=False))
    op.add_column(TABLE, sa.Column("promised_date", sa.Date(), nullable=True))
    op.create_foreign_key(
        op.f("fk_sales_orders_tenant_id_delivery_service_id_carrier_services"),
        TABLE,
        "carrier_services",
        ["tenant_id", "delivery_service_id"],
        ["tenant_id", "id"],
    )
    op.create_index("ix_sales_orders_delivery_service", TABLE, ["tenant_id", "delivery_service_id"])


def downgrade() -> None:
    op.drop_index("ix_sales_orders_delivery_service", table_name=TABLE)
    op.drop_constraint(op.f("fk_sales_orders_tenant_id_delivery_service_id_carrier_services"), TABLE, "foreignkey")
    for column in ("promised_date", "shipping_tax", "shipping_net", "delivery_label", "delivery_service_id"):
        op.drop_column(TABLE, column)

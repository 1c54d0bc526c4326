"""Fulfilment: pick lists, packing, shipments with tracking, delivery notes, returns (RMA).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-09

Every new table is tenant-owned (forced RLS through tenant_table), keyed with tenant_id first, and every foreign
and unique key carries tenant_id. A pick list walks one warehouse for one order or a batch of orders; its lines
say where (location, lot) to take how much for which order line, and how much was picked and shipped of it. A
shipment is what left for one order (packed, then shipped with carrier and tracking); its number is the delivery
note's. A return (RMA) names the order lines coming back, with what was received, restocked or scrapped. Existing
tenants get the pick-list and return number series.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenants.rls import tenant_table

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

QTY = sa.Numeric(14, 4)
TABLES = (
    "pick_lists",
    "pick_list_lines",
    "shipments",
    "shipment_lines",
    "sales_returns",
    "sales_return_lines",
)
SERIES = (("pick_list", "Pick lists", "PK-"), ("sales_return", "Returns", "RMA-"), ("delivery", "Deliveries", "DN-"))


def _keys() -> list[sa.Column]:
    return [sa.Column("tenant_id", sa.UUID(), nullable=False), sa.Column("id", sa.UUID(), nullable=False)]


def _created() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("tenant_id", "id", name=f"pk_{table}")


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=f"fk_{table}_{column}",
        ondelete=ondelete,
    )


def _picking() -> None:
    op.create_table(
        "pick_lists",
        *_keys(),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("warehouse_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, server_default="open"),
        sa.Column("created_by", sa.String(320), nullable=False, server_default=""),
        sa.Column("done_at", sa.DateTime(timezone=True)),
        _created(),
        _pk("pick_lists"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_pick_lists_number"),
        _fk("pick_lists", "warehouse_id", "warehouses"),
        sa.CheckConstraint("kind IN ('order', 'batch')", name="kind"),
        sa.CheckConstraint("status IN ('open', 'done', 'cancelled')", name="status"),
    )
    op.create_index("ix_pick_lists_status", "pick_lists", ["tenant_id", "status", "created_at"])
    op.create_table(
        "pick_list_lines",
        *_keys(),
        sa.Column("pick_list_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("order_line_id", sa.UUID(), nullable=False),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("location_id", sa.UUID(), nullable=False),
        sa.Column("location_code", sa.String(60), nullable=False),
        sa.Column("lot_id", sa.UUID()),
        sa.Column("lot_code", sa.String(64)),
        sa.Column("expiry", sa.Date()),
        sa.Column("qty", QTY, nullable=False),
        sa.Column("picked_qty", QTY, nullable=False, server_default="0"),
        sa.Column("shipped_qty", QTY, nullable=False, server_default="0"),
        _pk("pick_list_lines"),
        _fk("pick_list_lines", "pick_list_id", "pick_lists", "CASCADE"),
        _fk("pick_list_lines", "order_id", "sales_orders"),
        _fk("pick_list_lines", "order_line_id", "sales_order_lines"),
        _fk("pick_list_lines", "variant_id", "product_variants"),
        _fk("pick_list_lines", "location_id", "locations"),
        _fk("pick_list_lines", "lot_id", "lots"),
        sa.CheckConstraint(
            "qty > 0 AND picked_qty >= 0 AND picked_qty <= qty AND shipped_qty >= 0 AND shipped_qty <= picked_qty",
            name="progress",
        ),
    )
    op.create_index("ix_pick_list_lines_list", "pick_list_lines", ["tenant_id", "pick_list_id", "position"])
    op.create_index("ix_pick_list_lines_order_line", "pick_list_lines", ["tenant_id", "order_line_id"])


def _shipments() -> None:
    op.create_table(
        "shipments",
        *_keys(),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("warehouse_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, server_default="packed"),
        sa.Column("carrier_id", sa.UUID()),
        sa.Column("service_id", sa.UUID()),
        sa.Column("carrier_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("service_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("tracking_number", sa.String(60), nullable=False, server_default=""),
        sa.Column("tracking_url", sa.String(500), nullable=False, server_default=""),
        sa.Column("packages", sa.SmallInteger(), nullable=False, server_default="1"),
        sa.Column("weight_kg", sa.Numeric(10, 3)),
        sa.Column("packed_by", sa.String(320), nullable=False, server_default=""),
        sa.Column("shipped_by", sa.String(320), nullable=False, server_default=""),
        sa.Column("shipped_at", sa.DateTime(timezone=True)),
        _created(),
        _pk("shipments"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_shipments_number"),
        _fk("shipments", "order_id", "sales_orders"),
        _fk("shipments", "warehouse_id", "warehouses"),
        _fk("shipments", "carrier_id", "carriers"),
        _fk("shipments", "service_id", "carrier_services"),
        sa.CheckConstraint("status IN ('packed', 'shipped')", name="status"),
        sa.CheckConstraint("packages BETWEEN 1 AND 999 AND (weight_kg IS NULL OR weight_kg > 0)", name="parcel"),
        sa.CheckConstraint("status = 'packed' OR shipped_at IS NOT NULL", name="shipped_at"),
    )
    op.create_index("ix_shipments_order", "shipments", ["tenant_id", "order_id", "created_at"])
    op.create_index("ix_shipments_status", "shipments", ["tenant_id", "status", "created_at"])
    op.create_table(
        "shipment_lines",
        *_keys(),
        sa.Column("shipment_id", sa.UUID(), nullable=False),
        sa.Column("order_line_id", sa.UUID(), nullable=False),
        sa.Column("pick_line_id", sa.UUID()),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False, server_default=""),
        sa.Column("location_id", sa.UUID(), nullable=False),
        sa.Column("lot_id", sa.UUID()),
        sa.Column("lot_code", sa.String(64)),
        sa.Column("qty", QTY, nullable=False),
        _pk("shipment_lines"),
        _fk("shipment_lines", "shipment_id", "shipments", "CASCADE"),
        _fk("shipment_lines", "order_line_id", "sales_order_lines"),
        _fk("shipment_lines", "pick_line_id", "pick_list_lines"),
        _fk("shipment_lines", "variant_id", "product_variants"),
        _fk("shipment_lines", "location_id", "locations"),
        _fk("shipment_lines", "lot_id", "lots"),
        sa.CheckConstraint("qty > 0", name="qty"),
    )
    op.create_index("ix_shipment_lines_shipment", "shipment_lines", ["tenant_id", "shipment_id"])


def _returns() -> None:
    op.create_table(
        "sales_returns",
        *_keys(),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("warehouse_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, server_default="requested"),
        sa.Column("requested_by", sa.UUID()),
        sa.Column("requested_label", sa.String(320), nullable=False, server_default=""),
        sa.Column("note", sa.String(1000), nullable=False, server_default=""),
        sa.Column("decided_label", sa.String(320), nullable=False, server_default=""),
        sa.Column("decision_note", sa.String(1000), nullable=False, server_default=""),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("received_at", sa.DateTime(timezone=True)),
        _created(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        _pk("sales_returns"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_sales_returns_number"),
        _fk("sales_returns", "order_id", "sales_orders"),
        _fk("sales_returns", "customer_id", "customers"),
        _fk("sales_returns", "warehouse_id", "warehouses"),
        _fk("sales_returns", "requested_by", "users"),
        sa.CheckConstraint("status IN ('requested', 'approved', 'rejected', 'received')", name="status"),
    )
    op.create_index("ix_sales_returns_customer", "sales_returns", ["tenant_id", "customer_id", "created_at"])
    op.create_index("ix_sales_returns_status", "sales_returns", ["tenant_id", "status", "created_at"])
    op.create_table(
        "sales_return_lines",
        *_keys(),
        sa.Column("return_id", sa.UUID(), nullable=False),
        sa.Column("order_line_id", sa.UUID(), nullable=False),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False, server_default=""),
        sa.Column("qty", QTY, nullable=False),
        sa.Column("reason", sa.String(500), nullable=False, server_default=""),
        sa.Column("restocked_qty", QTY, nullable=False, server_default="0"),
        sa.Column("scrapped_qty", QTY, nullable=False, server_default="0"),
        sa.Column("scrap_reason", sa.String(500), nullable=False, server_default=""),
        _pk("sales_return_lines"),
        _fk("sales_return_lines", "return_id", "sales_returns", "CASCADE"),
        _fk("sales_return_lines", "order_line_id", "sales_order_lines"),
        _fk("sales_return_lines", "variant_id", "product_variants"),
        sa.CheckConstraint(
            "qty > 0 AND restocked_qty >= 0 AND scrapped_qty >= 0 AND restocked_qty + scrapped_qty <= qty",
            name="progress",
        ),
    )
    op.create_index("ix_sales_return_lines_return", "sales_return_lines", ["tenant_id", "return_id"])
    op.create_index("ix_sales_return_lines_order_line", "sales_return_lines", ["tenant_id", "order_line_id"])


def _series() -> None:
    values = ", ".join(f"('{code}', '{name}', '{prefix}')" for code, name, prefix in SERIES)
    op.execute(
        "INSERT INTO number_series (tenant_id, id, code, name, prefix, padding, next_number) "
        f"SELECT t.id, gen_random_uuid(), s.code, s.name, s.prefix, 5, 1 FROM tenants t CROSS JOIN (VALUES {values}) "
        "AS s(code, name, prefix) ON CONFLICT (tenant_id, code) DO NOTHING"
    )


def upgrade() -> None:
    _picking()
    _shipments()
    _returns()
    for table in TABLES:
        tenant_table(table)
    _series()


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
    op.execute("DELETE FROM number_series WHERE code IN ('pick_list', 'sales_return')")

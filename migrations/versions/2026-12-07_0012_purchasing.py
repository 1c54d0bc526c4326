"""Purchasing: suppliers (a party), their price lists, RFQs, purchase orders, receipts, supplier bills, landed costs.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

Every table is tenant-owned (forced RLS through tenant_table), keyed with tenant_id first, and every foreign
and unique key carries tenant_id. A purchase receipt's stock moves name it as their document
('purchase_receipt', its id); its lines are the moves' document lines. Existing tenants get the new document
series (requests for quotation, supplier bills).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import CITEXT, JSONB

from tenants.rls import tenant_table

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

QTY = sa.Numeric(14, 4)
PRICE = sa.Numeric(14, 4)
AMOUNT = sa.Numeric(16, 4)
PCT = sa.Numeric(7, 2)
SERIES = [
    ("purchase_order", "Purchase orders", "PO-"),
    ("rfq", "Requests for quotation", "RFQ-"),
    ("vendor_bill", "Supplier bills", "VB-"),
]
PO_STATES = "'draft', 'to_approve', 'approved', 'sent', 'partially_received', 'received', 'closed', 'cancelled'"
TABLES = (
    "landed_cost_allocations",
    "landed_costs",
    "vendor_bill_lines",
    "vendor_bills",
    "purchase_receipt_lines",
    "purchase_receipts",
    "purchase_order_lines",
    "purchase_orders",
    "rfq_responses",
    "rfq_suppliers",
    "rfq_lines",
    "rfqs",
    "supplier_prices",
    "purchasing_settings",
    "suppliers",
)


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


def _uq(table: str, *columns: str, name: str | None = None, **kw) -> sa.UniqueConstraint:
    return sa.UniqueConstraint("tenant_id", *columns, name=name or f"uq_{table}_{'_'.join(columns)}", **kw)


def _suppliers() -> None:
    op.create_table(
        "suppliers",
        *_keys(),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tax_id", sa.String(40)),
        sa.Column("email", CITEXT()),
        sa.Column("phone", sa.String(40)),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("default_lead_time_days", sa.SmallInteger(), nullable=False, server_default="14"),
        sa.Column("payment_terms_days", sa.SmallInteger(), nullable=False, server_default="30"),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="active"),
        _created(),
        _pk("suppliers"),
        _uq("suppliers", "code"),
        sa.CheckConstraint("status IN ('active', 'blocked')", name="ck_suppliers_status"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="ck_suppliers_currency"),
        sa.CheckConstraint("country ~ '^[A-Z]{2}$'", name="ck_suppliers_country"),
        sa.CheckConstraint("default_lead_time_days >= 0 AND payment_terms_days >= 0", name="ck_suppliers_days"),
    )
    op.create_table(
        "purchasing_settings",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("approval_threshold", AMOUNT),
        sa.Column("qty_tolerance_pct", PCT, nullable=False, server_default="0"),
        sa.Column("price_tolerance_pct", PCT, nullable=False, server_default="2"),
        sa.Column("price_tolerance_amount", PRICE),
        sa.Column("receipt_over_pct", PCT, nullable=False, server_default="5"),
        sa.Column("receipt_under_pct", PCT, nullable=False, server_default="5"),
        sa.Column("min_margin_pct", PCT, nullable=False, server_default="20"),
        sa.Column("max_mean_delay_days", PCT, nullable=False, server_default="2"),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_purchasing_settings"),
        sa.CheckConstraint(
            "approval_threshold IS NULL OR approval_threshold >= 0", name="ck_purchasing_settings_threshold"
        ),
        sa.CheckConstraint(
            "qty_tolerance_pct >= 0 AND price_tolerance_pct >= 0 AND coalesce(price_tolerance_amount, 0) >= 0 "
            "AND receipt_over_pct >= 0 AND receipt_under_pct BETWEEN 0 AND 100",
            name="ck_purchasing_settings_tolerances",
        ),
    )
    op.create_table(
        "supplier_prices",
        *_keys(),
        sa.Column("supplier_id", sa.UUID(), nullable=False),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("supplier_sku", sa.String(64)),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("min_qty", QTY, nullable=False, server_default="1"),
        sa.Column("unit_price", PRICE, nullable=False),
        sa.Column("lead_time_days", sa.SmallInteger(), nullable=False),
        sa.Column("pack_size", QTY),
        sa.Column("valid_from", sa.Date()),
        sa.Column("valid_to", sa.Date()),
        _created(),
        _pk("supplier_prices"),
        _fk("supplier_prices", "supplier_id", "suppliers", "CASCADE"),
        _fk("supplier_prices", "variant_id", "product_variants", "CASCADE"),
        _uq(
            "supplier_prices",
            "supplier_id",
            "variant_id",
            "currency",
            "min_qty",
            "valid_from",
            name="uq_supplier_prices_line",
            postgresql_nulls_not_distinct=True,
        ),
        sa.CheckConstraint(
            "min_qty >= 0 AND unit_price >= 0 AND lead_time_days >= 0", name="ck_supplier_prices_figures"
        ),
        sa.CheckConstraint("pack_size IS NULL OR pack_size > 0", name="ck_supplier_prices_pack_size"),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to", name="ck_supplier_prices_period"
        ),
    )
    op.create_index("ix_supplier_prices_variant", "supplier_prices", ["tenant_id", "variant_id"])


def _rfqs() -> None:
    op.create_table(
        "rfqs",
        *_keys(),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="open"),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("warehouse_id", sa.UUID(), nullable=False),
        sa.Column("needed_by", sa.Date()),
        sa.Column("note", sa.String(1000), nullable=False, server_default=""),
        _created(),
        _pk("rfqs"),
        _uq("rfqs", "number"),
        _fk("rfqs", "warehouse_id", "warehouses"),
        sa.CheckConstraint("status IN ('open', 'ordered', 'cancelled')", name="ck_rfqs_status"),
    )
    op.create_table(
        "rfq_lines",
        *_keys(),
        sa.Column("rfq_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("qty", QTY, nullable=False),
        _pk("rfq_lines"),
        _fk("rfq_lines", "rfq_id", "rfqs", "CASCADE"),
        _fk("rfq_lines", "variant_id", "product_variants"),
        _uq("rfq_lines", "rfq_id", "variant_id"),
        sa.CheckConstraint("qty > 0", name="ck_rfq_lines_qty"),
    )
    op.create_table(
        "rfq_suppliers",
        *_keys(),
        sa.Column("rfq_id", sa.UUID(), nullable=False),
        sa.Column("supplier_id", sa.UUID(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        _pk("rfq_suppliers"),
        _fk("rfq_suppliers", "rfq_id", "rfqs", "CASCADE"),
        _fk("rfq_suppliers", "supplier_id", "suppliers"),
        _uq("rfq_suppliers", "rfq_id", "supplier_id"),
    )
    op.create_table(
        "rfq_responses",
        *_keys(),
        sa.Column("rfq_id", sa.UUID(), nullable=False),
        sa.Column("rfq_line_id", sa.UUID(), nullable=False),
        sa.Column("supplier_id", sa.UUID(), nullable=False),
        sa.Column("unit_price", PRICE, nullable=False),
        sa.Column("lead_time_days", sa.SmallInteger(), nullable=False),
        _pk("rfq_responses"),
        _fk("rfq_responses", "rfq_id", "rfqs", "CASCADE"),
        _fk("rfq_responses", "rfq_line_id", "rfq_lines", "CASCADE"),
        _fk("rfq_responses", "supplier_id", "suppliers"),
        _uq("rfq_responses", "rfq_line_id", "supplier_id"),
        sa.CheckConstraint("unit_price >= 0 AND lead_time_days >= 0", name="ck_rfq_responses_figures"),
    )


def _orders() -> None:
    op.create_table(
        "purchase_orders",
        *_keys(),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("supplier_id", sa.UUID(), nullable=False),
        sa.Column("warehouse_id", sa.UUID(), nullable=False),
        sa.Column("rfq_id", sa.UUID()),
        sa.Column("status", sa.String(20), nullable=False, server_default="draft"),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("exchange_rate", sa.Numeric(18, 8), nullable=False, server_default="1"),
        sa.Column("total", AMOUNT, nullable=False, server_default="0"),
        sa.Column("ordered_on", sa.Date(), nullable=False),
        sa.Column("expected_on", sa.Date()),
        sa.Column("approval_required", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("approved_by", sa.String(320)),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("share_token", sa.String(64)),
        sa.Column("note", sa.String(1000), nullable=False, server_default=""),
        _created(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        _pk("purchase_orders"),
        _uq("purchase_orders", "number"),
        _uq("purchase_orders", "share_token"),
        _fk("purchase_orders", "supplier_id", "suppliers"),
        _fk("purchase_orders", "warehouse_id", "warehouses"),
        _fk("purchase_orders", "rfq_id", "rfqs"),
        sa.CheckConstraint(f"status IN ({PO_STATES})", name="ck_purchase_orders_status"),
        sa.CheckConstraint("exchange_rate > 0 AND total >= 0", name="ck_purchase_orders_figures"),
    )
    op.create_index("ix_purchase_orders_supplier", "purchase_orders", ["tenant_id", "supplier_id"])
    op.create_index("ix_purchase_orders_status", "purchase_orders", ["tenant_id", "status"])
    op.create_table(
        "purchase_order_lines",
        *_keys(),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("qty", QTY, nullable=False),
        sa.Column("unit_price", PRICE, nullable=False),
        sa.Column("expected_on", sa.Date()),
        sa.Column("qty_received", QTY, nullable=False, server_default="0"),
        sa.Column("qty_billed", QTY, nullable=False, server_default="0"),
        _pk("purchase_order_lines"),
        _fk("purchase_order_lines", "order_id", "purchase_orders", "CASCADE"),
        _fk("purchase_order_lines", "variant_id", "product_variants"),
        sa.CheckConstraint("qty > 0 AND unit_price >= 0", name="ck_purchase_order_lines_figures"),
        sa.CheckConstraint("qty_received >= 0 AND qty_billed >= 0", name="ck_purchase_order_lines_progress"),
    )
    op.create_index("ix_purchase_order_lines_order", "purchase_order_lines", ["tenant_id", "order_id", "position"])
    op.create_index("ix_purchase_order_lines_variant", "purchase_order_lines", ["tenant_id", "variant_id"])


def _receipts() -> None:
    op.create_table(
        "purchase_receipts",
        *_keys(),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("warehouse_id", sa.UUID(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("received_by", sa.String(320), nullable=False),
        _created(),
        _pk("purchase_receipts"),
        _uq("purchase_receipts", "number"),
        _fk("purchase_receipts", "order_id", "purchase_orders"),
        _fk("purchase_receipts", "warehouse_id", "warehouses"),
    )
    op.create_index("ix_purchase_receipts_order", "purchase_receipts", ["tenant_id", "order_id"])
    op.create_table(
        "purchase_receipt_lines",
        *_keys(),
        sa.Column("receipt_id", sa.UUID(), nullable=False),
        sa.Column("order_line_id", sa.UUID(), nullable=False),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("qty", QTY, nullable=False),
        sa.Column("unit_cost", PRICE, nullable=False),
        sa.Column("value", AMOUNT, nullable=False),
        sa.Column("landed_cost", AMOUNT, nullable=False, server_default="0"),
        sa.Column("lot_code", sa.String(60)),
        sa.Column("move_ids", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
        _pk("purchase_receipt_lines"),
        _fk("purchase_receipt_lines", "receipt_id", "purchase_receipts", "CASCADE"),
        _fk("purchase_receipt_lines", "order_line_id", "purchase_order_lines"),
        _fk("purchase_receipt_lines", "variant_id", "product_variants"),
        sa.CheckConstraint("qty > 0 AND unit_cost >= 0", name="ck_purchase_receipt_lines_figures"),
    )
    op.create_index("ix_purchase_receipt_lines_receipt", "purchase_receipt_lines", ["tenant_id", "receipt_id"])


def _bills() -> None:
    op.create_table(
        "vendor_bills",
        *_keys(),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("supplier_id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("supplier_reference", sa.String(60), nullable=False),
        sa.Column("bill_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("total", AMOUNT, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("hold_reasons", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("approved_by", sa.String(320)),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.Column("approval_note", sa.String(1000), nullable=False, server_default=""),
        _created(),
        _pk("vendor_bills"),
        _uq("vendor_bills", "number"),
        _uq("vendor_bills", "supplier_id", "supplier_reference"),
        _fk("vendor_bills", "supplier_id", "suppliers"),
        _fk("vendor_bills", "order_id", "purchase_orders"),
        sa.CheckConstraint("status IN ('held', 'approved')", name="ck_vendor_bills_status"),
    )
    op.create_index("ix_vendor_bills_status", "vendor_bills", ["tenant_id", "status"])
    op.create_table(
        "vendor_bill_lines",
        *_keys(),
        sa.Column("bill_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("order_line_id", sa.UUID(), nullable=False),
        sa.Column("qty", QTY, nullable=False),
        sa.Column("unit_price", PRICE, nullable=False),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.Column("holds", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("received_qty", QTY, nullable=False, server_default="0"),
        sa.Column("billed_total", QTY, nullable=False, server_default="0"),
        sa.Column("ordered_price", PRICE, nullable=False, server_default="0"),
        _pk("vendor_bill_lines"),
        _fk("vendor_bill_lines", "bill_id", "vendor_bills", "CASCADE"),
        _fk("vendor_bill_lines", "order_line_id", "purchase_order_lines"),
        sa.CheckConstraint("qty > 0 AND unit_price >= 0", name="ck_vendor_bill_lines_figures"),
    )
    op.create_index("ix_vendor_bill_lines_bill", "vendor_bill_lines", ["tenant_id", "bill_id"])


def _landed_costs() -> None:
    op.create_table(
        "landed_costs",
        *_keys(),
        sa.Column("receipt_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("description", sa.String(200), nullable=False, server_default=""),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="allocated"),
        sa.Column("added_by", sa.String(320), nullable=False),
        _created(),
        _pk("landed_costs"),
        _fk("landed_costs", "receipt_id", "purchase_receipts"),
        sa.CheckConstraint("kind IN ('freight', 'duty', 'insurance', 'other')", name="ck_landed_costs_kind"),
        sa.CheckConstraint("basis IN ('value', 'weight', 'volume', 'quantity')", name="ck_landed_costs_basis"),
        sa.CheckConstraint("status IN ('allocated', 'valued')", name="ck_landed_costs_status"),
    )
    op.create_index("ix_landed_costs_receipt", "landed_costs", ["tenant_id", "receipt_id"])
    op.create_table(
        "landed_cost_allocations",
        *_keys(),
        sa.Column("landed_cost_id", sa.UUID(), nullable=False),
        sa.Column("receipt_line_id", sa.UUID(), nullable=False),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.Column("to_stock", AMOUNT),
        sa.Column("to_cogs", AMOUNT),
        _pk("landed_cost_allocations"),
        _fk("landed_cost_allocations", "landed_cost_id", "landed_costs", "CASCADE"),
        _fk("landed_cost_allocations", "receipt_line_id", "purchase_receipt_lines"),
        _uq("landed_cost_allocations", "landed_cost_id", "receipt_line_id"),
    )


def upgrade() -> None:
    _suppliers()
    _rfqs()
    _orders()
    _receipts()
    _bills()
    _landed_costs()
    for table in TABLES:
        tenant_table(table)
    series = ", ".join(f"('{code}', '{name}', '{prefix}')" for code, name, prefix in SERIES)
    op.execute(
        "INSERT INTO number_series (tenant_id, id, code, name, prefix, padding, next_number) "
        f"SELECT t.id, gen_random_uuid(), s.code, s.name, s.prefix, 5, 1 FROM tenants t CROSS JOIN (VALUES {series}) "
        "AS s(code, name, prefix) ON CONFLICT (tenant_id, code) DO NOTHING"
    )


def downgrade() -> None:
    op.execute("DELETE FROM number_series WHERE code IN ('rfq', 'vendor_bill')")
    for table in TABLES:
        op.drop_table(table)

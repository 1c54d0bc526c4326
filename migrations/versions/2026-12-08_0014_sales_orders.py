"""Sales orders: server-side carts, sales orders with their lines and status timeline, buyers' spending limits,
and the customer's terms for buying on account.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08

Every new table is tenant-owned (forced RLS through tenant_table), keyed with tenant_id first, and every foreign
and unique key carries tenant_id. An order's stock reservations name it as their document ('sales_order', its
id); its lines are the reservations' document lines. The idempotency key is unique per tenant, so a retried or
doubled placement finds the first order instead of making a second. Customers get payment terms (net days;
NULL: card only), a credit limit (NULL: none) and a switch that blocks buying on account.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenants.rls import APPEND_ONLY, tenant_table

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

QTY = sa.Numeric(14, 4)
PRICE = sa.Numeric(14, 4)
AMOUNT = sa.Numeric(16, 4)
PCT = sa.Numeric(7, 4)
ORDER_STATES = (
    "'draft', 'quote', 'awaiting_approval', 'rejected', 'awaiting_payment', 'confirmed', 'on_hold', "
    "'partially_shipped', 'shipped', 'invoiced', 'paid', 'cancelled'"
)
TABLES = ("buyer_limits", "carts", "cart_lines", "sales_orders", "sales_order_lines")


def _keys() -> list[sa.Column]:
    return [sa.Column("tenant_id", sa.UUID(), nullable=False), sa.Column("id", sa.UUID(), nullable=False)]


def _created() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _updated() -> sa.Column:
    return sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("tenant_id", "id", name=f"pk_{table}")


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=f"fk_{table}_{column}",
        ondelete=ondelete,
    )


def _customer_terms() -> None:
    op.add_column("customers", sa.Column("payment_terms_days", sa.SmallInteger(), server_default="30"))
    op.add_column("customers", sa.Column("credit_limit", AMOUNT))
    op.add_column("customers", sa.Column("credit_blocked", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_check_constraint(
        "credit",  # named ck_customers_credit by the naming convention
        "customers",
        "(payment_terms_days IS NULL OR payment_terms_days BETWEEN 0 AND 365) "
        "AND (credit_limit IS NULL OR credit_limit >= 0)",
    )


def _limits() -> None:
    op.create_table(
        "buyer_limits",
        *_keys(),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("per_order", AMOUNT),
        sa.Column("per_month", AMOUNT),
        _created(),
        _pk("buyer_limits"),
        _fk("buyer_limits", "user_id", "users", "CASCADE"),
        sa.UniqueConstraint("tenant_id", "user_id", name="uq_buyer_limits_user"),
        sa.CheckConstraint(
            "(per_order IS NULL OR per_order >= 0) AND (per_month IS NULL OR per_month >= 0)",
            name="figures",
        ),
    )


def _carts() -> None:
    op.create_table(
        "carts",
        *_keys(),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, server_default="open"),
        _created(),
        _updated(),
        _pk("carts"),
        _fk("carts", "customer_id", "customers"),
        _fk("carts", "user_id", "users", "CASCADE"),
        sa.CheckConstraint("status IN ('open', 'ordered')", name="status"),
    )
    op.create_index(
        "uq_carts_open_user",
        "carts",
        ["tenant_id", "user_id"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "cart_lines",
        *_keys(),
        sa.Column("cart_id", sa.UUID(), nullable=False),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("qty", QTY, nullable=False),
        _created(),
        _pk("cart_lines"),
        _fk("cart_lines", "cart_id", "carts", "CASCADE"),
        _fk("cart_lines", "variant_id", "product_variants", "CASCADE"),
        sa.UniqueConstraint("tenant_id", "cart_id", "variant_id", name="uq_cart_lines_variant"),
        sa.CheckConstraint("qty > 0", name="qty"),
    )


def _orders() -> None:
    op.create_table(
        "sales_orders",
        *_keys(),
        sa.Column("number", sa.String(40)),
        sa.Column("idempotency_key", sa.String(100), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("placed_by", sa.UUID()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("held_from", sa.String(20)),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("net", AMOUNT, nullable=False, server_default="0"),
        sa.Column("tax", AMOUNT, nullable=False, server_default="0"),
        sa.Column("gross", AMOUNT, nullable=False, server_default="0"),
        sa.Column("po_number", sa.String(60), nullable=False, server_default=""),
        sa.Column("requested_date", sa.Date()),
        sa.Column("ship_address_id", sa.UUID()),
        sa.Column("bill_address_id", sa.UUID()),
        sa.Column("delivery_mode", sa.String(20), nullable=False, server_default="ship_available"),
        sa.Column("payment_method", sa.String(10), nullable=False, server_default="account"),
        sa.Column("warehouse_id", sa.UUID(), nullable=False),
        sa.Column("tax_treatment", sa.String(20), nullable=False, server_default="domestic"),
        sa.Column("approval_reason", sa.String(500), nullable=False, server_default=""),
        sa.Column("placed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        _created(),
        _updated(),
        _pk("sales_orders"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_sales_orders_number"),
        sa.UniqueConstraint("tenant_id", "idempotency_key", name="uq_sales_orders_idempotency_key"),
        _fk("sales_orders", "customer_id", "customers"),
        _fk("sales_orders", "placed_by", "users"),
        _fk("sales_orders", "ship_address_id", "addresses"),
        _fk("sales_orders", "bill_address_id", "addresses"),
        _fk("sales_orders", "warehouse_id", "warehouses"),
        sa.CheckConstraint(f"status IN ({ORDER_STATES})", name="status"),
        sa.CheckConstraint(f"held_from IS NULL OR held_from IN ({ORDER_STATES})", name="held_from"),
        sa.CheckConstraint("delivery_mode IN ('ship_available', 'ship_complete')", name="delivery"),
        sa.CheckConstraint("payment_method IN ('account', 'card')", name="payment"),
        sa.CheckConstraint("net + tax = gross AND gross >= 0", name="figures"),
    )
    op.create_index("ix_sales_orders_customer", "sales_orders", ["tenant_id", "customer_id", "placed_at"])
    op.create_index("ix_sales_orders_status", "sales_orders", ["tenant_id", "status", "placed_at"])
    op.create_table(
        "sales_order_lines",
        *_keys(),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False, server_default=""),
        sa.Column("qty", QTY, nullable=False),
        sa.Column("unit_price", PRICE, nullable=False),
        sa.Column("discount_pct", PCT, nullable=False, server_default="0"),
        sa.Column("tax_class", sa.String(20), nullable=False, server_default="standard"),
        sa.Column("tax_rate", PCT, nullable=False, server_default="0"),
        sa.Column("net", AMOUNT, nullable=False),
        sa.Column("tax", AMOUNT, nullable=False),
        sa.Column("gross", AMOUNT, nullable=False),
        sa.Column("reserved_qty", QTY, nullable=False, server_default="0"),
        sa.Column("shipped_qty", QTY, nullable=False, server_default="0"),
        _pk("sales_order_lines"),
        _fk("sales_order_lines", "order_id", "sales_orders", "CASCADE"),
        _fk("sales_order_lines", "variant_id", "product_variants"),
        sa.CheckConstraint("qty > 0 AND unit_price >= 0 AND net + tax = gross", name="figures"),
        sa.CheckConstraint(
            "reserved_qty >= 0 AND shipped_qty >= 0 AND reserved_qty + shipped_qty <= qty",
            name="progress",
        ),
    )
    op.create_index("ix_sales_order_lines_order", "sales_order_lines", ["tenant_id", "order_id", "position"])
    op.create_index("ix_sales_order_lines_variant", "sales_order_lines", ["tenant_id", "variant_id"])
    op.create_table(
        "sales_order_events",
        *_keys(),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("from_status", sa.String(20)),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("actor_kind", sa.String(20), nullable=False),
        sa.Column("actor_id", sa.UUID()),
        sa.Column("actor_label", sa.String(320), nullable=False, server_default=""),
        sa.Column("note", sa.String(2000), nullable=False, server_default=""),
        _created(),
        _pk("sales_order_events"),
        _fk("sales_order_events", "order_id", "sales_orders"),
    )
    op.create_index("ix_sales_order_events_order", "sales_order_events", ["tenant_id", "order_id", "created_at"])


def upgrade() -> None:
    _customer_terms()
    _limits()
    _carts()
    _orders()
    for table in TABLES:
        tenant_table(table)
    tenant_table("sales_order_events", APPEND_ONLY)


def downgrade() -> None:
    op.drop_table("sales_order_events")
    for table in reversed(TABLES):
        op.drop_table(table)
    # dropping the columns drops their check constraint too
    for column in ("credit_blocked", "credit_limit", "payment_terms_days"):
        op.drop_column("customers", column)

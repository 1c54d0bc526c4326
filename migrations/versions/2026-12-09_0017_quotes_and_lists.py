"""Quotes with revisions and saved (requisition) lists.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-09

A quote is numbered per tenant (series 'quote'), belongs to one customer company and keeps every version: a
version and its lines are a snapshot that is never updated (the app role may only insert and read them), so
what the buyer accepted can always be shown beside what came before. The quote row carries the latest
version's figures and validity for the lists, and the sales order made when it was accepted. Its status is
the pure rules' (app.sales._quotes.QuoteStatus): expiry is a date, not a status that a job would have to set.
Saved lists belong to a customer company and are shared by all of its users. Every table is tenant-owned with
forced RLS and tenant_id first in every key.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenants.rls import APPEND_ONLY, tenant_table

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

QTY = sa.Numeric(14, 4)
PRICE = sa.Numeric(14, 4)
AMOUNT = sa.Numeric(16, 4)
PCT = sa.Numeric(7, 4)
QUOTE_STATES = "'draft', 'sent', 'revision_requested', 'accepted', 'rejected'"
READ_WRITE_TABLES = ("quotes", "saved_lists", "saved_list_lines")
APPEND_ONLY_TABLES = ("quote_versions", "quote_lines", "quote_events")


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


def _figures() -> list[sa.Column]:
    return [
        sa.Column("net", AMOUNT, nullable=False, server_default="0"),
        sa.Column("tax", AMOUNT, nullable=False, server_default="0"),
        sa.Column("gross", AMOUNT, nullable=False, server_default="0"),
    ]


def _actor(prefix: str) -> list[sa.Column]:
    return [
        sa.Column(f"{prefix}_kind", sa.String(20), nullable=False),
        sa.Column(f"{prefix}_id", sa.UUID()),
        sa.Column(f"{prefix}_label", sa.String(320), nullable=False, server_default=""),
    ]


def _quotes() -> None:
    op.create_table(
        "quotes",
        *_keys(),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("requested_by", sa.UUID()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("valid_until", sa.Date(), nullable=False),
        *_figures(),
        sa.Column("order_id", sa.UUID()),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        _created(),
        _updated(),
        _pk("quotes"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_quotes_number"),
        _fk("quotes", "customer_id", "customers"),
        _fk("quotes", "requested_by", "users"),
        _fk("quotes", "order_id", "sales_orders"),
        sa.CheckConstraint(f"status IN ({QUOTE_STATES})", name="status"),
        sa.CheckConstraint("current_version >= 1 AND net + tax = gross", name="figures"),
        sa.CheckConstraint("(status = 'accepted') = (order_id IS NOT NULL)", name="accepted_order"),
    )
    op.create_index("ix_quotes_customer", "quotes", ["tenant_id", "customer_id", "created_at"])
    op.create_index("ix_quotes_status", "quotes", ["tenant_id", "status", "valid_until"])


def _versions() -> None:
    op.create_table(
        "quote_versions",
        *_keys(),
        sa.Column("quote_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        *_figures(),
        sa.Column("note", sa.String(2000), nullable=False, server_default=""),
        *_actor("author"),
        _created(),
        _pk("quote_versions"),
        sa.UniqueConstraint("tenant_id", "quote_id", "number", name="uq_quote_versions_number"),
        _fk("quote_versions", "quote_id", "quotes"),
        sa.CheckConstraint("number >= 1 AND net + tax = gross", name="figures"),
    )
    op.create_table(
        "quote_lines",
        *_keys(),
        sa.Column("version_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False, server_default=""),
        sa.Column("qty", QTY, nullable=False),
        sa.Column("unit_price", PRICE, nullable=False),
        sa.Column("discount_pct", PCT, nullable=False, server_default="0"),
        sa.Column("tax_class", sa.String(20), nullable=False, server_default="standard"),
        sa.Column("tax_rate", PCT, nullable=False, server_default="0"),
        *_figures(),
        _pk("quote_lines"),
        _fk("quote_lines", "version_id", "quote_versions"),
        _fk("quote_lines", "variant_id", "product_variants"),
        sa.UniqueConstraint("tenant_id", "version_id", "variant_id", name="uq_quote_lines_variant"),
        sa.CheckConstraint(
            "qty > 0 AND unit_price >= 0 AND discount_pct BETWEEN 0 AND 100 AND net + tax = gross", name="figures"
        ),
    )
    op.create_index("ix_quote_lines_version", "quote_lines", ["tenant_id", "version_id", "position"])
    op.create_table(
        "quote_events",
        *_keys(),
        sa.Column("quote_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(20)),
        sa.Column("to_status", sa.String(20), nullable=False),
        *_actor("actor"),
        sa.Column("note", sa.String(2000), nullable=False, server_default=""),
        _created(),
        _pk("quote_events"),
        _fk("quote_events", "quote_id", "quotes"),
    )
    op.create_index("ix_quote_events_quote", "quote_events", ["tenant_id", "quote_id", "created_at"])


def _lists() -> None:
    op.create_table(
        "saved_lists",
        *_keys(),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("created_by", sa.UUID()),
        _created(),
        _updated(),
        _pk("saved_lists"),
        sa.UniqueConstraint("tenant_id", "customer_id", "name", name="uq_saved_lists_name"),
        _fk("saved_lists", "customer_id", "customers", "CASCADE"),
        _fk("saved_lists", "created_by", "users"),
        sa.CheckConstraint("length(btrim(name)) > 0", name="name"),
    )
    op.create_table(
        "saved_list_lines",
        *_keys(),
        sa.Column("list_id", sa.UUID(), nullable=False),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("qty", QTY, nullable=False),
        _created(),
        _pk("saved_list_lines"),
        sa.UniqueConstraint("tenant_id", "list_id", "variant_id", name="uq_saved_list_lines_variant"),
        _fk("saved_list_lines", "list_id", "saved_lists", "CASCADE"),
        _fk("saved_list_lines", "variant_id", "product_variants", "CASCADE"),
        sa.CheckConstraint("qty > 0", name="qty"),
    )


def upgrade() -> None:
    _quotes()
    _versions()
    _lists()
    for table in READ_WRITE_TABLES:
        tenant_table(table)
    for table in APPEND_ONLY_TABLES:
        tenant_table(table, APPEND_ONLY)


def downgrade() -> None:
    for table in ("saved_list_lines", "saved_lists", "quote_events", "quote_lines", "quote_versions", "quotes"):
        op.drop_table(table)

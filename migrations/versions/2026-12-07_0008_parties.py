"""Parties: customers' addresses (billing, shipping or both, one default of each) and contacts.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Customers and customer groups keep their tables; they now belong to app/parties (they were in identity
and catalog). Addresses are archived, never deleted: orders keep a copy, and past documents point at them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import CITEXT

from tenants.rls import tenant_table

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _customer_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", "customer_id"],
        ["customers.tenant_id", "customers.id"],
        name=f"fk_{table}_tenant_id_customer_id_customers",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "addresses",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("usage", sa.String(10), nullable=False, server_default="both"),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("line1", sa.String(200), nullable=False),
        sa.Column("line2", sa.String(200)),
        sa.Column("postcode", sa.String(20), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("region", sa.String(100)),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("phone", sa.String(40)),
        sa.Column("is_default_billing", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("is_default_shipping", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("is_archived", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_addresses"),
        _customer_fk("addresses"),
        sa.CheckConstraint("usage IN ('billing', 'shipping', 'both')", name="ck_addresses_usage"),
        sa.CheckConstraint("country ~ '^[A-Z]{2}$'", name="ck_addresses_country"),
    )
    op.create_index("ix_addresses_customer", "addresses", ["tenant_id", "customer_id"])
    for use in ("billing", "shipping"):
        op.create_index(
            f"uq_addresses_default_{use}",
            "addresses",
            ["tenant_id", "customer_id"],
            unique=True,
            postgresql_where=sa.text(f"is_default_{use}"),
        )
    tenant_table("addresses")
    op.create_table(
        "contacts",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("job_title", sa.String(100)),
        sa.Column("email", CITEXT()),
        sa.Column("phone", sa.String(40)),
        sa.Column("is_primary", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_contacts"),
        _customer_fk("contacts"),
    )
    op.create_index("ix_contacts_customer", "contacts", ["tenant_id", "customer_id"])
    tenant_table("contacts")


def downgrade() -> None:
    op.drop_table("contacts")
    op.drop_table("addresses")

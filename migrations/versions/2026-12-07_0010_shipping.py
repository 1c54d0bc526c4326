"""Shipping: carriers, their services and zones, and each service's rate per zone with its weight brackets.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

Every table is keyed (tenant_id, id) and every foreign key carries tenant_id; removing a carrier removes its
services, zones and rates (cascade), but the back office only deactivates carriers and services.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from tenants.rls import tenant_table

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

AMOUNT = sa.Numeric(12, 4)


def _keys() -> list[sa.Column]:
    return [sa.Column("tenant_id", sa.UUID(), nullable=False), sa.Column("id", sa.UUID(), nullable=False)]


def _created() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=f"fk_{table}_tenant_id_{column}_{target}",
        ondelete="CASCADE",
    )


def _carriers() -> None:
    op.create_table(
        "carriers",
        *_keys(),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("volumetric_divisor", sa.Numeric(10, 2)),
        sa.Column("fuel_surcharge_pct", sa.Numeric(6, 2), nullable=False, server_default="0"),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        _created(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_carriers"),
        sa.UniqueConstraint("tenant_id", "code", name="uq_carriers_tenant_id_code"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="ck_carriers_currency"),
        sa.CheckConstraint("volumetric_divisor IS NULL OR volumetric_divisor > 0", name="ck_carriers_divisor"),
        sa.CheckConstraint("fuel_surcharge_pct >= 0", name="ck_carriers_surcharge"),
    )
    tenant_table("carriers")
    op.create_table(
        "carrier_services",
        *_keys(),
        sa.Column("carrier_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("max_weight_kg", sa.Numeric(10, 3)),
        sa.Column("max_length_cm", sa.Numeric(10, 2)),
        sa.Column("max_girth_cm", sa.Numeric(10, 2)),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        _created(),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_carrier_services"),
        sa.UniqueConstraint("tenant_id", "carrier_id", "code", name="uq_carrier_services_tenant_id_carrier_id_code"),
        _fk("carrier_services", "carrier_id", "carriers"),
        sa.CheckConstraint(
            "coalesce(max_weight_kg, 1) > 0 AND coalesce(max_length_cm, 1) > 0 AND coalesce(max_girth_cm, 1) > 0",
            name="ck_carrier_services_limits",
        ),
    )
    tenant_table("carrier_services")


def _zones() -> None:
    op.create_table(
        "shipping_zones",
        *_keys(),
        sa.Column("carrier_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("postcode_prefixes", ARRAY(sa.String(20)), nullable=False, server_default="{}"),
        sa.Column("postcode_ranges", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
        _created(),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_shipping_zones"),
        sa.UniqueConstraint("tenant_id", "carrier_id", "code", name="uq_shipping_zones_tenant_id_carrier_id_code"),
        _fk("shipping_zones", "carrier_id", "carriers"),
        sa.CheckConstraint("country ~ '^[A-Z]{2}$'", name="ck_shipping_zones_country"),
    )
    tenant_table("shipping_zones")


def _rates() -> None:
    op.create_table(
        "shipping_rates",
        *_keys(),
        sa.Column("service_id", sa.UUID(), nullable=False),
        sa.Column("zone_id", sa.UUID(), nullable=False),
        sa.Column("base_fee", AMOUNT, nullable=False, server_default="0"),
        sa.Column("transit_days", sa.SmallInteger(), nullable=False),
        sa.Column("per_kg_beyond", AMOUNT),
        _created(),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_shipping_rates"),
        sa.UniqueConstraint(
            "tenant_id", "service_id", "zone_id", name="uq_shipping_rates_tenant_id_service_id_zone_id"
        ),
        _fk("shipping_rates", "service_id", "carrier_services"),
        _fk("shipping_rates", "zone_id", "shipping_zones"),
        sa.CheckConstraint("base_fee >= 0 AND coalesce(per_kg_beyond, 0) >= 0", name="ck_shipping_rates_amounts"),
        sa.CheckConstraint("transit_days >= 0", name="ck_shipping_rates_transit_days"),
    )
    op.create_index("ix_shipping_rates_zone", "shipping_rates", ["tenant_id", "zone_id"])
    tenant_table("shipping_rates")
    op.create_table(
        "shipping_rate_brackets",
        *_keys(),
        sa.Column("rate_id", sa.UUID(), nullable=False),
        sa.Column("up_to_kg", sa.Numeric(10, 3), nullable=False),
        sa.Column("price", AMOUNT, nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_shipping_rate_brackets"),
        sa.UniqueConstraint(
            "tenant_id", "rate_id", "up_to_kg", name="uq_shipping_rate_brackets_tenant_id_rate_id_up_to_kg"
        ),
        _fk("shipping_rate_brackets", "rate_id", "shipping_rates"),
        sa.CheckConstraint("up_to_kg > 0 AND price >= 0", name="ck_shipping_rate_brackets_figures"),
    )
    tenant_table("shipping_rate_brackets")


def upgrade() -> None:
    _carriers()
    _zones()
    _rates()


def downgrade() -> None:
    for table in ("shipping_rate_brackets", "shipping_rates", "shipping_zones", "carrier_services", "carriers"):
        op.drop_table(table)

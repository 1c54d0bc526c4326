"""Pricing: price list levels and targets, price rules, promotions and coupons, their redemptions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

Every new table is tenant-owned (forced RLS through tenant_table); foreign keys carry tenant_id.
The rule indexes start with (tenant_id, price_list_id) and then the scope column, so the pricing query
reads, for each of the few lists that apply to a customer, only the rules of the variants, products and
categories on the page.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenants.rls import tenant_table

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

LEVELS = "level IN ('base', 'group', 'customer', 'contract')"
ROUNDINGS = "rounding IN ('cent', '99', '95', '90')"
PERIOD = "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from"


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
        ondelete=ondelete,
    )


def _scope_columns() -> list[sa.Column]:
    return [sa.Column("variant_id", sa.UUID()), sa.Column("product_id", sa.UUID()), sa.Column("category_id", sa.UUID())]


def _scope_fks(table: str) -> list[sa.ForeignKeyConstraint]:
    return [
        _fk(table, "variant_id", "product_variants", "CASCADE"),
        _fk(table, "product_id", "products", "CASCADE"),
        _fk(table, "category_id", "categories", "CASCADE"),
    ]


def _price_lists() -> None:
    op.add_column("price_lists", sa.Column("level", sa.String(20), server_default="base", nullable=False))
    op.add_column("price_lists", sa.Column("customer_group_id", sa.UUID(), nullable=True))
    op.add_column("price_lists", sa.Column("customer_id", sa.UUID(), nullable=True))
    op.add_column("price_lists", sa.Column("valid_from", sa.Date(), nullable=True))
    op.add_column("price_lists", sa.Column("valid_to", sa.Date(), nullable=True))
    op.add_column("price_lists", sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False))
    op.add_column("price_lists", sa.Column("rounding", sa.String(4), server_default="cent", nullable=False))
    op.create_check_constraint(op.f("ck_price_lists_level"), "price_lists", LEVELS)
    op.create_check_constraint(
        op.f("ck_price_lists_level_target"),
        "price_lists",
        "(level = 'base' AND customer_group_id IS NULL AND customer_id IS NULL)"
        " OR (level = 'group' AND customer_group_id IS NOT NULL AND customer_id IS NULL)"
        " OR (level IN ('customer', 'contract') AND customer_id IS NOT NULL AND customer_group_id IS NULL)",
    )
    op.create_check_constraint(op.f("ck_price_lists_valid_period"), "price_lists", PERIOD)
    op.create_check_constraint(op.f("ck_price_lists_rounding"), "price_lists", ROUNDINGS)
    op.create_foreign_key(
        op.f("fk_price_lists_tenant_id_customer_group_id_customer_groups"),
        "price_lists",
        "customer_groups",
        ["tenant_id", "customer_group_id"],
        ["tenant_id", "id"],
    )
    op.create_foreign_key(
        op.f("fk_price_lists_tenant_id_customer_id_customers"),
        "price_lists",
        "customers",
        ["tenant_id", "customer_id"],
        ["tenant_id", "id"],
    )
    op.create_index("ix_price_lists_currency_level", "price_lists", ["tenant_id", "currency", "level"])
    op.create_index(
        "ix_price_lists_group",
        "price_lists",
        ["tenant_id", "customer_group_id"],
        postgresql_where=sa.text("customer_group_id IS NOT NULL"),
    )
    op.create_index(
        "ix_price_lists_customer",
        "price_lists",
        ["tenant_id", "customer_id"],
        postgresql_where=sa.text("customer_id IS NOT NULL"),
    )


def _price_rules() -> None:
    op.create_table(
        "price_rules",
        sa.Column("price_list_id", sa.UUID(), nullable=False),
        *_scope_columns(),
        sa.Column("min_qty", sa.Numeric(14, 4), server_default="1", nullable=False),
        sa.Column("method", sa.String(20), server_default="fixed", nullable=False),
        sa.Column("value", sa.Numeric(14, 4), nullable=False),
        sa.Column("rounding", sa.String(4), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("label", sa.String(200), server_default="", nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "num_nonnulls(variant_id, product_id, category_id) <= 1", name=op.f("ck_price_rules_one_scope")
        ),
        sa.CheckConstraint("min_qty > 0", name=op.f("ck_price_rules_min_qty_positive")),
        sa.CheckConstraint(
            "method IN ('fixed', 'list_minus_pct', 'cost_plus_pct')", name=op.f("ck_price_rules_method")
        ),
        sa.CheckConstraint("method <> 'fixed' OR value > 0", name=op.f("ck_price_rules_fixed_price_positive")),
        sa.CheckConstraint(f"rounding IS NULL OR {ROUNDINGS}", name=op.f("ck_price_rules_rounding")),
        sa.CheckConstraint(PERIOD, name=op.f("ck_price_rules_valid_period")),
        _fk("price_rules", "price_list_id", "price_lists", "CASCADE"),
        *_scope_fks("price_rules"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_price_rules")),
    )
    op.create_index("ix_price_rules_list_variant", "price_rules", ["tenant_id", "price_list_id", "variant_id"])
    for scope in ("product", "category"):
        op.create_index(
            f"ix_price_rules_list_{scope}",
            "price_rules",
            ["tenant_id", "price_list_id", f"{scope}_id"],
            postgresql_where=sa.text(f"{scope}_id IS NOT NULL"),
        )
    op.create_index(
        "ix_price_rules_list_all",
        "price_rules",
        ["tenant_id", "price_list_id"],
        postgresql_where=sa.text("variant_id IS NULL AND product_id IS NULL AND category_id IS NULL"),
    )
    for scope in ("variant", "product", "category"):
        op.create_index(
            f"ix_price_rules_{scope}",
            "price_rules",
            ["tenant_id", f"{scope}_id"],
            postgresql_where=sa.text(f"{scope}_id IS NOT NULL"),
        )
    tenant_table("price_rules")


def _promotions() -> None:
    op.create_table(
        "promotions",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("value", sa.Numeric(14, 4), nullable=False),
        sa.Column("requires_coupon", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("currency", sa.String(3), nullable=True),
        *_scope_columns(),
        sa.Column("min_qty", sa.Numeric(14, 4), server_default="1", nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("usage_limit", sa.Integer(), nullable=True),
        sa.Column("times_used", sa.Integer(), server_default="0", nullable=False),
        sa.Column("per_customer_limit", sa.Integer(), nullable=True),
        sa.Column("stackable", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("label", sa.String(200), server_default="", nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind IN ('percent', 'amount')", name=op.f("ck_promotions_kind")),
        sa.CheckConstraint("value > 0 AND (kind <> 'percent' OR value <= 100)", name=op.f("ck_promotions_value")),
        sa.CheckConstraint("kind <> 'amount' OR currency IS NOT NULL", name=op.f("ck_promotions_amount_currency")),
        sa.CheckConstraint(
            "num_nonnulls(variant_id, product_id, category_id) <= 1", name=op.f("ck_promotions_one_scope")
        ),
        sa.CheckConstraint("min_qty > 0", name=op.f("ck_promotions_min_qty_positive")),
        sa.CheckConstraint(PERIOD, name=op.f("ck_promotions_valid_period")),
        sa.CheckConstraint(
            "(usage_limit IS NULL OR usage_limit >= 1) AND (per_customer_limit IS NULL OR per_customer_limit >= 1)",
            name=op.f("ck_promotions_limits"),
        ),
        sa.CheckConstraint(
            "times_used >= 0 AND (usage_limit IS NULL OR times_used <= usage_limit)",
            name=op.f("ck_promotions_times_used"),
        ),
        *_scope_fks("promotions"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_promotions")),
    )
    op.create_index("uq_promotions_code", "promotions", ["tenant_id", sa.text("lower(code)")], unique=True)
    op.create_index("ix_promotions_valid_to", "promotions", ["tenant_id", "valid_to"])
    tenant_table("promotions")

    op.create_table(
        "promotion_customer_groups",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("promotion_id", sa.UUID(), nullable=False),
        sa.Column("customer_group_id", sa.UUID(), nullable=False),
        _fk("promotion_customer_groups", "promotion_id", "promotions", "CASCADE"),
        _fk("promotion_customer_groups", "customer_group_id", "customer_groups", "CASCADE"),
        sa.PrimaryKeyConstraint(
            "tenant_id", "promotion_id", "customer_group_id", name=op.f("pk_promotion_customer_groups")
        ),
    )
    op.create_index(
        "ix_promotion_customer_groups_group", "promotion_customer_groups", ["tenant_id", "customer_group_id"]
    )
    tenant_table("promotion_customer_groups")

    op.create_table(
        "promotion_redemptions",
        sa.Column("promotion_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        _fk("promotion_redemptions", "promotion_id", "promotions", "CASCADE"),
        _fk("promotion_redemptions", "customer_id", "customers", "CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_promotion_redemptions")),
    )
    op.create_index(
        "ix_promotion_redemptions_customer", "promotion_redemptions", ["tenant_id", "customer_id", "promotion_id"]
    )
    op.create_index("ix_promotion_redemptions_promotion", "promotion_redemptions", ["tenant_id", "promotion_id"])
    op.create_index(
        "uq_promotion_redemptions_order",
        "promotion_redemptions",
        ["tenant_id", "promotion_id", "order_id"],
        unique=True,
        postgresql_where=sa.text("order_id IS NOT NULL"),
    )
    tenant_table("promotion_redemptions")


def upgrade() -> None:
    _price_lists()
    _price_rules()
    _promotions()


def downgrade() -> None:
    for table in ("promotion_redemptions", "promotion_customer_groups", "promotions", "price_rules"):
        op.drop_table(table)
    for index in ("ix_price_lists_customer", "ix_price_lists_group", "ix_price_lists_currency_level"):
        op.drop_index(index, table_name="price_lists")
    op.drop_constraint(op.f("fk_price_lists_tenant_id_customer_id_customers"), "price_lists", type_="foreignkey")
    op.drop_constraint(
        op.f("fk_price_lists_tenant_id_customer_group_id_customer_groups"), "price_lists", type_="foreignkey"
    )
    for check in ("rounding", "valid_period", "level_target", "level"):
        op.drop_constraint(op.f(f"ck_price_lists_{check}"), "price_lists", type_="check")
    for column in ("rounding", "is_active", "valid_to", "valid_from", "customer_id", "customer_group_id", "level"):
        op.drop_column("price_lists", column)

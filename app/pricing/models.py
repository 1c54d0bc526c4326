"""Pricing tables: price lists and their rules, promotions, the groups they are limited to, their redemptions.

The engine (app.pricing.domain) reads these rows as NamedTuples; the ORM classes here serve the back office.
ORM classes are named *Record where the engine has a type of the same name (PriceRule, Promotion).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped, tenant_fk
from app.catalog.models import uuid_column

LEVELS = ("base", "group", "customer", "contract")
METHODS = ("fixed", "list_minus_pct", "cost_plus_pct")
ROUNDINGS = ("cent", "99", "95", "90")
KINDS = ("percent", "amount")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class PriceList(TenantOwned, Timestamped, Base):
    """A list of prices for everybody (base), a customer group, one customer, or one customer's contract."""

    __tablename__ = "price_lists"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        CheckConstraint(_in("level", LEVELS), name="level"),
        CheckConstraint(
            "(level = 'base' AND customer_group_id IS NULL AND customer_id IS NULL)"
            " OR (level = 'group' AND customer_group_id IS NOT NULL AND customer_id IS NULL)"
            " OR (level IN ('customer', 'contract') AND customer_id IS NOT NULL AND customer_group_id IS NULL)",
            name="level_target",
        ),
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="valid_period"),
        CheckConstraint(_in("rounding", ROUNDINGS), name="rounding"),
        tenant_fk(["customer_group_id"], "customer_groups"),
        tenant_fk(["customer_id"], "customers"),
        # the pricing query picks the lists of one currency for the base, the customer's groups and the customer
        Index("ix_price_lists_currency_level", "tenant_id", "currency", "level"),
        Index(
            "ix_price_lists_group",
            "tenant_id",
            "customer_group_id",
            postgresql_where=text("customer_group_id IS NOT NULL"),
        ),
        Index("ix_price_lists_customer", "tenant_id", "customer_id", postgresql_where=text("customer_id IS NOT NULL")),
    )

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    is_base: Mapped[bool] = mapped_column(default=False)
    level: Mapped[str] = mapped_column(String(20), default="base", server_default="base")
    customer_group_id: Mapped[uuid.UUID | None] = uuid_column()
    customer_id: Mapped[uuid.UUID | None] = uuid_column()
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(default=True, server_default="true")
    rounding: Mapped[str] = mapped_column(String(4), default="cent", server_default="cent")


class PriceRuleRecord(TenantOwned, Timestamped, Base):
    """One row of a price list (the engine's PriceRule): scope, tier start, method, value, rounding, dates."""

    __tablename__ = "price_rules"
    __table_args__ = (
        CheckConstraint("num_nonnulls(variant_id, product_id, category_id) <= 1", name="one_scope"),
        CheckConstraint("min_qty > 0", name="min_qty_positive"),
        CheckConstraint(_in("method", METHODS), name="method"),
        CheckConstraint("method <> 'fixed' OR value > 0", name="fixed_price_positive"),
        CheckConstraint(f"rounding IS NULL OR {_in('rounding', ROUNDINGS)}", name="rounding"),
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="valid_period"),
        tenant_fk(["price_list_id"], "price_lists", ondelete="CASCADE"),
        tenant_fk(["variant_id"], "product_variants", ondelete="CASCADE"),
        tenant_fk(["product_id"], "products", ondelete="CASCADE"),
        tenant_fk(["category_id"], "categories", ondelete="CASCADE"),
        # "the rules of these lists for these variants / products / categories / all products"
        Index("ix_price_rules_list_variant", "tenant_id", "price_list_id", "variant_id"),
        Index(
            "ix_price_rules_list_product",
            "tenant_id",
            "price_list_id",
            "product_id",
            postgresql_where=text("product_id IS NOT NULL"),
        ),
        Index(
            "ix_price_rules_list_category",
            "tenant_id",
            "price_list_id",
            "category_id",
            postgresql_where=text("category_id IS NOT NULL"),
        ),
        Index(
            "ix_price_rules_list_all",
            "tenant_id",
            "price_list_id",
            postgresql_where=text("variant_id IS NULL AND product_id IS NULL AND category_id IS NULL"),
        ),
        # deleting a variant, product or category finds its rules (ON DELETE CASCADE)
        Index("ix_price_rules_variant", "tenant_id", "variant_id", postgresql_where=text("variant_id IS NOT NULL")),
        Index("ix_price_rules_product", "tenant_id", "product_id", postgresql_where=text("product_id IS NOT NULL")),
        Index("ix_price_rules_category", "tenant_id", "category_id", postgresql_where=text("category_id IS NOT NULL")),
    )

    price_list_id: Mapped[uuid.UUID] = uuid_column()
    variant_id: Mapped[uuid.UUID | None] = uuid_column()
    product_id: Mapped[uuid.UUID | None] = uuid_column()
    category_id: Mapped[uuid.UUID | None] = uuid_column()
    min_qty: Mapped[Decimal] = mapped_column(Numeric(14, 4), default=Decimal(1), server_default="1")
    method: Mapped[str] = mapped_column(String(20), default="fixed", server_default="fixed")
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    rounding: Mapped[str | None] = mapped_column(String(4))  # None: the list's rounding
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(200), default="", server_default="")


class PromotionRecord(TenantOwned, Timestamped, Base):
    """A promotion or coupon (the engine's Promotion); its code is unique per tenant whatever the case."""

    __tablename__ = "promotions"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint("value > 0 AND (kind <> 'percent' OR value <= 100)", name="value"),
        CheckConstraint("kind <> 'amount' OR currency IS NOT NULL", name="amount_currency"),
        CheckConstraint("num_nonnulls(variant_id, product_id, category_id) <= 1", name="one_scope"),
        CheckConstraint("min_qty > 0", name="min_qty_positive"),
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="valid_period"),
        CheckConstraint(
            "(usage_limit IS NULL OR usage_limit >= 1) AND (per_customer_limit IS NULL OR per_customer_limit >= 1)",
            name="limits",
        ),
        # the counter can never pass the limit, whatever the concurrency
        CheckConstraint("times_used >= 0 AND (usage_limit IS NULL OR times_used <= usage_limit)", name="times_used"),
        tenant_fk(["variant_id"], "product_variants", ondelete="CASCADE"),
        tenant_fk(["product_id"], "products", ondelete="CASCADE"),
        tenant_fk(["category_id"], "categories", ondelete="CASCADE"),
        Index("uq_promotions_code", "tenant_id", text("lower(code)"), unique=True),
        Index("ix_promotions_valid_to", "tenant_id", "valid_to"),
    )

    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    requires_coupon: Mapped[bool] = mapped_column(default=False, server_default="false")
    currency: Mapped[str | None] = mapped_column(String(3))
    variant_id: Mapped[uuid.UUID | None] = uuid_column()
    product_id: Mapped[uuid.UUID | None] = uuid_column()
    category_id: Mapped[uuid.UUID | None] = uuid_column()
    min_qty: Mapped[Decimal] = mapped_column(Numeric(14, 4), default=Decimal(1), server_default="1")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    usage_limit: Mapped[int | None] = mapped_column(Integer)
    times_used: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    per_customer_limit: Mapped[int | None] = mapped_column(Integer)
    stackable: Mapped[bool] = mapped_column(default=False, server_default="false")
    is_active: Mapped[bool] = mapped_column(default=True, server_default="true")
    label: Mapped[str] = mapped_column(String(200), default="", server_default="")


class PromotionCustomerGroup(Base):
    """A promotion limited to customers of these groups (no row: everybody)."""

    __tablename__ = "promotion_customer_groups"
    __table_args__ = (
        tenant_fk(["promotion_id"], "promotions", ondelete="CASCADE"),
        tenant_fk(["customer_group_id"], "customer_groups", ondelete="CASCADE"),
        Index("ix_promotion_customer_groups_group", "tenant_id", "customer_group_id"),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    promotion_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    customer_group_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)


class PromotionRedemption(TenantOwned, Base):
    """One use of a promotion by a customer (for per-customer limits); one per order when the order is known."""

    __tablename__ = "promotion_redemptions"
    __table_args__ = (
        tenant_fk(["promotion_id"], "promotions", ondelete="CASCADE"),
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        Index("ix_promotion_redemptions_customer", "tenant_id", "customer_id", "promotion_id"),
        Index("ix_promotion_redemptions_promotion", "tenant_id", "promotion_id"),
        Index(
            "uq_promotion_redemptions_order",
            "tenant_id",
            "promotion_id",
            "order_id",
            unique=True,
            postgresql_where=text("order_id IS NOT NULL"),
        ),
    )

    promotion_id: Mapped[uuid.UUID] = uuid_column()
    customer_id: Mapped[uuid.UUID] = uuid_column()
    order_id: Mapped[uuid.UUID | None] = uuid_column()  # the sales order (its foreign key comes with sales)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

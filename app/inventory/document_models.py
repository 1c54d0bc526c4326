"""Inventory documents: reorder rules, transfers between warehouses and cycle counts, with their lines."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped, tenant_fk
from app.inventory.models import QTY, lot_of_variant, uuid_column

TRANSFER_STATUSES = ("draft", "in_transit", "done", "cancelled")
COUNT_STATUSES = ("draft", "done", "cancelled")


class ReorderRule(TenantOwned, Timestamped, Base):
    """When to buy a variant for a warehouse: below a minimum up to a maximum, or at a reorder point."""

    __tablename__ = "reorder_rules"
    __table_args__ = (
        UniqueConstraint("tenant_id", "variant_id", "warehouse_id"),
        tenant_fk(["variant_id"], "product_variants", ondelete="CASCADE"),
        tenant_fk(["warehouse_id"], "warehouses"),
        CheckConstraint("kind IN ('min_max', 'reorder_point')", name="kind"),
        CheckConstraint("min_qty >= 0 AND max_qty > 0", name="quantities"),
    )

    variant_id: Mapped[uuid.UUID] = uuid_column()
    warehouse_id: Mapped[uuid.UUID] = uuid_column()
    kind: Mapped[str] = mapped_column(String(20))
    min_qty: Mapped[Decimal] = mapped_column(QTY)  # the minimum, or the reorder point
    max_qty: Mapped[Decimal] = mapped_column(QTY)  # the maximum, or the quantity to reorder


class Transfer(TenantOwned, Timestamped, Base):
    """Goods sent from one warehouse to another: draft, then in transit once shipped, done once all received."""

    __tablename__ = "transfers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        tenant_fk(["from_warehouse_id"], "warehouses"),
        tenant_fk(["to_warehouse_id"], "warehouses"),
        CheckConstraint(f"status IN {TRANSFER_STATUSES!r}", name="status"),
        CheckConstraint("from_warehouse_id <> to_warehouse_id", name="elsewhere"),
        Index("ix_transfers_status", "tenant_id", "status", "created_at"),
    )

    number: Mapped[str] = mapped_column(String(40))
    from_warehouse_id: Mapped[uuid.UUID] = uuid_column()
    to_warehouse_id: Mapped[uuid.UUID] = uuid_column()
    status: Mapped[str] = mapped_column(String(20), default="draft")
    expected_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TransferLine(TenantOwned, Base):
    """A variant and quantity of a transfer, with what has been shipped and received of it."""

    __tablename__ = "transfer_lines"
    __table_args__ = (
        tenant_fk(["transfer_id"], "transfers", ondelete="CASCADE"),
        tenant_fk(["variant_id"], "product_variants"),
        UniqueConstraint("tenant_id", "transfer_id", "variant_id"),
        CheckConstraint(
            "qty > 0 AND qty_shipped >= 0 AND qty_received >= 0 AND qty_received <= qty_shipped", name="qty"
        ),
    )

    transfer_id: Mapped[uuid.UUID] = uuid_column()
    variant_id: Mapped[uuid.UUID] = uuid_column()
    qty: Mapped[Decimal] = mapped_column(QTY)
    qty_shipped: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))
    qty_received: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))


class StockCount(TenantOwned, Timestamped, Base):
    """A cycle count of a warehouse or one of its locations: counted quantities, then adjustments on validation."""

    __tablename__ = "stock_counts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        tenant_fk(["warehouse_id"], "warehouses"),
        ForeignKeyConstraint(
            ["tenant_id", "warehouse_id", "location_id"],
            ["locations.tenant_id", "locations.warehouse_id", "locations.id"],
            name="fk_stock_counts_location_of_warehouse",
        ),
        CheckConstraint(f"status IN {COUNT_STATUSES!r}", name="status"),
        Index("ix_stock_counts_status", "tenant_id", "status", "created_at"),
    )

    number: Mapped[str] = mapped_column(String(40))
    warehouse_id: Mapped[uuid.UUID] = uuid_column()
    location_id: Mapped[uuid.UUID | None] = uuid_column()
    status: Mapped[str] = mapped_column(String(20), default="draft")
    note: Mapped[str] = mapped_column(String(500), default="")
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StockCountLine(TenantOwned, Base):
    """One place counted: variant, location and lot, what the system expected when the count began, and the count."""

    __tablename__ = "stock_count_lines"
    __table_args__ = (
        tenant_fk(["count_id"], "stock_counts", ondelete="CASCADE"),
        tenant_fk(["variant_id"], "product_variants"),
        tenant_fk(["location_id"], "locations"),
        lot_of_variant("stock_count_lines"),
        Index(
            "uq_stock_count_lines_place",
            "tenant_id",
            "count_id",
            "variant_id",
            "location_id",
            "lot_id",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
        CheckConstraint("counted_qty IS NULL OR counted_qty >= 0", name="counted_not_negative"),
    )

    count_id: Mapped[uuid.UUID] = uuid_column()
    variant_id: Mapped[uuid.UUID] = uuid_column()
    location_id: Mapped[uuid.UUID] = uuid_column()
    lot_id: Mapped[uuid.UUID | None] = uuid_column()
    expected_qty: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))
    counted_qty: Mapped[Decimal | None] = mapped_column(QTY)

"""Inventory tables: warehouses and locations, lots, the stock ledger of moves and the balances derived from it.

Moves are append-only (the app role may only insert and read them); quants and stock levels are derived from
them and updated in the same transaction as each move. Reservations hold stock of a warehouse for a document
line; valuations and cost layers carry the cost of what is in stock, updated incrementally with each move.
Transfers and counts are the documents of warehouse work; reorder rules drive purchase suggestions.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped, tenant_fk

QTY = Numeric(14, 4)
COST = Numeric(18, 6)
VALUE = Numeric(16, 4)
LOCATION_KINDS = ("view", "internal", "transit", "supplier", "customer", "production", "scrap", "adjustment")


def uuid_column(**kw) -> Mapped:
    return mapped_column(UUID(as_uuid=True), **kw)


class InventorySettings(Base):
    """A tenant's stock rules: cost method, whether stock may go negative, how much availability shoppers see."""

    __tablename__ = "inventory_settings"
    __table_args__ = (
        CheckConstraint("cost_method IN ('average', 'fifo')", name="cost_method"),
        CheckConstraint("availability_mode IN ('exact', 'level', 'hidden')", name="availability_mode"),
        CheckConstraint("pick_strategy IN ('fefo', 'fifo')", name="pick_strategy"),
        CheckConstraint("low_stock_at >= 0", name="low_stock_at"),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    cost_method: Mapped[str] = mapped_column(String(10), default="average")
    allow_negative: Mapped[bool] = mapped_column(default=False)
    availability_mode: Mapped[str] = mapped_column(String(10), default="level")
    low_stock_at: Mapped[Decimal] = mapped_column(QTY, default=Decimal(5))
    pick_strategy: Mapped[str] = mapped_column(String(10), default="fefo")


class Warehouse(TenantOwned, Timestamped, Base):
    """A site that holds stock; its locations form a tree under one view location."""

    __tablename__ = "warehouses"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        ForeignKeyConstraint(
            ["tenant_id", "receipt_location_id"],
            ["locations.tenant_id", "locations.id"],
            name="fk_warehouses_receipt_location",
            use_alter=True,
        ),
    )

    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    country: Mapped[str | None] = mapped_column(String(2))
    postcode: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    receipt_location_id: Mapped[uuid.UUID | None] = uuid_column()


class Location(TenantOwned, Timestamped, Base):
    """A zone or bin of a warehouse, or a virtual place stock comes from or goes to (supplier, customer, ...).

    The parent is always in the same warehouse (the foreign key carries warehouse_id); a tenant has one virtual
    location of each kind.
    """

    __tablename__ = "locations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        UniqueConstraint("tenant_id", "warehouse_id", "id"),
        tenant_fk(["warehouse_id"], "warehouses"),
        ForeignKeyConstraint(
            ["tenant_id", "warehouse_id", "parent_id"],
            ["locations.tenant_id", "locations.warehouse_id", "locations.id"],
            name="fk_locations_parent_same_warehouse",
        ),
        CheckConstraint(f"kind IN {LOCATION_KINDS!r}", name="kind"),
        CheckConstraint("(kind IN ('view', 'internal')) = (warehouse_id IS NOT NULL)", name="warehouse_for_places"),
        CheckConstraint("parent_id IS NULL OR kind = 'internal'", name="only_places_nest"),
        Index("ix_locations_warehouse", "tenant_id", "warehouse_id"),
        Index(
            "uq_locations_virtual_kind", "tenant_id", "kind", unique=True, postgresql_where=text("warehouse_id IS NULL")
        ),
    )

    warehouse_id: Mapped[uuid.UUID | None] = uuid_column()
    parent_id: Mapped[uuid.UUID | None] = uuid_column()
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    is_active: Mapped[bool] = mapped_column(default=True)


class StockItem(Base):
    """How a variant is kept in stock: tracked by lot or serial number, or not tracked."""

    __tablename__ = "stock_items"
    __table_args__ = (
        tenant_fk(["variant_id"], "product_variants", ondelete="CASCADE"),
        CheckConstraint("tracking IN ('none', 'lot', 'serial')", name="tracking"),
        CheckConstraint("shelf_life_days IS NULL OR shelf_life_days BETWEEN 0 AND 36500", name="shelf_life"),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    variant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    tracking: Mapped[str] = mapped_column(String(10), default="none")
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)


class Lot(TenantOwned, Timestamped, Base):
    """A lot or a serial number of a variant, with its expiry date when it has one."""

    __tablename__ = "lots"
    __table_args__ = (
        UniqueConstraint("tenant_id", "variant_id", "code"),
        UniqueConstraint("tenant_id", "variant_id", "id"),
        tenant_fk(["variant_id"], "product_variants"),
    )

    variant_id: Mapped[uuid.UUID] = uuid_column()
    code: Mapped[str] = mapped_column(String(60))
    expiry_date: Mapped[date | None] = mapped_column(Date)


def lot_of_variant(table: str) -> ForeignKeyConstraint:
    """The lot belongs to the row's variant: the foreign key carries variant_id too."""
    return ForeignKeyConstraint(
        ["tenant_id", "variant_id", "lot_id"],
        ["lots.tenant_id", "lots.variant_id", "lots.id"],
        name=f"fk_{table}_lot_of_variant",
    )


class StockMove(TenantOwned, Base):
    """One movement of goods from a location to another: never updated or deleted, corrected by a reversal.

    `sequence` numbers the moves of a variant in the order they were valued (1, 2, ...: the valuation row's
    move count, taken under its lock); `value` is what the move adds to (+) or takes from (-) the stock value,
    zero between two stock locations; `adjustment` settles earlier issues on negative stock (to cost of sales).
    """

    __tablename__ = "stock_moves"
    __table_args__ = (
        tenant_fk(["variant_id"], "product_variants"),
        tenant_fk(["from_location_id"], "locations"),
        tenant_fk(["to_location_id"], "locations"),
        lot_of_variant("stock_moves"),
        tenant_fk(["reversal_of"], "stock_moves"),
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("from_location_id <> to_location_id", name="somewhere_else"),
        UniqueConstraint("tenant_id", "variant_id", "sequence"),
        Index("ix_stock_moves_document", "tenant_id", "document_kind", "document_id"),
        Index(
            "uq_stock_moves_reversal",
            "tenant_id",
            "reversal_of",
            unique=True,
            postgresql_where=text("reversal_of IS NOT NULL"),
        ),
    )

    sequence: Mapped[int] = mapped_column(BigInteger)
    variant_id: Mapped[uuid.UUID] = uuid_column()
    from_location_id: Mapped[uuid.UUID] = uuid_column()
    to_location_id: Mapped[uuid.UUID] = uuid_column()
    lot_id: Mapped[uuid.UUID | None] = uuid_column()
    qty: Mapped[Decimal] = mapped_column(QTY)
    unit_cost: Mapped[Decimal] = mapped_column(COST)
    value: Mapped[Decimal] = mapped_column(VALUE)
    adjustment: Mapped[Decimal] = mapped_column(VALUE, default=Decimal(0))
    document_kind: Mapped[str] = mapped_column(String(30))
    document_id: Mapped[uuid.UUID] = uuid_column()
    document_line_id: Mapped[uuid.UUID | None] = uuid_column()
    reference: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(20))
    reversal_of: Mapped[uuid.UUID | None] = uuid_column()
    actor: Mapped[str] = mapped_column(String(320))
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class StockQuant(TenantOwned, Base):
    """What one stock location holds of a variant (and lot): derived from the moves, kept in step with them."""

    __tablename__ = "stock_quants"
    __table_args__ = (
        tenant_fk(["variant_id"], "product_variants"),
        tenant_fk(["location_id"], "locations"),
        lot_of_variant("stock_quants"),
        Index(
            "uq_stock_quants_place",
            "tenant_id",
            "variant_id",
            "location_id",
            "lot_id",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
        Index("ix_stock_quants_location", "tenant_id", "location_id"),
    )

    variant_id: Mapped[uuid.UUID] = uuid_column()
    location_id: Mapped[uuid.UUID] = uuid_column()
    lot_id: Mapped[uuid.UUID | None] = uuid_column()
    on_hand: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))
    received_on: Mapped[date] = mapped_column(Date, server_default=func.current_date())


class StockLevel(Base):
    """A warehouse's stock of a variant: on hand and reserved; reserving never takes on hand minus reserved below 0."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        tenant_fk(["variant_id"], "product_variants"),
        tenant_fk(["warehouse_id"], "warehouses"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        Index("ix_stock_levels_warehouse", "tenant_id", "warehouse_id"),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    variant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    warehouse_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    on_hand: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))
    reserved: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))


class Reservation(TenantOwned, Timestamped, Base):
    """Stock of a warehouse held for one document line (a sales order line, a transfer line)."""

    __tablename__ = "reservations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "document_kind", "document_line_id", "warehouse_id"),
        tenant_fk(["variant_id"], "product_variants"),
        tenant_fk(["warehouse_id"], "warehouses"),
        CheckConstraint("qty > 0", name="qty_positive"),
        Index("ix_reservations_variant", "tenant_id", "variant_id", "warehouse_id"),
    )

    variant_id: Mapped[uuid.UUID] = uuid_column()
    warehouse_id: Mapped[uuid.UUID] = uuid_column()
    qty: Mapped[Decimal] = mapped_column(QTY)
    document_kind: Mapped[str] = mapped_column(String(30))
    document_id: Mapped[uuid.UUID] = uuid_column()
    document_line_id: Mapped[uuid.UUID] = uuid_column()
    needed_on: Mapped[date | None] = mapped_column(Date)


class StockValuation(Base):
    """The cost of a variant's stock (all warehouses), updated with every move that enters or leaves it.

    Its row lock orders every posting of the variant: `moves` is the number of the variant's last move.
    """

    __tablename__ = "stock_valuations"
    __table_args__ = (
        tenant_fk(["variant_id"], "product_variants"),
        CheckConstraint("method IN ('average', 'fifo')", name="method"),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    variant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(10))
    currency: Mapped[str] = mapped_column(String(3))
    qty: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))
    value: Mapped[Decimal] = mapped_column(VALUE, default=Decimal(0))
    unit_cost: Mapped[Decimal] = mapped_column(COST, default=Decimal(0))
    owed_qty: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))  # FIFO: issued beyond stock, not yet settled
    owed_value: Mapped[Decimal] = mapped_column(VALUE, default=Decimal(0))
    moves: Mapped[int] = mapped_column(BigInteger, default=0)


class CostLayer(TenantOwned, Base):
    """A FIFO layer: what is left of one receipt and at what cost (emptied layers stay, for landed costs)."""

    __tablename__ = "cost_layers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "variant_id", "sequence"),
        tenant_fk(["variant_id"], "product_variants"),
        tenant_fk(["move_id"], "stock_moves"),
        Index("ix_cost_layers_open", "tenant_id", "variant_id", "sequence", postgresql_where=text("qty_remaining > 0")),
    )

    variant_id: Mapped[uuid.UUID] = uuid_column()
    sequence: Mapped[int] = mapped_column(BigInteger)
    move_id: Mapped[uuid.UUID | None] = uuid_column()
    received_on: Mapped[date] = mapped_column(Date)
    qty_received: Mapped[Decimal] = mapped_column(QTY)
    qty_remaining: Mapped[Decimal] = mapped_column(QTY)
    value_remaining: Mapped[Decimal] = mapped_column(VALUE)
    unit_cost: Mapped[Decimal] = mapped_column(COST)


class StockRevaluation(TenantOwned, Base):
    """A cost added to a receipt after the fact (a landed cost): the part still in stock raised its value, the part
    already issued went to cost of sales. Never updated or deleted, as the moves."""

    __tablename__ = "stock_revaluations"
    __table_args__ = (
        tenant_fk(["variant_id"], "product_variants"),
        tenant_fk(["move_id"], "stock_moves"),
        Index("ix_stock_revaluations_move", "tenant_id", "move_id"),
    )

    variant_id: Mapped[uuid.UUID] = uuid_column()
    move_id: Mapped[uuid.UUID] = uuid_column()
    amount: Mapped[Decimal] = mapped_column(VALUE)
    to_stock: Mapped[Decimal] = mapped_column(VALUE)
    to_cogs: Mapped[Decimal] = mapped_column(VALUE)
    document_kind: Mapped[str] = mapped_column(String(30))
    document_id: Mapped[uuid.UUID] = uuid_column()
    reference: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(320))
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# The documents of warehouse work live beside, re-exported here: one import point for every inventory table.
from app.inventory.document_models import ReorderRule, StockCount, StockCountLine, Transfer, TransferLine  # noqa: E402

__all__ = [
    "CostLayer",
    "InventorySettings",
    "Location",
    "Lot",
    "ReorderRule",
    "Reservation",
    "StockCount",
    "StockCountLine",
    "StockItem",
    "StockLevel",
    "StockMove",
    "StockQuant",
    "StockRevaluation",
    "StockValuation",
    "Transfer",
    "TransferLine",
    "Warehouse",
    "lot_of_variant",
]

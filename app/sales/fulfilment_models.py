"""Fulfilment tables: pick lists with their stops, shipments (delivery notes) with their lines, returns (RMA)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, Integer, Numeric, SmallInteger, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped, tenant_fk

QTY = Numeric(14, 4)
ZERO = Decimal(0)


class PickList(TenantOwned, Timestamped, Base):
    """One picker's walk through one warehouse: for one order (kind 'order') or a batch of orders ('batch')."""

    __tablename__ = "pick_lists"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        tenant_fk(["warehouse_id"], "warehouses"),
        CheckConstraint("kind IN ('order', 'batch')", name="kind"),
        CheckConstraint("status IN ('open', 'done', 'cancelled')", name="status"),
    )

    number: Mapped[str] = mapped_column(String(40))
    warehouse_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_by: Mapped[str] = mapped_column(String(320), default="")
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PickListLine(TenantOwned, Base):
    """A stop of the walk: take qty of a variant (and lot) at a location for an order line; picked and shipped
    record the progress (picked never above qty, shipped never above picked)."""

    __tablename__ = "pick_list_lines"
    __table_args__ = (
        tenant_fk(["pick_list_id"], "pick_lists", ondelete="CASCADE"),
        tenant_fk(["order_id"], "sales_orders"),
        tenant_fk(["order_line_id"], "sales_order_lines"),
        tenant_fk(["variant_id"], "product_variants"),
        tenant_fk(["location_id"], "locations"),
        tenant_fk(["lot_id"], "lots"),
    )

    pick_list_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int] = mapped_column(Integer, default=0)
    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    order_line_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    variant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    sku: Mapped[str] = mapped_column(String(64))
    location_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    location_code: Mapped[str] = mapped_column(String(60))
    lot_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    lot_code: Mapped[str | None] = mapped_column(String(64))
    expiry: Mapped[date | None] = mapped_column(Date)
    qty: Mapped[Decimal] = mapped_column(QTY)
    picked_qty: Mapped[Decimal] = mapped_column(QTY, default=ZERO)
    shipped_qty: Mapped[Decimal] = mapped_column(QTY, default=ZERO)


class Shipment(TenantOwned, Timestamped, Base):
    """What left (or is packed to leave) for one order: parcels, carrier, service, tracking; its number is the
    delivery note's."""

    __tablename__ = "shipments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        tenant_fk(["order_id"], "sales_orders"),
        tenant_fk(["warehouse_id"], "warehouses"),
        tenant_fk(["carrier_id"], "carriers"),
        tenant_fk(["service_id"], "carrier_services"),
        CheckConstraint("status IN ('packed', 'shipped')", name="status"),
    )

    number: Mapped[str] = mapped_column(String(40))
    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    warehouse_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(10), default="packed")
    carrier_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    service_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    carrier_name: Mapped[str] = mapped_column(String(200), default="")
    service_name: Mapped[str] = mapped_column(String(200), default="")
    tracking_number: Mapped[str] = mapped_column(String(60), default="")
    tracking_url: Mapped[str] = mapped_column(String(500), default="")
    packages: Mapped[int] = mapped_column(SmallInteger, default=1)
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    packed_by: Mapped[str] = mapped_column(String(320), default="")
    shipped_by: Mapped[str] = mapped_column(String(320), default="")
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ShipmentLine(TenantOwned, Base):
    """Goods of an order line in a shipment, from one location and lot (the picked stop, when picked)."""

    __tablename__ = "shipment_lines"
    __table_args__ = (
        tenant_fk(["shipment_id"], "shipments", ondelete="CASCADE"),
        tenant_fk(["order_line_id"], "sales_order_lines"),
        tenant_fk(["pick_line_id"], "pick_list_lines"),
        tenant_fk(["variant_id"], "product_variants"),
        tenant_fk(["location_id"], "locations"),
        tenant_fk(["lot_id"], "lots"),
    )

    shipment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    order_line_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    pick_line_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    variant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300), default="")
    location_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    lot_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    lot_code: Mapped[str | None] = mapped_column(String(64))
    qty: Mapped[Decimal] = mapped_column(QTY)


class SalesReturn(TenantOwned, Timestamped, Base):
    """A return (RMA): requested by the buyer, approved or rejected by staff, received back into a warehouse."""

    __tablename__ = "sales_returns"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        tenant_fk(["order_id"], "sales_orders"),
        tenant_fk(["customer_id"], "customers"),
        tenant_fk(["warehouse_id"], "warehouses"),
        tenant_fk(["requested_by"], "users"),
        CheckConstraint("status IN ('requested', 'approved', 'rejected', 'received')", name="status"),
    )

    number: Mapped[str] = mapped_column(String(40))
    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    warehouse_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(10), default="requested")
    requested_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    requested_label: Mapped[str] = mapped_column(String(320), default="")
    note: Mapped[str] = mapped_column(String(1000), default="")
    decided_label: Mapped[str] = mapped_column(String(320), default="")
    decision_note: Mapped[str] = mapped_column(String(1000), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SalesReturnLine(TenantOwned, Base):
    """An order line coming back: how many and why; what was restocked and scrapped of it (with the reason)."""

    __tablename__ = "sales_return_lines"
    __table_args__ = (
        tenant_fk(["return_id"], "sales_returns", ondelete="CASCADE"),
        tenant_fk(["order_line_id"], "sales_order_lines"),
        tenant_fk(["variant_id"], "product_variants"),
    )

    return_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    order_line_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    variant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300), default="")
    qty: Mapped[Decimal] = mapped_column(QTY)
    reason: Mapped[str] = mapped_column(String(500), default="")
    restocked_qty: Mapped[Decimal] = mapped_column(QTY, default=ZERO)
    scrapped_qty: Mapped[Decimal] = mapped_column(QTY, default=ZERO)
    scrap_reason: Mapped[str] = mapped_column(String(500), default="")

    @property
    def received_qty(self) -> Decimal:
        return self.restocked_qty + self.scrapped_qty

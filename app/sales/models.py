"""Sales tables: carts, sales orders with their lines and status timeline, and buyers' spending limits."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, Index, Integer, Numeric, String, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped, tenant_fk

AMOUNT = Numeric(16, 4)
QTY = Numeric(14, 4)


class BuyerLimit(TenantOwned, Timestamped, Base):
    """A customer user's spending limits (per order, per calendar month; None = no limit): above them, approval."""

    __tablename__ = "buyer_limits"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"), tenant_fk(["user_id"], "users", ondelete="CASCADE"))

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    currency: Mapped[str] = mapped_column(String(3))
    per_order: Mapped[Decimal | None] = mapped_column(AMOUNT)
    per_month: Mapped[Decimal | None] = mapped_column(AMOUNT)


class Cart(TenantOwned, Timestamped, Base):
    """A customer user's cart, kept on the server (one open cart per user)."""

    __tablename__ = "carts"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers"),
        tenant_fk(["user_id"], "users", ondelete="CASCADE"),
        Index("uq_carts_open_user", "tenant_id", "user_id", unique=True, postgresql_where=text("status = 'open'")),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(10), default="open")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CartLine(TenantOwned, Timestamped, Base):
    """A variant and quantity in a cart; prices are never stored, always computed."""

    __tablename__ = "cart_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "cart_id", "variant_id"),
        tenant_fk(["cart_id"], "carts", ondelete="CASCADE"),
        tenant_fk(["variant_id"], "product_variants", ondelete="CASCADE"),
        CheckConstraint("qty > 0", name="qty"),
    )

    cart_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    variant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    qty: Mapped[Decimal] = mapped_column(QTY)


class SalesOrder(TenantOwned, Timestamped, Base):
    """A customer's order: who placed it, its status, money, delivery and payment choices; the shipping charge is
    part of net, tax and gross, and kept apart in shipping_net / shipping_tax for the documents."""

    __tablename__ = "sales_orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        UniqueConstraint("tenant_id", "idempotency_key"),
        tenant_fk(["customer_id"], "customers"),
        tenant_fk(["placed_by"], "users"),
        tenant_fk(["ship_address_id"], "addresses"),
        tenant_fk(["bill_address_id"], "addresses"),
        tenant_fk(["warehouse_id"], "warehouses"),
        tenant_fk(["delivery_service_id"], "carrier_services"),
        Index("ix_sales_orders_delivery_service", "tenant_id", "delivery_service_id"),
    )

    number: Mapped[str | None] = mapped_column(String(40))
    idempotency_key: Mapped[str] = mapped_column(String(100))
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    placed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(20))
    held_from: Mapped[str | None] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    net: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    gross: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    po_number: Mapped[str] = mapped_column(String(60), default="")
    requested_date: Mapped[date | None] = mapped_column(Date)
    ship_address_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    bill_address_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    delivery_mode: Mapped[str] = mapped_column(String(20), default="ship_available")
    payment_method: Mapped[str] = mapped_column(String(10), default="account")
    warehouse_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    tax_treatment: Mapped[str] = mapped_column(String(20), default="domestic")
    approval_reason: Mapped[str] = mapped_column(String(500), default="")
    delivery_service_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))  # the carrier service chosen
    delivery_label: Mapped[str] = mapped_column(String(300), default="", server_default="")  # carrier · service
    shipping_net: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0), server_default="0")
    shipping_tax: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0), server_default="0")
    promised_date: Mapped[date | None] = mapped_column(Date)  # when the whole order should arrive
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SalesOrderLine(TenantOwned, Base):
    """An ordered variant with its SKU and name as sold, its price, tax and progress (reserved, shipped)."""

    __tablename__ = "sales_order_lines"
    __table_args__ = (
        tenant_fk(["order_id"], "sales_orders", ondelete="CASCADE"),
        tenant_fk(["variant_id"], "product_variants"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int] = mapped_column(Integer, default=0)
    variant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300), default="")
    qty: Mapped[Decimal] = mapped_column(QTY)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    discount_pct: Mapped[Decimal] = mapped_column(Numeric(7, 4), default=Decimal(0))
    tax_class: Mapped[str] = mapped_column(String(20), default="standard")
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(7, 4), default=Decimal(0))
    net: Mapped[Decimal] = mapped_column(AMOUNT)
    tax: Mapped[Decimal] = mapped_column(AMOUNT)
    gross: Mapped[Decimal] = mapped_column(AMOUNT)
    reserved_qty: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))
    shipped_qty: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))


class SalesOrderEvent(TenantOwned, Timestamped, Base):
    """One step of an order's status timeline: from, to, who, when and a note (append-only)."""

    __tablename__ = "sales_order_events"
    __table_args__ = (tenant_fk(["order_id"], "sales_orders"),)

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    actor_label: Mapped[str] = mapped_column(String(320), default="")
    note: Mapped[str] = mapped_column(String(2000), default="")

"""Quote and saved-list tables: a quote with its immutable versions, their lines and the quote's timeline; a
customer company's saved (requisition) lists with their lines."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, Integer, Numeric, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped, tenant_fk

AMOUNT = Numeric(16, 4)
PRICE = Numeric(14, 4)
QTY = Numeric(14, 4)
PCT = Numeric(7, 4)


class Quote(TenantOwned, Timestamped, Base):
    """A customer's quote: its number, status (app.sales._quotes.QuoteStatus), the latest version's figures and
    validity, and the sales order made when it was accepted."""

    __tablename__ = "quotes"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        tenant_fk(["customer_id"], "customers"),
        tenant_fk(["requested_by"], "users"),
        tenant_fk(["order_id"], "sales_orders"),
    )

    number: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    requested_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    valid_until: Mapped[date] = mapped_column(Date)
    net: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    gross: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class QuoteVersionRecord(TenantOwned, Timestamped, Base):
    """One version of a quote as written (never updated): validity, figures, the note to the buyer and its author."""

    __tablename__ = "quote_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "quote_id", "number"), tenant_fk(["quote_id"], "quotes"))

    quote_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    number: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    valid_until: Mapped[date] = mapped_column(Date)
    net: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    gross: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    note: Mapped[str] = mapped_column(String(2000), default="")
    author_kind: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    author_label: Mapped[str] = mapped_column(String(320), default="")


class QuoteLineRecord(TenantOwned, Base):
    """A quoted line of one version: the variant, its SKU and name as quoted, quantity, price, discount and tax."""

    __tablename__ = "quote_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "version_id", "variant_id"),
        tenant_fk(["version_id"], "quote_versions"),
        tenant_fk(["variant_id"], "product_variants"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int] = mapped_column(Integer, default=0)
    variant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300), default="")
    qty: Mapped[Decimal] = mapped_column(QTY)
    unit_price: Mapped[Decimal] = mapped_column(PRICE)
    discount_pct: Mapped[Decimal] = mapped_column(PCT, default=Decimal(0))
    tax_class: Mapped[str] = mapped_column(String(20), default="standard")
    tax_rate: Mapped[Decimal] = mapped_column(PCT, default=Decimal(0))
    net: Mapped[Decimal] = mapped_column(AMOUNT)
    tax: Mapped[Decimal] = mapped_column(AMOUNT)
    gross: Mapped[Decimal] = mapped_column(AMOUNT)


class QuoteEvent(TenantOwned, Timestamped, Base):
    """One step of a quote's timeline (requested, revised, sent, accepted...): who, when, and their comment."""

    __tablename__ = "quote_events"
    __table_args__ = (tenant_fk(["quote_id"], "quotes"),)

    quote_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    version: Mapped[int] = mapped_column(Integer)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    actor_label: Mapped[str] = mapped_column(String(320), default="")
    note: Mapped[str] = mapped_column(String(2000), default="")


class SavedList(TenantOwned, Timestamped, Base):
    """A customer company's saved (requisition) list, shared by all of the company's users."""

    __tablename__ = "saved_lists"
    __table_args__ = (
        UniqueConstraint("tenant_id", "customer_id", "name"),
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        tenant_fk(["created_by"], "users"),
        CheckConstraint("length(btrim(name)) > 0", name="name"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SavedListLine(TenantOwned, Timestamped, Base):
    """A variant and quantity on a saved list (no price: the cart prices it when the list is added)."""

    __tablename__ = "saved_list_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "list_id", "variant_id"),
        tenant_fk(["list_id"], "saved_lists", ondelete="CASCADE"),
        tenant_fk(["variant_id"], "product_variants", ondelete="CASCADE"),
        CheckConstraint("qty > 0", name="qty"),
    )

    list_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    variant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    qty: Mapped[Decimal] = mapped_column(QTY)

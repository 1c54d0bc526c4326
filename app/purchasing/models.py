"""Purchasing tables: the tenant's buying rules, supplier price lists, requests for quotation, purchase orders,
receipts against them, supplier bills with their three-way match, and landed costs with their allocations.

Every table is keyed (tenant_id, id) and every foreign key carries tenant_id (migration 0012). Amounts of an
order, its bills and the RFQ answers are in the document's currency; receipts and landed costs are valued in
the tenant's currency (the stock's), converted at the order's exchange rate.
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
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped, tenant_fk

QTY = Numeric(14, 4)
PRICE = Numeric(14, 4)
AMOUNT = Numeric(16, 4)
PCT = Numeric(7, 2)
RATE = Numeric(18, 8)
PO_STATES = ("draft", "to_approve", "approved", "sent", "partially_received", "received", "closed", "cancelled")


def uuid_column(**kw) -> Mapped:
    return mapped_column(UUID(as_uuid=True), **kw)


class PurchasingSettings(Base):
    """A tenant's buying rules: the approval threshold, the match and receipt tolerances, the analysis limits."""

    __tablename__ = "purchasing_settings"
    __table_args__ = (
        CheckConstraint("approval_threshold IS NULL OR approval_threshold >= 0", name="threshold"),
        CheckConstraint(
            "qty_tolerance_pct >= 0 AND price_tolerance_pct >= 0 AND coalesce(price_tolerance_amount, 0) >= 0 "
            "AND receipt_over_pct >= 0 AND receipt_under_pct BETWEEN 0 AND 100",
            name="tolerances",
        ),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    approval_threshold: Mapped[Decimal | None] = mapped_column(AMOUNT)
    qty_tolerance_pct: Mapped[Decimal] = mapped_column(PCT, default=Decimal(0))
    price_tolerance_pct: Mapped[Decimal] = mapped_column(PCT, default=Decimal(2))
    price_tolerance_amount: Mapped[Decimal | None] = mapped_column(PRICE)
    receipt_over_pct: Mapped[Decimal] = mapped_column(PCT, default=Decimal(5))
    receipt_under_pct: Mapped[Decimal] = mapped_column(PCT, default=Decimal(5))
    min_margin_pct: Mapped[Decimal] = mapped_column(PCT, default=Decimal(20))
    max_mean_delay_days: Mapped[Decimal] = mapped_column(PCT, default=Decimal(2))


class SupplierPriceRecord(TenantOwned, Timestamped, Base):
    """One line of a supplier's price list: from min_qty on, unit_price in currency, lead time, pack size."""

    __tablename__ = "supplier_prices"
    __table_args__ = (
        tenant_fk(["supplier_id"], "suppliers", ondelete="CASCADE"),
        tenant_fk(["variant_id"], "product_variants", ondelete="CASCADE"),
        UniqueConstraint(
            "tenant_id",
            "supplier_id",
            "variant_id",
            "currency",
            "min_qty",
            "valid_from",
            name="uq_supplier_prices_line",
            postgresql_nulls_not_distinct=True,
        ),
        CheckConstraint("min_qty >= 0 AND unit_price >= 0 AND lead_time_days >= 0", name="figures"),
        CheckConstraint("pack_size IS NULL OR pack_size > 0", name="pack_size"),
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to", name="period"),
        Index("ix_supplier_prices_variant", "tenant_id", "variant_id"),
    )

    supplier_id: Mapped[uuid.UUID] = uuid_column()
    variant_id: Mapped[uuid.UUID] = uuid_column()
    supplier_sku: Mapped[str | None] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    min_qty: Mapped[Decimal] = mapped_column(QTY, default=Decimal(1))
    unit_price: Mapped[Decimal] = mapped_column(PRICE)
    lead_time_days: Mapped[int] = mapped_column(SmallInteger)
    pack_size: Mapped[Decimal | None] = mapped_column(QTY)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class Rfq(TenantOwned, Timestamped, Base):
    """A request for quotation: articles and quantities asked of several suppliers, answered side by side."""

    __tablename__ = "rfqs"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        tenant_fk(["warehouse_id"], "warehouses"),
        CheckConstraint("status IN ('open', 'ordered', 'cancelled')", name="status"),
    )

    number: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="open")
    currency: Mapped[str] = mapped_column(String(3))
    warehouse_id: Mapped[uuid.UUID] = uuid_column()
    needed_by: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(1000), default="")


class RfqLine(TenantOwned, Base):
    """An article and the quantity asked for."""

    __tablename__ = "rfq_lines"
    __table_args__ = (
        tenant_fk(["rfq_id"], "rfqs", ondelete="CASCADE"),
        tenant_fk(["variant_id"], "product_variants"),
        UniqueConstraint("tenant_id", "rfq_id", "variant_id"),
        CheckConstraint("qty > 0", name="qty"),
    )

    rfq_id: Mapped[uuid.UUID] = uuid_column()
    position: Mapped[int] = mapped_column(Integer, default=0)
    variant_id: Mapped[uuid.UUID] = uuid_column()
    qty: Mapped[Decimal] = mapped_column(QTY)


class RfqSupplier(TenantOwned, Base):
    """A supplier invited to answer, and when it did."""

    __tablename__ = "rfq_suppliers"
    __table_args__ = (
        tenant_fk(["rfq_id"], "rfqs", ondelete="CASCADE"),
        tenant_fk(["supplier_id"], "suppliers"),
        UniqueConstraint("tenant_id", "rfq_id", "supplier_id"),
    )

    rfq_id: Mapped[uuid.UUID] = uuid_column()
    supplier_id: Mapped[uuid.UUID] = uuid_column()
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RfqResponse(TenantOwned, Base):
    """One supplier's answer to one line, in the request's currency."""

    __tablename__ = "rfq_responses"
    __table_args__ = (
        tenant_fk(["rfq_id"], "rfqs", ondelete="CASCADE"),
        tenant_fk(["rfq_line_id"], "rfq_lines", ondelete="CASCADE"),
        tenant_fk(["supplier_id"], "suppliers"),
        UniqueConstraint("tenant_id", "rfq_line_id", "supplier_id"),
        CheckConstraint("unit_price >= 0 AND lead_time_days >= 0", name="figures"),
    )

    rfq_id: Mapped[uuid.UUID] = uuid_column()
    rfq_line_id: Mapped[uuid.UUID] = uuid_column()
    supplier_id: Mapped[uuid.UUID] = uuid_column()
    unit_price: Mapped[Decimal] = mapped_column(PRICE)
    lead_time_days: Mapped[int] = mapped_column(SmallInteger)


class PurchaseOrder(TenantOwned, Timestamped, Base):
    """An order to a supplier for goods delivered to one warehouse; `status` is a PoState value.

    `exchange_rate`: units of the tenant's currency per unit of the order's (1 in the same currency), which
    values the receipts and converts the total for the approval threshold. `share_token` opens the supplier's
    copy of the PDF from the e-mail.
    """

    __tablename__ = "purchase_orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        UniqueConstraint("tenant_id", "share_token"),
        tenant_fk(["supplier_id"], "suppliers"),
        tenant_fk(["warehouse_id"], "warehouses"),
        tenant_fk(["rfq_id"], "rfqs"),
        CheckConstraint(f"status IN {PO_STATES!r}", name="status"),
        CheckConstraint("exchange_rate > 0 AND total >= 0", name="figures"),
        Index("ix_purchase_orders_supplier", "tenant_id", "supplier_id"),
        Index("ix_purchase_orders_status", "tenant_id", "status"),
    )

    number: Mapped[str] = mapped_column(String(40))
    supplier_id: Mapped[uuid.UUID] = uuid_column()
    warehouse_id: Mapped[uuid.UUID] = uuid_column()
    rfq_id: Mapped[uuid.UUID | None] = uuid_column()
    status: Mapped[str] = mapped_column(String(20), default="draft")
    currency: Mapped[str] = mapped_column(String(3))
    exchange_rate: Mapped[Decimal] = mapped_column(RATE, default=Decimal(1))
    total: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    ordered_on: Mapped[date] = mapped_column(Date)
    expected_on: Mapped[date | None] = mapped_column(Date)
    approval_required: Mapped[bool] = mapped_column(default=False)
    approved_by: Mapped[str | None] = mapped_column(String(320))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    share_token: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(1000), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PurchaseOrderLine(TenantOwned, Base):
    """What is ordered of one article, at what price, for when; received and billed so far (kept in SQL)."""

    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        tenant_fk(["order_id"], "purchase_orders", ondelete="CASCADE"),
        tenant_fk(["variant_id"], "product_variants"),
        CheckConstraint("qty > 0 AND unit_price >= 0", name="figures"),
        CheckConstraint("qty_received >= 0 AND qty_billed >= 0", name="progress"),
        Index("ix_purchase_order_lines_order", "tenant_id", "order_id", "position"),
        Index("ix_purchase_order_lines_variant", "tenant_id", "variant_id"),
    )

    order_id: Mapped[uuid.UUID] = uuid_column()
    position: Mapped[int] = mapped_column(Integer, default=0)
    variant_id: Mapped[uuid.UUID] = uuid_column()
    qty: Mapped[Decimal] = mapped_column(QTY)
    unit_price: Mapped[Decimal] = mapped_column(PRICE)
    expected_on: Mapped[date | None] = mapped_column(Date)
    qty_received: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))
    qty_billed: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))


class PurchaseReceipt(TenantOwned, Timestamped, Base):
    """Goods received against an order: its stock moves carry document kind 'purchase_receipt' and this id."""

    __tablename__ = "purchase_receipts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        tenant_fk(["order_id"], "purchase_orders"),
        tenant_fk(["warehouse_id"], "warehouses"),
        Index("ix_purchase_receipts_order", "tenant_id", "order_id"),
    )

    number: Mapped[str] = mapped_column(String(40))
    order_id: Mapped[uuid.UUID] = uuid_column()
    warehouse_id: Mapped[uuid.UUID] = uuid_column()
    received_on: Mapped[date] = mapped_column(Date)
    received_by: Mapped[str] = mapped_column(String(320))


class PurchaseReceiptLine(TenantOwned, Base):
    """One article received: quantity, unit cost in the tenant's currency, and the landed costs it carries."""

    __tablename__ = "purchase_receipt_lines"
    __table_args__ = (
        tenant_fk(["receipt_id"], "purchase_receipts", ondelete="CASCADE"),
        tenant_fk(["order_line_id"], "purchase_order_lines"),
        tenant_fk(["variant_id"], "product_variants"),
        CheckConstraint("qty > 0 AND unit_cost >= 0", name="figures"),
        Index("ix_purchase_receipt_lines_receipt", "tenant_id", "receipt_id"),
    )

    receipt_id: Mapped[uuid.UUID] = uuid_column()
    order_line_id: Mapped[uuid.UUID] = uuid_column()
    variant_id: Mapped[uuid.UUID] = uuid_column()
    qty: Mapped[Decimal] = mapped_column(QTY)
    unit_cost: Mapped[Decimal] = mapped_column(PRICE)
    value: Mapped[Decimal] = mapped_column(AMOUNT)
    landed_cost: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    lot_code: Mapped[str | None] = mapped_column(String(60))
    move_ids: Mapped[list] = mapped_column(JSONB, default=list)  # the stock moves it posted (one per serial)


class VendorBill(TenantOwned, Timestamped, Base):
    """A supplier's bill against an order, matched three ways: approved, or held with its reasons."""

    __tablename__ = "vendor_bills"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        UniqueConstraint("tenant_id", "supplier_id", "supplier_reference"),
        tenant_fk(["supplier_id"], "suppliers"),
        tenant_fk(["order_id"], "purchase_orders"),
        CheckConstraint("status IN ('held', 'approved')", name="status"),
        Index("ix_vendor_bills_status", "tenant_id", "status"),
    )

    number: Mapped[str] = mapped_column(String(40))
    supplier_id: Mapped[uuid.UUID] = uuid_column()
    order_id: Mapped[uuid.UUID] = uuid_column()
    supplier_reference: Mapped[str] = mapped_column(String(60))
    bill_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal] = mapped_column(AMOUNT)
    status: Mapped[str] = mapped_column(String(20))
    hold_reasons: Mapped[list] = mapped_column(JSONB, default=list)
    approved_by: Mapped[str | None] = mapped_column(String(320))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approval_note: Mapped[str] = mapped_column(String(1000), default="")


class VendorBillLine(TenantOwned, Base):
    """One billed line and its match: the holds (reason codes) and the figures it was matched against."""

    __tablename__ = "vendor_bill_lines"
    __table_args__ = (
        tenant_fk(["bill_id"], "vendor_bills", ondelete="CASCADE"),
        tenant_fk(["order_line_id"], "purchase_order_lines"),
        CheckConstraint("qty > 0 AND unit_price >= 0", name="figures"),
        Index("ix_vendor_bill_lines_bill", "tenant_id", "bill_id"),
    )

    bill_id: Mapped[uuid.UUID] = uuid_column()
    position: Mapped[int] = mapped_column(Integer, default=0)
    order_line_id: Mapped[uuid.UUID] = uuid_column()
    qty: Mapped[Decimal] = mapped_column(QTY)
    unit_price: Mapped[Decimal] = mapped_column(PRICE)
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    holds: Mapped[list] = mapped_column(JSONB, default=list)
    received_qty: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))
    billed_total: Mapped[Decimal] = mapped_column(QTY, default=Decimal(0))
    ordered_price: Mapped[Decimal] = mapped_column(PRICE, default=Decimal(0))


class LandedCost(TenantOwned, Timestamped, Base):
    """Freight, duties or another cost of a receipt, in the tenant's currency, spread over its lines by a basis.

    `status`: 'allocated' once spread over the lines, 'valued' once the stock valuation took it in.
    """

    __tablename__ = "landed_costs"
    __table_args__ = (
        tenant_fk(["receipt_id"], "purchase_receipts"),
        CheckConstraint("kind IN ('freight', 'duty', 'insurance', 'other')", name="kind"),
        CheckConstraint("basis IN ('value', 'weight', 'volume', 'quantity')", name="basis"),
        CheckConstraint("status IN ('allocated', 'valued')", name="status"),
        Index("ix_landed_costs_receipt", "tenant_id", "receipt_id"),
    )

    receipt_id: Mapped[uuid.UUID] = uuid_column()
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    currency: Mapped[str] = mapped_column(String(3))
    basis: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="allocated")
    added_by: Mapped[str] = mapped_column(String(320))


class LandedCostAllocation(TenantOwned, Base):
    """The part of a landed cost one receipt line carries; to_stock / to_cogs once the valuation took it in."""

    __tablename__ = "landed_cost_allocations"
    __table_args__ = (
        tenant_fk(["landed_cost_id"], "landed_costs", ondelete="CASCADE"),
        tenant_fk(["receipt_line_id"], "purchase_receipt_lines"),
        UniqueConstraint("tenant_id", "landed_cost_id", "receipt_line_id"),
    )

    landed_cost_id: Mapped[uuid.UUID] = uuid_column()
    receipt_line_id: Mapped[uuid.UUID] = uuid_column()
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    to_stock: Mapped[Decimal | None] = mapped_column(AMOUNT)
    to_cogs: Mapped[Decimal | None] = mapped_column(AMOUNT)

"""Purchasing reads for the back office and other domains: suppliers with their price lists, purchase orders with
their lines, receipts and landed costs, and the supplier's copy of an order (by its secret token)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.catalog.domain import translated
from app.errors import NotFound
from app.inventory.models import Warehouse
from app.money import to_minor_unit
from app.parties import Supplier
from app.purchasing import _rows
from app.purchasing.models import (
    LandedCost,
    LandedCostAllocation,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
    SupplierPriceRecord,
    VendorBill,
)
from app.purchasing.pdf import DocumentLine, OrderDocument

LIMIT = 200
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class SupplierRow:
    supplier: Supplier
    prices: int
    open_orders: int


async def suppliers(session: AsyncSession, *, search: str = "", status: str = "") -> list[SupplierRow]:
    """Suppliers by code with how many price list lines and open orders each has."""
    prices = (
        select(func.count())
        .where(SupplierPriceRecord.tenant_id == Supplier.tenant_id, SupplierPriceRecord.supplier_id == Supplier.id)
        .scalar_subquery()
    )
    open_orders = (
        select(func.count())
        .where(
            PurchaseOrder.tenant_id == Supplier.tenant_id,
            PurchaseOrder.supplier_id == Supplier.id,
            PurchaseOrder.status.in_(("to_approve", "approved", "sent", "partially_received")),
        )
        .scalar_subquery()
    )
    stmt = select(Supplier, prices, open_orders).order_by(Supplier.code).limit(500)
    if status in ("active", "blocked"):
        stmt = stmt.where(Supplier.status == status)
    if search.strip():
        pattern = "%" + search.strip()[:100].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(Supplier.code.ilike(pattern) | Supplier.name.ilike(pattern))
    return [SupplierRow(*row) for row in (await session.execute(stmt)).all()]


async def supplier(session: AsyncSession, supplier_id: uuid.UUID) -> Supplier:
    """The supplier (NotFound for another tenant's)."""
    return await _rows.get(session, Supplier, supplier_id)


@dataclass(frozen=True, slots=True)
class PriceRow:
    line: SupplierPriceRecord
    sku: str
    name: dict


async def price_list(session: AsyncSession, supplier_id: uuid.UUID) -> list[PriceRow]:
    """A supplier's price list by SKU, then quantity break and start date."""
    stmt = select(SupplierPriceRecord).where(SupplierPriceRecord.supplier_id == supplier_id).limit(5000)
    lines = list(await session.scalars(stmt))
    articles = await _rows.articles(session, [line.variant_id for line in lines])
    rows = [PriceRow(line, articles[line.variant_id].sku, articles[line.variant_id].name) for line in lines]
    return sorted(rows, key=lambda r: (r.sku, r.line.currency, r.line.min_qty, r.line.valid_from or r.line.created_at))


async def supplier_price_line(session: AsyncSession, price_id: uuid.UUID) -> SupplierPriceRecord:
    return await _rows.get(session, SupplierPriceRecord, price_id)


@dataclass(frozen=True, slots=True)
class OrderRow:
    order: PurchaseOrder
    supplier_code: str
    supplier_name: str
    warehouse_code: str


async def orders(
    session: AsyncSession, *, status: str = "", supplier_id: uuid.UUID | None = None, limit: int = LIMIT
) -> list[OrderRow]:
    """The latest orders (of one state or supplier), newest first, with their supplier and warehouse."""
    stmt = (
        select(PurchaseOrder, Supplier.code, Supplier.name, Warehouse.code)
        .join(Supplier, (Supplier.tenant_id == PurchaseOrder.tenant_id) & (Supplier.id == PurchaseOrder.supplier_id))
        .join(
            Warehouse, (Warehouse.tenant_id == PurchaseOrder.tenant_id) & (Warehouse.id == PurchaseOrder.warehouse_id)
        )
        .order_by(PurchaseOrder.created_at.desc(), PurchaseOrder.number.desc())
        .limit(limit)
    )
    if status:
        stmt = stmt.where(PurchaseOrder.status == status)
    if supplier_id is not None:
        stmt = stmt.where(PurchaseOrder.supplier_id == supplier_id)
    return [OrderRow(*row) for row in (await session.execute(stmt)).all()]


@dataclass(frozen=True, slots=True)
class OrderLineRow:
    line: PurchaseOrderLine
    sku: str
    name: dict
    amount: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(self.line.qty - self.line.qty_received, ZERO)


@dataclass(frozen=True, slots=True)
class ReceiptRow:
    receipt: PurchaseReceipt
    lines: int
    value: Decimal
    landed: Decimal


@dataclass(frozen=True, slots=True)
class TimelineStep:
    """One state on the order's way: when it was last reached (None: not yet), and whether it is the current one."""

    state: str
    at: datetime | None
    current: bool


WAY = ("draft", "to_approve", "approved", "sent", "partially_received", "received", "closed")


@dataclass(slots=True)
class OrderDetail:
    """An order with everything its page shows."""

    order: PurchaseOrder
    supplier: Supplier
    warehouse: Warehouse
    lines: list[OrderLineRow]
    receipts: list[ReceiptRow] = field(default_factory=list)
    bills: list[VendorBill] = field(default_factory=list)
    history: list[AuditEntry] = field(default_factory=list)

    def timeline(self) -> list[TimelineStep]:
        """The states an order goes through, each with when it was reached (from the audit trail)."""
        reached: dict[str, datetime] = {"draft": self.order.created_at}
        for entry in reversed(self.history):
            state = entry.action.removeprefix("purchase_order.")
            if state in WAY or state == "cancelled":
                reached[state] = entry.at
        way = [s for s in WAY if s != "to_approve" or self.order.approval_required or "to_approve" in reached]
        if self.order.status == "cancelled":
            way = [s for s in way if s in reached] + ["cancelled"]
        return [TimelineStep(s, reached.get(s), s == self.order.status) for s in way]


async def order_lines(session: AsyncSession, order: PurchaseOrder) -> list[OrderLineRow]:
    stmt = select(PurchaseOrderLine).where(PurchaseOrderLine.order_id == order.id)
    lines = list(await session.scalars(stmt.order_by(PurchaseOrderLine.position, PurchaseOrderLine.id)))
    articles = await _rows.articles(session, [line.variant_id for line in lines])
    return [
        OrderLineRow(
            line,
            articles[line.variant_id].sku,
            articles[line.variant_id].name,
            to_minor_unit(line.qty * line.unit_price, order.currency),
        )
        for line in lines
    ]


async def order_detail(session: AsyncSession, order_id: uuid.UUID) -> OrderDetail:
    """The order, its supplier, warehouse, lines, receipts, bills and audit trail (NotFound for another tenant's)."""
    order = await _rows.get(session, PurchaseOrder, order_id)
    detail = OrderDetail(
        order,
        await _rows.get(session, Supplier, order.supplier_id),
        await _rows.get(session, Warehouse, order.warehouse_id),
        await order_lines(session, order),
    )
    detail.receipts = await receipts(session, order.id)
    stmt = select(VendorBill).where(VendorBill.order_id == order.id).order_by(VendorBill.created_at)
    detail.bills = list(await session.scalars(stmt))
    detail.history = await audit.history(session, "purchase_order", order.id)
    return detail


async def order_by_token(session: AsyncSession, token: str) -> PurchaseOrder:
    """The sent order whose supplier link carries this token (NotFound for any other token)."""
    if not token or len(token) > 64:
        raise NotFound()
    order = await session.scalar(select(PurchaseOrder).where(PurchaseOrder.share_token == token))
    if order is None or order.sent_at is None:
        raise NotFound()
    return order


async def receipts(session: AsyncSession, order_id: uuid.UUID) -> list[ReceiptRow]:
    """An order's receipts in the order they came, with their lines' count, value and landed costs."""
    stmt = (
        select(
            PurchaseReceipt,
            func.count(PurchaseReceiptLine.id),
            func.coalesce(func.sum(PurchaseReceiptLine.value), 0),
            func.coalesce(func.sum(PurchaseReceiptLine.landed_cost), 0),
        )
        .join(
            PurchaseReceiptLine,
            (PurchaseReceiptLine.tenant_id == PurchaseReceipt.tenant_id)
            & (PurchaseReceiptLine.receipt_id == PurchaseReceipt.id),
        )
        .where(PurchaseReceipt.order_id == order_id)
        .group_by(PurchaseReceipt.tenant_id, PurchaseReceipt.id)
        .order_by(PurchaseReceipt.created_at)
    )
    return [ReceiptRow(*row) for row in (await session.execute(stmt)).all()]


@dataclass(frozen=True, slots=True)
class ReceiptLineRow:
    line: PurchaseReceiptLine
    sku: str
    name: dict


@dataclass(frozen=True, slots=True)
class ReceiptDetail:
    receipt: PurchaseReceipt
    order: PurchaseOrder
    supplier: Supplier
    lines: list[ReceiptLineRow]
    landed_costs: list[tuple[LandedCost, list[LandedCostAllocation]]]


async def receipt_detail(session: AsyncSession, receipt_id: uuid.UUID) -> ReceiptDetail:
    """A receipt with its lines and its landed costs with their allocations (NotFound for another tenant's)."""
    receipt = await _rows.get(session, PurchaseReceipt, receipt_id)
    order = await _rows.get(session, PurchaseOrder, receipt.order_id)
    stmt = select(PurchaseReceiptLine).where(PurchaseReceiptLine.receipt_id == receipt.id)
    lines = list(await session.scalars(stmt.order_by(PurchaseReceiptLine.id)))
    articles = await _rows.articles(session, [line.variant_id for line in lines])
    costs = list(
        await session.scalars(
            select(LandedCost).where(LandedCost.receipt_id == receipt.id).order_by(LandedCost.created_at)
        )
    )
    allocations: dict[uuid.UUID, list[LandedCostAllocation]] = {cost.id: [] for cost in costs}
    if costs:
        stmt_a = select(LandedCostAllocation).where(LandedCostAllocation.landed_cost_id.in_(list(allocations)))
        for allocation in await session.scalars(stmt_a):
            allocations[allocation.landed_cost_id].append(allocation)
    return ReceiptDetail(
        receipt,
        order,
        await _rows.get(session, Supplier, order.supplier_id),
        [ReceiptLineRow(line, articles[line.variant_id].sku, articles[line.variant_id].name) for line in lines],
        [(cost, allocations[cost.id]) for cost in costs],
    )


async def order_document(
    session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, locale: str
) -> OrderDocument:
    """What the order's PDF prints, names in `locale` (NotFound for another tenant's order)."""
    detail = await order_detail(session, order_id)
    order, supplier, warehouse = detail.order, detail.supplier, detail.warehouse
    company = (await _rows.tenant(session, tenant_id)).name
    contact = [f"{supplier.code} · {supplier.country}"]
    contact += [value for value in (supplier.tax_id, supplier.email, supplier.phone) if value]
    place = " ".join(value for value in (warehouse.postcode, warehouse.city) if value)
    lines = tuple(
        DocumentLine(
            row.sku, translated(row.name, locale), row.line.qty, row.line.unit_price, row.amount, row.line.expected_on
        )
        for row in detail.lines
    )
    return OrderDocument(
        company=company,
        number=order.number,
        status=order.status,
        ordered_on=order.ordered_on,
        expected_on=order.expected_on,
        currency=order.currency,
        total=order.total,
        supplier=(supplier.name, *contact),
        deliver_to=(
            company,
            f"{warehouse.name} ({warehouse.code})",
            *([place] if place else []),
            warehouse.country or "",
        ),
        lines=lines,
        note=order.note,
        approved_by=order.approved_by,
    )

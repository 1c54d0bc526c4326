"""Reads of supplier bills: the list (held ones with their reasons), one bill with its three-way match line by line,
and the approved bills accounts payable may pay."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.i18n import gettext as _
from app.inventory.values import plain
from app.parties import Supplier
from app.purchasing import _rows
from app.purchasing.models import PurchaseOrder, PurchaseOrderLine, VendorBill, VendorBillLine
from app.purchasing.states import HOLDS, label

LIMIT = 200


@dataclass(frozen=True, slots=True)
class BillRow:
    bill: VendorBill
    supplier_code: str
    supplier_name: str
    order_number: str


async def bills(session: AsyncSession, *, status: str = "", limit: int = LIMIT) -> list[BillRow]:
    """The latest bills (held or approved only, when asked), newest first."""
    stmt = (
        select(VendorBill, Supplier.code, Supplier.name, PurchaseOrder.number)
        .join(Supplier, (Supplier.tenant_id == VendorBill.tenant_id) & (Supplier.id == VendorBill.supplier_id))
        .join(
            PurchaseOrder, (PurchaseOrder.tenant_id == VendorBill.tenant_id) & (PurchaseOrder.id == VendorBill.order_id)
        )
        .order_by(VendorBill.created_at.desc())
        .limit(limit)
    )
    if status in ("held", "approved"):
        stmt = stmt.where(VendorBill.status == status)
    return [BillRow(*row) for row in (await session.execute(stmt)).all()]


@dataclass(frozen=True, slots=True)
class BillLineRow:
    """A billed line beside its order line: ordered, received and billed quantities, both prices, its holds."""

    line: VendorBillLine
    sku: str
    name: dict
    ordered_qty: Decimal
    messages: tuple[tuple[str, str], ...]  # (reason label, explanation)


def hold_messages(line: VendorBillLine, currency: str) -> tuple[tuple[str, str], ...]:
    """Why a line is held, in the reader's language, with the figures it was matched against."""
    found = []
    for code in line.holds or []:
        if code == "qty_over_tolerance":
            text = _(
                "%(billed)s billed in all, %(received)s received.",
                billed=plain(line.billed_total),
                received=plain(line.received_qty),
            )
        elif code == "price_over_tolerance":
            text = _(
                "%(billed)s a unit billed, %(ordered)s ordered (%(currency)s).",
                billed=plain(line.unit_price),
                ordered=plain(line.ordered_price),
                currency=currency,
            )
        elif code == "billed_before_receipt":
            text = _("Nothing has been received on this line yet.")
        else:
            text = _("This line is not on the order.")
        found.append((label(HOLDS, code), text))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class BillDetail:
    bill: VendorBill
    supplier: Supplier
    order: PurchaseOrder
    lines: list[BillLineRow]
    history: list[AuditEntry]


async def bill_detail(session: AsyncSession, bill_id: uuid.UUID) -> BillDetail:
    """A bill with its lines matched against the order (NotFound for another tenant's)."""
    bill = await _rows.get(session, VendorBill, bill_id)
    order = await _rows.get(session, PurchaseOrder, bill.order_id)
    stmt = select(VendorBillLine, PurchaseOrderLine.variant_id, PurchaseOrderLine.qty).join(
        PurchaseOrderLine,
        (PurchaseOrderLine.tenant_id == VendorBillLine.tenant_id)
        & (PurchaseOrderLine.id == VendorBillLine.order_line_id),
    )
    found = (
        await session.execute(stmt.where(VendorBillLine.bill_id == bill.id).order_by(VendorBillLine.position))
    ).all()
    articles = await _rows.articles(session, [variant for _line, variant, _qty in found])
    lines = [
        BillLineRow(line, articles[variant].sku, articles[variant].name, qty, hold_messages(line, bill.currency))
        for line, variant, qty in found
    ]
    return BillDetail(
        bill,
        await _rows.get(session, Supplier, bill.supplier_id),
        order,
        lines,
        await audit.history(session, "vendor_bill", bill.id),
    )


@dataclass(frozen=True, slots=True)
class PayableBill:
    """An approved supplier bill as accounts payable needs it."""

    bill_id: uuid.UUID
    number: str
    supplier_id: uuid.UUID
    supplier_reference: str
    bill_date: date
    due_date: date
    currency: str
    total: Decimal


async def payable_bills(session: AsyncSession, *, due_by: date | None = None) -> list[PayableBill]:
    """The approved bills (due by a date, when given), earliest due first: what accounts payable may pay."""
    stmt = select(VendorBill).where(VendorBill.status == "approved").order_by(VendorBill.due_date, VendorBill.number)
    if due_by is not None:
        stmt = stmt.where(VendorBill.due_date <= due_by)
    return [
        PayableBill(b.id, b.number, b.supplier_id, b.supplier_reference, b.bill_date, b.due_date, b.currency, b.total)
        for b in await session.scalars(stmt.limit(5000))
    ]

"""Supplier bills against a purchase order, matched three ways (ordered, received, billed): a bill within the
tenant's tolerances is approved, any other is held with its reasons until a receipt clears it or a person
approves it. An approved bill is announced (`purchasing.bill_approved`) for accounts payable."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.numbering.services import take_number
from app.outbox.services import emit
from app.parties import get_supplier
from app.purchasing import _input, _rows
from app.purchasing._input import Typed
from app.purchasing.domain import BillLine, BillMatch, OrderLine, PoState, match_bill
from app.purchasing.models import PurchaseOrder, PurchaseOrderLine, VendorBill, VendorBillLine
from app.purchasing.rules import buying_rules

APPROVED_TOPIC = "purchasing.bill_approved"
BILLABLE = (PoState.SENT, PoState.PARTIALLY_RECEIVED, PoState.RECEIVED, PoState.CLOSED)
MAX_LINES = 500


@dataclass(frozen=True)
class BillLineInput:
    """A billed line as typed: which order line, how many, at what unit price (in the order's currency)."""

    order_line_id: uuid.UUID | None
    qty: Typed
    unit_price: Typed


@dataclass(frozen=True)
class BillInput:
    """A supplier bill as typed: its own number, its date, its lines; blank due date: the supplier's terms."""

    order_id: uuid.UUID | None
    supplier_reference: str
    bill_date: str | date | None
    lines: tuple[BillLineInput, ...]
    due_date: str | date | None = None


def _header(data: BillInput) -> tuple[str, date, date | None]:
    errors: dict[str, str] = {}
    reference = _input.text(data.supplier_reference, "supplier_reference", errors, 60, required=True)
    bill_date = _input.a_date(data.bill_date, "bill_date", errors)
    due = _input.a_date(data.due_date, "due_date", errors)
    if bill_date is None and "bill_date" not in errors:
        errors["bill_date"] = _("Enter the bill's date.")
    if not data.lines:
        errors["lines"] = _("Enter at least one billed line.")
    elif len(data.lines) > MAX_LINES:
        errors["lines"] = _("At most %(n)s lines in one bill.", n=MAX_LINES)
    _input.refuse(errors)
    assert bill_date is not None
    return reference, bill_date, due


def _typed_lines(data: BillInput, order_lines: dict[uuid.UUID, PurchaseOrderLine]) -> list[BillLine]:
    errors: dict[str, str] = {}
    lines = []
    for index, typed in enumerate(data.lines):
        key = typed.order_line_id or index  # the form names its fields after the order line
        qty = _input.quantity(typed.qty, f"qty_{key}", errors)
        unit_price = _input.price(typed.unit_price, f"unit_price_{key}", errors)
        if unit_price is None:
            errors.setdefault(f"unit_price_{key}", _("Enter the price."))
        if typed.order_line_id not in order_lines:
            errors["lines"] = _("Bill only lines of this order.")
        lines.append(BillLine(index, typed.order_line_id, qty or Decimal(1), unit_price or Decimal(0)))
    _input.refuse(errors)
    return lines


async def _match(session, order: PurchaseOrder, lines: list[BillLine], own: dict[uuid.UUID, Decimal]) -> BillMatch:
    """The domain's three-way match against the order lines as they are now; `own`: this bill's quantities
    already counted in the lines' billed totals."""
    rules = await buying_rules(session, order.tenant_id)
    stmt = select(PurchaseOrderLine).where(PurchaseOrderLine.order_id == order.id).with_for_update()
    order_lines = list(await session.scalars(stmt.order_by(PurchaseOrderLine.id)))
    ordered = [OrderLine(line.id, line.variant_id, line.qty, line.unit_price) for line in order_lines]
    received = {line.id: line.qty_received for line in order_lines}
    before = {line.id: line.qty_billed - own.get(line.id, Decimal(0)) for line in order_lines}
    return match_bill(
        lines, ordered, received, currency=order.currency, tolerance=rules.match_tolerance, billed_before=before
    )


async def record_bill(session: AsyncSession, tenant_id: uuid.UUID, data: BillInput, actor: Actor) -> VendorBill:
    """Enter a supplier's bill against its order and match it: approved, or held with the reasons."""
    reference, bill_date, due = _header(data)
    order = await _rows.get(session, PurchaseOrder, data.order_id, for_update=True)
    if order.status not in BILLABLE:
        raise ValidationFailed({"order": _("A bill is entered against an order that has been sent.")})
    supplier = await get_supplier(session, order.supplier_id)
    clash = select(func.count()).where(
        VendorBill.supplier_id == supplier.id, VendorBill.supplier_reference == reference
    )
    if await session.scalar(clash):
        raise ValidationFailed(
            {"supplier_reference": _("This supplier's bill %(ref)s is entered already.", ref=reference)}
        )
    lines_by_id = {line.id: line for line in await _order_lines(session, order.id)}
    typed = _typed_lines(data, lines_by_id)
    result = await _match(session, order, typed, {})
    bill = VendorBill(
        tenant_id=tenant_id,
        number=await take_number(session, "vendor_bill"),
        supplier_id=supplier.id,
        order_id=order.id,
        supplier_reference=reference,
        bill_date=bill_date,
        due_date=due or bill_date + timedelta(days=supplier.payment_terms_days),
        currency=order.currency,
        total=result.total,
        status="approved" if result.approved else "held",
        hold_reasons=sorted(result.reasons),
    )
    session.add(bill)
    await session.flush()
    await _save_lines(session, bill, result, lines_by_id)
    await _count_billed(session, typed)
    changes = {"number": [None, bill.number], "status": [None, bill.status], "total": [None, str(bill.total)]}
    await audit.record(session, tenant_id, actor, "vendor_bill.recorded", "vendor_bill", bill.id, changes)
    if result.approved:
        await _announce(session, bill)
    return bill


async def _count_billed(session: AsyncSession, lines: list[BillLine]) -> None:
    """Add what the bill bills to its order lines' billed quantities (in SQL: bills may come in parallel)."""
    for line in lines:
        await session.execute(
            update(PurchaseOrderLine)
            .where(PurchaseOrderLine.id == line.order_line)
            .values(qty_billed=PurchaseOrderLine.qty_billed + line.qty)
        )


async def _order_lines(session: AsyncSession, order_id: uuid.UUID) -> list[PurchaseOrderLine]:
    return list(await session.scalars(select(PurchaseOrderLine).where(PurchaseOrderLine.order_id == order_id)))


async def _save_lines(session, bill: VendorBill, result: BillMatch, order_lines: dict) -> None:
    """The bill's lines as matched: their holds and the figures they were matched against."""
    billed: dict[uuid.UUID, Decimal] = {}
    for position, match in enumerate(result.lines):
        order_line = order_lines[match.bill_line.order_line]
        billed[order_line.id] = billed.get(order_line.id, order_line.qty_billed) + match.bill_line.qty
        session.add(
            VendorBillLine(
                tenant_id=bill.tenant_id,
                bill_id=bill.id,
                position=position,
                order_line_id=order_line.id,
                qty=match.bill_line.qty,
                unit_price=match.bill_line.unit_price,
                amount=match.amount,
                holds=[hold.reason.value for hold in match.holds],
                received_qty=order_line.qty_received,
                billed_total=billed[order_line.id],
                ordered_price=order_line.unit_price,
            )
        )
    await session.flush()


async def _announce(session: AsyncSession, bill: VendorBill) -> None:
    """Tell accounts payable (through the outbox) that a bill may be paid."""
    payload = {
        "bill_id": str(bill.id),
        "number": bill.number,
        "supplier_id": str(bill.supplier_id),
        "supplier_reference": bill.supplier_reference,
        "order_id": str(bill.order_id),
        "currency": bill.currency,
        "total": str(bill.total),
        "bill_date": bill.bill_date.isoformat(),
        "due_date": bill.due_date.isoformat(),
    }
    await emit(session, bill.tenant_id, APPROVED_TOPIC, payload)


async def rematch_bill(session: AsyncSession, tenant_id: uuid.UUID, bill_id: uuid.UUID, actor: Actor) -> VendorBill:
    """Match a held bill again with what has been received since; approved when nothing holds it any more."""
    bill = await _rows.get(session, VendorBill, bill_id, for_update=True)
    if bill.status != "held":
        return bill
    order = await _rows.get(session, PurchaseOrder, bill.order_id, for_update=True)
    stmt = select(VendorBillLine).where(VendorBillLine.bill_id == bill.id).order_by(VendorBillLine.position)
    saved = list(await session.scalars(stmt))
    own: dict[uuid.UUID, Decimal] = {}
    for line in saved:
        own[line.order_line_id] = own.get(line.order_line_id, Decimal(0)) + line.qty
    typed = [BillLine(line.id, line.order_line_id, line.qty, line.unit_price) for line in saved]
    result = await _match(session, order, typed, own)
    order_lines = {line.id: line for line in await _order_lines(session, order.id)}
    for line, match in zip(saved, result.lines, strict=True):
        line.holds = [hold.reason.value for hold in match.holds]
        line.received_qty = order_lines[line.order_line_id].qty_received
    bill.hold_reasons = sorted(result.reasons)
    if result.approved:
        bill.status = "approved"
        bill.approved_at = datetime.now(UTC)
    await session.flush()
    changes = {"status": ["held", bill.status], "hold_reasons": [None, ", ".join(bill.hold_reasons)]}
    await audit.record(session, tenant_id, actor, "vendor_bill.rematched", "vendor_bill", bill.id, changes)
    if result.approved:
        await _announce(session, bill)
    return bill


async def rematch_open_bills(session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, actor: Actor) -> int:
    """Match again the held bills of an order (after a receipt); returns how many are approved now."""
    stmt = select(VendorBill.id).where(VendorBill.order_id == order_id, VendorBill.status == "held")
    approved = 0
    for bill_id in list(await session.scalars(stmt.order_by(VendorBill.created_at))):
        approved += (await rematch_bill(session, tenant_id, bill_id, actor)).status == "approved"
    return approved


async def approve_bill(
    session: AsyncSession, tenant_id: uuid.UUID, bill_id: uuid.UUID, note: str, actor: Actor
) -> VendorBill:
    """A person approves a held bill despite its holds, saying why (the holds stay on record)."""
    errors: dict[str, str] = {}
    note = _input.text(note, "note", errors, 1000, required=True)
    _input.refuse(errors)
    bill = await _rows.get(session, VendorBill, bill_id, for_update=True)
    if bill.status != "held":
        raise ValidationFailed({"status": _("Only a held bill needs approving.")})
    bill.status, bill.approval_note = "approved", note
    bill.approved_by, bill.approved_at = actor.label[:320], datetime.now(UTC)
    await session.flush()
    changes = {"status": ["held", "approved"], "note": [None, note]}
    await audit.record(session, tenant_id, actor, "vendor_bill.approved", "vendor_bill", bill.id, changes)
    await _announce(session, bill)
    return bill

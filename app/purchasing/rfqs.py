"""Requests for quotation: articles asked of several suppliers, their answers entered as they come, and purchase
orders made from the answers chosen (one draft order per supplier)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.numbering.services import take_number
from app.parties import queries as parties
from app.purchasing import _input, _rows
from app.purchasing._input import Typed
from app.purchasing.models import PurchaseOrder, Rfq, RfqLine, RfqResponse, RfqSupplier
from app.purchasing.orders import OrderInput, OrderLineInput, create_order, open_warehouse

MAX_LINES = 200
MAX_SUPPLIERS = 20


@dataclass(frozen=True)
class RfqLineInput:
    """An article (by id) and the quantity asked for."""

    variant_id: uuid.UUID | None
    qty: Typed


@dataclass(frozen=True)
class RfqInput:
    """A request: which suppliers are asked, for what, delivered where and by when."""

    warehouse_id: uuid.UUID | None
    supplier_ids: tuple[uuid.UUID, ...]
    lines: tuple[RfqLineInput, ...]
    needed_by: str | date | None = None
    note: str = ""


@dataclass(frozen=True)
class AnswerInput:
    """A supplier's answer to one line as typed (blank price: no answer for that line)."""

    line_id: uuid.UUID
    unit_price: Typed
    lead_time_days: Typed = ""


async def _suppliers(session: AsyncSession, ids: tuple[uuid.UUID, ...]) -> list[uuid.UUID]:
    wanted = list(dict.fromkeys(ids))
    found = await parties.suppliers_by_id(session, wanted)
    if not wanted or len(wanted) > MAX_SUPPLIERS:
        raise ValidationFailed({"supplier_ids": _("Ask between 1 and %(n)s suppliers.", n=MAX_SUPPLIERS)})
    if len(found) < len(wanted) or any(s.status != "active" for s in found.values()):
        raise ValidationFailed({"supplier_ids": _("Choose active suppliers of yours.")})
    return wanted


async def create_rfq(session: AsyncSession, tenant_id: uuid.UUID, data: RfqInput, actor: Actor) -> Rfq:
    """An open request for quotation in the tenant's currency, with its lines and invited suppliers."""
    errors: dict[str, str] = {}
    needed_by = _input.a_date(data.needed_by, "needed_by", errors)
    note = _input.text(data.note, "note", errors, 1000)
    if not data.lines or len(data.lines) > MAX_LINES:
        errors["lines"] = _("Ask for between 1 and %(n)s articles.", n=MAX_LINES)
    qtys = [_input.quantity(line.qty, "lines", errors) for line in data.lines]
    _input.refuse(errors)
    warehouse = await open_warehouse(session, data.warehouse_id)
    suppliers = await _suppliers(session, data.supplier_ids)
    articles = await _rows.articles(session, [line.variant_id for line in data.lines if line.variant_id])
    if any(line.variant_id not in articles for line in data.lines):
        raise ValidationFailed({"lines": _("Choose articles of the catalogue.")})
    if len({line.variant_id for line in data.lines}) < len(data.lines):
        raise ValidationFailed({"lines": _("Each article may be asked for once.")})
    tenant = await _rows.tenant(session, tenant_id)
    rfq = Rfq(
        tenant_id=tenant_id,
        number=await take_number(session, "rfq"),
        status="open",
        currency=tenant.currency,
        warehouse_id=warehouse.id,
        needed_by=needed_by,
        note=note,
    )
    session.add(rfq)
    await session.flush()
    for position, (line, qty) in enumerate(zip(data.lines, qtys, strict=True)):
        session.add(RfqLine(tenant_id=tenant_id, rfq_id=rfq.id, position=position, variant_id=line.variant_id, qty=qty))
    session.add_all(RfqSupplier(tenant_id=tenant_id, rfq_id=rfq.id, supplier_id=s) for s in suppliers)
    await session.flush()
    changes = {"number": [None, rfq.number], "lines": [None, len(data.lines)], "suppliers": [None, len(suppliers)]}
    await audit.record(session, tenant_id, actor, "rfq.created", "rfq", rfq.id, changes)
    return rfq


async def _open(session: AsyncSession, rfq_id: uuid.UUID) -> Rfq:
    rfq = await _rows.get(session, Rfq, rfq_id, for_update=True)
    if rfq.status != "open":
        raise ValidationFailed({"status": _("This request is closed.")})
    return rfq


def _answered(answers: tuple[AnswerInput, ...], lines: set[uuid.UUID], default_days: int) -> list[tuple]:
    """(line, price, days) of the lines given a price; every problem at once, under the line's fields."""
    errors: dict[str, str] = {}
    rows = []
    for answer in answers:
        if answer.line_id not in lines:
            raise NotFound()
        price = _input.price(answer.unit_price, f"price_{answer.line_id}", errors)
        days = _input.days(answer.lead_time_days, f"days_{answer.line_id}", errors, blank=default_days)
        if price is not None and days is not None:
            rows.append((answer.line_id, price, days))
    _input.refuse(errors)
    return rows


async def record_answer(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    rfq_id: uuid.UUID,
    supplier_id: uuid.UUID,
    answers: tuple[AnswerInput, ...],
    actor: Actor,
) -> int:
    """Enter (or replace) an invited supplier's answer, line by line; returns how many lines it answered."""
    rfq = await _open(session, rfq_id)
    stmt = select(RfqSupplier).where(RfqSupplier.rfq_id == rfq.id, RfqSupplier.supplier_id == supplier_id)
    invited = await session.scalar(stmt)
    supplier = await parties.supplier(session, supplier_id)
    if invited is None or supplier is None:
        raise NotFound()
    lines = {line.id for line in await session.scalars(select(RfqLine).where(RfqLine.rfq_id == rfq.id))}
    rows = _answered(answers, lines, supplier.default_lead_time_days)
    mine = (RfqResponse.rfq_id == rfq.id) & (RfqResponse.supplier_id == supplier_id)
    await session.execute(delete(RfqResponse).where(mine))
    session.add_all(
        RfqResponse(
            tenant_id=tenant_id,
            rfq_id=rfq.id,
            rfq_line_id=line,
            supplier_id=supplier_id,
            unit_price=price,
            lead_time_days=days,
        )
        for line, price, days in rows
    )
    invited.answered_at = datetime.now(UTC) if rows else None
    await session.flush()
    changes = {"supplier": [None, supplier.code], "answered": [None, len(rows)]}
    await audit.record(session, tenant_id, actor, "rfq.answered", "rfq", rfq.id, changes)
    return len(rows)


async def order_from_rfq(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    rfq_id: uuid.UUID,
    choices: Mapping[uuid.UUID, uuid.UUID],
    actor: Actor,
    *,
    today: date | None = None,
) -> list[PurchaseOrder]:
    """Draft orders from the chosen answers (line -> supplier), one per supplier, at the prices and lead times
    answered; the request is then closed as ordered."""
    today = today or date.today()
    rfq = await _open(session, rfq_id)
    lines = {line.id: line for line in await session.scalars(select(RfqLine).where(RfqLine.rfq_id == rfq.id))}
    stmt = select(RfqResponse).where(RfqResponse.rfq_id == rfq.id)
    answers = {(r.rfq_line_id, r.supplier_id): r for r in await session.scalars(stmt)}
    chosen: dict[uuid.UUID, list[OrderLineInput]] = {}
    for line_id, supplier_id in choices.items():
        answer = answers.get((line_id, supplier_id))
        if line_id not in lines or answer is None:
            raise ValidationFailed({"choices": _("Choose, for each line you order, a supplier that answered it.")})
        due = today + timedelta(days=answer.lead_time_days)
        chosen.setdefault(supplier_id, []).append(
            OrderLineInput(lines[line_id].variant_id, lines[line_id].qty, answer.unit_price, due)
        )
    if not chosen:
        raise ValidationFailed({"choices": _("Choose at least one answer to order.")})
    orders = []
    for supplier_id, order_lines in chosen.items():
        data = OrderInput(supplier_id, rfq.warehouse_id, tuple(order_lines), rfq.currency, note=rfq.number)
        orders.append(await create_order(session, tenant_id, data, actor, today=today, rfq_id=rfq.id))
    rfq.status = "ordered"
    await session.flush()
    changes = {"status": ["open", "ordered"], "orders": [None, ", ".join(o.number for o in orders)]}
    await audit.record(session, tenant_id, actor, "rfq.ordered", "rfq", rfq.id, changes)
    return orders


async def cancel_rfq(session: AsyncSession, tenant_id: uuid.UUID, rfq_id: uuid.UUID, actor: Actor) -> Rfq:
    """Close an open request without ordering."""
    rfq = await _open(session, rfq_id)
    rfq.status = "cancelled"
    await session.flush()
    await audit.record(session, tenant_id, actor, "rfq.cancelled", "rfq", rfq.id, {"status": ["open", "cancelled"]})
    return rfq

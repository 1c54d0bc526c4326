"""Returns (RMA): a buyer asks to send back goods that shipped, staff approve or reject the request, and the
warehouse receives the goods back into stock or to scrap with a reason. Each step follows the pure return rules
(app.sales._returns), announces the new status, and runs in the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory
from app.actor import Actor
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.inventory.values import plain
from app.numbering.services import take_number
from app.outbox.services import emit
from app.sales import fulfilment_queries as reads
from app.sales._errors import SalesRuleError
from app.sales._returns import (
    ApprovedLine,
    Disposition,
    ReceivedGoods,
    ReturnableLine,
    ReturnStatus,
    check_return_request,
    receive_return,
    return_transition,
)
from app.sales.fulfilment_models import SalesReturn, SalesReturnLine, ShipmentLine
from app.sales.models import SalesOrder, SalesOrderLine
from app.sales.services._checks import rule_error, said
from app.sales.services.staff_notices import tell_staff

RETURN_STATUS_TOPIC = "sales.return_status_changed"
RETURN_KIND = "return"  # the stock document kind of goods coming back
SCRAP_REASONS = ("damage", "expiry", "other")  # inventory's scrap reasons a returned article can have
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ReturnRequest:
    """A buyer's request: order line id -> quantity, a reason per line (line id -> text) and a note."""

    order_id: uuid.UUID
    customer_id: uuid.UUID
    user_id: uuid.UUID | None
    lines: Mapping[uuid.UUID, Decimal]
    reasons: Mapping[uuid.UUID, str] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReturnedGoods:
    """Goods received for a return line: how many, restock or scrap, and (for scrap) the reason code and why."""

    line_id: uuid.UUID
    qty: Decimal
    disposition: str
    reason: str = ""
    note: str = ""


async def _announce(session: AsyncSession, tenant_id: uuid.UUID, record: SalesReturn, before: str | None) -> None:
    payload = {"return_id": str(record.id), "number": record.number, "from": before, "to": record.status}
    await emit(session, tenant_id, RETURN_STATUS_TOPIC, payload)


def _text(value: str, field_name: str, limit: int, errors: dict[str, str]) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        errors[field_name] = _("At most %(max)s characters.", max=limit)
    return text[:limit]


async def request_return(
    session: AsyncSession, tenant_id: uuid.UUID, data: ReturnRequest, actor: Actor, *, back_office: str = ""
) -> SalesReturn:
    """The buyer's request for an order of their company: per line at most what shipped less what other returns
    (not rejected) already claim; each refused line is named under qty_<line id>. The sales and warehouse teams
    are told (links under `back_office`)."""
    order = await session.scalar(select(SalesOrder).where(SalesOrder.id == data.order_id).with_for_update())
    if order is None or order.customer_id != data.customer_id:
        raise NotFound()
    known = {line.id: line for line in await reads.returnable_lines(session, order.id)}
    wanted = {line_id: qty for line_id, qty in data.lines.items() if qty != 0}
    errors: dict[str, str] = {}
    if not wanted:
        errors["lines"] = _("Enter how many of which article you send back.")
    rules = [ReturnableLine(line.id, line.sku, line.shipped, line.returned) for line in known.values()]
    for check in check_return_request(rules, wanted).lines:
        if check.reason is not None:
            params = {k: plain(v) if isinstance(v, Decimal) else v for k, v in check.reason.params.items()}
            errors[f"qty_{check.line_id}"] = _(check.reason.message, **params)
    reasons = {line_id: _text(data.reasons.get(line_id, ""), f"reason_{line_id}", 500, errors) for line_id in wanted}
    note = _text(data.note, "note", 1000, errors)
    if errors:
        raise ValidationFailed(errors)
    record = SalesReturn(
        tenant_id=tenant_id,
        id=uuid.uuid4(),
        number=await take_number(session, "sales_return"),
        order_id=order.id,
        customer_id=order.customer_id,
        warehouse_id=order.warehouse_id,
        status=ReturnStatus.REQUESTED.value,
        requested_by=data.user_id,
        requested_label=actor.label[:320],
        note=note,
    )
    session.add(record)
    await session.flush()
    lines = {
        line.id: line
        for line in await session.scalars(select(SalesOrderLine).where(SalesOrderLine.order_id == order.id))
    }
    session.add_all(
        SalesReturnLine(
            tenant_id=tenant_id,
            return_id=record.id,
            order_line_id=line_id,
            variant_id=lines[line_id].variant_id,
            sku=lines[line_id].sku,
            name=lines[line_id].name,
            qty=qty,
            reason=reasons[line_id],
        )
        for line_id, qty in wanted.items()
    )
    await session.flush()
    await _announce(session, tenant_id, record, None)
    await tell_staff(
        session,
        tenant_id,
        "return_requested",
        customer_id=record.customer_id,
        number=record.number,
        path=f"/sales/returns/{record.id}",
        back_office=back_office,
        order_number=order.number,
        comment=note,
    )
    return record


async def _locked(session: AsyncSession, return_id: uuid.UUID) -> SalesReturn:
    record = await session.scalar(
        select(SalesReturn)
        .where(SalesReturn.id == return_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if record is None:
        raise NotFound()
    return record


async def _decide(session, tenant_id, return_id, target: ReturnStatus, actor: Actor, note: str) -> SalesReturn:
    record = await _locked(session, return_id)
    decision = return_transition(record.status, target)
    if not decision.allowed:
        raise ValidationFailed({"status": said(decision.reason)})
    errors: dict[str, str] = {}
    text = _text(note, "note", 1000, errors)
    if target is ReturnStatus.REJECTED and not text:
        errors["note"] = _("Tell the customer why the return is rejected.")
    if errors:
        raise ValidationFailed(errors)
    before = record.status
    record.status, record.decision_note = target.value, text
    record.decided_label, record.decided_at = actor.label[:320], datetime.now(UTC)
    record.updated_at = record.decided_at
    await session.flush()
    await _announce(session, tenant_id, record, before)
    return record


async def approve_return(
    session: AsyncSession, tenant_id: uuid.UUID, return_id: uuid.UUID, actor: Actor, note: str = ""
) -> SalesReturn:
    """Staff accept the request: the goods may now be sent and received."""
    return await _decide(session, tenant_id, return_id, ReturnStatus.APPROVED, actor, note)


async def reject_return(
    session: AsyncSession, tenant_id: uuid.UUID, return_id: uuid.UUID, actor: Actor, note: str = ""
) -> SalesReturn:
    """Staff refuse the request with a reason the buyer reads; its quantities may be requested again."""
    return await _decide(session, tenant_id, return_id, ReturnStatus.REJECTED, actor, note)


def _goods(received: Sequence[ReturnedGoods]) -> list[ReceivedGoods]:
    errors: dict[str, str] = {}
    goods = []
    for item in received:
        if item.disposition == Disposition.SCRAP and item.reason not in SCRAP_REASONS:
            errors[f"reason_{item.line_id}"] = _("Say why the goods are scrapped.")
        if not isinstance(item.qty, Decimal) or not item.qty.is_finite():
            errors[f"qty_{item.line_id}"] = _("Enter a number.")
        goods.append(ReceivedGoods(item.line_id, item.qty, item.disposition, item.reason))
    if errors:
        raise ValidationFailed(errors)
    return goods


async def receive_goods(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    return_id: uuid.UUID,
    received: Sequence[ReturnedGoods],
    actor: Actor,
    *,
    location_id: uuid.UUID | None = None,
) -> SalesReturn:
    """Goods back from the customer into a stock location of the return's warehouse (None: its receiving
    location); scrapped goods then leave for the scrap location with their reason. Never more than approved."""
    record = await _locked(session, return_id)
    lines = {
        line.id: line
        for line in await session.scalars(select(SalesReturnLine).where(SalesReturnLine.return_id == record.id))
    }
    approved = [ApprovedLine(line.id, line.sku, line.qty, line.received_qty) for line in lines.values()]
    try:
        receipt = receive_return(record.status, approved, _goods([g for g in received if g.qty != 0]))
    except SalesRuleError as exc:
        raise rule_error(exc) from None
    place = await _place(session, record.warehouse_id, location_id)
    notes = {item.line_id: item.note.strip()[:500] for item in received}
    await _post_moves(session, tenant_id, record, receipt.moves, lines, place, actor)
    for move in receipt.moves:
        line = lines[move.line_id]
        if move.disposition is Disposition.SCRAP:
            line.scrapped_qty += move.qty
            line.scrap_reason = "; ".join(
                x for x in (line.scrap_reason, move.reason, notes.get(move.line_id, "")) if x
            )[:500]
        else:
            line.restocked_qty += move.qty
    before = record.status
    record.status = receipt.status.value
    record.updated_at = datetime.now(UTC)
    if receipt.status is ReturnStatus.RECEIVED:
        record.received_at = record.updated_at
    await session.flush()
    if record.status != before:
        await _announce(session, tenant_id, record, before)
    return record


async def _place(session: AsyncSession, warehouse_id: uuid.UUID, location_id: uuid.UUID | None) -> uuid.UUID:
    warehouse = await inventory.queries.warehouse(session, warehouse_id)
    chosen = location_id or warehouse.receipt_location_id
    if chosen is None:
        raise ValidationFailed({"location": _("Choose the location the goods go to.")})
    place = await inventory.queries.location(session, chosen)
    if place.warehouse_id != warehouse_id or place.kind != "internal":
        raise ValidationFailed({"location": _("Choose a stock location of warehouse %(code)s.", code=warehouse.code)})
    return chosen


async def _post_moves(session, tenant_id, record: SalesReturn, moves, lines, place: uuid.UUID, actor: Actor) -> None:
    """One document bringing every received line back from the customer; then scrap for the scrapped part."""
    customer = next(loc.id for loc in await inventory.queries.virtual_locations(session) if loc.kind == "customer")
    lots = await _shipped_lots(session, [lines[m.line_id].order_line_id for m in moves])
    back = [
        inventory.MoveLine(
            lines[m.line_id].variant_id,
            customer,
            place,
            m.qty,
            None,
            lots.get(lines[m.line_id].order_line_id),
            m.line_id,
            reason="return",
        )
        for m in moves
    ]
    document = inventory.StockDocument(RETURN_KIND, uuid.uuid4(), record.number)
    await inventory.post_moves(session, tenant_id, document, back, actor)
    lot_codes = await _lot_codes(session, [lots.get(lines[m.line_id].order_line_id) for m in moves])
    for m in moves:
        if m.disposition is Disposition.SCRAP:
            lot = lots.get(lines[m.line_id].order_line_id)
            adjustment = inventory.Adjustment(
                place, lines[m.line_id].variant_id, -m.qty, m.reason, lot_codes.get(lot), scrap=True
            )
            await inventory.adjust_stock(session, tenant_id, adjustment, actor)


async def _shipped_lots(session: AsyncSession, order_line_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """The lot each order line shipped from (the last one, for a lot-tracked article); none for the others."""
    rows = await session.execute(
        select(ShipmentLine.order_line_id, ShipmentLine.lot_id)
        .where(ShipmentLine.order_line_id.in_(order_line_ids), ShipmentLine.lot_id.is_not(None))
        .order_by(ShipmentLine.id)
    )
    return dict(rows.all())


async def _lot_codes(session: AsyncSession, lot_ids: list[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    ids = [lot for lot in lot_ids if lot is not None]
    if not ids:
        return {}
    rows = await session.execute(
        select(ShipmentLine.lot_id, ShipmentLine.lot_code).where(
            ShipmentLine.lot_id.in_(ids), ShipmentLine.lot_code.is_not(None)
        )
    )
    return dict(rows.all())

"""Goods received against a purchase order: partial receipts, over-delivery refused beyond the tolerance (nothing
posted), stock posted through inventory at the order's price in the tenant's currency, the order's state kept."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory
from app.actor import Actor
from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory.domain import check_receipt
from app.inventory.values import plain
from app.money import to_minor_unit
from app.numbering.services import take_number
from app.purchasing import _input, _rows
from app.purchasing._input import Typed
from app.purchasing.bills import rematch_open_bills
from app.purchasing.domain import PoState, transition
from app.purchasing.models import PurchaseOrder, PurchaseOrderLine, PurchaseReceipt, PurchaseReceiptLine
from app.purchasing.orders import order_lines
from app.purchasing.rules import BuyingRules, buying_rules

DOCUMENT_KIND = "purchase_receipt"
COST_PLACES = Decimal("0.0001")
RECEIVABLE = (PoState.SENT, PoState.PARTIALLY_RECEIVED)


@dataclass(frozen=True)
class ReceiveLineInput:
    """What arrived of one order line (or of an article scanned: its first line with something still to come),
    with its lot and expiry or serial numbers for tracked articles, and where it goes (blank: the receiving
    location of the order's warehouse)."""

    qty: Typed
    order_line_id: uuid.UUID | None = None
    variant_id: uuid.UUID | None = None
    lot_code: str = ""
    expiry: str | date | None = None
    serials: tuple[str, ...] = ()
    location_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class _Arrival:
    line: PurchaseOrderLine
    qty: Decimal
    typed: ReceiveLineInput
    expiry: date | None


def _line_for(lines: list[PurchaseOrderLine], typed: ReceiveLineInput, taken: dict) -> PurchaseOrderLine | None:
    if typed.order_line_id is not None:
        return next((line for line in lines if line.id == typed.order_line_id), None)
    mine = [line for line in lines if line.variant_id == typed.variant_id]
    left = [line for line in mine if line.qty - line.qty_received - taken.get(line.id, 0) > 0]
    return (left or mine or [None])[0]


async def _arrivals(
    session: AsyncSession, lines: list[PurchaseOrderLine], typed: tuple[ReceiveLineInput, ...], rules: BuyingRules
) -> list[_Arrival]:
    """Each typed line matched to its order line and checked against the tolerance (this receipt's earlier lines
    count too); the first refusal stops everything, before anything is written."""
    if not typed:
        raise ValidationFailed({"lines": _("Add at least one line.")})
    taken: dict[uuid.UUID, Decimal] = {}
    arrivals = []
    for each in typed:
        errors: dict[str, str] = {}
        qty = _input.quantity(each.qty, "qty", errors)
        expiry = _input.a_date(each.expiry, "expiry", errors)
        _input.text(each.lot_code, "lot", errors, 60)
        _input.refuse(errors)
        assert qty is not None
        line = _line_for(lines, each, taken)
        if line is None:
            article = await _rows.article(session, each.variant_id, "code")
            raise ValidationFailed({"code": _("%(sku)s is not on this order.", sku=article.sku)})
        already = line.qty_received + taken.get(line.id, Decimal(0))
        check = check_receipt(
            line.qty, already, qty, over_pct=rules.receipt_over_pct, under_pct=rules.receipt_under_pct
        )
        if not check.accepted:
            raise await _over_tolerance(session, line, qty, already, check.max_acceptable, rules)
        taken[line.id] = already - line.qty_received + qty
        arrivals.append(_Arrival(line, qty, each, expiry))
    return arrivals


async def _over_tolerance(session, line, qty, already, most, rules: BuyingRules) -> ValidationFailed:
    article = await _rows.article(session, line.variant_id)
    message = _(
        "Receiving %(qty)s of %(sku)s is over the tolerance: %(ordered)s ordered, %(received)s received, "
        "at most %(most)s more may come (%(pct)s %% over).",
        qty=plain(qty),
        sku=article.sku,
        ordered=plain(line.qty),
        received=plain(already),
        most=plain(most.quantize(COST_PLACES)),
        pct=plain(rules.receipt_over_pct),
    )
    return ValidationFailed({"qty": message})


async def receive_order(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    order_id: uuid.UUID,
    lines: tuple[ReceiveLineInput, ...],
    actor: Actor,
    *,
    received_on: date | None = None,
) -> PurchaseReceipt:
    """Receive goods on a sent order: all the lines or none; the stock moves name the receipt as their document."""
    order = await _rows.get(session, PurchaseOrder, order_id, for_update=True)
    if order.status not in RECEIVABLE:
        raise ValidationFailed({"status": _("Goods are received on a sent order that is not complete yet.")})
    rules = await buying_rules(session, tenant_id)
    existing = await order_lines(session, order.id)
    arrivals = await _arrivals(session, existing, lines, rules)
    tenant = await _rows.tenant(session, tenant_id)
    async with session.begin_nested():
        receipt = await _post(session, tenant_id, order, arrivals, tenant.currency, actor, received_on or date.today())
        await _progress(session, order, rules)
    await rematch_open_bills(session, tenant_id, order.id, actor)
    changes = {"receipt": [None, receipt.number], "lines": [None, len(arrivals)], "status": [None, order.status]}
    await audit.record(session, tenant_id, actor, "purchase_order.goods_received", "purchase_order", order.id, changes)
    return receipt


async def _post(session, tenant_id, order: PurchaseOrder, arrivals: list[_Arrival], currency: str, actor, day):
    """The receipt, its lines, the stock moves (through inventory) and the order lines' received quantities."""
    receipt = PurchaseReceipt(
        tenant_id=tenant_id,
        number=await take_number(session, "goods_receipt"),
        order_id=order.id,
        warehouse_id=order.warehouse_id,
        received_on=day,
        received_by=actor.label[:320],
    )
    session.add(receipt)
    await session.flush()
    stock_lines, rows = [], []
    for arrival in arrivals:
        cost = (arrival.line.unit_price * order.exchange_rate).quantize(COST_PLACES, rounding=ROUND_HALF_UP)
        typed = arrival.typed
        row = PurchaseReceiptLine(
            tenant_id=tenant_id,
            receipt_id=receipt.id,
            order_line_id=arrival.line.id,
            variant_id=arrival.line.variant_id,
            qty=arrival.qty,
            unit_cost=cost,
            value=to_minor_unit(arrival.qty * cost, currency),
            lot_code=(typed.lot_code or "").strip()[:60] or None,
        )
        session.add(row)
        await session.flush()
        rows.append((row, max(len(typed.serials), 1)))
        stock_lines.append(
            inventory.ReceiptLine(
                row.variant_id, row.qty, cost, typed.location_id, row.lot_code, arrival.expiry, typed.serials, row.id
            )
        )
        await session.execute(
            update(PurchaseOrderLine)
            .where(PurchaseOrderLine.id == arrival.line.id)
            .values(qty_received=PurchaseOrderLine.qty_received + arrival.qty)
        )
    stock = inventory.Receipt(order.warehouse_id, tuple(stock_lines), DOCUMENT_KIND, receipt.id, receipt.number)
    posted = await inventory.receive(session, tenant_id, stock, actor, today=day)
    await _link_moves(session, rows, posted.moves)
    return receipt


async def _link_moves(session: AsyncSession, rows: list[tuple[PurchaseReceiptLine, int]], moves) -> None:
    """Each line's stock moves: inventory posts them in the lines' order, one per line or one per serial."""
    left = list(moves)
    for row, count in rows:
        row.move_ids = [str(move.id) for move in left[:count]]
        left = left[count:]
    await session.flush()


async def _progress(session: AsyncSession, order: PurchaseOrder, rules: BuyingRules) -> None:
    """Received when every line has come within the under tolerance, else partly received."""
    lines = await order_lines(session, order.id)
    for line in lines:
        await session.refresh(line, ["qty_received"])
    enough = (Decimal(100) - rules.receipt_under_pct) / Decimal(100)
    complete = all(line.qty_received >= line.qty * enough for line in lines)
    target = PoState.RECEIVED if complete else PoState.PARTIALLY_RECEIVED
    if order.status != target:
        order.status = transition(order.status, target).value
    await session.flush()

"""Goods in and out: receipts (purchasing calls `receive` with its order lines), issues and shipments,
adjustments and scrap with reason codes, and reversals. Each posts one document through `post_moves`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.base import new_id
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.inventory import repo
from app.inventory.domain import LOSS_ONLY, AdjustmentReason, StockRuleError, adjustment_move
from app.inventory.models import StockMove, Warehouse
from app.inventory.services._checks import lot_code, quantity, text, unit_cost
from app.inventory.services._lots import ensure_lots, existing_lot
from app.inventory.services._rows import get
from app.inventory.services.ledger import post_moves
from app.inventory.values import Adjustment, IssueLine, MoveLine, Posted, Receipt, ReceiptLine, StockDocument
from app.numbering.services import take_number

MAX_SERIALS = 1000


async def receive(
    session: AsyncSession, tenant_id: uuid.UUID, receipt: Receipt, actor: Actor, *, today: date | None = None
) -> Posted:
    """Goods from a supplier into stock locations of one warehouse, with lots, expiry dates or serial numbers."""
    today = today or date.today()
    if not receipt.lines:
        raise ValidationFailed({"lines": _("Add at least one line.")})
    warehouse = await get(session, Warehouse, receipt.warehouse_id)
    if not warehouse.is_active:
        raise ValidationFailed({"warehouse_id": _("The warehouse is closed.")})
    conn = await repo.connection(session)
    places = await _receiving_places(conn, tenant_id, warehouse, receipt.lines)
    items = await repo.by_id(conn, repo.ITEMS, tenant_id, [line.variant_id for line in receipt.lines])
    if len(items) < len({line.variant_id for line in receipt.lines}):
        raise NotFound()
    wanted = [w for line in receipt.lines for w in _lots_wanted(line, items[line.variant_id])]
    shelf = {v: row["shelf_life_days"] for v, row in items.items()}
    lot_ids = await ensure_lots(conn, tenant_id, wanted, shelf, today)
    supplier = (await repo.virtual_locations(conn, tenant_id))["supplier"]
    moves = [m for line in receipt.lines for m in _receipt_moves(line, supplier, places[line], lot_ids)]
    document = await _document(session, receipt)
    posted = await post_moves(session, tenant_id, document, moves, actor, today=today)
    await audit.record(
        session,
        tenant_id,
        actor,
        "stock.received",
        "stock_document",
        document.id,
        {"reference": document.reference, "warehouse": warehouse.code, "moves": len(posted.moves)},
    )
    return posted


async def _document(session: AsyncSession, receipt: Receipt) -> StockDocument:
    if receipt.document_id is not None:
        reference = text(receipt.reference, "reference", 40, required=True)
        return StockDocument(
            text(receipt.document_kind, "document_kind", 30, required=True), receipt.document_id, reference
        )
    return StockDocument("receipt", new_id(), await take_number(session, "goods_receipt"))


async def _receiving_places(conn, tenant_id: uuid.UUID, warehouse: Warehouse, lines: Sequence[ReceiptLine]) -> dict:
    """Each line's stock location: its own or the warehouse's receipt location, always of this warehouse."""
    chosen = {line: line.location_id or warehouse.receipt_location_id for line in lines}
    if None in chosen.values():
        raise ValidationFailed({"location": _("Choose the location the goods go to.")})
    places = await repo.by_id(conn, repo.PLACES, tenant_id, list(chosen.values()))
    for place_id in chosen.values():
        place = places.get(place_id)
        if place is None:
            raise NotFound()
        if place["warehouse_id"] != warehouse.id:
            raise ValidationFailed(
                {"location": _("Location %(code)s belongs to another warehouse.", code=place["code"])}
            )
        if place["kind"] != "internal" or not place["is_active"]:
            raise ValidationFailed({"location": _("Goods can only be received into a stock location.")})
    return chosen


def _lots_wanted(line: ReceiptLine, item) -> list[tuple]:
    quantity(line.qty)
    if line.unit_cost is not None:
        unit_cost(line.unit_cost)
    code = lot_code(line.lot_code)
    if item["tracking"] == "serial":
        serials = [lot_code(s, "serials") for s in line.serials]
        if len(serials) != line.qty or None in serials or len(serials) > MAX_SERIALS:
            raise ValidationFailed(
                {
                    "serials": _(
                        "Give one serial number per unit: %(n)s for this line.", n=format(line.qty.normalize(), "f")
                    )
                }
            )
        if len(set(serials)) < len(serials):
            raise ValidationFailed({"serials": _("A serial number appears twice.")})
        return [(line.variant_id, s, line.expiry) for s in serials]
    if item["tracking"] == "lot" and code is None:
        raise ValidationFailed({"lot": _("%(sku)s is tracked by lot: give the lot.", sku=item["sku"])})
    return [(line.variant_id, code, line.expiry)] if code else []


def _receipt_moves(line: ReceiptLine, supplier: uuid.UUID, place: uuid.UUID, lot_ids: dict) -> list[MoveLine]:
    if line.serials:
        return [
            MoveLine(
                line.variant_id,
                supplier,
                place,
                Decimal(1),
                line.unit_cost,
                lot_ids[(line.variant_id, s.strip())],
                line.line_id,
            )
            for s in line.serials
        ]
    code = lot_code(line.lot_code)
    lot = lot_ids.get((line.variant_id, code)) if code else None
    return [MoveLine(line.variant_id, supplier, place, line.qty, line.unit_cost, lot, line.line_id)]


async def issue(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    document: StockDocument,
    lines: Sequence[IssueLine],
    actor: Actor,
    *,
    to: str = "customer",
) -> Posted:
    """Goods leaving stock for a customer (shipping), production or scrap; reserved lines consume their reservation."""
    if to not in {"customer", "production", "scrap"}:
        raise ValidationFailed({"to": _("Choose one of the options.")})
    conn = await repo.connection(session)
    target = (await repo.virtual_locations(conn, tenant_id))[to]
    moves = [
        MoveLine(
            line.variant_id,
            line.location_id,
            target,
            line.qty,
            None,
            line.lot_id,
            line.line_id,
            reservation=line.reservation,
        )
        for line in lines
    ]
    return await post_moves(session, tenant_id, document, moves, actor)


async def ship(
    session: AsyncSession, tenant_id: uuid.UUID, document: StockDocument, lines: Sequence[IssueLine], actor: Actor
) -> Posted:
    """Goods delivered to a customer, consuming what was reserved for each line (sales and shipping call this)."""
    return await issue(session, tenant_id, document, lines, actor, to="customer")


async def adjust_stock(
    session: AsyncSession, tenant_id: uuid.UUID, adjustment: Adjustment, actor: Actor, *, today: date | None = None
) -> Posted:
    """A change of stock at a location with its reason (found, damage, loss...); scrap goes to the scrap location."""
    change = adjustment.change
    if not isinstance(change, Decimal) or not change.is_finite():
        raise ValidationFailed({"change": _("Enter a number.")})
    quantity(abs(change), "change")
    conn = await repo.connection(session)
    virtual = await repo.virtual_locations(conn, tenant_id)
    target = virtual["scrap" if adjustment.scrap else "adjustment"]
    if adjustment.scrap and (change > 0 or adjustment.reason not in LOSS_ONLY | {AdjustmentReason.OTHER}):
        raise ValidationFailed({"reason": _("Scrap takes stock away for damage, loss, expiry or another reason.")})
    try:
        move = adjustment_move(
            change, location=adjustment.location_id, adjustment_location=target, reason=adjustment.reason
        )
    except StockRuleError as exc:
        raise ValidationFailed({exc.field: _reason_message(exc)}) from None
    lot = await _adjusted_lot(conn, tenant_id, adjustment, today or date.today())
    kind = "scrap" if adjustment.scrap else "adjustment"
    document = StockDocument(kind, new_id(), await take_number(session, "stock_adjustment"))
    line = MoveLine(adjustment.variant_id, move.source, move.destination, move.qty, None, lot, reason=move.reason.value)
    posted = await post_moves(session, tenant_id, document, [line], actor, today=today)
    await audit.record(
        session,
        tenant_id,
        actor,
        f"stock.{kind}",
        "stock_document",
        document.id,
        {"reference": document.reference, "reason": move.reason.value, "change": str(change)},
    )
    return posted


def _reason_message(exc: StockRuleError) -> str:
    if exc.field == "reason":
        return _("This reason does not fit the change: damage, loss and expiry take stock away, found adds it.")
    return _("Enter a quantity above zero.")


async def _adjusted_lot(conn, tenant_id: uuid.UUID, adjustment: Adjustment, today: date) -> uuid.UUID | None:
    """The lot adjusted: a found lot may be new; stock taken away must come from a lot that exists."""
    code = lot_code(adjustment.lot_code)
    if code is None:
        return None
    items = await repo.by_id(conn, repo.ITEMS, tenant_id, [adjustment.variant_id])
    if not items:
        raise NotFound()
    if adjustment.change > 0:
        shelf = {adjustment.variant_id: items[adjustment.variant_id]["shelf_life_days"]}
        ids = await ensure_lots(conn, tenant_id, [(adjustment.variant_id, code, adjustment.expiry)], shelf, today)
        return ids[(adjustment.variant_id, code)]
    return await existing_lot(conn, tenant_id, adjustment.variant_id, code, items[adjustment.variant_id]["sku"])


async def reverse_moves(
    session: AsyncSession, tenant_id: uuid.UUID, document_kind: str, document_id: uuid.UUID, actor: Actor
) -> Posted:
    """Post the opposite of a document's moves (never edited or deleted): goods go back where they came from."""
    stmt = select(StockMove).where(StockMove.document_kind == document_kind, StockMove.document_id == document_id)
    originals = list(await session.scalars(stmt.order_by(StockMove.variant_id, StockMove.sequence)))
    if not originals:
        raise NotFound()
    reversed_ids = set(
        await session.scalars(select(StockMove.reversal_of).where(StockMove.reversal_of.in_([m.id for m in originals])))
    )
    todo = [m for m in originals if m.id not in reversed_ids and m.reversal_of is None]
    if not todo:
        raise ValidationFailed({"document": _("These moves have been reversed already.")})
    document = StockDocument("reversal", new_id(), f"{originals[0].reference}/R"[:40])
    lines = [
        MoveLine(
            m.variant_id,
            m.to_location_id,
            m.from_location_id,
            m.qty,
            m.unit_cost,
            m.lot_id,
            reason=m.reason,
            reversal_of=m.id,
        )
        for m in todo
    ]
    posted = await post_moves(session, tenant_id, document, lines, actor)
    await audit.record(
        session,
        tenant_id,
        actor,
        "stock.reversed",
        "stock_document",
        document_id,
        {"reference": originals[0].reference, "moves": len(lines)},
    )
    return posted

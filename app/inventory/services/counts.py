"""Cycle counts: a count document of a warehouse or one of its locations, counted quantities per place, and on
validation the adjustment moves (domain `count_adjustment`, reason `count`) that bring the stock to what was counted."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.inventory import queries, repo
from app.inventory.domain import AdjustmentReason, count_adjustment
from app.inventory.models import Location, StockCount, StockCountLine, Warehouse
from app.inventory.services._checks import lot_code, quantity, text
from app.inventory.services._lots import ensure_lots
from app.inventory.services._rows import get
from app.inventory.services.ledger import post_moves
from app.inventory.values import CountEntry, MoveLine, Posted, StockDocument
from app.numbering.services import take_number


async def start_count(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    actor: Actor,
    *,
    location_id: uuid.UUID | None = None,
    note: str = "",
) -> StockCount:
    """A count of a warehouse (or of a location and what lies under it), listing what the system expects there."""
    warehouse = await get(session, Warehouse, warehouse_id)
    if location_id is not None:
        place = await get(session, Location, location_id)
        if place.warehouse_id != warehouse.id:
            raise ValidationFailed({"location": _("Location %(code)s belongs to another warehouse.", code=place.code)})
    count = StockCount(
        tenant_id=tenant_id,
        number=await take_number(session, "stock_count"),
        warehouse_id=warehouse.id,
        location_id=location_id,
        note=text(note, "note", 500),
    )
    session.add(count)
    await session.flush()
    for quant in await queries.quants_under(session, warehouse.id, location_id):
        session.add(
            StockCountLine(
                tenant_id=tenant_id,
                count_id=count.id,
                variant_id=quant.variant_id,
                location_id=quant.location_id,
                lot_id=quant.lot_id,
                expected_qty=quant.on_hand,
            )
        )
    await audit.record(session, tenant_id, actor, "count.started", "stock_count", count.id, {"number": count.number})
    await session.flush()
    return count


async def _open(session: AsyncSession, count_id: uuid.UUID) -> StockCount:
    count = await get(session, StockCount, count_id, for_update=True)
    if count.status != "draft":
        raise ValidationFailed({"status": _("Count %(number)s is closed.", number=count.number)})
    return count


async def record_count(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    count_id: uuid.UUID,
    entry: CountEntry,
    actor: Actor,
    *,
    today: date | None = None,
) -> StockCountLine:
    """What was counted of a variant (and lot) at a location of the count: never negative."""
    count = await _open(session, count_id)
    counted = quantity(entry.counted, "counted", zero=True)
    place = await get(session, Location, entry.location_id)
    if place.warehouse_id != count.warehouse_id or place.kind != "internal":
        raise ValidationFailed({"location": _("Location %(code)s belongs to another warehouse.", code=place.code)})
    if count.location_id and place.id not in await queries.locations_under(session, count.location_id):
        raise ValidationFailed({"location": _("Location %(code)s is not part of this count.", code=place.code)})
    lot_id = await _counted_lot(session, tenant_id, entry, today or date.today())
    stmt = select(StockCountLine).where(
        StockCountLine.count_id == count.id,
        StockCountLine.variant_id == entry.variant_id,
        StockCountLine.location_id == place.id,
        StockCountLine.lot_id.is_(None) if lot_id is None else StockCountLine.lot_id == lot_id,
    )
    line = await session.scalar(stmt)
    if line is None:
        expected = await queries.quant_on_hand(session, entry.variant_id, place.id, lot_id)
        line = StockCountLine(
            tenant_id=tenant_id,
            count_id=count.id,
            variant_id=entry.variant_id,
            location_id=place.id,
            lot_id=lot_id,
            expected_qty=expected,
        )
        session.add(line)
    line.counted_qty = counted
    await session.flush()
    return line


async def _counted_lot(session: AsyncSession, tenant_id: uuid.UUID, entry: CountEntry, today: date) -> uuid.UUID | None:
    code = lot_code(entry.lot_code)
    conn = await repo.connection(session)
    items = await repo.by_id(conn, repo.ITEMS, tenant_id, [entry.variant_id])
    if not items:
        raise NotFound()
    if code is None:
        if items[entry.variant_id]["tracking"] != "none":
            raise ValidationFailed(
                {"lot": _("%(sku)s is tracked by lot: give the lot.", sku=items[entry.variant_id]["sku"])}
            )
        return None
    shelf = {entry.variant_id: items[entry.variant_id]["shelf_life_days"]}
    return (await ensure_lots(conn, tenant_id, [(entry.variant_id, code, entry.expiry)], shelf, today))[
        (entry.variant_id, code)
    ]


async def set_counted(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    count_id: uuid.UUID,
    line_id: uuid.UUID,
    counted: Decimal | None,
    actor: Actor,
) -> StockCountLine:
    """Enter (or clear, with None) the counted quantity of one line."""
    count = await _open(session, count_id)
    line = await get(session, StockCountLine, line_id)
    if line.count_id != count.id:
        raise NotFound()
    line.counted_qty = None if counted is None else quantity(counted, f"counted_{line_id}", zero=True)
    await session.flush()
    return line


async def validate_count(
    session: AsyncSession, tenant_id: uuid.UUID, count_id: uuid.UUID, actor: Actor, *, today: date | None = None
) -> Posted | None:
    """Post the adjustments that bring each counted place to its count (against the stock now, not when the count
    began, so moves made meanwhile are kept) and close the count; lines left blank change nothing."""
    count = await _open(session, count_id)
    lines = list(await session.scalars(select(StockCountLine).where(StockCountLine.count_id == count.id)))
    moves = await _adjustments(session, tenant_id, [ln for ln in lines if ln.counted_qty is not None])
    posted = None
    if moves:
        document = StockDocument("count", count.id, count.number)
        posted = await post_moves(session, tenant_id, document, moves, actor, today=today)
    count.status, count.validated_at = "done", datetime.now(UTC)
    await session.flush()
    await audit.record(
        session, tenant_id, actor, "count.validated", "stock_count", count.id, {"adjustments": len(moves)}
    )
    return posted


async def _adjustments(session: AsyncSession, tenant_id: uuid.UUID, lines: list[StockCountLine]) -> list[MoveLine]:
    """The moves from the stock now to the counts (domain `count_adjustment`), read under the variants' locks so
    that no move lands between reading the stock and posting the difference."""
    conn = await repo.connection(session)
    rules = await repo.settings(conn, tenant_id)
    await repo.lock_valuations(
        conn, tenant_id, [ln.variant_id for ln in lines], rules["cost_method"], rules["currency"]
    )
    adjustment = (await repo.virtual_locations(conn, tenant_id))["adjustment"]
    system = await queries.quants_at(session, [(ln.variant_id, ln.location_id, ln.lot_id) for ln in lines])
    moves = []
    for ln in lines:
        on_hand = system.get((ln.variant_id, ln.location_id, ln.lot_id), Decimal(0))
        move = count_adjustment(
            ln.counted_qty,
            on_hand,
            location=ln.location_id,
            adjustment_location=adjustment,
            reason=AdjustmentReason.COUNT,
        )
        if move is not None:
            moves.append(
                MoveLine(
                    ln.variant_id,
                    move.source,
                    move.destination,
                    move.qty,
                    lot_id=ln.lot_id,
                    line_id=ln.id,
                    reason=move.reason.value,
                )
            )
    return moves


async def cancel_count(session: AsyncSession, tenant_id: uuid.UUID, count_id: uuid.UUID, actor: Actor) -> StockCount:
    """Drop a count that has not been validated."""
    count = await _open(session, count_id)
    count.status = "cancelled"
    await session.flush()
    await audit.record(session, tenant_id, actor, "count.cancelled", "stock_count", count.id, {})
    return count

"""Transfers between warehouses: a draft with lines, shipped into transit (picked FEFO/FIFO by the domain rule),
then received at the destination, in part or in full; the goods in transit stay in stock and keep their value."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.inventory import queries, repo
from app.inventory.models import Location, Transfer, TransferLine, Warehouse
from app.inventory.services._checks import quantity, text
from app.inventory.services._rows import get
from app.inventory.services.ledger import post_moves
from app.inventory.values import InsufficientStock, MoveLine, Posted, StockDocument, TransferInput, plain
from app.numbering.services import take_number

MAX_LINES = 500


async def create_transfer(session: AsyncSession, tenant_id: uuid.UUID, data: TransferInput, actor: Actor) -> Transfer:
    """A draft transfer from one active warehouse to another, with its first lines."""
    source = await get(session, Warehouse, data.from_warehouse_id)
    target = await get(session, Warehouse, data.to_warehouse_id)
    if source.id == target.id:
        raise ValidationFailed({"to_warehouse_id": _("Choose another warehouse to send the goods to.")})
    if not (source.is_active and target.is_active):
        raise ValidationFailed({"to_warehouse_id": _("The warehouse is closed.")})
    transfer = Transfer(
        tenant_id=tenant_id,
        number=await take_number(session, "transfer"),
        from_warehouse_id=source.id,
        to_warehouse_id=target.id,
        expected_on=data.expected_on,
        note=text(data.note, "note", 500),
    )
    session.add(transfer)
    await session.flush()
    for variant_id, qty in data.lines:
        await set_transfer_line(session, tenant_id, transfer.id, variant_id, qty, actor)
    await audit.record(
        session, tenant_id, actor, "transfer.created", "transfer", transfer.id, {"number": transfer.number}
    )
    return transfer


async def _draft(session: AsyncSession, transfer_id: uuid.UUID, status: str = "draft") -> Transfer:
    transfer = await get(session, Transfer, transfer_id, for_update=True)
    if transfer.status != status:
        raise ValidationFailed({"status": _("Transfer %(number)s cannot do that now.", number=transfer.number)})
    return transfer


async def set_transfer_line(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    transfer_id: uuid.UUID,
    variant_id: uuid.UUID,
    qty: Decimal,
    actor: Actor,
) -> TransferLine:
    """Set how much of a variant a draft transfer sends (a second line of the same variant adds up)."""
    transfer = await _draft(session, transfer_id)
    quantity(qty)
    from app.catalog.models import ProductVariant

    await get(session, ProductVariant, variant_id)
    line = await session.scalar(
        select(TransferLine).where(TransferLine.transfer_id == transfer.id, TransferLine.variant_id == variant_id)
    )
    if line is None:
        count = len(list(await session.scalars(select(TransferLine.id).where(TransferLine.transfer_id == transfer.id))))
        if count >= MAX_LINES:
            raise ValidationFailed({"sku": _("At most %(n)s lines in one document.", n=MAX_LINES)})
        line = TransferLine(tenant_id=tenant_id, transfer_id=transfer.id, variant_id=variant_id, qty=qty)
        session.add(line)
    else:
        line.qty = quantity(line.qty + qty)
    await session.flush()
    return line


async def remove_transfer_line(
    session: AsyncSession, tenant_id: uuid.UUID, transfer_id: uuid.UUID, line_id: uuid.UUID, actor: Actor
) -> None:
    """Take a line off a draft transfer."""
    transfer = await _draft(session, transfer_id)
    line = await get(session, TransferLine, line_id)
    if line.transfer_id != transfer.id:
        raise NotFound()
    await session.delete(line)
    await session.flush()


async def ship_transfer(
    session: AsyncSession, tenant_id: uuid.UUID, transfer_id: uuid.UUID, actor: Actor, *, today: date | None = None
) -> Posted:
    """Pick every line from the source warehouse (expired lots never) and move it into transit."""
    today = today or date.today()
    transfer = await _draft(session, transfer_id)
    lines = list(await session.scalars(select(TransferLine).where(TransferLine.transfer_id == transfer.id)))
    if not lines:
        raise ValidationFailed({"sku": _("Add at least one line.")})
    conn = await repo.connection(session)
    transit = (await repo.virtual_locations(conn, tenant_id))["transit"]
    strategy = (await repo.settings(conn, tenant_id))["pick_strategy"]
    wanted = [(line.variant_id, line.qty) for line in lines]
    plans = await queries.plan_picks(session, transfer.from_warehouse_id, wanted, today=today, strategy=strategy)
    moves: list[MoveLine] = []
    for line in lines:
        plan = plans[line.variant_id]
        if plan.shortfall:
            warehouse = await get(session, Warehouse, transfer.from_warehouse_id)
            raise InsufficientStock(plan.sku, line.qty - plan.shortfall, place=warehouse.code)
        for pick in plan.picks:
            moves.append(
                MoveLine(line.variant_id, pick.location_id, transit, pick.qty, lot_id=pick.lot_id, line_id=line.id)
            )
        line.qty_shipped = line.qty
    document = StockDocument("transfer", transfer.id, transfer.number)
    posted = await post_moves(session, tenant_id, document, moves, actor, today=today)
    transfer.status, transfer.shipped_at = "in_transit", datetime.now(UTC)
    await session.flush()
    await audit.record(session, tenant_id, actor, "transfer.shipped", "transfer", transfer.id, {"moves": len(moves)})
    return posted


async def receive_transfer(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    transfer_id: uuid.UUID,
    quantities: Mapping[uuid.UUID, Decimal],
    actor: Actor,
    *,
    location_id: uuid.UUID | None = None,
) -> Posted:
    """Receive what arrived of each line (line id -> qty) into a location of the destination; done when all is in."""
    transfer = await _draft(session, transfer_id, "in_transit")
    place = await _destination(session, transfer, location_id)
    rows = await session.scalars(select(TransferLine).where(TransferLine.transfer_id == transfer.id))
    lines = {line.id: line for line in rows}
    conn = await repo.connection(session)
    transit = (await repo.virtual_locations(conn, tenant_id))["transit"]
    in_transit = await queries.in_transit_lots(session, transfer.id, transit)
    moves: list[MoveLine] = []
    for line_id, qty in quantities.items():
        if line_id not in lines:
            raise NotFound()
        if qty == 0:
            continue
        line = lines[line_id]
        quantity(qty, f"qty_{line_id}")
        if qty > line.qty_shipped - line.qty_received:
            left = plain(line.qty_shipped - line.qty_received)
            raise ValidationFailed({f"qty_{line_id}": _("Only %(n)s of this line is still in transit.", n=left)})
        moves += _arrivals(line, qty, in_transit.get(line.id, []), transit, place.id)
        line.qty_received += qty
    if not moves:
        raise ValidationFailed({"lines": _("Enter what arrived of at least one line.")})
    posted = await post_moves(session, tenant_id, StockDocument("transfer", transfer.id, transfer.number), moves, actor)
    if all(line.qty_received >= line.qty_shipped for line in lines.values()):
        transfer.status, transfer.done_at = "done", datetime.now(UTC)
    await session.flush()
    await audit.record(session, tenant_id, actor, "transfer.received", "transfer", transfer.id, {"moves": len(moves)})
    return posted


async def _destination(session: AsyncSession, transfer: Transfer, location_id: uuid.UUID | None) -> Location:
    target = await get(session, Warehouse, transfer.to_warehouse_id)
    place = await session.scalar(select(Location).where(Location.id == (location_id or target.receipt_location_id)))
    if place is None:
        raise NotFound()
    if place.warehouse_id != target.id or place.kind != "internal" or not place.is_active:
        raise ValidationFailed({"location": _("Location %(code)s belongs to another warehouse.", code=place.code)})
    return place


def _arrivals(line: TransferLine, qty: Decimal, lots: list, transit: uuid.UUID, place: uuid.UUID) -> list[MoveLine]:
    """The moves out of transit for qty of a line: its lots in the order they were shipped."""
    moves: list[MoveLine] = []
    left = qty
    for lot_id, still in lots:
        take = min(left, still)
        if take > 0:
            moves.append(MoveLine(line.variant_id, transit, place, take, lot_id=lot_id, line_id=line.id))
            left -= take
    return moves


async def cancel_transfer(
    session: AsyncSession, tenant_id: uuid.UUID, transfer_id: uuid.UUID, actor: Actor
) -> Transfer:
    """Cancel a transfer that has not been shipped."""
    transfer = await _draft(session, transfer_id)
    transfer.status = "cancelled"
    await session.flush()
    await audit.record(session, tenant_id, actor, "transfer.cancelled", "transfer", transfer.id, {})
    return transfer

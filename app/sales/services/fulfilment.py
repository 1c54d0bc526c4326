"""Fulfilment in the warehouse: pick lists (per order or batched per warehouse, FEFO or FIFO as the tenant picks),
confirming picks by scanning the location, the article and its lot, and packing what was picked into a parcel.
Shipping the parcel (and shipping without a pick list) is in `_dispatch`; each use case runs in the caller's
transaction.

Orders are locked in id order before their lines are read, so two people making pick lists at once wait for each
other instead of promising the same units twice; the stock a new list may take is the shelf less what other lists
already hold there (fulfilment_queries.held_at_places).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory
from app.actor import Actor
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.inventory.values import plain as _plain
from app.numbering.services import take_number
from app.sales import fulfilment_queries as reads
from app.sales._errors import SalesRuleError
from app.sales._fulfilment import PackingInput, PickRequest, check_packing, pick_lists
from app.sales.fulfilment_models import PickList, PickListLine, Shipment, ShipmentLine
from app.sales.models import SalesOrder, SalesOrderLine
from app.sales.services._checks import read_qty, rule_error

ZERO = Decimal(0)
MAX_SCANS = 500


@dataclass(frozen=True, slots=True)
class PickScan:
    """A picker's confirmation: the location and article codes as scanned or typed, the lot (when the article's
    code does not carry it) and how many (None: what the stop still asks for)."""

    location: str
    product: str
    lot: str = ""
    qty: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Parcel:
    """How the goods were packed: the number of packages and their total weight in kg (None: not weighed)."""

    packages: int = 1
    weight_kg: Decimal | None = None


async def _lock_orders(session: AsyncSession, order_ids: Sequence[uuid.UUID]) -> list[SalesOrder]:
    stmt = select(SalesOrder).where(SalesOrder.id.in_(sorted(set(order_ids)))).order_by(SalesOrder.id)
    return list(await session.scalars(stmt.with_for_update().execution_options(populate_existing=True)))


async def _chosen_orders(
    session: AsyncSession, warehouse_id: uuid.UUID, order_ids: Sequence[uuid.UUID]
) -> list[SalesOrder]:
    """The orders to pick: those given (each of this warehouse and being fulfilled), else all ready ones."""
    if not order_ids:
        order_ids = [ready.id for ready in await reads.ready_to_pick(session, warehouse_id)]
        if not order_ids:
            raise ValidationFailed({"orders": _("No order of this warehouse has reserved goods left to pick.")})
    orders = await _lock_orders(session, order_ids)
    if len(orders) != len(set(order_ids)):
        raise NotFound()
    for order in orders:
        if order.warehouse_id != warehouse_id:
            raise ValidationFailed({"orders": _("Order %(number)s ships from another warehouse.", number=order.number)})
        if order.status not in reads.FULFILLING:
            raise ValidationFailed(
                {
                    "orders": _(
                        "Order %(number)s is not ready to pick: it is %(status)s.",
                        number=order.number,
                        status=order.status,
                    )
                }
            )
    return sorted(orders, key=lambda o: (o.placed_at, o.id))


async def _requests(session: AsyncSession, orders: list[SalesOrder]) -> list[PickRequest]:
    """Per order line, what is reserved and on no pick list yet, oldest order first; an order whose customer
    waits for everything is left out until nothing of it is backordered."""
    requests: list[PickRequest] = []
    for order in orders:
        lines = list(
            await session.scalars(
                select(SalesOrderLine).where(SalesOrderLine.order_id == order.id).order_by(SalesOrderLine.position)
            )
        )
        if order.delivery_mode == "ship_complete" and any(
            line.reserved_qty + line.shipped_qty < line.qty for line in lines
        ):
            continue
        held = await reads.held_by_lines(session, [line.id for line in lines])
        for line in lines:
            free = line.reserved_qty - held.get(line.id, ZERO)
            if free > 0:
                requests.append(PickRequest(order.id, line.id, line.variant_id, line.sku, order.warehouse_id, free))
    return requests


async def _shelves(session: AsyncSession, warehouse_id: uuid.UUID, variant_ids: list[uuid.UUID]):
    """The lots on the shelves less what open pick lists hold there, and the ids behind the codes."""
    found = await inventory.queries.picking_stock(session, warehouse_id, variant_ids)
    held = await reads.held_at_places(session, warehouse_id, variant_ids)
    stock = {
        (warehouse_id, variant): [
            lot._replace(qty_available=lot.qty_available - held.get((variant, lot.location, lot.lot), ZERO))
            for lot in pickable.lots
        ]
        for variant, pickable in found.items()
    }
    return stock, found


async def create_pick_lists(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    actor: Actor,
    *,
    order_ids: Sequence[uuid.UUID] = (),
    batch: bool = True,
    today: date | None = None,
) -> list[PickList]:
    """Pick lists for the orders (none given: every order of the warehouse ready to pick): one walk for the
    batch, or one per order; lots go FEFO or FIFO as the tenant's stock rules say, expired lots never."""
    await inventory.queries.warehouse(session, warehouse_id)  # NotFound for another tenant's
    orders = await _chosen_orders(session, warehouse_id, order_ids)
    requests = await _requests(session, orders)
    if not requests:
        raise ValidationFailed({"orders": _("Everything reserved for these orders is on a pick list already.")})
    stock, found = await _shelves(session, warehouse_id, sorted({r.variant_id for r in requests}))
    strategy = (await inventory.queries.inventory_settings(session, tenant_id)).pick_strategy
    try:
        walks = pick_lists(requests, stock=stock, today=today or date.today(), strategy=strategy, batch=batch)
    except SalesRuleError as exc:
        raise rule_error(exc) from None
    created = []
    for walk in walks:
        if walk.stops:
            created.append(await _store(session, tenant_id, walk, found, requests, batch, actor))
    if not created:
        raise ValidationFailed({"orders": _("Nothing can be picked: the reserved goods are not on any shelf.")})
    await session.flush()
    return created


async def _store(session, tenant_id, walk, found, requests, batch: bool, actor: Actor) -> PickList:
    variants = {r.line_id: r.variant_id for r in requests}
    pick = PickList(
        tenant_id=tenant_id,
        id=uuid.uuid4(),
        number=await take_number(session, "pick_list"),
        warehouse_id=walk.warehouse,
        kind="batch" if batch else "order",
        status="open",
        created_by=actor.label[:320],
    )
    session.add(pick)
    await session.flush()
    for position, stop in enumerate(walk.stops):
        shelf = found[variants[stop.line_id]]
        session.add(
            PickListLine(
                tenant_id=tenant_id,
                pick_list_id=pick.id,
                position=position,
                order_id=stop.order_id,
                order_line_id=stop.line_id,
                variant_id=variants[stop.line_id],
                sku=stop.sku,
                location_id=shelf.place_ids[stop.location],
                location_code=stop.location,
                lot_id=shelf.lot_ids.get(stop.lot) if stop.lot else None,
                lot_code=stop.lot,
                expiry=stop.expiry,
                qty=stop.qty,
                picked_qty=ZERO,
                shipped_qty=ZERO,
            )
        )
    return pick


async def _open_list(session: AsyncSession, pick_list_id: uuid.UUID) -> PickList:
    pick = await session.scalar(
        select(PickList).where(PickList.id == pick_list_id).with_for_update().execution_options(populate_existing=True)
    )
    if pick is None:
        raise NotFound()
    if pick.status != "open":
        raise ValidationFailed({"status": _("Pick list %(number)s is closed.", number=pick.number)})
    return pick


async def _scanned(session: AsyncSession, scan: PickScan):
    """The location and the article the codes name (a GS1 code may bring the lot); errors name the field."""
    errors: dict[str, str] = {}
    location = product = None
    for field, raw in (("location", scan.location), ("product", scan.product)):
        if not raw.strip():
            errors[field] = _("Scan or type the code.")
            continue
        try:
            found = await inventory.queries.scan(session, raw, field)
        except ValidationFailed as exc:
            errors.update(exc.errors)
            continue
        if field == "location" and found.location_id is None:
            errors[field] = _("%(code)s is not a location.", code=raw.strip()[:60])
        elif field == "product" and found.variant_id is None:
            errors[field] = _("%(code)s is a location, not an article.", code=found.location_code)
        location, product = (found, product) if field == "location" else (location, found)
    if errors:
        raise ValidationFailed(errors)
    return location, product


async def record_pick(
    session: AsyncSession, tenant_id: uuid.UUID, pick_list_id: uuid.UUID, scan: PickScan, actor: Actor
) -> tuple[str, str, Decimal]:
    """Confirm goods taken: the location and article must be a stop of the list (and the lot the one proposed);
    never more than the stop asks for. Returns (SKU, location code, quantity confirmed)."""
    await _open_list(session, pick_list_id)
    location, product = await _scanned(session, scan)
    stops = list(
        await session.scalars(
            select(PickListLine)
            .where(
                PickListLine.pick_list_id == pick_list_id,
                PickListLine.location_id == location.location_id,
                PickListLine.variant_id == product.variant_id,
            )
            .order_by(PickListLine.position)
            .with_for_update()
        )
    )
    lot = (scan.lot.strip() or product.lot or "").upper()
    stops = _matching(stops, location.location_code, product.sku, lot)
    left = sum((s.qty - s.picked_qty for s in stops), ZERO)
    qty = left if scan.qty is None else scan.qty * product.pack
    if left <= 0:
        raise ValidationFailed(
            {"product": _("%(sku)s at %(place)s is picked already.", sku=product.sku, place=location.location_code)}
        )
    if qty <= 0 or qty > left:
        raise ValidationFailed({"qty": _("Take at most %(left)s of %(sku)s here.", left=_plain(left), sku=product.sku)})
    remaining = qty
    for stop in stops:
        take = min(remaining, stop.qty - stop.picked_qty)
        stop.picked_qty += take
        remaining -= take
    await session.flush()
    return product.sku, location.location_code, qty


def _matching(stops: list[PickListLine], place: str, sku: str, lot: str) -> list[PickListLine]:
    if not stops:
        raise ValidationFailed({"product": _("The list takes no %(sku)s from %(place)s.", sku=sku, place=place)})
    lotted = [s for s in stops if s.lot_code]
    if not lotted:
        return stops
    if not lot:
        raise ValidationFailed({"lot": _("Scan or type the lot: the list takes lot %(lot)s.", lot=lotted[0].lot_code)})
    chosen = [s for s in stops if (s.lot_code or "").upper() == lot]
    if not chosen:
        raise ValidationFailed(
            {"lot": _("Wrong lot %(lot)s: take lot %(wanted)s (it expires first).", lot=lot, wanted=lotted[0].lot_code)}
        )
    return chosen


async def finish_pick_list(
    session: AsyncSession, tenant_id: uuid.UUID, pick_list_id: uuid.UUID, actor: Actor
) -> PickList:
    """Close the walk: what was picked waits for packing; what was not goes back to be picked on another list."""
    pick = await _open_list(session, pick_list_id)
    picked = await session.scalar(
        select(PickListLine.id).where(PickListLine.pick_list_id == pick.id, PickListLine.picked_qty > 0).limit(1)
    )
    pick.status = "done" if picked is not None else "cancelled"
    pick.done_at = datetime.now(UTC)
    await session.flush()
    return pick


async def cancel_pick_list(
    session: AsyncSession, tenant_id: uuid.UUID, pick_list_id: uuid.UUID, actor: Actor
) -> PickList:
    """Drop a list nothing was picked from (its goods can go on another list)."""
    pick = await _open_list(session, pick_list_id)
    picked = await session.scalar(
        select(PickListLine.id).where(PickListLine.pick_list_id == pick.id, PickListLine.picked_qty > 0).limit(1)
    )
    if picked is not None:
        raise ValidationFailed({"status": _("Goods were picked on this list: finish it instead.")})
    pick.status = "cancelled"
    pick.done_at = datetime.now(UTC)
    await session.flush()
    return pick


async def _tally(session: AsyncSession, codes: Sequence[str]) -> dict[str, Decimal]:
    """Scanned codes ("CODE" or "CODE*3", one per scan) as quantities per SKU; unknown codes name the field."""
    if not codes:
        raise ValidationFailed({"scanned": _("Scan the articles you put in the parcel.")})
    if len(codes) > MAX_SCANS:
        raise ValidationFailed({"scanned": _("At most %(n)s scans at once.", n=MAX_SCANS)})
    counted: dict[str, Decimal] = {}
    for raw in codes:
        code, _sep, times = raw.strip().partition("*")
        count = read_qty(times) if times else Decimal(1)
        if count is None or count <= 0 or count > 100_000:
            raise ValidationFailed({"scanned": _("%(code)s: enter a count after *.", code=raw[:60])})
        found = await inventory.queries.scan(session, code, "scanned")
        if found.variant_id is None:
            raise ValidationFailed({"scanned": _("%(code)s is a location, not an article.", code=found.location_code)})
        counted[found.sku] = counted.get(found.sku, ZERO) + count * found.pack
    return counted


async def pack_order(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    order_id: uuid.UUID,
    codes: Sequence[str],
    parcel: Parcel,
    actor: Actor,
) -> Shipment:
    """Pack the order's picked goods: the scans must match what was picked, no more, no less; the parcel becomes
    a shipment (its number is the delivery note's) waiting for the carrier."""
    order = (await _lock_orders(session, [order_id]) or [None])[0]
    if order is None:
        raise NotFound()
    if order.status not in reads.FULFILLING:
        raise ValidationFailed({"status": _("Only a confirmed or partially shipped order can be packed.")})
    _parcel(parcel)
    stops = await reads.packable(session, order_id)
    if not stops:
        raise ValidationFailed({"scanned": _("Nothing picked for this order is waiting to be packed.")})
    scanned = await _tally(session, codes)
    picked: dict[uuid.UUID, PackingInput] = {}
    for stop in stops:
        before = picked.get(stop.order_line_id)
        total = (before.picked if before else ZERO) + stop.qty
        picked[stop.order_line_id] = PackingInput(stop.order_line_id, stop.sku, total, total)
    check = check_packing(list(picked.values()), scanned)
    if not check.ready:
        raise ValidationFailed({"scanned": _packing_problem(check)})
    return await _parcel_from(session, tenant_id, order, stops, parcel, actor)


def _packing_problem(check) -> str:
    parts = [_("%(sku)s: %(n)s more", sku=line.sku, n=_plain(line.to_pack)) for line in check.lines if line.to_pack > 0]
    parts += [
        _("%(sku)s: %(n)s too many", sku=line.sku, n=_plain(-line.to_pack)) for line in check.lines if line.to_pack < 0
    ]
    parts += [_("%(sku)s was not picked for this order", sku=sku) for sku, _qty in check.unexpected]
    return _("The parcel does not match what was picked: %(problems)s.", problems="; ".join(parts))


def _parcel(parcel: Parcel) -> None:
    errors = {}
    if not isinstance(parcel.packages, int) or not 1 <= parcel.packages <= 999:
        errors["packages"] = _("Enter 1 to 999 packages.")
    if parcel.weight_kg is not None and not (0 < parcel.weight_kg < 100_000):
        errors["weight_kg"] = _("Enter the weight in kg, above zero.")
    if errors:
        raise ValidationFailed(errors)


async def _parcel_from(session, tenant_id, order: SalesOrder, stops, parcel: Parcel, actor: Actor) -> Shipment:
    names = dict(
        (
            await session.execute(
                select(SalesOrderLine.id, SalesOrderLine.name).where(SalesOrderLine.order_id == order.id)
            )
        ).all()
    )
    shipment = Shipment(
        tenant_id=tenant_id,
        id=uuid.uuid4(),
        number=await take_number(session, "delivery"),
        order_id=order.id,
        warehouse_id=order.warehouse_id,
        status="packed",
        packages=parcel.packages,
        weight_kg=parcel.weight_kg,
        packed_by=actor.label[:320],
    )
    session.add(shipment)
    await session.flush()
    session.add_all(
        ShipmentLine(
            tenant_id=tenant_id,
            shipment_id=shipment.id,
            order_line_id=stop.order_line_id,
            pick_line_id=stop.pick_line_id,
            variant_id=stop.variant_id,
            sku=stop.sku,
            name=names.get(stop.order_line_id, "")[:300],
            location_id=stop.location_id,
            lot_id=stop.lot_id,
            lot_code=stop.lot_code,
            qty=stop.qty,
        )
        for stop in stops
    )
    await session.flush()
    return shipment


__all__ = [
    "Parcel",
    "PickScan",
    "cancel_pick_list",
    "create_pick_lists",
    "finish_pick_list",
    "pack_order",
    "record_pick",
]

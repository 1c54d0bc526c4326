"""The demo tenant's fulfilment: a few of the demo's confirmed orders picked (FEFO/FIFO pick lists confirmed by
their codes), packed and shipped with Mensajería Levante and a tracking number; one order shipped in part with the
rest backordered or to follow; one return received back into stock and one waiting for approval; and one
pick list left open for the warehouse to walk. Built through the sales services, once (when no shipment exists)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory, sales, shipping
from app.actor import Actor
from app.errors import ValidationFailed
from app.sales.fulfilment_models import SalesReturn, Shipment
from app.sales.models import SalesOrder, SalesOrderLine

SHIPPED_ORDERS = 3
WAREHOUSE = Actor(kind="system", id=None, label="Marta Gil (almacén)")


async def ensure_demo_fulfilment(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor) -> list[str]:
    """The demo's shipments and returns, written once; the console line describing them."""
    if not await session.scalar(select(func.count()).select_from(Shipment)):
        await _fulfil(session, tenant_id)
    return await fulfilment_summary(session)


async def _service(session: AsyncSession) -> uuid.UUID | None:
    labels = await shipping.service_labels(session, "es")
    found = labels.get(("MLEV", "24H")) or next(iter(labels.values()), None)
    return found.service_id if found else None


async def _confirmed(session: AsyncSession) -> list[SalesOrder]:
    stmt = select(SalesOrder).where(SalesOrder.status == "confirmed").order_by(SalesOrder.placed_at, SalesOrder.id)
    return list(await session.scalars(stmt))


async def _walk(session: AsyncSession, tenant_id: uuid.UUID, order: SalesOrder) -> bool:
    """Pick the order's reserved goods stop by stop and pack them; False when there was nothing to pick."""
    try:
        async with session.begin_nested():
            made = await sales.create_pick_lists(
                session, tenant_id, order.warehouse_id, WAREHOUSE, order_ids=[order.id], batch=False
            )
    except ValidationFailed:
        return False
    for pick in made:
        detail = await sales.fulfilment_queries.pick_list(session, pick.id)
        for stop in detail.stops:
            scan = sales.PickScan(stop.location_code, stop.sku, stop.lot_code or "")
            await sales.record_pick(session, tenant_id, pick.id, scan, WAREHOUSE)
        await sales.finish_pick_list(session, tenant_id, pick.id, WAREHOUSE)
    waiting = await sales.fulfilment_queries.packable(session, order.id)
    codes: dict[str, Decimal] = {}
    for stop in waiting:
        codes[stop.sku] = codes.get(stop.sku, Decimal(0)) + stop.qty
    scans = [f"{sku}*{inventory.values.plain(qty)}" for sku, qty in codes.items()]
    await sales.pack_order(session, tenant_id, order.id, scans, sales.Parcel(1, Decimal("8.5")), WAREHOUSE)
    return True


async def _ship(session: AsyncSession, tenant_id: uuid.UUID, order: SalesOrder, service, n: int) -> None:
    parcels = await sales.fulfilment_queries.shipments(session, order_id=order.id, status="packed")
    for parcel in parcels:
        number = f"MLV{20261200 + n:08d}"
        dispatch = sales.Dispatch(service, number)  # the link: the carrier's tracking page
        await sales.ship_packed(session, tenant_id, parcel.id, dispatch, WAREHOUSE)


async def _fulfil(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    service = await _service(session)
    shipped: list[SalesOrder] = []
    for order in await _confirmed(session):
        if len(shipped) == SHIPPED_ORDERS:
            break
        if await _walk(session, tenant_id, order):
            await _ship(session, tenant_id, order, service, len(shipped) + 1)
            shipped.append(order)
    await _partial(session, tenant_id, service, shipped)
    if shipped:
        await _returns(session, tenant_id, shipped)
    for order in await _confirmed(session):  # one walk left for the warehouse
        try:
            async with session.begin_nested():
                await sales.create_pick_lists(
                    session, tenant_id, order.warehouse_id, WAREHOUSE, order_ids=[order.id], batch=False
                )
            return
        except ValidationFailed:
            continue


async def _partial(session: AsyncSession, tenant_id: uuid.UUID, service, skip: list[SalesOrder]) -> None:
    """One order shipped in part: preferably one the shelves could not fill (its rest is a backorder), else the
    first unit of the largest line of another confirmed order (the rest follows)."""
    taken = {order.id for order in skip}
    rows = (
        await session.execute(
            select(SalesOrder, SalesOrderLine)
            .join(
                SalesOrderLine,
                (SalesOrderLine.tenant_id == SalesOrder.tenant_id) & (SalesOrderLine.order_id == SalesOrder.id),
            )
            .where(SalesOrder.status == "confirmed", SalesOrderLine.reserved_qty > 0)
            .order_by(
                (SalesOrderLine.qty > SalesOrderLine.reserved_qty + SalesOrderLine.shipped_qty).desc(),
                SalesOrderLine.reserved_qty.desc(),
                SalesOrder.placed_at,
            )
        )
    ).all()
    for order, line in rows:
        if order.id in taken:
            continue
        backordered = line.qty > line.reserved_qty + line.shipped_qty
        qty = line.reserved_qty if backordered else Decimal(1)
        if not backordered and line.qty < 2:
            continue
        number = "MLV20261299"
        dispatch = sales.Dispatch(service, number)  # the link: the carrier's tracking page
        direct = sales.DirectShipment({line.id: qty}, dispatch)
        try:
            async with session.begin_nested():
                await sales.ship_order(session, tenant_id, order.id, direct, WAREHOUSE)
        except ValidationFailed:
            continue
        return


async def _returns(session: AsyncSession, tenant_id: uuid.UUID, shipped: list[SalesOrder]) -> None:
    """One return received back into stock (the first shipped order), one waiting for approval (the last)."""
    for index, order in enumerate((shipped[0], shipped[-1])):
        line = await session.scalar(
            select(SalesOrderLine)
            .where(SalesOrderLine.order_id == order.id, SalesOrderLine.shipped_qty > 0)
            .order_by(SalesOrderLine.position)
        )
        if line is None:
            continue
        buyer = Actor(kind="customer", id=order.placed_by, label="demo buyer")
        request = sales.ReturnRequest(
            order.id,
            order.customer_id,
            order.placed_by,
            {line.id: Decimal(1)},
            {line.id: "Llegó con un golpe en la caja"},
        )
        try:
            async with session.begin_nested():
                rma = await sales.request_return(session, tenant_id, request, buyer)
        except ValidationFailed:
            continue
        if index == 0:
            await sales.approve_return(session, tenant_id, rma.id, WAREHOUSE, "Recogemos la mercancía")
            detail = await sales.fulfilment_queries.return_detail(session, rma.id)
            goods = [sales.ReturnedGoods(ret.id, ret.qty, "restock") for ret in detail.lines]
            await sales.receive_goods(session, tenant_id, rma.id, goods, WAREHOUSE)


async def fulfilment_summary(session: AsyncSession) -> list[str]:
    """Console line: shipments and returns."""
    shipments = await session.scalar(select(func.count()).select_from(Shipment).where(Shipment.status == "shipped"))
    returns = await session.scalar(select(func.count()).select_from(SalesReturn))
    if not shipments:
        return []
    return [f"  Fulfilment:        {shipments} shipments with tracking, {returns} returns"]

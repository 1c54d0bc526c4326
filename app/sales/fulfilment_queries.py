"""Reading fulfilment: what is ready to pick, an order's fulfilment figures, pick lists, shipments and returns.

What a line "holds" on pick lists is the one figure picking, packing and direct shipping share: on an open list
the quantity to pick, on a finished one what was picked, in both less what has shipped from it. It is what the
reservation already promised to a picker, so neither a second list nor a direct shipment can take it again.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.parties import Address, Customer
from app.sales import repo, return_queries
from app.sales.delivery_note_pdf import DeliveryNote, DeliveryNoteLine
from app.sales.fulfilment_models import (
    PickList,
    PickListLine,
    Shipment,
    ShipmentLine,
)
from app.sales.models import SalesOrder, SalesOrderLine

ZERO = Decimal(0)
# Returns are read through this module too: the faces' one door to fulfilment reads.
ReturnSummary, ReturnDetail = return_queries.ReturnSummary, return_queries.ReturnDetail
ReturnLineView, ReturnableLine = return_queries.ReturnLineView, return_queries.ReturnableLine
returns, return_detail = return_queries.returns, return_queries.return_detail
returnable_lines, returnable_orders = return_queries.returnable_lines, return_queries.returnable_orders
FULFILLING = ("confirmed", "partially_shipped")  # orders a warehouse picks, packs and ships
MAX_PER_PAGE = 100
HELD = func.coalesce(
    func.sum(
        case((PickList.status == "open", PickListLine.qty), else_=PickListLine.picked_qty) - PickListLine.shipped_qty
    ),
    ZERO,
)


def _live_lines() -> Select:
    return select(PickListLine).join(
        PickList, (PickList.tenant_id == PickListLine.tenant_id) & (PickList.id == PickListLine.pick_list_id)
    )


async def held_by_lines(session: AsyncSession, line_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Decimal]:
    """Per order line, what pick lists hold of its reservation (see the module docstring)."""
    stmt = (
        _live_lines()
        .with_only_columns(PickListLine.order_line_id, HELD)
        .where(PickList.status != "cancelled", PickListLine.order_line_id.in_(list(line_ids)))
        .group_by(PickListLine.order_line_id)
    )
    return {line: qty for line, qty in (await session.execute(stmt)).all()}


async def held_at_places(
    session: AsyncSession, warehouse_id: uuid.UUID, variant_ids: Sequence[uuid.UUID]
) -> dict[tuple[uuid.UUID, str, str | None], Decimal]:
    """Per (variant, location code, lot code) of a warehouse, what pick lists will take from the shelf."""
    stmt = (
        _live_lines()
        .with_only_columns(PickListLine.variant_id, PickListLine.location_code, PickListLine.lot_code, HELD)
        .where(
            PickList.status != "cancelled",
            PickList.warehouse_id == warehouse_id,
            PickListLine.variant_id.in_(list(variant_ids)),
        )
        .group_by(PickListLine.variant_id, PickListLine.location_code, PickListLine.lot_code)
    )
    return {(v, loc, lot): qty for v, loc, lot, qty in (await session.execute(stmt)).all()}


class PackableStop(NamedTuple):
    """Picked goods of an order not yet shipped nor packed: a pick line and how much of it."""

    pick_line_id: uuid.UUID
    order_line_id: uuid.UUID
    variant_id: uuid.UUID
    sku: str
    location_id: uuid.UUID
    lot_id: uuid.UUID | None
    lot_code: str | None
    qty: Decimal


async def packable(session: AsyncSession, order_id: uuid.UUID) -> list[PackableStop]:
    """The order's picked goods waiting at the packing bench (not shipped, not in a packed parcel)."""
    in_parcels = (
        select(ShipmentLine.pick_line_id, func.sum(ShipmentLine.qty).label("qty"))
        .join(Shipment, (Shipment.tenant_id == ShipmentLine.tenant_id) & (Shipment.id == ShipmentLine.shipment_id))
        .where(Shipment.status == "packed", Shipment.order_id == order_id, ShipmentLine.pick_line_id.is_not(None))
        .group_by(ShipmentLine.pick_line_id)
        .subquery()
    )
    left = PickListLine.picked_qty - PickListLine.shipped_qty - func.coalesce(in_parcels.c.qty, ZERO)
    stmt = (
        _live_lines()
        .with_only_columns(
            PickListLine.id,
            PickListLine.order_line_id,
            PickListLine.variant_id,
            PickListLine.sku,
            PickListLine.location_id,
            PickListLine.lot_id,
            PickListLine.lot_code,
            left,
        )
        .outerjoin(in_parcels, in_parcels.c.pick_line_id == PickListLine.id)
        .where(PickList.status != "cancelled", PickListLine.order_id == order_id, left > 0)
        .order_by(PickListLine.sku, PickListLine.location_code, PickListLine.id)
    )
    return [PackableStop(*row) for row in (await session.execute(stmt)).all()]


class ReadyOrder(NamedTuple):
    """An order the warehouse can pick now: reserved goods no pick list holds yet."""

    id: uuid.UUID
    number: str
    customer_name: str
    status: str
    placed_at: datetime
    warehouse_id: uuid.UUID
    to_pick: Decimal


async def ready_to_pick(session: AsyncSession, warehouse_id: uuid.UUID | None = None) -> list[ReadyOrder]:
    """Orders being fulfilled with reserved goods not on any pick list, oldest first."""
    held = (
        _live_lines()
        .with_only_columns(PickListLine.order_line_id.label("line_id"), HELD.label("qty"))
        .where(PickList.status != "cancelled")
        .group_by(PickListLine.order_line_id)
        .subquery()
    )
    open_qty = func.sum(SalesOrderLine.reserved_qty - func.coalesce(held.c.qty, ZERO))
    stmt = (
        select(
            SalesOrder.id,
            SalesOrder.number,
            Customer.name,
            SalesOrder.status,
            SalesOrder.placed_at,
            SalesOrder.warehouse_id,
            open_qty,
        )
        .join(Customer, (Customer.tenant_id == SalesOrder.tenant_id) & (Customer.id == SalesOrder.customer_id))
        .join(
            SalesOrderLine,
            (SalesOrderLine.tenant_id == SalesOrder.tenant_id) & (SalesOrderLine.order_id == SalesOrder.id),
        )
        .outerjoin(held, held.c.line_id == SalesOrderLine.id)
        .where(SalesOrder.status.in_(FULFILLING))
        .group_by(SalesOrder.tenant_id, SalesOrder.id, Customer.name)
        .having(open_qty > 0)
        .order_by(SalesOrder.placed_at, SalesOrder.id)
        .limit(200)
    )
    if warehouse_id is not None:
        stmt = stmt.where(SalesOrder.warehouse_id == warehouse_id)
    return [ReadyOrder(*row) for row in (await session.execute(stmt)).all()]


class LineProgress(NamedTuple):
    """An order line as the warehouse sees it: ordered, reserved, shipped, on pick lists, backordered."""

    id: uuid.UUID
    sku: str
    name: str
    qty: Decimal
    reserved: Decimal
    shipped: Decimal
    on_pick_lists: Decimal

    @property
    def backorder(self) -> Decimal:
        return max(self.qty - self.reserved - self.shipped, ZERO)

    @property
    def free(self) -> Decimal:
        """Reserved and on no pick list: what a new pick list or a direct shipment may take."""
        return max(self.reserved - self.on_pick_lists, ZERO)


class ShipmentSummary(NamedTuple):
    id: uuid.UUID
    number: str
    order_id: uuid.UUID
    order_number: str
    customer_name: str
    status: str
    carrier_name: str
    service_name: str
    tracking_number: str
    tracking_url: str
    packages: int
    weight_kg: Decimal | None
    shipped_at: datetime | None
    created_at: datetime


class PickListSummary(NamedTuple):
    id: uuid.UUID
    number: str
    warehouse_id: uuid.UUID
    kind: str
    status: str
    created_at: datetime
    stops: int
    qty: Decimal
    picked: Decimal


class OrderFulfilment(NamedTuple):
    """An order's fulfilment page: its lines' progress, its pick lists and shipments, what waits to be packed."""

    order_id: uuid.UUID
    number: str
    customer_name: str
    status: str
    warehouse_id: uuid.UUID
    lines: tuple[LineProgress, ...]
    pick_lists: tuple[PickListSummary, ...]
    shipments: tuple[ShipmentSummary, ...]
    to_pack: tuple[PackableStop, ...]


def _shipments() -> Select:
    return (
        select(
            Shipment.id,
            Shipment.number,
            Shipment.order_id,
            SalesOrder.number,
            Customer.name,
            Shipment.status,
            Shipment.carrier_name,
            Shipment.service_name,
            Shipment.tracking_number,
            Shipment.tracking_url,
            Shipment.packages,
            Shipment.weight_kg,
            Shipment.shipped_at,
            Shipment.created_at,
        )
        .join(SalesOrder, (SalesOrder.tenant_id == Shipment.tenant_id) & (SalesOrder.id == Shipment.order_id))
        .join(Customer, (Customer.tenant_id == SalesOrder.tenant_id) & (Customer.id == SalesOrder.customer_id))
    )


def _pick_lists() -> Select:
    return (
        select(
            PickList.id,
            PickList.number,
            PickList.warehouse_id,
            PickList.kind,
            PickList.status,
            PickList.created_at,
            func.count(PickListLine.id),
            func.coalesce(func.sum(PickListLine.qty), ZERO),
            func.coalesce(func.sum(PickListLine.picked_qty), ZERO),
        )
        .outerjoin(
            PickListLine,
            (PickListLine.tenant_id == PickList.tenant_id) & (PickListLine.pick_list_id == PickList.id),
        )
        .group_by(PickList.tenant_id, PickList.id)
    )


async def order_fulfilment(session: AsyncSession, order_id: uuid.UUID) -> OrderFulfilment:
    """The order's fulfilment figures; NotFound for an unknown (or another tenant's) order."""
    row = (
        await session.execute(
            select(SalesOrder, Customer.name)
            .join(Customer, (Customer.tenant_id == SalesOrder.tenant_id) & (Customer.id == SalesOrder.customer_id))
            .where(SalesOrder.id == order_id)
        )
    ).first()
    if row is None:
        raise NotFound()
    order, customer_name = row
    lines = (
        await session.scalars(
            select(SalesOrderLine).where(SalesOrderLine.order_id == order_id).order_by(SalesOrderLine.position)
        )
    ).all()
    held = await held_by_lines(session, [line.id for line in lines])
    progress = tuple(
        LineProgress(
            line.id, line.sku, line.name, line.qty, line.reserved_qty, line.shipped_qty, held.get(line.id, ZERO)
        )
        for line in lines
    )
    lists_of_order = select(PickListLine.pick_list_id).where(PickListLine.order_id == order_id)
    lists = await session.execute(_pick_lists().where(PickList.id.in_(lists_of_order)).order_by(PickList.created_at))
    shipments = await session.execute(
        _shipments().where(Shipment.order_id == order_id).order_by(Shipment.created_at, Shipment.id)
    )
    return OrderFulfilment(
        order.id,
        order.number or "",
        customer_name,
        order.status,
        order.warehouse_id,
        progress,
        tuple(PickListSummary(*r) for r in lists.all()),
        tuple(ShipmentSummary(*r) for r in shipments.all()),
        tuple(await packable(session, order_id)),
    )


async def pick_lists(session: AsyncSession, *, status: str = "", page: int = 1, per_page: int = 50) -> list:
    """Pick lists, open ones first, newest first."""
    stmt = _pick_lists().order_by((PickList.status == "open").desc(), PickList.created_at.desc(), PickList.id)
    if status:
        stmt = stmt.where(PickList.status == status)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    rows = await session.execute(stmt.offset((max(page, 1) - 1) * per_page).limit(per_page))
    return [PickListSummary(*r) for r in rows.all()]


class PickStop(NamedTuple):
    id: uuid.UUID
    order_id: uuid.UUID
    order_number: str
    sku: str
    location_code: str
    lot_code: str | None
    expiry: date | None
    qty: Decimal
    picked: Decimal

    @property
    def left(self) -> Decimal:
        return self.qty - self.picked


class PickListDetail(NamedTuple):
    summary: PickListSummary
    stops: tuple[PickStop, ...]


async def pick_list(session: AsyncSession, pick_list_id: uuid.UUID) -> PickListDetail:
    """A pick list with its stops in walking order; NotFound for an unknown (or another tenant's) one."""
    row = (await session.execute(_pick_lists().where(PickList.id == pick_list_id))).first()
    if row is None:
        raise NotFound()
    stops = await session.execute(
        select(
            PickListLine.id,
            PickListLine.order_id,
            SalesOrder.number,
            PickListLine.sku,
            PickListLine.location_code,
            PickListLine.lot_code,
            PickListLine.expiry,
            PickListLine.qty,
            PickListLine.picked_qty,
        )
        .join(SalesOrder, (SalesOrder.tenant_id == PickListLine.tenant_id) & (SalesOrder.id == PickListLine.order_id))
        .where(PickListLine.pick_list_id == pick_list_id)
        .order_by(PickListLine.position)
    )
    return PickListDetail(PickListSummary(*row), tuple(PickStop(*r) for r in stops.all()))


async def shipments(
    session: AsyncSession,
    *,
    status: str = "",
    order_id: uuid.UUID | None = None,
    customer_id: uuid.UUID | None = None,
    page: int = 1,
    per_page: int = 50,
) -> list[ShipmentSummary]:
    """Shipments newest first, by status, order or customer company."""
    stmt = _shipments().order_by(Shipment.created_at.desc(), Shipment.id.desc())
    if status:
        stmt = stmt.where(Shipment.status == status)
    if order_id is not None:
        stmt = stmt.where(Shipment.order_id == order_id)
    if customer_id is not None:
        stmt = stmt.where(SalesOrder.customer_id == customer_id)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    rows = await session.execute(stmt.offset((max(page, 1) - 1) * per_page).limit(per_page))
    return [ShipmentSummary(*r) for r in rows.all()]


class ShippedGoods(NamedTuple):
    sku: str
    name: str
    qty: Decimal
    lot_code: str | None
    order_line_id: uuid.UUID


class ShipmentDetail(NamedTuple):
    summary: ShipmentSummary
    customer_id: uuid.UUID
    lines: tuple[ShippedGoods, ...]


async def shipment(
    session: AsyncSession, shipment_id: uuid.UUID, *, customer_id: uuid.UUID | None = None
) -> ShipmentDetail:
    """A shipment with its goods; NotFound for another tenant's or (given customer_id) another company's."""
    row = (
        await session.execute(_shipments().add_columns(SalesOrder.customer_id).where(Shipment.id == shipment_id))
    ).first()
    if row is None or (customer_id is not None and row[-1] != customer_id):
        raise NotFound()
    goods = await session.execute(
        select(ShipmentLine.sku, ShipmentLine.name, ShipmentLine.qty, ShipmentLine.lot_code, ShipmentLine.order_line_id)
        .where(ShipmentLine.shipment_id == shipment_id)
        .order_by(ShipmentLine.sku, ShipmentLine.id)
    )
    return ShipmentDetail(ShipmentSummary(*row[:-1]), row[-1], tuple(ShippedGoods(*g) for g in goods.all()))


async def delivery_note(
    session: AsyncSession, tenant_id: uuid.UUID, shipment_id: uuid.UUID, *, customer_id: uuid.UUID | None = None
) -> DeliveryNote:
    """What the shipment's delivery note prints (NotFound for another tenant's or another company's); what is
    still to follow is counted as it stood when this shipment left."""
    detail = await shipment(session, shipment_id, customer_id=customer_id)
    order = await session.get(SalesOrder, (tenant_id, detail.summary.order_id))
    tenant = await repo.tenant(session, tenant_id)
    customer = await repo.customer(session, tenant_id, order.customer_id)
    address = await session.get(Address, (tenant_id, order.ship_address_id)) if order.ship_address_id else None
    record = await session.get(Shipment, (tenant_id, shipment_id))
    earlier = (
        select(ShipmentLine.order_line_id, func.sum(ShipmentLine.qty))
        .join(Shipment, (Shipment.tenant_id == ShipmentLine.tenant_id) & (Shipment.id == ShipmentLine.shipment_id))
        .where(Shipment.order_id == order.id, Shipment.status == "shipped", Shipment.created_at <= record.created_at)
        .group_by(ShipmentLine.order_line_id)
    )
    shipped_by_then = dict((await session.execute(earlier)).all())
    ordered = dict(
        (
            await session.execute(
                select(SalesOrderLine.id, SalesOrderLine.qty).where(SalesOrderLine.order_id == order.id)
            )
        ).all()
    )
    grouped: dict[uuid.UUID, list[ShippedGoods]] = {}
    for good in detail.lines:
        grouped.setdefault(good.order_line_id, []).append(good)
    lines = tuple(
        DeliveryNoteLine(
            goods[0].sku,
            goods[0].name,
            ", ".join(sorted({g.lot_code for g in goods if g.lot_code})),
            ordered[line_id],
            sum((g.qty for g in goods), ZERO),
            max(ordered[line_id] - shipped_by_then.get(line_id, ZERO), ZERO) if record.status == "shipped" else ZERO,
        )
        for line_id, goods in grouped.items()
    )
    deliver_to = (
        (
            address.recipient,
            address.line1,
            *([address.line2] if address.line2 else []),
            f"{address.postcode} {address.city}",
            address.country,
        )
        if address is not None
        else (customer["name"],)
    )
    return DeliveryNote(
        company=tenant["name"],
        company_lines=tuple(x for x in (tenant["country"],) if x),
        number=detail.summary.number,
        order_number=order.number or "",
        po_number=order.po_number,
        shipped_on=detail.summary.shipped_at.date() if detail.summary.shipped_at else None,
        customer=tuple(x for x in (customer["name"], customer["tax_id"], customer["email"]) if x),
        deliver_to=deliver_to,
        carrier=" · ".join(x for x in (detail.summary.carrier_name, detail.summary.service_name) if x),
        tracking_number=detail.summary.tracking_number,
        packages=detail.summary.packages,
        weight_kg=detail.summary.weight_kg,
        lines=lines,
    )


async def order_variants(session: AsyncSession, order_id: uuid.UUID) -> list[uuid.UUID]:
    """The variants an order asks for."""
    rows = await session.scalars(select(SalesOrderLine.variant_id).where(SalesOrderLine.order_id == order_id))
    return sorted(set(rows))

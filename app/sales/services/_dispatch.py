"""Goods out: a packed parcel handed to the carrier, or an order shipped straight from the shelves without a pick
list. Either way the stock moves post through inventory.ship (consuming the order lines' reservations), the lines'
shipped quantities grow, the order becomes partially shipped or shipped (timeline and status event), and the
buyer gets the shipment e-mail with the tracking number, all in the caller's transaction. Shipping more than a
line has reserved (or than was ordered) is refused before anything is written."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory, shipping
from app.actor import Actor
from app.catalog.domain import translated
from app.errors import NotFound, ValidationFailed
from app.i18n import current_locale
from app.i18n import gettext as _
from app.inventory.values import plain
from app.numbering.services import take_number
from app.outbox.services import emit, queue_mail
from app.sales import fulfilment_queries as reads
from app.sales import repo
from app.sales._errors import SalesRuleError
from app.sales._fulfilment import FulfilmentLine, ShipmentRecord, record_shipment
from app.sales._lifecycle import OrderState, OrderStatus
from app.sales.fulfilment_models import PickListLine, Shipment, ShipmentLine
from app.sales.models import SalesOrder, SalesOrderLine
from app.sales.services._timeline import record_event
from app.sales.services.fulfilment import Parcel, _lock_orders, _parcel
from app.sales.values import DOCUMENT_KIND, ORDER_STATUS_TOPIC

SHIPMENT_SHIPPED_TOPIC = "sales.shipment_shipped"
DELIVERY_KIND = "delivery"  # the stock document kind of a shipment's moves
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Dispatch:
    """Handing goods to the carrier: the carrier's service (None: collected or own van), the tracking number
    and the link to follow the parcel (blank: made from the carrier's tracking page and the number, if it has
    one)."""

    service_id: uuid.UUID | None = None
    tracking_number: str = ""
    tracking_url: str = ""


@dataclass(frozen=True, slots=True)
class DirectShipment:
    """Shipping straight from the shelves: order line id -> quantity, with the parcel and the carrier."""

    lines: Mapping[uuid.UUID, Decimal]
    dispatch: Dispatch = field(default_factory=Dispatch)
    parcel: Parcel = field(default_factory=Parcel)


def _state(order: SalesOrder) -> OrderState:
    return OrderState(OrderStatus(order.status), OrderStatus(order.held_from) if order.held_from else None)


async def _order_lines(session: AsyncSession, order_id: uuid.UUID) -> list[SalesOrderLine]:
    stmt = select(SalesOrderLine).where(SalesOrderLine.order_id == order_id).order_by(SalesOrderLine.variant_id)
    return list(await session.scalars(stmt.with_for_update()))


def _figures(lines: list[SalesOrderLine], held: Mapping[uuid.UUID, Decimal] | None = None) -> list[FulfilmentLine]:
    """The lines as the shipment rule reads them; `held`: what pick lists hold (a direct shipment may not take it)."""
    return [
        FulfilmentLine(line.id, line.qty, line.shipped_qty, line.reserved_qty - (held or {}).get(line.id, ZERO))
        for line in lines
    ]


def _refusal(exc: SalesRuleError, skus: Mapping[uuid.UUID, str], field_name: str | None = None) -> ValidationFailed:
    params = {
        k: skus.get(v, v) if k == "line" else plain(v) if isinstance(v, Decimal) else v for k, v in exc.params.items()
    }
    return ValidationFailed({field_name or exc.field: _(exc.message, **params)})


def _recorded(order: SalesOrder, figures: list[FulfilmentLine], shipping_qty, skus) -> ShipmentRecord:
    """The shipment rule's answer; each refused line under qty_<line id> (all of them), else the order's move."""
    errors: dict[str, str] = {}
    for line_id, qty in shipping_qty.items():
        try:
            record_shipment(_state(order), figures, {line_id: qty})
        except SalesRuleError as exc:
            if exc.field in ("qty", "lines"):
                errors.update(_refusal(exc, skus, f"qty_{line_id}").errors)
            else:
                raise _refusal(exc, skus) from None
    if errors:
        raise ValidationFailed(errors)
    try:
        return record_shipment(_state(order), figures, shipping_qty)
    except SalesRuleError as exc:
        raise _refusal(exc, skus) from None


async def _dispatch_fields(session: AsyncSession, dispatch: Dispatch) -> tuple[str, str, uuid.UUID | None, str]:
    """(carrier name, service name, carrier id, tracking link) of the chosen service, the tracking fields checked:
    the link typed, else the carrier's tracking page for the number."""
    errors = {}
    number, url = dispatch.tracking_number.strip(), dispatch.tracking_url.strip()
    if len(number) > 60 or any(ord(c) < 32 for c in number):
        errors["tracking_number"] = _("Enter the tracking number (at most 60 characters).")
    if url and (len(url) > 500 or not url.startswith(("https://", "http://")) or any(c.isspace() for c in url)):
        errors["tracking_url"] = _("Enter a web address starting with https://.")
    if dispatch.service_id is not None and not number:
        errors["tracking_number"] = _("Enter the carrier's tracking number.")
    if errors:
        raise ValidationFailed(errors)
    if dispatch.service_id is None:
        return "", "", None, url
    try:
        service = await shipping.queries.service(session, dispatch.service_id)
        carrier = await shipping.queries.carrier(session, service.carrier_id)
    except NotFound:
        raise ValidationFailed({"service_id": _("Choose one of the carriers' services.")}) from None
    url = url or shipping.tracking_url(carrier.tracking_url_template, number)
    return carrier.name, translated(service.name, current_locale.get()) or service.code, carrier.id, url


async def ship_packed(
    session: AsyncSession, tenant_id: uuid.UUID, shipment_id: uuid.UUID, dispatch: Dispatch, actor: Actor
) -> Shipment:
    """Hand a packed parcel to the carrier (see the module docstring)."""
    parcel = await session.scalar(
        select(Shipment).where(Shipment.id == shipment_id).execution_options(populate_existing=True)
    )
    if parcel is None:
        raise NotFound()
    order = (await _lock_orders(session, [parcel.order_id]))[0]
    parcel = await session.scalar(
        select(Shipment).where(Shipment.id == shipment_id).with_for_update().execution_options(populate_existing=True)
    )
    if parcel.status != "packed":
        raise ValidationFailed({"status": _("Shipment %(number)s has left already.", number=parcel.number)})
    goods = list(await session.scalars(select(ShipmentLine).where(ShipmentLine.shipment_id == parcel.id)))
    lines = await _order_lines(session, order.id)
    wanted: dict[uuid.UUID, Decimal] = {}
    for good in goods:
        wanted[good.order_line_id] = wanted.get(good.order_line_id, ZERO) + good.qty
    record = _recorded(order, _figures(lines), wanted, {line.id: line.sku for line in lines})
    names = await _dispatch_fields(session, dispatch)
    await _post(session, tenant_id, order, parcel, goods, lines, record, dispatch, names, actor)
    return parcel


async def ship_order(
    session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, direct: DirectShipment, actor: Actor
) -> Shipment:
    """Ship quantities of the order's lines straight from the shelves (FEFO/FIFO locations, as picking would):
    never more than a line has reserved and no pick list holds; nothing is written when a line is refused."""
    orders = await _lock_orders(session, [order_id])
    if not orders:
        raise NotFound()
    order = orders[0]
    lines = await _order_lines(session, order.id)
    skus = {line.id: line.sku for line in lines}
    wanted = {line_id: qty for line_id, qty in direct.lines.items() if qty != 0}
    bad = [line_id for line_id, qty in wanted.items() if not isinstance(qty, Decimal) or not qty.is_finite()]
    if bad:
        raise ValidationFailed({f"qty_{line_id}": _("Enter a number.") for line_id in bad})
    held = await reads.held_by_lines(session, list(skus))
    record = _recorded(order, _figures(lines, held), wanted, skus)
    _parcel(direct.parcel)
    names = await _dispatch_fields(session, direct.dispatch)
    parcel, goods = await _from_shelves(session, tenant_id, order, lines, wanted, direct.parcel, actor)
    await _post(session, tenant_id, order, parcel, goods, lines, record, direct.dispatch, names, actor)
    return parcel


async def _from_shelves(session, tenant_id, order, lines, wanted, parcel: Parcel, actor: Actor):
    """A shipment of the wanted quantities with locations and lots from inventory.plan_picks."""
    by_id = {line.id: line for line in lines}
    strategy = (await inventory.queries.inventory_settings(session, tenant_id)).pick_strategy
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
    shelves = await inventory.queries.picking_stock(session, order.warehouse_id, [line.variant_id for line in lines])
    lot_codes = {lot_id: code for shelf in shelves.values() for code, lot_id in shelf.lot_ids.items()}
    goods = []
    for line_id, qty in wanted.items():
        line = by_id[line_id]
        plan = (await inventory.plan_picks(session, order.warehouse_id, [(line.variant_id, qty)], strategy=strategy))[
            line.variant_id
        ]
        if plan.shortfall > 0:
            raise ValidationFailed(
                {f"qty_{line_id}": _("%(sku)s: the shelves lack %(n)s.", sku=line.sku, n=plain(plan.shortfall))}
            )
        for pick in plan.picks:
            goods.append(
                ShipmentLine(
                    tenant_id=tenant_id,
                    shipment_id=shipment.id,
                    order_line_id=line.id,
                    variant_id=line.variant_id,
                    sku=line.sku,
                    name=line.name[:300],
                    location_id=pick.location_id,
                    lot_id=pick.lot_id,
                    lot_code=lot_codes.get(pick.lot_id),
                    qty=pick.qty,
                )
            )
    session.add_all(goods)
    await session.flush()
    return shipment, goods


async def _post(session, tenant_id, order, parcel, goods, lines, record, dispatch: Dispatch, names, actor) -> None:
    """Post the moves, update the lines, pick stops and order, and announce the shipment."""
    document = inventory.StockDocument(DELIVERY_KIND, parcel.id, parcel.number)
    issues = [
        inventory.IssueLine(
            g.variant_id,
            g.location_id,
            g.qty,
            g.lot_id,
            g.order_line_id,
            inventory.ReservationKey(DOCUMENT_KIND, g.order_line_id),
        )
        for g in goods
    ]
    await inventory.ship(session, tenant_id, document, issues, actor)
    shipped = {item.line_id: item.qty for item in record.lines}
    for line in lines:
        if line.id in shipped:
            line.shipped_qty += shipped[line.id]
            line.reserved_qty -= shipped[line.id]
    for good in goods:
        if good.pick_line_id is not None:
            stop = await session.get(PickListLine, (tenant_id, good.pick_line_id))
            stop.shipped_qty += good.qty
    carrier_name, service_name, carrier_id, tracking_url = names
    parcel.status, parcel.shipped_at, parcel.shipped_by = "shipped", datetime.now(UTC), actor.label[:320]
    parcel.carrier_id, parcel.service_id = carrier_id, dispatch.service_id
    parcel.carrier_name, parcel.service_name = carrier_name[:200], service_name[:200]
    parcel.tracking_number, parcel.tracking_url = dispatch.tracking_number.strip(), tracking_url
    before = order.status
    order.status = record.status.value
    note = " · ".join(x for x in (parcel.number, carrier_name, parcel.tracking_number) if x)
    await record_event(session, tenant_id, order.id, before, order.status, actor, note)
    await emit(
        session,
        tenant_id,
        ORDER_STATUS_TOPIC,
        {"order_id": str(order.id), "number": order.number, "from": before, "to": order.status},
    )
    await session.flush()
    await _announce(session, tenant_id, order, parcel, record, {line.id: line.sku for line in lines})


async def _announce(session, tenant_id, order: SalesOrder, parcel: Shipment, record: ShipmentRecord, skus) -> None:
    """The shipment event and the buyer's e-mail with the tracking number (both sent after commit)."""
    payload = {
        "shipment_id": str(parcel.id),
        "number": parcel.number,
        "order_id": str(order.id),
        "order_number": order.number,
        "carrier": parcel.carrier_name,
        "tracking_number": parcel.tracking_number,
        "complete": record.everything_shipped,
    }
    await emit(session, tenant_id, SHIPMENT_SHIPPED_TOPIC, payload)
    tenant = await repo.tenant(session, tenant_id)
    customer = await repo.customer(session, tenant_id, order.customer_id)
    buyer = await repo.user(session, tenant_id, order.placed_by) if order.placed_by else None
    to = buyer["email"] if buyer is not None and buyer["is_active"] else customer["email"]
    if not to:
        return
    context = {
        "number": order.number,
        "shipment": parcel.number,
        "tenant_name": tenant["name"],
        "name": buyer["name"] if buyer is not None else customer["name"],
        "carrier": parcel.carrier_name,
        "service": parcel.service_name,
        "tracking_number": parcel.tracking_number,
        "tracking_url": parcel.tracking_url,
        "packages": parcel.packages,
        "lines": [[skus[line.line_id], plain(line.qty), plain(line.outstanding)] for line in record.lines],
        "complete": record.everything_shipped,
    }
    locale = (buyer["locale"] if buyer is not None else None) or customer["locale"] or tenant["locale"]
    await queue_mail(session, tenant_id, to=str(to), template="mail/order_shipped", context=context, locale=locale)

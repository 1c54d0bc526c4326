"""Checkout's reads: the delivery methods the tenant's carriers offer for an order's lines and ship-to address
(priced on the server, cheapest first, the cheapest and the fastest marked, with the day each would deliver),
each line's available-to-promise date, and the totals with the chosen method's charge taxed in.

place_order quotes through the same functions (`order_delivery`), so the page and the order agree and a price
sent by a form is never used. A tenant without active carriers charges no shipping (as before carriers); a
tenant with carriers must be able to deliver: when no service serves the address and weight, the order is
refused on delivery_service_id with the reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from asyncpg import Record
from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory, shipping
from app.errors import ValidationFailed
from app.i18n import current_locale
from app.i18n import gettext as _
from app.money import to_minor_unit
from app.sales import repo
from app.sales._delivery import DeliveryMode, DeliveryPlan, PlanLine, WarehouseStock, plan_delivery
from app.sales._delivery_promise import delivered_on, promised_date
from app.sales._errors import SalesRuleError
from app.sales._totals import SHIPPING_LINE, OrderLineInput, OrderTotals, ShippingCharge, order_totals
from app.sales.services import _taxing
from app.sales.services._checks import TenantFacts, assortment, prices, variant_name
from app.sales.services.carts import open_cart_lines
from app.sales.values import OrderLineRequest

ZERO = Decimal(0)


class DeliveryOffer(NamedTuple):
    """A carrier service that can deliver: its price (without tax, like the price lists), transit working days,
    the marks, and the days the first parcel and the whole order would arrive (None: a line is on request)."""

    service_id: uuid.UUID
    carrier: str
    service: str
    price: Decimal
    currency: str
    transit_days: int
    cheapest: bool
    fastest: bool
    carrier_code: str
    service_code: str
    arrives_on: date | None = None
    complete_on: date | None = None

    @property
    def label(self) -> str:
        """The delivery as sold: carrier and service names."""
        return f"{self.carrier} · {self.service}"

    @property
    def charge(self) -> ShippingCharge:
        return ShippingCharge(self.carrier_code, self.service_code, self.price, self.transit_days)


class Quoted(NamedTuple):
    """The carriers' answer for one shipment: whether the tenant has carriers at all (False: no shipping
    charge), the offers cheapest first, and why none can deliver ('' when some can, or there are no carriers)."""

    carriers: bool
    offers: tuple[DeliveryOffer, ...]
    problem: str = ""


async def quoted_delivery(
    session: AsyncSession, lines: Sequence[tuple[uuid.UUID, Decimal]], country: str, postcode: str, currency: str
) -> Quoted:
    """Every active service of the tenant's carriers (in its currency) priced for one package of the lines."""
    carriers = await shipping.active_carriers(session, currency)
    if not carriers:
        return Quoted(False, ())
    if not lines:
        return Quoted(True, ())
    try:
        shipment = await shipping.shipment_for(session, lines, country, postcode)
        quotes = shipping.quote(shipment, carriers)
        if shipment.sides is not None and not any(q.available for q in quotes):
            # Items that make no single parcel (furniture stacked into one box) travel as separate pieces:
            # priced by their total weight, without the one box's sides.
            loose = shipment._replace(length_cm=None, width_cm=None, height_cm=None)
            quotes = shipping.quote(loose, carriers)
    except ValidationFailed as exc:
        return Quoted(True, (), _("We cannot quote the delivery: %(reason)s", reason=" ".join(exc.errors.values())))
    except shipping.ShippingRuleError:
        return Quoted(True, (), _("We cannot quote the delivery: check the weights of the items."))
    labels = await shipping.service_labels(session, current_locale.get())
    offers = tuple(
        DeliveryOffer(
            label.service_id,
            label.carrier,
            label.service,
            q.price,
            q.currency,
            q.transit_days or 0,
            q.cheapest,
            q.fastest,
            q.carrier,
            q.service,
        )
        for q in quotes
        if q.available and q.price is not None and (label := labels.get((q.carrier, q.service))) is not None
    )
    if not offers:
        problem = _("None of our carriers delivers this order to this address: contact us to arrange the delivery.")
        return Quoted(True, (), problem)
    return Quoted(True, offers)


def chosen_offer(quoted: Quoted, service_id: uuid.UUID | None) -> DeliveryOffer | None:
    """The offer of the service the buyer chose, or the cheapest when none was chosen; None without carriers.
    ValidationFailed on delivery_service_id when the service does not deliver this order here (or is not one
    of the tenant's: another tenant's id is never found)."""
    if not quoted.carriers:
        if service_id is not None:
            raise ValidationFailed({"delivery_service_id": _("This shop does not offer delivery methods.")})
        return None
    if not quoted.offers:
        raise ValidationFailed({"delivery_service_id": quoted.problem})
    if service_id is None:
        return next((offer for offer in quoted.offers if offer.cheapest), quoted.offers[0])
    found = next((offer for offer in quoted.offers if offer.service_id == service_id), None)
    if found is None:
        message = _("This delivery method does not deliver this order to this address: choose another one.")
        raise ValidationFailed({"delivery_service_id": message})
    return found


async def delivery_plan(
    session: AsyncSession,
    warehouse_id: uuid.UUID,
    lines: Sequence[tuple[uuid.UUID, Decimal]],
    mode: DeliveryMode | str = DeliveryMode.SHIP_AVAILABLE,
    *,
    today: date | None = None,
) -> DeliveryPlan:
    """When each line can leave the warehouse: today for what is on the shelf, else the day incoming supply
    (purchase orders, transfers) covers it (inventory's ATP), else None (on request); read before reserving."""
    today = today or date.today()
    wanted = [(variant_id, qty) for variant_id, qty in lines if qty > 0]
    figures = await inventory.atp(session, [v for v, _q in wanted], [warehouse_id], today=today)
    stock = {v: [WarehouseStock(warehouse_id, figures.available_now(v))] for v, _q in wanted}
    timelines = {v: figures.timeline(v) for v, _q in wanted}
    plan_lines = [PlanLine(v, v, q) for v, q in wanted]
    return plan_delivery(plan_lines, stock=stock, timelines=timelines, mode=mode, today=today)


def _dated(offer: DeliveryOffer, plan: DeliveryPlan) -> DeliveryOffer:
    return offer._replace(
        arrives_on=delivered_on(plan.first_ship_on, offer.transit_days),
        complete_on=delivered_on(plan.complete_on, offer.transit_days),
    )


class ChosenDelivery(NamedTuple):
    """What place_order stores: the offer (None: the tenant has no carriers) and the promised delivery date."""

    offer: DeliveryOffer | None
    promised_date: date | None


NO_CARRIER = ChosenDelivery(None, None)


async def order_delivery(
    session: AsyncSession,
    tenant: Record,
    lines: Sequence[tuple[uuid.UUID, Decimal]],
    ship_to: Record | None,
    warehouse_id: uuid.UUID,
    *,
    service_id: uuid.UUID | None,
    mode: str,
    requested: date | None,
) -> ChosenDelivery:
    """The order's delivery quoted again on the server: the chosen service (the cheapest when none is chosen)
    and the day the whole order is promised; refusals as `chosen_offer` says."""
    country, postcode = _destination(tenant, ship_to)
    quoted = await quoted_delivery(session, lines, country, postcode, tenant["currency"])
    offer = chosen_offer(quoted, service_id)
    if offer is None:
        return NO_CARRIER
    plan = await delivery_plan(session, warehouse_id, lines, mode)
    offer = _dated(offer, plan)
    return ChosenDelivery(offer, promised_date(offer.complete_on, requested))


def _destination(tenant: Record, ship_to: Record | None) -> tuple[str, str]:
    """Where the order goes: the ship-to address, else the tenant's own country (a company without addresses)."""
    if ship_to is None:
        return tenant["country"], ""
    return ship_to["country"], ship_to["postcode"] or ""


class LinePromise(NamedTuple):
    """A checkout line: what it costs (None: no price for this customer) and when it is available to promise:
    `now` the quantity on the shelf today, `available_on` the day all of it is (today, an incoming date, or
    None: on request)."""

    variant_id: uuid.UUID
    sku: str
    name: str
    qty: Decimal
    amount: Decimal | None
    now: Decimal
    available_on: date | None


@dataclass(frozen=True, slots=True)
class CheckoutTotals:
    """The order's figures with the chosen delivery: the lines' subtotal, the shipping charge and its tax, and
    net, tax and gross over both (as place_order will charge them)."""

    subtotal: Decimal
    shipping: Decimal
    shipping_tax: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass(frozen=True, slots=True)
class DeliveryOptions:
    """What checkout shows for an address: the offers (cheapest first), the one selected, why none can deliver,
    each line's promise, the days the first parcel leaves and the order is complete, and the totals (None when
    the tax rules cannot answer yet)."""

    currency: str
    ship_address_id: uuid.UUID | None
    carriers: bool
    offers: tuple[DeliveryOffer, ...]
    chosen: DeliveryOffer | None
    problem: str
    lines: tuple[LinePromise, ...]
    first_ship_on: date | None
    complete_on: date | None
    totals: CheckoutTotals | None
    today: date


async def delivery_options(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    customer_id: uuid.UUID,
    user_id: uuid.UUID,
    ship_address_id: uuid.UUID | None = None,
    *,
    service_id: uuid.UUID | None = None,
    delivery_mode: str = DeliveryMode.SHIP_AVAILABLE,
    lines: Sequence[OrderLineRequest] | None = None,
    warehouse_id: uuid.UUID | None = None,
) -> DeliveryOptions:
    """The delivery methods and line dates for `lines` (None: the user's cart) shipped to the address (None: the
    company's default); a chosen service that does not deliver there falls back to the cheapest. Another
    company's address is refused on ship_address_id."""
    tenant = await repo.tenant(session, tenant_id)
    ship_to = await repo.address(session, tenant_id, customer_id, ship_address_id)
    if ship_to is None and ship_address_id is not None:
        raise ValidationFailed({"ship_address_id": _("Choose one of your addresses.")})
    requested = lines if lines is not None else await open_cart_lines(session, tenant_id, user_id)
    priced = await _priced(session, tenant_id, tenant["currency"], customer_id, requested)
    warehouse = await repo.warehouse(session, tenant_id, warehouse_id)
    mode = delivery_mode if delivery_mode in tuple(DeliveryMode) else DeliveryMode.SHIP_AVAILABLE
    wanted = [(line.variant_id, line.qty) for line in priced]
    plan = await delivery_plan(session, warehouse, wanted, mode) if warehouse is not None and wanted else None
    payable = [(line.variant_id, line.qty) for line in priced if line.amount is not None]
    country, postcode = _destination(tenant, ship_to)
    quoted = await quoted_delivery(session, payable, country, postcode, tenant["currency"])
    offers = tuple(_dated(offer, plan) for offer in quoted.offers) if plan is not None else quoted.offers
    chosen = next((o for o in offers if o.service_id == service_id), None) or next(
        (o for o in offers if o.cheapest), None
    )
    customer = await repo.customer(session, tenant_id, customer_id)
    totals = await _totals(session, tenant_id, tenant, customer, priced, ship_to, chosen)
    return DeliveryOptions(
        currency=tenant["currency"],
        ship_address_id=ship_to["id"] if ship_to is not None else None,
        carriers=quoted.carriers,
        offers=offers,
        chosen=chosen,
        problem=quoted.problem,
        lines=tuple(_promised(line, plan) for line in priced),
        first_ship_on=plan.first_ship_on if plan is not None else None,
        complete_on=plan.complete_on if plan is not None else None,
        totals=totals,
        today=date.today(),
    )


class _PricedLine(NamedTuple):
    variant_id: uuid.UUID
    sku: str
    name: str
    qty: Decimal
    unit_price: Decimal | None
    amount: Decimal | None
    tax_class: str


async def _priced(session, tenant_id, currency: str, customer_id, requested: Sequence[OrderLineRequest]):
    """The lines that name a known variant, priced for the customer (outside the assortment: no price); a line
    that cannot be ordered is kept for the page to show, and place_order refuses it with the reason."""
    wanted: dict[uuid.UUID, Decimal] = {}
    for line in requested:
        if isinstance(line.variant_id, uuid.UUID) and isinstance(line.qty, Decimal | int) and line.qty > 0:
            wanted[line.variant_id] = wanted.get(line.variant_id, ZERO) + Decimal(line.qty)
    facts = await repo.variants(session, tenant_id, set(wanted))
    wanted = {v: q for v, q in wanted.items() if v in facts}
    quotes = await prices(session, TenantFacts(tenant_id, currency), customer_id, list(wanted.items()))
    allowed = await assortment(session, customer_id)
    found = []
    for variant_id, qty in wanted.items():
        variant = facts[variant_id]
        quote = quotes.get(variant_id) if variant.in_assortment(allowed) else None
        unit = quote.unit_price if quote is not None else None
        amount = None if unit is None else to_minor_unit(qty * unit, currency)
        found.append(_PricedLine(variant_id, variant.sku, variant_name(variant), qty, unit, amount, variant.tax_class))
    return found


def _promised(line: _PricedLine, plan: DeliveryPlan | None) -> LinePromise:
    planned = next((p for p in plan.lines if p.variant_id == line.variant_id), None) if plan is not None else None
    now = planned.reserved if planned is not None else ZERO
    available_on = planned.complete_on if planned is not None else None
    return LinePromise(line.variant_id, line.sku, line.name, line.qty, line.amount, now, available_on)


async def _totals(session, tenant_id, tenant, customer, priced, ship_to, chosen) -> CheckoutTotals | None:
    """The figures placing the order now would charge; None for no priced line or tax rules that cannot answer."""
    inputs = [
        OrderLineInput(line.variant_id, line.variant_id, line.qty, line.unit_price, line.tax_class)
        for line in priced
        if line.unit_price is not None
    ]
    if not inputs:
        return None
    settings = _taxing.tax_settings(tenant["country"], await repo.tax_rates(session, tenant_id))
    try:
        totals = order_totals(
            inputs,
            currency=tenant["currency"],
            tax_settings=settings,
            destination_country=_destination(tenant, ship_to)[0],
            buyer_vat_id=customer["tax_id"] if customer is not None else None,
            shipping=chosen.charge if chosen is not None else None,
        )
    except SalesRuleError:
        return None
    shipping_net, shipping_tax = shipping_figures(totals)
    return CheckoutTotals(totals.subtotal, shipping_net, shipping_tax, totals.net, totals.tax, totals.grand_total)


def shipping_figures(totals: OrderTotals) -> tuple[Decimal, Decimal]:
    """The shipping charge's net and tax within an order's totals ((0, 0) without shipping)."""
    line = next((line for line in totals.taxes.lines if line.line_id == SHIPPING_LINE), None)
    return (line.net, line.tax) if line is not None else (ZERO, ZERO)

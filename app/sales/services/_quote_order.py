"""Accepting a quote places a sales order at the quote's prices through the ordering path: the same checks of
the buyer, the customer's status and credit, the buyer's spending limits, the same order rows, stock reserved in
the same transaction, the same numbering, timeline, event and confirmation e-mail, the same delivery (the carrier
service the buyer chose, else the cheapest, quoted again on the server and taxed with the lines). Only the pricing
differs: the lines carry the accepted version's prices and discounts instead of the engine's. A quote no carrier
can deliver (no service chosen) is still accepted: its order carries no shipping charge, and staff arrange the
delivery (the timeline says so).

The order's idempotency key is the quote's, so accepting twice (a double click, two tabs, two colleagues) can
only ever make one order; the quote row is locked first, then the customer row (as ordering locks it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.numbering.services import take_number
from app.sales import repo
from app.sales._lifecycle import placed_status
from app.sales._totals import OrderLineInput
from app.sales.checkout_queries import ChosenDelivery
from app.sales.models import SalesOrder
from app.sales.services import _buyers, ordering
from app.sales.services._checks import checked_lines
from app.sales.services._quote_pricing import taxed
from app.sales.services._timeline import record_event
from app.sales.values import OrderLineRequest, PlacedOrder, PlaceOrder

TO_ARRANGE = ChosenDelivery(None, None)  # told apart by identity from NO_CARRIER (a tenant without carriers)


def quote_order_key(quote_id: uuid.UUID) -> str:
    return f"quote-{quote_id}"


async def order_from_quote(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    data: PlaceOrder,
    lines: Sequence[OrderLineInput],
    actor: Actor,
    note: str,
) -> PlacedOrder:
    """Place `data` (its key from quote_order_key) with these priced lines; the first order again when the key
    was used already."""
    key = ordering._checked_choices(data)
    existing = await repo.order_by_key(session, tenant_id, key)
    if existing is not None:
        return await ordering._already_placed(session, tenant_id, existing, data)
    draft = await _prepare(session, tenant_id, data, key, lines)
    order_id = await ordering._claim(session, tenant_id, data, draft)
    if order_id is None:
        return await ordering._already_placed(
            session, tenant_id, await repo.order_by_key(session, tenant_id, key), data
        )
    order = await session.get(SalesOrder, (tenant_id, order_id))
    order_lines = await ordering._add_lines(session, tenant_id, order_id, draft.lines, draft.totals)
    await ordering._reserve(session, tenant_id, draft, order, order_lines)
    order.number = await take_number(session, "sales_order")
    reason = order.approval_reason
    if draft.delivery is TO_ARRANGE:
        reason = f"{reason} {_('No carrier delivers it: arrange the delivery with the customer.')}"
    await record_event(session, tenant_id, order_id, None, draft.status, actor, f"{note} {reason}".strip())
    await ordering._announce(session, tenant_id, order, order_lines, draft)
    await session.flush()
    return PlacedOrder(order.id, order.number, order.status, order.gross, True)


async def _prepare(
    session: AsyncSession, tenant_id: uuid.UUID, data: PlaceOrder, key: str, quoted: Sequence[OrderLineInput]
) -> ordering._Draft:
    """ordering._prepare with the quote's prices: checked, taxed, credit and approval decided; nothing written.
    The company's assortment is not applied: staff chose what to quote."""
    buyer, customer, tenant = await ordering._ordering_party(session, tenant_id, data)
    lines = await checked_lines(session, tenant_id, [(r.variant_id, r.qty) for r in data.lines or ()])
    by_variant = {line.variant_id: line for line in quoted}
    inputs = [by_variant[line.variant.id]._replace(line_id=line.variant.id) for line in lines]
    ship_to, bill_to, warehouse_id = await ordering._where(session, tenant_id, data)
    delivery = await _delivery(session, tenant, data, lines, ship_to, warehouse_id)
    shipping = delivery.offer.charge if delivery.offer is not None else None
    totals = await taxed(session, tenant_id, data.customer_id, inputs, shipping)
    on_account = data.payment == "account"
    if on_account:
        await ordering._check_credit(session, tenant_id, customer, totals)
    approval = await _buyers.approval(session, tenant_id, buyer, totals)
    status = placed_status(approval_required=approval.required, on_account=on_account)
    return ordering._Draft(
        key, buyer, customer, tenant, lines, totals, ship_to, bill_to, warehouse_id, approval, status, delivery
    )


async def _delivery(session, tenant, data: PlaceOrder, lines, ship_to, warehouse_id) -> ChosenDelivery:
    """Ordering's delivery, except that no carrier for an unchosen service means staff arrange it."""
    try:
        return await ordering._delivery(session, tenant, data, lines, ship_to, warehouse_id)
    except ValidationFailed:
        if data.delivery_service_id is not None:
            raise
        return TO_ARRANGE  # no carrier takes it: staff arrange the delivery of what was negotiated


async def placed_before(session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID) -> PlacedOrder:
    """The order an accepted quote made (accepting again answers it, created False)."""
    order = await session.get(SalesOrder, (tenant_id, order_id), populate_existing=True)
    return PlacedOrder(order.id, order.number or "", order.status, order.gross, False)


def order_request(
    customer_id,
    user_id,
    quote_id,
    lines: Sequence[OrderLineInput],
    po_number: str,
    delivery_service_id: uuid.UUID | None = None,
) -> PlaceOrder:
    """The order an accepted quote places: on account, to the company's default address, from the first warehouse,
    with the delivery method chosen (None: the cheapest)."""
    requests = tuple(OrderLineRequest(line.variant_id, line.qty) for line in lines)
    return PlaceOrder(
        customer_id,
        user_id,
        quote_order_key(quote_id),
        requests,
        po_number=po_number,
        delivery_service_id=delivery_service_id,
    )

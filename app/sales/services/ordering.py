"""Placing a sales order: idempotent on its key, priced and taxed on the server, checked against the buyer's
limits and the customer's credit, with stock reserved for each line in the same transaction.

Delivery: the chosen carrier service (`delivery_service_id`) is quoted again here for the order's lines and
ship-to address (app.sales.checkout_queries.order_delivery; a price from a form is never read), and its charge
is taxed into the order's net, tax and gross (the tenant's shipping tax class) and kept apart on the order with
the label as sold and the promised delivery date. No service chosen while the tenant has active carriers: the
cheapest is used. A service that does not deliver this order to this address is refused on
delivery_service_id; a tenant without carriers charges no shipping.

Locks are always taken in one order, so concurrent placements wait for each other but never deadlock: the
customer row (on account: credit control must see the other open orders), the order's idempotency key, the
stock levels by variant (inventory's reserve), and last the number series (held until commit: gapless).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from asyncpg import Record
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory
from app.actor import Actor
from app.base import new_id
from app.errors import NotFound, ValidationFailed
from app.i18n import format_number
from app.i18n import gettext as _
from app.numbering.services import take_number
from app.outbox.services import emit, queue_mail
from app.sales import repo
from app.sales._approvals import ApprovalDecision
from app.sales._credit import credit_check
from app.sales._delivery import DeliveryMode
from app.sales._errors import SalesRuleError
from app.sales._lifecycle import OPEN_FOR_CREDIT, OrderStatus, placed_status
from app.sales._totals import OrderLineInput, OrderTotals, ShippingCharge, order_totals
from app.sales.checkout_queries import ChosenDelivery, order_delivery, shipping_figures
from app.sales.models import SalesOrder, SalesOrderLine
from app.sales.services import _buyers, _taxing
from app.sales.services._checks import (
    CheckedLine,
    TenantFacts,
    assortment,
    checked_lines,
    prices,
    rule_error,
    said,
    variant_name,
)
from app.sales.services._timeline import record_event
from app.sales.services.carts import mark_ordered, open_cart_lines
from app.sales.values import DOCUMENT_KIND, ORDER_PLACED_TOPIC, PlacedOrder, PlaceOrder

PAYMENTS = ("account", "card")


def _checked_choices(data: PlaceOrder) -> str:
    """The idempotency key, after refusing choices a form cannot offer."""
    errors: dict[str, str] = {}
    key = (data.idempotency_key or "").strip()
    if not key or len(key) > 100:
        errors["idempotency_key"] = _("The order form expired: reload the page and place the order again.")
    if data.payment not in PAYMENTS:
        errors["payment"] = _("Choose how to pay.")
    if data.delivery_mode not in tuple(DeliveryMode):
        errors["delivery_mode"] = _("Choose how to deliver.")
    if len(data.po_number.strip()) > 60:
        errors["po_number"] = _("At most %(max)s characters.", max=60)
    if data.requested_date is not None and data.requested_date < date.today():
        errors["requested_date"] = _("Choose a date from today on.")
    if errors:
        raise ValidationFailed(errors)
    return key


@dataclass(frozen=True, slots=True)
class _Draft:
    """An order checked, priced and taxed, with its status decided: nothing written yet."""

    key: str
    buyer: _buyers.Buyer
    customer: Record
    tenant: Record
    lines: list[CheckedLine]
    totals: OrderTotals
    ship_to: Record | None
    bill_to: Record | None
    warehouse_id: uuid.UUID
    approval: ApprovalDecision
    status: OrderStatus
    delivery: ChosenDelivery


async def place_order(session: AsyncSession, tenant_id: uuid.UUID, data: PlaceOrder, actor: Actor) -> PlacedOrder:
    """Place the order (or return the one already placed with this key); see the module docstring."""
    key = _checked_choices(data)
    existing = await repo.order_by_key(session, tenant_id, key)
    if existing is not None:
        return await _already_placed(session, tenant_id, existing, data)
    draft = await _prepare(session, tenant_id, data, key)
    order_id = await _claim(session, tenant_id, data, draft)
    if order_id is None:  # the same key was placed meanwhile, by a request that committed first
        return await _already_placed(session, tenant_id, await repo.order_by_key(session, tenant_id, key), data)
    order = await session.get(SalesOrder, (tenant_id, order_id))
    order_lines = await _add_lines(session, tenant_id, order_id, draft.lines, draft.totals)
    await _reserve(session, tenant_id, draft, order, order_lines)
    await record_event(session, tenant_id, order_id, None, draft.status, actor, order.approval_reason)
    if data.lines is None and data.payment != "card":  # a card order's cart is kept until it is paid
        await mark_ordered(session, tenant_id, data.user_id)
    order.number = await take_number(session, "sales_order")  # late: the series stays locked until commit
    await _announce(session, tenant_id, order, order_lines, draft)
    await session.flush()
    return PlacedOrder(order.id, order.number, order.status, order.gross, True)


async def _prepare(session: AsyncSession, tenant_id: uuid.UUID, data: PlaceOrder, key: str) -> _Draft:
    """Check, price, tax and decide; the customer row stays locked until commit, so that the credit check and
    the buyer's monthly spending see every other order of the company placed meanwhile."""
    buyer, customer, tenant = await _ordering_party(session, tenant_id, data)
    requested = data.lines if data.lines is not None else await open_cart_lines(session, tenant_id, data.user_id)
    allowed = await assortment(session, data.customer_id)  # checked again: catalogues change while carts wait
    lines = await checked_lines(session, tenant_id, [(r.variant_id, r.qty) for r in requested], allowed=allowed)
    ship_to, bill_to, warehouse_id = await _where(session, tenant_id, data)
    delivery = await _delivery(session, tenant, data, lines, ship_to, warehouse_id)
    shipping = delivery.offer.charge if delivery.offer is not None else None
    totals = await _totals(session, tenant_id, data, lines, tenant, customer, ship_to, shipping)
    on_account = data.payment == "account"
    if on_account:
        await _check_credit(session, tenant_id, customer, totals)
    approval = await _buyers.approval(session, tenant_id, buyer, totals)
    status = placed_status(approval_required=approval.required, on_account=on_account)
    return _Draft(
        key, buyer, customer, tenant, lines, totals, ship_to, bill_to, warehouse_id, approval, status, delivery
    )


async def _delivery(
    session, tenant, data: PlaceOrder, lines: list[CheckedLine], ship_to, warehouse_id
) -> ChosenDelivery:
    """The order's delivery as the data chooses it, quoted again here (order_delivery: the chosen service, else
    the cheapest; refused on delivery_service_id when it cannot deliver)."""
    return await order_delivery(
        session,
        tenant,
        [(line.variant.id, line.qty) for line in lines],
        ship_to,
        warehouse_id,
        service_id=data.delivery_service_id,
        mode=data.delivery_mode,
        requested=data.requested_date,
    )


async def _ordering_party(session: AsyncSession, tenant_id: uuid.UUID, data: PlaceOrder):
    """The buyer (may they order for this company?), the customer company, locked until commit and active, and
    the tenant's facts: the first checks of every placement, from a cart or from a quote."""
    buyer = await _buyers.buyer(session, tenant_id, data.user_id, data.customer_id)
    customer = await repo.customer(session, tenant_id, data.customer_id, lock=True)
    if customer is None:
        raise NotFound()
    if customer["status"] != "active":
        raise ValidationFailed({"customer_id": _("This customer is blocked: no new orders can be placed.")})
    return buyer, customer, await repo.tenant(session, tenant_id)


async def _where(session: AsyncSession, tenant_id: uuid.UUID, data: PlaceOrder):
    """The ship-to and bill-to addresses and the warehouse the order ships from."""
    ship_to, bill_to = await _addresses(session, tenant_id, data)
    warehouse_id = await repo.warehouse(session, tenant_id, data.warehouse_id)
    if warehouse_id is None:
        raise ValidationFailed({"warehouse_id": _("Choose a warehouse.")})
    return ship_to, bill_to, warehouse_id


async def _already_placed(session: AsyncSession, tenant_id: uuid.UUID, order_id, data: PlaceOrder) -> PlacedOrder:
    order = await session.get(SalesOrder, (tenant_id, order_id), populate_existing=True)
    if order is None or order.customer_id != data.customer_id:
        raise ValidationFailed({"idempotency_key": _("This order key was already used: reload the page.")})
    return PlacedOrder(order.id, order.number or "", order.status, order.gross, False)


async def _addresses(session: AsyncSession, tenant_id: uuid.UUID, data: PlaceOrder):
    """The ship-to and bill-to addresses (the customer's defaults when not chosen); another customer's: refused."""
    found = []
    for field, address_id in (("ship_address_id", data.ship_address_id), ("bill_address_id", data.bill_address_id)):
        row = await repo.address(session, tenant_id, data.customer_id, address_id)
        if row is None and address_id is not None:
            raise ValidationFailed({field: _("Choose one of your addresses.")})
        found.append(row)
    return found[0], found[1]


async def _totals(
    session, tenant_id, data, lines: list[CheckedLine], tenant, customer, ship_to, shipping: ShippingCharge | None
) -> OrderTotals:
    """Every line priced for the customer now, the shipping charge added, and the order's figures taxed for the
    ship-to country."""
    tenant_facts = TenantFacts(tenant_id, tenant["currency"])
    quotes = await prices(session, tenant_facts, data.customer_id, [(line.variant.id, line.qty) for line in lines])
    errors = {}
    for line in lines:
        quote = quotes.get(line.variant.id)
        if quote is None or quote.unit_price is None:
            errors[f"lines.{line.index}.variant_id"] = _(
                "%(sku)s has no price for you: it cannot be ordered.", sku=line.variant.sku
            )
    if errors:
        raise ValidationFailed(errors)
    inputs = [
        OrderLineInput(
            line.variant.id, line.variant.id, line.qty, quotes[line.variant.id].unit_price, line.variant.tax_class
        )
        for line in lines
    ]
    settings = _taxing.tax_settings(tenant["country"], await repo.tax_rates(session, tenant_id))
    country = ship_to["country"] if ship_to is not None else tenant["country"]
    try:
        return order_totals(
            inputs,
            currency=tenant["currency"],
            tax_settings=settings,
            destination_country=country,
            buyer_vat_id=customer["tax_id"],
            shipping=shipping,
        )
    except SalesRuleError as exc:
        raise rule_error(exc) from None


async def _check_credit(session: AsyncSession, tenant_id: uuid.UUID, customer, totals: OrderTotals) -> None:
    """On account: the customer's terms and credit limit against its open orders (invoices arrive with finance)."""
    used = await repo.open_orders(session, tenant_id, customer["id"], [s.value for s in OPEN_FOR_CREDIT])
    check = credit_check(
        totals.grand_total,
        account=_buyers.credit_account(customer, totals.currency),
        open_receivables=Decimal(0),
        open_orders=used,
        currency=totals.currency,
    )
    if not check.allowed:
        raise ValidationFailed({"payment": said(check.reason)})


async def _claim(session: AsyncSession, tenant_id: uuid.UUID, data: PlaceOrder, draft: _Draft) -> uuid.UUID | None:
    """Insert the order unless its key exists: None when another request placed it first (it waited for that one)."""
    totals, reason, delivery = draft.totals, draft.approval.reason, draft.delivery
    shipping_net, shipping_tax = shipping_figures(totals)
    values = {
        "tenant_id": tenant_id,
        "id": new_id(),
        "idempotency_key": draft.key,
        "customer_id": data.customer_id,
        "placed_by": data.user_id,
        "status": draft.status.value,
        "currency": totals.currency,
        "net": totals.net,
        "tax": totals.tax,
        "gross": totals.grand_total,
        "po_number": data.po_number.strip(),
        "requested_date": data.requested_date,
        "ship_address_id": draft.ship_to["id"] if draft.ship_to is not None else None,
        "bill_address_id": draft.bill_to["id"] if draft.bill_to is not None else None,
        "delivery_mode": data.delivery_mode,
        "payment_method": data.payment,
        "warehouse_id": draft.warehouse_id,
        "tax_treatment": totals.taxes.treatment.kind.value,
        "approval_reason": said(reason)[:500] if reason else "",
        "delivery_service_id": delivery.offer.service_id if delivery.offer is not None else None,
        "delivery_label": delivery.offer.label[:300] if delivery.offer is not None else "",
        "shipping_net": shipping_net,
        "shipping_tax": shipping_tax,
        "promised_date": delivery.promised_date,
        "placed_at": datetime.now(UTC),
    }
    stmt = (
        insert(SalesOrder)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["tenant_id", "idempotency_key"])
        .returning(SalesOrder.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def _add_lines(
    session, tenant_id, order_id, lines: list[CheckedLine], totals: OrderTotals
) -> list[SalesOrderLine]:
    taxed = {t.line_id: t for t in totals.taxes.lines}
    rows = []
    for position, (line, priced) in enumerate(zip(lines, totals.lines, strict=True)):
        tax = taxed[priced.line_id]
        rows.append(
            SalesOrderLine(
                tenant_id=tenant_id,
                order_id=order_id,
                position=position,
                variant_id=line.variant.id,
                sku=line.variant.sku,
                name=variant_name(line.variant)[:300],
                qty=line.qty,
                unit_price=priced.unit_price,
                discount_pct=priced.discount_pct,
                tax_class=str(tax.tax_class),
                tax_rate=tax.rate,
                net=tax.net,
                tax=tax.tax,
                gross=tax.gross,
                reserved_qty=Decimal(0),
            )
        )
    session.add_all(rows)
    await session.flush()
    return rows


async def _reserve(session, tenant_id, draft: _Draft, order: SalesOrder, lines: list[SalesOrderLine]) -> None:
    """Reserve what is available of each line now, in variant order; the rest is backordered (both delivery
    choices hold what is on the shelf, see app.sales._delivery). A shop that takes no backorders reserves every
    line in full or refuses the order, naming the line, the SKU and what is left."""
    if not draft.tenant["backorders"]:
        await _reserve_in_full(session, tenant_id, draft, order, lines)
        return
    for line in sorted(lines, key=lambda line: line.variant_id):
        line.reserved_qty = await reserve_available(session, tenant_id, draft.warehouse_id, order, line)
    await session.flush()


async def _reserve_in_full(session, tenant_id, draft: _Draft, order: SalesOrder, lines: list[SalesOrderLine]) -> None:
    """All lines or none (inventory's reserve_many locks the levels in variant order): a short line is refused."""
    requests = [
        inventory.ReserveRequest(
            draft.warehouse_id, line.variant_id, line.qty, DOCUMENT_KIND, order.id, line.id, order.requested_date
        )
        for line in lines
    ]
    try:
        held = await inventory.reserve_many(session, tenant_id, requests)
    except inventory.InsufficientStock as short:
        index = next((c.index for c in draft.lines if c.variant.sku == short.sku), 0)
        message = _(
            "Only %(available)s of %(sku)s left in stock, and this shop does not take backorders: "
            "lower the quantity or remove the line.",
            available=format_number(short.available),
            sku=short.sku,
        )
        raise ValidationFailed({f"lines.{index}.qty": message}) from None
    for line, qty in zip(lines, held, strict=True):
        line.reserved_qty = qty
    await session.flush()


async def reserve_available(session, tenant_id, warehouse_id, order: SalesOrder, line: SalesOrderLine) -> Decimal:
    """Hold up to the line's open quantity: all of it, or what another order left (never below zero)."""
    wanted = line.qty - line.shipped_qty - line.reserved_qty
    for _attempt in range(5):
        if wanted <= 0:
            return line.reserved_qty
        request = inventory.ReserveRequest(
            warehouse_id, line.variant_id, wanted, DOCUMENT_KIND, order.id, line.id, order.requested_date
        )
        try:
            return (await inventory.reserve_many(session, tenant_id, [request]))[0]
        except inventory.InsufficientStock as short:
            wanted = min(wanted, short.available)
    return line.reserved_qty


async def _announce(session, tenant_id, order: SalesOrder, lines, draft: _Draft) -> None:
    """The OrderPlaced event and the confirmation e-mail, both through the outbox (sent after commit): to the
    buyer, or to the customer's address when staff placed the order for them."""
    buyer, tenant = draft.buyer, draft.tenant
    to, name = (
        (buyer.email, buyer.name) if buyer.member is not None else (draft.customer["email"], draft.customer["name"])
    )
    payload = {
        "order_id": str(order.id),
        "number": order.number,
        "customer_id": str(order.customer_id),
        "status": order.status,
        "currency": order.currency,
        "gross": str(order.gross),
        "lines": [{"variant_id": str(line.variant_id), "qty": str(line.qty)} for line in lines],
    }
    await emit(session, tenant_id, ORDER_PLACED_TOPIC, payload)
    if to:
        context = {
            "number": order.number,
            "tenant_name": tenant["name"],
            "name": name,
            "lines": len(lines),
            "total": str(order.gross),
            "currency": order.currency,
            "status": order.status,
            "po_number": order.po_number,
        }
        locale = (buyer.locale if buyer.member is not None else draft.customer["locale"]) or tenant["locale"]
        await queue_mail(session, tenant_id, to=to, template="mail/order_confirmation", context=context, locale=locale)

"""Purchase orders being written: create one (lines priced from the supplier's price list unless typed), add and
remove lines while it is a draft; the total follows every change."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.inventory.models import Warehouse
from app.money import to_minor_unit
from app.numbering.services import take_number
from app.parties import Supplier, get_supplier
from app.purchasing import _input, _rows
from app.purchasing._input import Typed
from app.purchasing.domain import PoState, supplier_price
from app.purchasing.models import PurchaseOrder, PurchaseOrderLine
from app.purchasing.price_lists import price_rules

MAX_LINES = 500
ZERO = Decimal(0)


@dataclass(frozen=True)
class OrderLineInput:
    """A line as typed: the article, the quantity, a price (blank: the price list's), a date (blank: lead time)."""

    variant_id: uuid.UUID | None
    qty: Typed
    unit_price: Typed = None
    expected_on: str | date | None = None


@dataclass(frozen=True)
class OrderInput:
    """A new order: to which supplier, delivered where; blank currency: the supplier's; the exchange rate is
    needed only in another currency than the tenant's (units of the tenant's currency per unit of the order's)."""

    supplier_id: uuid.UUID | None
    warehouse_id: uuid.UUID | None
    lines: tuple[OrderLineInput, ...] = ()
    currency: str = ""
    exchange_rate: Typed = None
    note: str = ""


async def open_warehouse(session: AsyncSession, warehouse_id: uuid.UUID | None) -> Warehouse:
    try:
        warehouse = await _rows.get(session, Warehouse, warehouse_id)
    except NotFound:
        raise ValidationFailed({"warehouse_id": _("Choose a warehouse.")}) from None
    if not warehouse.is_active:
        raise ValidationFailed({"warehouse_id": _("The warehouse is closed.")})
    return warehouse


async def _supplier(session: AsyncSession, supplier_id: uuid.UUID | None) -> Supplier:
    try:
        supplier = await get_supplier(session, supplier_id) if supplier_id else None
    except NotFound:
        supplier = None
    if supplier is None:
        raise ValidationFailed({"supplier_id": _("Choose a supplier.")})
    if supplier.status != "active":
        raise ValidationFailed({"supplier_id": _("This supplier is blocked: no new orders go to it.")})
    return supplier


def _currency_and_rate(data: OrderInput, supplier: Supplier, tenant_currency: str) -> tuple[str, Decimal]:
    errors: dict[str, str] = {}
    currency = (data.currency or "").strip().upper() or supplier.currency
    if not re.fullmatch(r"[A-Z]{3}", currency):
        errors["currency"] = _("Enter a three-letter currency code (EUR, USD...).")
    rate = Decimal(1)
    if currency != tenant_currency:
        typed = _input.number(data.exchange_rate, "exchange_rate", errors, maximum=_input.MAX_RATE, places=8)
        if typed is None or typed == 0:
            errors.setdefault(
                "exchange_rate",
                _("An order in %(currency)s needs its rate to %(tenant)s.", currency=currency, tenant=tenant_currency),
            )
        else:
            rate = typed
    _input.refuse(errors)
    return currency, rate


async def create_order(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    data: OrderInput,
    actor: Actor,
    *,
    today: date | None = None,
    rfq_id: uuid.UUID | None = None,
) -> PurchaseOrder:
    """A draft order to a supplier, delivered to one warehouse, with its first lines (if any)."""
    today = today or date.today()
    supplier = await _supplier(session, data.supplier_id)
    warehouse = await open_warehouse(session, data.warehouse_id)
    tenant = await _rows.tenant(session, tenant_id)
    currency, rate = _currency_and_rate(data, supplier, tenant.currency)
    errors: dict[str, str] = {}
    note = _input.text(data.note, "note", errors, 1000)
    _input.refuse(errors)
    if len(data.lines) > MAX_LINES:
        raise ValidationFailed({"lines": _("At most %(n)s lines in one order.", n=MAX_LINES)})
    order = PurchaseOrder(
        tenant_id=tenant_id,
        number=await take_number(session, "purchase_order"),
        supplier_id=supplier.id,
        warehouse_id=warehouse.id,
        rfq_id=rfq_id,
        status=PoState.DRAFT.value,
        currency=currency,
        exchange_rate=rate,
        total=ZERO,
        ordered_on=today,
        note=note,
    )
    session.add(order)
    await session.flush()
    for position, line in enumerate(data.lines):
        session.add(await _priced_line(session, order, supplier, line, today, position))
    await session.flush()
    await retotal(session, order)
    changes = {"number": [None, order.number], "supplier": [None, supplier.code], "lines": [None, len(data.lines)]}
    await audit.record(session, tenant_id, actor, "purchase_order.created", "purchase_order", order.id, changes)
    return order


async def _priced_line(
    session: AsyncSession, order: PurchaseOrder, supplier: Supplier, data: OrderLineInput, today: date, position: int
) -> PurchaseOrderLine:
    """The line as it will be ordered: the price list's price and lead time unless typed, whole packs."""
    article = await _rows.article(session, data.variant_id, "code")
    errors: dict[str, str] = {}
    qty = _input.quantity(data.qty, "qty", errors)
    typed_price = _input.price(data.unit_price, "unit_price", errors)
    expected = _input.a_date(data.expected_on, "expected_on", errors)
    _input.refuse(errors)
    assert qty is not None
    rules = await price_rules(session, [article.id], supplier.id)
    lookup = supplier_price(rules, supplier.id, article.id, qty, on=today, currency=order.currency)
    offer = lookup.offer
    if typed_price is None and offer is None:
        message = _(
            "%(supplier)s has no price for %(sku)s in %(currency)s for this quantity today: enter the price.",
            supplier=supplier.code,
            sku=article.sku,
            currency=order.currency,
        )
        raise ValidationFailed({"unit_price": message})
    lead = offer.lead_time_days if offer else supplier.default_lead_time_days
    return PurchaseOrderLine(
        tenant_id=order.tenant_id,
        order_id=order.id,
        position=position,
        variant_id=article.id,
        qty=offer.qty if offer else qty,
        unit_price=typed_price if typed_price is not None else offer.unit_price,  # type: ignore[union-attr]
        expected_on=expected or today + timedelta(days=lead),
    )


async def order_lines(session: AsyncSession, order_id: uuid.UUID) -> list[PurchaseOrderLine]:
    """An order's lines in their order."""
    stmt = select(PurchaseOrderLine).where(PurchaseOrderLine.order_id == order_id)
    return list(await session.scalars(stmt.order_by(PurchaseOrderLine.position, PurchaseOrderLine.id)))


async def retotal(session: AsyncSession, order: PurchaseOrder) -> None:
    """The order's total and expected date from its lines (each line rounded to the currency's minor unit)."""
    lines = await order_lines(session, order.id)
    order.total = sum((to_minor_unit(line.qty * line.unit_price, order.currency) for line in lines), ZERO)
    order.expected_on = max((line.expected_on for line in lines if line.expected_on), default=None)
    order.updated_at = datetime.now(UTC)
    await session.flush()


async def draft(session: AsyncSession, order_id: uuid.UUID) -> PurchaseOrder:
    """The order, locked, if it may still be changed (a draft)."""
    order = await _rows.get(session, PurchaseOrder, order_id, for_update=True)
    if order.status != PoState.DRAFT:
        raise ValidationFailed({"status": _("Only a draft order can be changed: set it back to draft first.")})
    return order


async def add_order_line(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    order_id: uuid.UUID,
    data: OrderLineInput,
    actor: Actor,
    *,
    today: date | None = None,
) -> PurchaseOrderLine:
    """One more line on a draft order."""
    order = await draft(session, order_id)
    supplier = await get_supplier(session, order.supplier_id)
    lines = await order_lines(session, order.id)
    if len(lines) >= MAX_LINES:
        raise ValidationFailed({"code": _("At most %(n)s lines in one order.", n=MAX_LINES)})
    position = max((line.position for line in lines), default=-1) + 1
    line = await _priced_line(session, order, supplier, data, today or date.today(), position)
    session.add(line)
    await session.flush()
    await retotal(session, order)
    changes = {"line": [None, f"{line.qty} × {line.unit_price}"]}
    await audit.record(session, tenant_id, actor, "purchase_order.line_added", "purchase_order", order.id, changes)
    return line


async def remove_order_line(
    session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, line_id: uuid.UUID, actor: Actor
) -> None:
    """Take a line off a draft order."""
    order = await draft(session, order_id)
    line = await _rows.get(session, PurchaseOrderLine, line_id)
    if line.order_id != order.id:
        raise NotFound()
    await session.delete(line)
    await session.flush()
    await retotal(session, order)
    changes = {"line": [f"{line.qty} × {line.unit_price}", None]}
    await audit.record(session, tenant_id, actor, "purchase_order.line_removed", "purchase_order", order.id, changes)

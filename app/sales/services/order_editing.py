"""Staff change a placed order before anything ships: quantities, lines added and removed. The order is priced
again for its customer now (prices, discounts and taxes are the server's), its reservations follow the new
quantities (released first, then held again in variant order, as placing does), the credit limit is checked
again when an order on account grows, and the timeline says what changed, all in the caller's transaction.
Refused once any goods have shipped (the lifecycle's can_edit), and for an order being paid or cancelled."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory
from app.actor import Actor
from app.errors import NotFound, ValidationFailed
from app.i18n import format_money, format_number
from app.i18n import gettext as _
from app.outbox.services import emit
from app.parties import Address
from app.sales import repo
from app.sales._credit import credit_check
from app.sales._errors import SalesRuleError
from app.sales._lifecycle import OPEN_FOR_CREDIT, RESERVING, OrderState, OrderStatus, can_edit
from app.sales._totals import OrderLineInput, OrderTotals, ShippingCharge, order_totals
from app.sales.fulfilment_models import PickList, PickListLine
from app.sales.models import SalesOrder, SalesOrderLine
from app.sales.services import _buyers, _taxing
from app.sales.services._checks import (
    CheckedLine,
    TenantFacts,
    checked_lines,
    prices,
    read_qty,
    rule_error,
    said,
    variant_name,
)
from app.sales.services._timeline import record_event
from app.sales.services.ordering import reserve_available
from app.sales.values import DOCUMENT_KIND, OrderLineRequest

ORDER_CHANGED_TOPIC = "sales.order_changed"


@dataclass(frozen=True, slots=True)
class OrderEdit:
    """The order's lines after the change: a line's variant and new quantity (0: remove it); a variant of the
    order left out is removed, a new one is added. `note` goes on the timeline."""

    lines: tuple[OrderLineRequest, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class EditedOrder:
    """What the edit did: the order's new total and the changes as the timeline reads them."""

    order_id: uuid.UUID
    gross: Decimal
    changes: tuple[str, ...]


async def _locked(session: AsyncSession, order_id: uuid.UUID) -> tuple[SalesOrder, list[SalesOrderLine]]:
    order = await session.scalar(
        select(SalesOrder).where(SalesOrder.id == order_id).with_for_update().execution_options(populate_existing=True)
    )
    if order is None:
        raise NotFound()
    lines = (
        await session.scalars(
            select(SalesOrderLine)
            .where(SalesOrderLine.order_id == order_id)
            .order_by(SalesOrderLine.variant_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()
    return order, list(lines)


def editable(order: SalesOrder, lines: list[SalesOrderLine]) -> None:
    """Refuse (field 'status') an order the lifecycle does not let staff change, or one with goods shipped."""
    state = OrderState(OrderStatus(order.status), OrderStatus(order.held_from) if order.held_from else None)
    decision = can_edit(state, by_staff=True)
    if decision and any(line.shipped_qty > 0 for line in lines):
        decision = can_edit(OrderStatus.SHIPPED, by_staff=True)
    if not decision:
        raise ValidationFailed({"status": said(decision.reason)})


async def _picking(session: AsyncSession, order: SalesOrder, removed: set[uuid.UUID]) -> None:
    """Refuse changing an order the warehouse is picking, and removing a line a pick list still names."""
    rows = (
        await session.execute(
            select(PickListLine.order_line_id, PickList.status)
            .join(PickList, (PickList.tenant_id == PickListLine.tenant_id) & (PickList.id == PickListLine.pick_list_id))
            .where(PickListLine.order_id == order.id)
        )
    ).all()
    if any(status != "cancelled" for _line, status in rows):
        raise ValidationFailed({"status": _("The warehouse is picking this order: cancel its pick list first.")})
    if any(line_id in removed for line_id, _status in rows):
        raise ValidationFailed(
            {"lines": _("A line that was on a pick list cannot be removed: set it to what is needed.")}
        )


async def _wanted(session: AsyncSession, tenant_id: uuid.UUID, edit: OrderEdit) -> list[CheckedLine]:
    """The lines to keep, checked like an order's (errors under the form's own line numbers)."""
    keep = [(i, r) for i, r in enumerate(edit.lines) if read_qty(r.qty) != 0]
    if not keep:
        raise ValidationFailed({"lines": _("An order needs at least one line: cancel it instead.")})
    try:
        return await checked_lines(session, tenant_id, [(r.variant_id, r.qty) for _i, r in keep])
    except ValidationFailed as exc:
        renamed = {}
        for key, message in exc.errors.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
                key = f"lines.{keep[int(parts[1])][0]}.{parts[2]}"
            renamed[key] = message
        raise ValidationFailed(renamed) from None


async def _totals(session, tenant_id, order: SalesOrder, lines: list[CheckedLine]) -> OrderTotals:
    """Every line priced for the order's customer now, taxed for its ship-to country (as placing does)."""
    tenant, customer = await repo.tenant(session, tenant_id), await repo.customer(session, tenant_id, order.customer_id)
    quotes = await prices(
        session, TenantFacts(tenant_id, order.currency), order.customer_id, [(x.variant.id, x.qty) for x in lines]
    )
    missing = {
        f"lines.{x.index}.variant_id": _("%(sku)s has no price for this customer.", sku=x.variant.sku)
        for x in lines
        if quotes.get(x.variant.id) is None or quotes[x.variant.id].unit_price is None
    }
    if missing:
        raise ValidationFailed(missing)
    inputs = [
        OrderLineInput(x.variant.id, x.variant.id, x.qty, quotes[x.variant.id].unit_price, x.variant.tax_class)
        for x in lines
    ]
    country = None
    if order.ship_address_id is not None:
        country = await session.scalar(select(Address.country).where(Address.id == order.ship_address_id))
    settings = _taxing.tax_settings(tenant["country"], await repo.tax_rates(session, tenant_id))
    try:
        return order_totals(
            inputs,
            currency=order.currency,
            tax_settings=settings,
            destination_country=country or tenant["country"],
            buyer_vat_id=customer["tax_id"],
            shipping=ShippingCharge("", "", order.shipping_net) if order.shipping_net else None,  # as sold
        )
    except SalesRuleError as exc:
        raise rule_error(exc) from None


async def _check_credit(session, tenant_id, order: SalesOrder, totals: OrderTotals) -> None:
    """An order on account that grows must still fit the customer's credit (its old total counted once)."""
    if order.payment_method != "account" or totals.grand_total <= order.gross:
        return
    customer = await repo.customer(session, tenant_id, order.customer_id, lock=True)
    used = await repo.open_orders(session, tenant_id, order.customer_id, [s.value for s in OPEN_FOR_CREDIT])
    if order.status in {s.value for s in OPEN_FOR_CREDIT}:
        used -= order.gross
    check = credit_check(
        totals.grand_total,
        account=_buyers.credit_account(customer, order.currency),
        open_receivables=Decimal(0),
        open_orders=used,
        currency=order.currency,
    )
    if not check.allowed:
        raise ValidationFailed({"lines": said(check.reason)})


def _describe(line: SalesOrderLine | None, wanted: CheckedLine | None) -> str | None:
    if line is not None and wanted is None:
        return _("%(sku)s removed", sku=line.sku)
    if line is None and wanted is not None:
        return _("%(sku)s added (%(qty)s)", sku=wanted.variant.sku, qty=format_number(wanted.qty))
    if line is not None and wanted is not None and line.qty != wanted.qty:
        return _("%(sku)s %(old)s → %(new)s", sku=line.sku, old=format_number(line.qty), new=format_number(wanted.qty))
    return None


async def _apply_lines(session, tenant_id, order: SalesOrder, lines, wanted: list[CheckedLine], totals: OrderTotals):
    """Release what the new quantities no longer need, write the lines, then hold what they need (variant order)."""
    by_variant = {line.variant_id: line for line in lines}
    new = {x.variant.id: x for x in wanted}
    changes = [
        c for c in (_describe(by_variant.get(v), new.get(v)) for v in sorted(by_variant.keys() | new.keys())) if c
    ]
    for line in lines:  # already in variant order
        keep = new.get(line.variant_id)
        surplus = line.reserved_qty - (keep.qty if keep is not None else Decimal(0))
        if surplus > 0:
            await inventory.release(
                session, tenant_id, order.warehouse_id, line.variant_id, DOCUMENT_KIND, line.id, surplus
            )
            line.reserved_qty -= surplus
    removed = [line.id for line in lines if line.variant_id not in new]
    if removed:
        await session.execute(delete(SalesOrderLine).where(SalesOrderLine.id.in_(removed)))
    taxed = {t.line_id: t for t in totals.taxes.lines}
    position = max((line.position for line in lines), default=-1)
    written = []
    for checked, priced in zip(wanted, totals.lines, strict=True):
        row = by_variant.get(checked.variant.id)
        if row is None:
            position += 1
            row = SalesOrderLine(
                tenant_id=tenant_id,
                order_id=order.id,
                position=position,
                variant_id=checked.variant.id,
                sku=checked.variant.sku,
                name=variant_name(checked.variant)[:300],
                reserved_qty=Decimal(0),
                shipped_qty=Decimal(0),
            )
            session.add(row)
        tax = taxed[priced.line_id]
        row.qty, row.unit_price, row.discount_pct = checked.qty, priced.unit_price, priced.discount_pct
        row.tax_class, row.tax_rate, row.net, row.tax, row.gross = (
            str(tax.tax_class),
            tax.rate,
            tax.net,
            tax.tax,
            tax.gross,
        )
        written.append(row)
    await session.flush()
    if OrderStatus(order.status) in RESERVING:
        for row in sorted(written, key=lambda r: r.variant_id):
            row.reserved_qty = await reserve_available(session, tenant_id, order.warehouse_id, order, row)
        await session.flush()
    return changes


async def edit_order(
    session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, edit: OrderEdit, actor: Actor
) -> EditedOrder:
    """Change the order's lines (see the module docstring); nothing is written when anything is refused."""
    order, lines = await _locked(session, order_id)
    editable(order, lines)
    wanted = await _wanted(session, tenant_id, edit)
    totals = await _totals(session, tenant_id, order, wanted)
    await _check_credit(session, tenant_id, order, totals)
    keep = {x.variant.id for x in wanted}
    await _picking(session, order, {line.id for line in lines if line.variant_id not in keep})
    before = order.gross
    changes = await _apply_lines(session, tenant_id, order, lines, wanted, totals)
    if not changes and totals.grand_total == before:
        return EditedOrder(order.id, order.gross, ())
    order.net, order.tax, order.gross = totals.net, totals.tax, totals.grand_total
    order.tax_treatment = totals.taxes.treatment.kind.value
    total = _(
        "total %(old)s → %(new)s",
        old=format_money(before, order.currency),
        new=format_money(order.gross, order.currency),
    )
    note = "; ".join([*changes, total]) + (f". {edit.note.strip()}" if edit.note.strip() else "")
    await record_event(session, tenant_id, order.id, order.status, order.status, actor, note[:2000])
    payload = {"order_id": str(order.id), "number": order.number, "gross": str(order.gross), "changes": changes}
    await emit(session, tenant_id, ORDER_CHANGED_TOPIC, payload)
    await session.flush()
    return EditedOrder(order.id, order.gross, tuple(changes))


@dataclass(frozen=True, slots=True)
class PreviewLine:
    """A typed row (SKU and quantity as typed) with what it resolves to for the customer, or why it cannot."""

    sku: str
    qty_text: str
    variant_id: uuid.UUID | None = None
    name: str = ""
    qty: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    error: str | None = None

    @property
    def blank(self) -> bool:
        return not self.sku and not self.qty_text


@dataclass(frozen=True, slots=True)
class LinePreview:
    """Rows priced for a customer as staff type them (no tax yet: the order works it out for the ship-to)."""

    lines: tuple[PreviewLine, ...]
    currency: str
    net: Decimal

    @property
    def errors(self) -> dict[str, str]:
        return {f"lines.{i}.sku": x.error for i, x in enumerate(self.lines) if x.error}


def _row(sku: str, qty_text: str, variant, qty: Decimal | None) -> PreviewLine:
    if variant is None:
        return PreviewLine(sku, qty_text, error=_("No article for sale has this SKU."))
    if qty is None or qty <= 0:
        return PreviewLine(
            sku, qty_text, variant.id, variant_name(variant), error=_("Enter a quantity greater than zero")
        )
    return PreviewLine(sku, qty_text, variant.id, variant_name(variant), qty)


async def preview_lines(
    session: AsyncSession, tenant_id: uuid.UUID, customer_id: uuid.UUID, rows: list[tuple[str, str]]
) -> LinePreview:
    """Each typed (SKU, quantity) row resolved and priced for the customer now (reads only, writes nothing)."""
    tenant = await repo.tenant(session, tenant_id)
    skus = {sku for sku, _q in rows if sku}
    found = {r["sku"]: r["id"] for r in await repo.for_sale_by_sku(session, tenant_id, skus)} if skus else {}
    facts = await repo.variants(session, tenant_id, found.values())
    resolved = [
        PreviewLine(sku, q)
        if not sku and not q
        else _row(sku, q, facts.get(found.get(sku)), read_qty(q) if q else None)
        for sku, q in rows
    ]
    wanted = [(x.variant_id, x.qty) for x in resolved if x.error is None and x.variant_id is not None]
    quotes = await prices(session, TenantFacts(tenant_id, tenant["currency"]), customer_id, wanted) if wanted else {}
    priced, net = [], Decimal(0)
    for row in resolved:
        quote = quotes.get(row.variant_id) if row.variant_id is not None and row.error is None else None
        if row.error is None and row.variant_id is not None and (quote is None or quote.unit_price is None):
            row = PreviewLine(
                row.sku, row.qty_text, row.variant_id, row.name, row.qty, error=_("No price for this customer.")
            )
        elif quote is not None:
            amount = (quote.unit_price * row.qty).quantize(Decimal("0.01"))
            row = PreviewLine(row.sku, row.qty_text, row.variant_id, row.name, row.qty, quote.unit_price, amount)
            net += amount
        priced.append(row)
    return LinePreview(tuple(priced), tenant["currency"], net)

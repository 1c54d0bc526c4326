"""The order confirmation as a PDF (fpdf2, pure Python), for the customer's portal and the back office: the seller,
the customer, where it ships and whom it bills, number, dates, PO number, status, the lines with their tax rate,
and the totals. Read into a plain value (`OrderSheet`) first, then drawn in the reader's language."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.i18n import format_date, format_money, format_number, use_locale
from app.i18n import gettext as _
from app.parties import Address
from app.pdf import Sheet
from app.sales import repo
from app.sales._lifecycle import STATUS_LABELS, OrderStatus
from app.sales.models import SalesOrder
from app.sales.queries import order_detail

COLUMNS = ((24, "L"), (62, "L"), (18, "R"), (26, "R"), (14, "R"), (34, "R"))
NOT_BINDING = frozenset({"draft", "quote", "awaiting_approval", "rejected", "cancelled"})  # no confirmation yet


@dataclass(frozen=True, slots=True)
class SheetLine:
    sku: str
    name: str
    qty: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    net: Decimal


@dataclass(frozen=True, slots=True)
class OrderSheet:
    """What the confirmation prints of an order, in plain values."""

    seller: str
    number: str
    status: str
    placed_on: date
    requested_on: date | None
    po_number: str
    currency: str
    customer: tuple[str, ...]
    ship_to: tuple[str, ...]
    bill_to: tuple[str, ...]
    lines: tuple[SheetLine, ...]
    net: Decimal
    tax: Decimal
    gross: Decimal
    payment_method: str
    delivery_label: str = ""  # the carrier service as sold; its charge is part of net
    shipping_net: Decimal = Decimal(0)


def _address_lines(address: Address | None) -> tuple[str, ...]:
    if address is None:
        return ()
    place = f"{address.postcode} {address.city}" + (f" ({address.region})" if address.region else "")
    rows = (address.recipient, address.line1, address.line2 or "", place, address.country)
    return tuple(row for row in rows if row)


async def order_sheet(
    session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, *, customer_id: uuid.UUID | None = None
) -> OrderSheet:
    """The order as the PDF prints it; NotFound for another tenant's or (given customer_id) company's order."""
    detail = await order_detail(session, order_id, customer_id=customer_id)
    order = await session.scalar(select(SalesOrder).where(SalesOrder.id == order_id))
    if order is None:
        raise NotFound()
    addresses = {
        a.id: a
        for a in await session.scalars(
            select(Address).where(Address.id.in_([i for i in (order.ship_address_id, order.bill_address_id) if i]))
        )
    }
    customer = await repo.customer(session, tenant_id, order.customer_id)
    tenant = await repo.tenant(session, tenant_id)
    s = detail.summary
    lines = tuple(SheetLine(x.sku, x.name, x.qty, x.unit_price, x.tax_rate, x.net) for x in detail.lines)
    return OrderSheet(
        seller=tenant["name"],
        number=s.number,
        status=s.status,
        placed_on=s.placed_at.date(),
        requested_on=detail.requested_date,
        po_number=s.po_number,
        currency=s.currency,
        customer=tuple(x for x in (s.customer_name, customer["tax_id"] or "", customer["email"] or "") if x),
        ship_to=_address_lines(addresses.get(order.ship_address_id)),
        bill_to=_address_lines(addresses.get(order.bill_address_id)),
        lines=lines,
        net=detail.net,
        tax=detail.tax,
        gross=s.gross,
        payment_method=detail.payment_method,
        delivery_label=detail.delivery_label,
        shipping_net=detail.shipping_net,
    )


def _lines(pdf: Sheet, doc: OrderSheet) -> None:
    head = (_("SKU"), _("Article"), _("Quantity"), _("Unit price"), _("Tax"), _("Net"))
    rows = (
        (
            line.sku,
            line.name,
            format_number(line.qty),
            format_money(line.unit_price, doc.currency),
            f"{format_number(line.tax_rate)} %",
            format_money(line.net, doc.currency),
        )
        for line in doc.lines
    )
    pdf.table(COLUMNS, head, rows)
    totals = ((_("Net"), doc.net, False), (_("Tax"), doc.tax, False), (_("Total"), doc.gross, True))
    if doc.delivery_label:
        totals = ((f"{_('Shipping')} ({doc.delivery_label})", doc.shipping_net, False), *totals)
    pdf.totals(COLUMNS, [(label, format_money(amount, doc.currency), bold) for label, amount, bold in totals])


def _status(doc: OrderSheet) -> str:
    try:
        return _(STATUS_LABELS[OrderStatus(doc.status)])
    except (KeyError, ValueError):
        return doc.status


def render_order_confirmation(doc: OrderSheet, locale: str) -> bytes:
    """The order confirmation as PDF bytes, its words and figures in `locale`."""
    with use_locale(locale):
        title = _("Order confirmation %(number)s", number=doc.number)
        pdf = Sheet(title, doc.seller)
        pdf.line_of_text(doc.seller, size=16, bold=True, height=9)
        pdf.line_of_text(title, size=13, bold=True, height=8)
        facts = [
            _("Order date: %(date)s", date=format_date(doc.placed_on)),
            _("Status: %(status)s", status=_status(doc)),
        ]
        if doc.requested_on:
            facts.append(_("Requested delivery date: %(date)s", date=format_date(doc.requested_on)))
        if doc.po_number:
            facts.append(_("Your PO number: %(po)s", po=doc.po_number))
        pdf.line_of_text("   ·   ".join(facts))
        if doc.status in NOT_BINDING:
            pdf.warning(_("Not a confirmed order: %(status)s.", status=_status(doc)))
        pdf.blocks(
            (16, 56, _("Customer"), doc.customer),
            (76, 56, _("Ship to"), doc.ship_to),
            (136, 58, _("Bill to"), doc.bill_to),
        )
        _lines(pdf, doc)
        pdf.ln(4)
        payment = (
            _("Payment on account, per your payment terms.") if doc.payment_method == "account" else _("Paid by card.")
        )
        pdf.line_of_text(payment, size=9, height=5)
        pdf.line_of_text(
            _("Please quote %(number)s in any question about this order.", number=doc.number), size=9, height=5
        )
        return pdf.output_bytes()

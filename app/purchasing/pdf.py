"""The purchase order as a PDF (fpdf2, pure Python): the company, the supplier, where to deliver, the number and
dates, the lines and the total. Built from a plain value (`OrderDocument`), in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.i18n import format_date, format_money, format_number, use_locale
from app.i18n import gettext as _
from app.pdf import Sheet


@dataclass(frozen=True, slots=True)
class DocumentLine:
    sku: str
    name: str
    qty: Decimal
    unit_price: Decimal
    amount: Decimal
    expected_on: date | None


@dataclass(frozen=True, slots=True)
class OrderDocument:
    """What the PDF prints of an order, already in plain values."""

    company: str
    number: str
    status: str
    ordered_on: date
    expected_on: date | None
    currency: str
    total: Decimal
    supplier: tuple[str, ...]  # name, then the lines of its details
    deliver_to: tuple[str, ...]
    lines: tuple[DocumentLine, ...]
    note: str = ""
    approved_by: str | None = None


COLUMNS = ((26, "L"), (56, "L"), (18, "R"), (28, "R"), (28, "R"), (22, "R"))


def _lines(pdf: Sheet, doc: OrderDocument) -> None:
    head = (_("SKU"), _("Article"), _("Quantity"), _("Unit price"), _("Amount"), _("Due"))
    rows = (
        (
            line.sku,
            line.name,
            format_number(line.qty),
            format_money(line.unit_price, doc.currency),
            format_money(line.amount, doc.currency),
            format_date(line.expected_on, "short") if line.expected_on else "",
        )
        for line in doc.lines
    )
    pdf.table(COLUMNS, head, rows)
    pdf.totals(COLUMNS[:5], ((_("Total"), format_money(doc.total, doc.currency), True),))
    pdf.ln(4)


def render_order(doc: OrderDocument, locale: str) -> bytes:
    """The order as PDF bytes, its words and figures in `locale`."""
    with use_locale(locale):
        title = _("Purchase order %(number)s", number=doc.number)
        pdf = Sheet(title, doc.company)
        pdf.line_of_text(doc.company, size=16, bold=True, height=9)
        pdf.line_of_text(title, size=13, bold=True, height=8)
        dates = [_("Order date: %(date)s", date=format_date(doc.ordered_on))]
        if doc.expected_on:
            dates.append(_("Delivery expected by: %(date)s", date=format_date(doc.expected_on)))
        pdf.line_of_text("   ·   ".join(dates))
        if doc.status in ("draft", "to_approve"):
            pdf.warning(_("Draft: not yet a valid order."))
        pdf.blocks((16, 86, _("Supplier"), doc.supplier), (108, 86, _("Deliver to"), doc.deliver_to))
        _lines(pdf, doc)
        if doc.note:
            pdf.line_of_text(_("Note: %(note)s", note=doc.note), size=9, height=5)
        pdf.line_of_text(
            _("Please quote %(number)s on your delivery note and your bill.", number=doc.number), size=9, height=5
        )
        return pdf.output_bytes()

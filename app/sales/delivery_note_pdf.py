"""The delivery note as a PDF (fpdf2, pure Python), in the house style of the purchase order: the company, the
customer and where the goods go, the note's and the order's numbers, the carrier and tracking number, and per
line what was ordered, what this shipment holds and what is still to come. Built from a plain value
(`DeliveryNote`), in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.i18n import format_date, format_number, use_locale
from app.i18n import gettext as _
from app.pdf import Sheet, clean


@dataclass(frozen=True, slots=True)
class DeliveryNoteLine:
    sku: str
    name: str
    lot: str
    ordered: Decimal
    shipped_now: Decimal
    outstanding: Decimal


@dataclass(frozen=True, slots=True)
class DeliveryNote:
    """What the PDF prints of a shipment, already in plain values."""

    company: str
    company_lines: tuple[str, ...]
    number: str
    order_number: str
    po_number: str
    shipped_on: date | None
    customer: tuple[str, ...]  # name, then its details
    deliver_to: tuple[str, ...]
    carrier: str
    tracking_number: str
    packages: int
    weight_kg: Decimal | None
    lines: tuple[DeliveryNoteLine, ...]


COLUMNS = ((28, "L"), (66, "L"), (24, "L"), (20, "R"), (20, "R"), (20, "R"))


def _lines(pdf: Sheet, note: DeliveryNote) -> None:
    head = (_("SKU"), _("Article"), _("Lot"), _("Ordered"), _("Shipped"), _("To follow"))
    rows = (
        (
            line.sku,
            line.name,
            line.lot,
            format_number(line.ordered),
            format_number(line.shipped_now),
            format_number(line.outstanding) if line.outstanding else "",
        )
        for line in note.lines
    )
    pdf.table(COLUMNS, head, rows)
    pdf.ln(4)


def _carriage(note: DeliveryNote) -> str:
    parts = [note.carrier or _("Own delivery")]
    if note.tracking_number:
        parts.append(_("tracking %(number)s", number=note.tracking_number))
    parts.append(_("%(n)s package(s)", n=note.packages))
    if note.weight_kg:
        parts.append(f"{format_number(note.weight_kg)} kg")
    return " · ".join(parts)


def render_delivery_note(note: DeliveryNote, locale: str) -> bytes:
    """The delivery note as PDF bytes, its words and figures in `locale`."""
    with use_locale(locale):
        title = _("Delivery note %(number)s", number=note.number)
        pdf = Sheet(title, note.company)
        pdf.line_of_text(note.company, size=16, bold=True, height=9)
        for row in note.company_lines:
            pdf.line_of_text(row, size=9, height=5)
        pdf.line_of_text(title, size=13, bold=True, height=9)
        facts = [_("Order %(number)s", number=note.order_number)]
        if note.po_number:
            facts.append(_("Your PO %(po)s", po=note.po_number))
        if note.shipped_on:
            facts.append(_("Shipped on %(date)s", date=format_date(note.shipped_on)))
        pdf.line_of_text("   ·   ".join(facts))
        pdf.line_of_text(_carriage(note))
        pdf.blocks((16, 86, _("Customer"), note.customer), (108, 86, _("Deliver to"), note.deliver_to))
        _lines(pdf, note)
        pdf.line_of_text(
            _("Please check the goods on arrival and note any damage on the carrier's receipt."), size=9, height=5
        )
        pdf.ln(10)
        pdf.cell(86, 6, clean(_("Received by (name, signature, date)")), border="T")
        return pdf.output_bytes()

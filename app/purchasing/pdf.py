"""The purchase order as a PDF (fpdf2, pure Python): the company, the supplier, where to deliver, the number and
dates, the lines and the total. Built from a plain value (`OrderDocument`), in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fpdf import FPDF

from app.i18n import format_date, format_money, format_number, use_locale
from app.i18n import gettext as _

ENCODING = "windows-1252"  # the core fonts' code page: accents, ñ and € print without embedding a font


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


def _clean(text: object) -> str:
    """Text the core fonts can print: anything outside their code page becomes '?'."""
    return str(text).encode(ENCODING, "replace").decode(ENCODING)


class _Sheet(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = ENCODING
        self.title_text = title
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        self.set_text_color(110)
        self.cell(0, 6, _clean(f"{self.title_text} · {self.page_no()}/{{nb}}"), align="C")


def _block(pdf: FPDF, x: float, y: float, width: float, heading: str, rows: tuple[str, ...]) -> float:
    """A titled block of lines at (x, y); returns where it ends."""
    pdf.set_xy(x, y)
    pdf.set_font("helvetica", "B", 9)
    pdf.set_text_color(90)
    pdf.cell(width, 5, _clean(heading.upper()), new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(0)
    for index, row in enumerate(rows):
        pdf.set_font("helvetica", "B" if index == 0 else "", 10)
        pdf.set_x(x)
        pdf.multi_cell(width, 5, _clean(row), new_x="LEFT", new_y="NEXT")
    return pdf.get_y()


COLUMNS = ((26, "L"), (56, "L"), (18, "R"), (28, "R"), (28, "R"), (22, "R"))


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The text cut (with an ellipsis) to fit a cell of `width` mm with its padding."""
    text = _clean(text)
    room = width - 2 * pdf.c_margin
    if pdf.get_string_width(text) <= room:
        return text
    while text and pdf.get_string_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _row(pdf: FPDF, cells: tuple[str, ...], *, bold: bool = False, fill: bool = False) -> None:
    pdf.set_font("helvetica", "B" if bold else "", 9)
    height = 6
    for (width, align), text in zip(COLUMNS, cells, strict=True):
        pdf.cell(width, height, _fit(pdf, text, width), border="B", align=align, fill=fill)
    pdf.ln(height)


def _lines(pdf: FPDF, doc: OrderDocument) -> None:
    pdf.set_fill_color(238, 241, 245)
    head = (_("SKU"), _("Article"), _("Quantity"), _("Unit price"), _("Amount"), _("Due"))
    _row(pdf, head, bold=True, fill=True)
    for line in doc.lines:
        if pdf.will_page_break(6):
            pdf.add_page()
            _row(pdf, head, bold=True, fill=True)
        due = format_date(line.expected_on, "short") if line.expected_on else ""
        _row(
            pdf,
            (
                line.sku,
                line.name,
                format_number(line.qty),
                format_money(line.unit_price, doc.currency),
                format_money(line.amount, doc.currency),
                due,
            ),
        )
    pdf.set_font("helvetica", "B", 11)
    pdf.cell(sum(w for w, _a in COLUMNS[:4]), 9, _clean(_("Total")), align="R")
    pdf.cell(COLUMNS[4][0], 9, _clean(format_money(doc.total, doc.currency)), align="R")
    pdf.ln(11)


def render_order(doc: OrderDocument, locale: str) -> bytes:
    """The order as PDF bytes, its words and figures in `locale`."""
    with use_locale(locale):
        title = _("Purchase order %(number)s", number=doc.number)
        pdf = _Sheet(title)
        pdf.set_title(_clean(title))
        pdf.set_author(_clean(doc.company))
        pdf.add_page()
        pdf.set_font("helvetica", "B", 16)
        pdf.cell(0, 9, _clean(doc.company), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", "B", 13)
        pdf.cell(0, 8, _clean(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=10)
        dates = [_("Order date: %(date)s", date=format_date(doc.ordered_on))]
        if doc.expected_on:
            dates.append(_("Delivery expected by: %(date)s", date=format_date(doc.expected_on)))
        pdf.cell(0, 6, _clean("   ·   ".join(dates)), new_x="LMARGIN", new_y="NEXT")
        if doc.status in ("draft", "to_approve"):
            pdf.set_text_color(180, 35, 24)
            pdf.set_font("helvetica", "B", 10)
            pdf.cell(0, 6, _clean(_("Draft: not yet a valid order.")), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0)
        top = pdf.get_y() + 4
        end = max(
            _block(pdf, 16, top, 86, _("Supplier"), doc.supplier),
            _block(pdf, 108, top, 86, _("Deliver to"), doc.deliver_to),
        )
        pdf.set_xy(16, end + 6)
        _lines(pdf, doc)
        pdf.set_font("helvetica", size=9)
        if doc.note:
            pdf.multi_cell(0, 5, _clean(_("Note: %(note)s", note=doc.note)), new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(
            0,
            5,
            _clean(_("Please quote %(number)s on your delivery note and your bill.", number=doc.number)),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        return bytes(pdf.output())

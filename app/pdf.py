"""The house style of Bodega's printed documents (purchase orders, order confirmations, delivery notes): an A4
sheet with a numbered footer, the company and the title at the top, titled address blocks side by side, and a
table of lines whose heading repeats on each page. fpdf2, pure Python; the core fonts (no font embedded), so text
is cut down to their code page, where accents, ñ and € print."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fpdf import FPDF

ENCODING = "windows-1252"  # the core fonts' code page
Columns = Sequence[tuple[float, str]]  # each column's width (mm) and alignment ("L", "R")


def clean(text: object) -> str:
    """Text the core fonts can print: anything outside their code page becomes '?'."""
    return str(text).encode(ENCODING, "replace").decode(ENCODING)


class Sheet(FPDF):
    """An A4 page with 16 mm margins whose footer repeats the title and says "page/pages"."""

    def __init__(self, title: str, author: str) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = ENCODING
        self.title_text = title
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)
        self.set_title(clean(title))
        self.set_author(clean(author))
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        self.set_text_color(110)
        self.cell(0, 6, clean(f"{self.title_text} · {self.page_no()}/{{nb}}"), align="C")

    def line_of_text(self, text: str, *, size: float = 10, bold: bool = False, height: float = 6) -> None:
        """One line across the page (wrapped when long)."""
        self.set_font("helvetica", "B" if bold else "", size)
        self.multi_cell(0, height, clean(text), new_x="LMARGIN", new_y="NEXT")

    def warning(self, text: str) -> None:
        """A line in red: the document is not (yet) what it looks like."""
        self.set_text_color(180, 35, 24)
        self.line_of_text(text, bold=True)
        self.set_text_color(0)

    def blocks(self, *blocks: tuple[float, float, str, Sequence[str]]) -> None:
        """Titled blocks side by side, each (x, width, heading, lines; the first line bold), then on below the
        longest."""
        top = self.get_y() + 4
        end = max(self._block(x, top, width, heading, rows) for x, width, heading, rows in blocks)
        self.set_xy(16, end + 6)

    def _block(self, x: float, y: float, width: float, heading: str, rows: Sequence[str]) -> float:
        self.set_xy(x, y)
        self.set_font("helvetica", "B", 9)
        self.set_text_color(90)
        self.cell(width, 5, clean(heading.upper()), new_x="LEFT", new_y="NEXT")
        self.set_text_color(0)
        for index, row in enumerate(rows or ("-",)):
            self.set_font("helvetica", "B" if index == 0 else "", 10)
            self.set_x(x)
            self.multi_cell(width, 5, clean(row), new_x="LEFT", new_y="NEXT")
        return self.get_y()

    def table(self, columns: Columns, head: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        """The lines under a shaded heading, which is repeated at the top of every new page."""
        self.set_fill_color(238, 241, 245)
        self._row(columns, head, bold=True, fill=True)
        for cells in rows:
            if self.will_page_break(6):
                self.add_page()
                self._row(columns, head, bold=True, fill=True)
            self._row(columns, cells)

    def _row(self, columns: Columns, cells: Sequence[str], *, bold: bool = False, fill: bool = False) -> None:
        self.set_font("helvetica", "B" if bold else "", 9)
        for (width, align), text in zip(columns, cells, strict=True):
            self.cell(width, 6, self._fit(text, width), border="B", align=align, fill=fill)
        self.ln(6)

    def _fit(self, text: str, width: float) -> str:
        """The text cut (with an ellipsis) to fit a cell of `width` mm with its padding."""
        text = clean(text)
        room = width - 2 * self.c_margin
        if self.get_string_width(text) <= room:
            return text
        while text and self.get_string_width(text + "…") > room:
            text = text[:-1]
        return text.rstrip() + "…"

    def totals(self, columns: Columns, rows: Sequence[tuple[str, str, bool]]) -> None:
        """Label and amount rows under the table's last column (each: label, amount, bold)."""
        label_width = sum(width for width, _align in columns[:-1])
        for label, amount, bold in rows:
            self.set_font("helvetica", "B" if bold else "", 11 if bold else 10)
            self.cell(label_width, 7, clean(label), align="R")
            self.cell(columns[-1][0], 7, clean(amount), align="R", new_x="LMARGIN", new_y="NEXT")

    def output_bytes(self) -> bytes:
        return bytes(self.output())

"""Quick order input: pasted text or spreadsheet rows read into numbered (SKU, quantity) lines, refused whole
when there are too many to check."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NoReturn

from app.catalog.domain import normalise_sku
from app.sales._errors import N_, Reason, SalesRuleError, reason

MAX_LINES = 500
MAX_LINE_CHARS = 200  # a SKU (64) and a quantity, with room for stray blanks and separators
SEPARATORS = "\t;, "
# Words that make a first line a header ("SKU;Qty", "Artículo Cantidad"), compared case-insensitively.
HEADER_WORDS = frozenset(
    {
        "sku", "code", "item", "article", "part", "product", "reference", "ref", "qty", "quantity", "amount",
        "units", "codigo", "código", "articulo", "artículo", "referencia", "producto", "cantidad", "unidades",
    }
)  # fmt: skip
NUMBER_RE = re.compile(r"[+-]?(\d+)(?:[.,](\d+))?")


class TooManyLines(SalesRuleError):
    """More lines than a quick order takes at once: refused before any line is looked at."""


@dataclass(frozen=True, slots=True)
class QuickOrderInput:
    """One line as the buyer gave it: its number (1-based, as the buyer counts lines or rows), the text, the
    SKU normalised as the catalogue stores it, and the quantity read (None with `problem` when unreadable)."""

    line: int
    text: str
    sku: str
    qty: Decimal | None
    problem: Reason | None = None


def _refuse_size(count: int, max_lines: int, *, exact: bool = True) -> NoReturn:
    if exact:
        message = N_("A quick order takes at most %(max)s lines; this one has %(count)s. Split it into smaller lists.")
    else:
        message = N_("A quick order takes at most %(max)s lines; this one has more. Split it into smaller lists.")
    raise TooManyLines("lines", message, max=max_lines, count=count)


def _check_size(text: str, max_lines: int) -> None:
    """Refuse too many lines (or a text too long for that many) by counting, before anything is parsed."""
    if text.count("\n") < max_lines and len(text) <= max_lines * MAX_LINE_CHARS:
        return
    count = sum(1 for line in text.splitlines() if line.strip())
    if count > max_lines:
        _refuse_size(count, max_lines)
    if len(text) > max_lines * MAX_LINE_CHARS:
        message = N_("This text is too long for a quick order: at most %(max)s lines of a SKU and a quantity.")
        raise TooManyLines("lines", message, max=max_lines, count=count)


def read_quantity(text: str) -> tuple[Decimal | None, Reason | None]:
    """A quantity as typed: digits with one decimal point or comma ('2.5', '2,5'); no thousands separators.

    '1,000' or '1.000' is refused as ambiguous (a thousand, or one with three decimals?), while '0,250' is a
    quarter: thousands never start with a zero.
    """
    text = text.strip()
    if not text:
        return None, reason("missing_qty", N_("Enter a quantity after the SKU."))
    match = NUMBER_RE.fullmatch(text)
    if match is None:
        return None, reason("not_a_number", N_("%(text)s is not a quantity."), text=text)
    whole, fraction = match.groups()
    if fraction is not None and len(fraction) == 3 and whole[0] != "0" and len(whole) <= 3:
        return None, reason(
            "ambiguous_qty",
            N_("%(text)s is ambiguous: write 1000 for a thousand, or 1.5 with fewer decimals."),
            text=text,
        )
    try:
        return Decimal(text.replace(",", ".")), None
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None, reason("not_a_number", N_("%(text)s is not a quantity."), text=text)


def _split(text: str) -> tuple[str, str]:
    """SKU and the rest: SKUs hold no separator, so the SKU ends at the first tab, ';', ',' or blank."""
    index = next((i for i, char in enumerate(text) if char in SEPARATORS), len(text))
    return text[:index], text[index:].strip(SEPARATORS)


def _is_header(sku: str, qty_text: str) -> bool:
    """A first line is a header when its quantity has no digit and a word of it says what the column is."""
    if any(char.isdigit() for char in qty_text):
        return False
    words = {sku.casefold(), *(w.casefold() for w in re.split(r"[\t;, ]+", qty_text) if w)}
    return bool(words & HEADER_WORDS)


def _non_blank(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for number, text in enumerate(lines, start=1):
        if text.strip():
            yield number, text.strip()


def parse_pasted(text: str, *, max_lines: int = MAX_LINES) -> list[QuickOrderInput]:
    """Read pasted lines "SKU qty", "SKU;qty", "SKU,qty" or "SKU<TAB>qty" (decimal point or comma).

    Blank lines and a header line (the first non-blank one, when it names its columns) are skipped; line
    numbers stay those of the text. More than `max_lines` lines with content raise TooManyLines before
    any is read: 10,000 lines cost a count, not a parse.
    """
    _check_size(text, max_lines)
    result: list[QuickOrderInput] = []
    for index, (number, line) in enumerate(_non_blank(text.splitlines())):
        raw_sku, qty_text = _split(line)
        if index == 0 and _is_header(raw_sku, qty_text):
            continue
        qty, problem = read_quantity(qty_text)
        result.append(QuickOrderInput(number, line, normalise_sku(raw_sku), qty, problem))
    return result


def _cell_quantity(value: object) -> tuple[Decimal | None, Reason | None]:
    """A spreadsheet cell: text is read as typed; a number cell (a float from openpyxl) by its shortest repr,
    so 2.5 is Decimal('2.5') and never its binary expansion."""
    if value is None:
        return read_quantity("")
    if isinstance(value, bool):
        return None, reason("not_a_number", N_("%(text)s is not a quantity."), text=str(value))
    if isinstance(value, float):
        value = repr(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, int | Decimal):
        number = Decimal(value)
        if number.is_finite():
            return number, None
        return None, reason("not_a_number", N_("%(text)s is not a quantity."), text=str(value))
    return read_quantity(str(value))


def parse_rows(
    rows: Iterable[tuple[object, object]], *, max_lines: int = MAX_LINES, header: bool = False
) -> list[QuickOrderInput]:
    """Read (SKU, quantity) rows from an uploaded CSV or XLSX; rows are numbered as the sheet counts them.

    Empty rows are skipped; `header=True` skips the first row (and otherwise a first row that names its
    columns is skipped as in pasted text). More than `max_lines` rows with content raise TooManyLines, after
    reading at most max_lines + 1 of them.
    """
    result: list[QuickOrderInput] = []
    for number, (sku_cell, qty_cell) in enumerate(rows, start=1):
        raw_sku = "" if sku_cell is None else str(sku_cell).strip()
        if not raw_sku and (qty_cell is None or not str(qty_cell).strip()):
            continue
        if number == 1 and (header or _is_header(raw_sku, "" if qty_cell is None else str(qty_cell))):
            continue
        if len(result) == max_lines:
            _refuse_size(max_lines + 1, max_lines, exact=False)
        qty, problem = _cell_quantity(qty_cell)
        text = f"{raw_sku} {'' if qty_cell is None else qty_cell}".strip()
        result.append(QuickOrderInput(number, text, normalise_sku(raw_sku), qty, problem))
    return result

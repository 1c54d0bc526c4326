"""Quick order from an uploaded file: a CSV or an Excel workbook (XLSX) read into the same numbered (SKU,
quantity) lines as pasted text, so every row gets the same line-by-line answer.

XLSX is read with the standard library (zipfile and xml.etree), and defensively, since anyone may upload
anything: the upload's size is capped, every member is read through a cap on what it decompresses to (a zip
bomb stops at the cap, whatever its headers claim), a document type declaration is refused (no entity
expansion), and only the first sheet's first rows are walked. Whatever cannot be read is a clear "no" naming
the file, never a crash.

The columns: a first row naming them ("SKU", "Qty", "Referencia", "Cantidad"...) picks them wherever they
are; otherwise the SKU is the first column and the quantity the second. Rows keep the numbers the
spreadsheet shows, so "row 7" in the answer is row 7 on screen.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from app.sales._errors import N_, SalesRuleError
from app.sales._quick_order_input import MAX_LINES, QuickOrderInput, parse_rows

MAX_UPLOAD = 2 * 1024 * 1024  # bytes: a 500-line list is a few kilobytes, even as a styled workbook
MAX_XML = 16 * 1024 * 1024  # bytes any one workbook part may decompress to
MAX_ROW_NUMBER = 1_048_576  # Excel's last row
MAX_COLUMNS = 50  # columns looked at for the header and the values
SKU_WORDS = frozenset(
    {"sku", "code", "item", "article", "part", "reference", "ref", "product", "codigo", "código", "articulo",
     "artículo", "referencia", "producto"}
)  # fmt: skip
QTY_WORDS = frozenset({"qty", "quantity", "amount", "units", "cantidad", "unidades", "uds", "cant"})
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CELL_RE = re.compile(r"([A-Z]{1,3})(\d+)")

Row = tuple[int, list[object]]  # the sheet's row number and its cells from column A on (None: empty)


class BadUpload(SalesRuleError):
    """An upload that cannot be read as a list of SKUs and quantities (field `file`)."""


def _refuse(message: str, **params: object) -> BadUpload:
    return BadUpload("file", message, **params)


def read_upload(filename: str, content: bytes, *, max_lines: int = MAX_LINES) -> list[QuickOrderInput]:
    """The upload's lines, numbered by row; BadUpload when the file cannot be read, TooManyLines when it has
    more than `max_lines` rows with content (found after reading max_lines + 1 of them, not the whole file)."""
    if not content:
        raise _refuse(N_("The file is empty."))
    if len(content) > MAX_UPLOAD:
        raise _refuse(N_("The file is larger than %(max)s MB: upload at most %(lines)s lines."), max=2, lines=max_lines)
    name = filename.lower().strip()
    if content.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif name.endswith((".xls", ".ods", ".numbers")) or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(N_("Save the spreadsheet as .xlsx or .csv and upload that file."))
    else:
        rows = _csv_rows(content)
    return _lines(rows, max_lines)


def _lines(rows: Iterator[Row], max_lines: int) -> list[QuickOrderInput]:
    """The rows as numbered (SKU, quantity) lines, with the columns chosen by a header row when there is one."""
    first = next(rows, None)
    if first is None:
        raise _refuse(N_("The file holds no rows."))
    columns, header = _columns(first[1])

    def pairs() -> Iterator[tuple[object, object]]:
        expected = 1
        for number, cells in _chain(first, rows):
            while expected < number:  # a sheet leaves out its empty rows: keep the numbers people see
                yield None, None
                expected += 1
            expected = number + 1
            if header and number == first[0]:
                yield None, None  # the header row, counted but not read
                continue
            yield tuple(cells[c] if c < len(cells) else None for c in columns)  # type: ignore[misc]

    return parse_rows(pairs(), max_lines=max_lines)


def _chain(head: Row, rest: Iterator[Row]) -> Iterator[Row]:
    yield head
    yield from rest


def _words(cell: object) -> set[str]:
    return {w.casefold() for w in re.split(r"[\s_./()#:-]+", str(cell or "")) if w}


def _columns(cells: list[object]) -> tuple[tuple[int, int], bool]:
    """(SKU column, quantity column) and whether the first row is a header naming them."""
    sku = next((i for i, c in enumerate(cells[:MAX_COLUMNS]) if _words(c) & SKU_WORDS), None)
    qty = next((i for i, c in enumerate(cells[:MAX_COLUMNS]) if i != sku and _words(c) & QTY_WORDS), None)
    if sku is not None and qty is not None:
        return (sku, qty), True
    return (0, 1), False


# --- CSV -----------------------------------------------------------------------------------------------------


def _decoded(content: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252 as Excel writes it in Western Europe."""
    if b"\x00" in content[:4096]:
        if content.startswith((b"\xff\xfe", b"\xfe\xff")):
            return content.decode("utf-16")
        raise _refuse(N_("This file is not a CSV or XLSX list of SKUs and quantities."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _delimiter(sample: str) -> str:
    """The separator found on the most lines of the sample; a tie goes to tab, then ';' (Excel's in Spain,
    where ',' is the decimal comma), then ','."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    return max("\t;,", key=lambda d: sum(1 for line in lines if d in line))


def _csv_rows(content: bytes) -> Iterator[Row]:
    text = _decoded(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text[:8192]))
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [cell.strip() or None for cell in cells[:MAX_COLUMNS]]
    except csv.Error:
        raise _refuse(N_("Row %(row)s of the CSV file cannot be read."), row=reader.line_num) from None


# --- XLSX ----------------------------------------------------------------------------------------------------


def _member(book: zipfile.ZipFile, name: str, *, required: bool = True) -> bytes | None:
    """A workbook part, read through the decompression cap; a DOCTYPE is refused (no entity expansion)."""
    try:
        with book.open(name) as part:
            data = part.read(MAX_XML + 1)
    except KeyError:
        if required:
            raise _refuse(N_("This workbook has no sheet to read: save it again as .xlsx.")) from None
        return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        raise _refuse(N_("This file is damaged or not an Excel workbook.")) from None
    if len(data) > MAX_XML:
        raise _refuse(N_("This workbook is too large to read: upload at most %(lines)s lines."), lines=MAX_LINES)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # XML is case-sensitive: these are the only spellings
        raise _refuse(N_("This file is damaged or not an Excel workbook."))
    return data


def _xml(data: bytes) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)  # noqa: S314 - _member refused any DOCTYPE: no entities to expand
    except ElementTree.ParseError:
        raise _refuse(N_("This file is damaged or not an Excel workbook.")) from None


def _first_sheet(book: zipfile.ZipFile) -> str:
    """The path of the workbook's first sheet, through workbook.xml and its relationships."""
    workbook = _xml(_member(book, "xl/workbook.xml"))  # type: ignore[arg-type]
    sheet = workbook.find("m:sheets/m:sheet", NS)
    rels = _member(book, "xl/_rels/workbook.xml.rels", required=False)
    if sheet is not None and rels is not None:
        target = next(
            (r.get("Target", "") for r in _xml(rels) if r.get("Id") == sheet.get(REL_NS)),
            "",
        )
        if target:
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            return path.replace("xl/xl/", "xl/")
    return "xl/worksheets/sheet1.xml"


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    data = _member(book, "xl/sharedStrings.xml", required=False)
    if data is None:
        return []
    return ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in _xml(data).findall("m:si", NS)]


def _xlsx_rows(content: bytes) -> Iterator[Row]:
    try:
        book = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise _refuse(N_("This file is damaged or not an Excel workbook.")) from None
    with book:
        strings = _shared_strings(book)
        sheet = _member(book, _first_sheet(book))
        rows = list(_sheet_rows(sheet, strings))  # type: ignore[arg-type]
    return iter(rows)


def _column(ref: str | None, fallback: int) -> int:
    match = CELL_RE.fullmatch(ref or "")
    if match is None:
        return fallback
    index = 0
    for char in match.group(1):
        index = index * 26 + ord(char) - 64
    return index - 1


def _value(cell: ElementTree.Element, strings: Sequence[str]) -> object:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{{{NS['m']}}}t")) or None
    raw = cell.findtext("m:v", default=None, namespaces=NS)
    if raw is None or raw == "":
        return None
    if kind == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            raise _refuse(N_("This file is damaged or not an Excel workbook.")) from None
    if kind in {"str", "e", "b"}:
        return raw if kind != "b" else raw == "1"
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return raw
    return Decimal(format(number, "f")) if number.is_finite() else raw


def _sheet_rows(sheet: bytes, strings: Sequence[str]) -> Iterator[Row]:
    """The sheet's rows in order with their cells by column (up to MAX_COLUMNS), parsed incrementally and
    stopped after MAX_LINES + 2 rows with content (enough to tell a header and one row too many)."""
    parser = ElementTree.XMLPullParser(events=("end",))
    row_tag = f"{{{NS['m']}}}row"
    last, kept, size = 0, 0, len(sheet)
    for offset in range(0, size, 64 * 1024):
        try:
            parser.feed(sheet[offset : offset + 64 * 1024])
            events = list(parser.read_events())
        except ElementTree.ParseError:
            raise _refuse(N_("This file is damaged or not an Excel workbook.")) from None
        for _event, element in events:
            if element.tag != row_tag:
                continue
            number, cells = _row(element, last, strings)
            element.clear()
            last = number
            if any(c is not None and str(c).strip() for c in cells):
                kept += 1
                yield number, cells
                if kept > MAX_LINES + 1:
                    return


def _row(row: ElementTree.Element, last: int, strings: Sequence[str]) -> Row:
    """A row element's number (after `last`, within Excel's rows) and its cells by column."""
    try:
        number = int(row.get("r") or last + 1)
    except ValueError:
        number = last + 1
    if number <= last or number > MAX_ROW_NUMBER:
        raise _refuse(N_("This file is damaged or not an Excel workbook."))
    cells: list[object] = []
    for position, cell in enumerate(row.findall("m:c", NS)):
        column = _column(cell.get("r"), position)
        if column >= MAX_COLUMNS:
            continue
        cells.extend([None] * (column + 1 - len(cells)))
        cells[column] = _value(cell, strings)
    return number, cells

"""Reading and writing CSV files, pure: bytes -> header and records with line numbers, or issues saying why not.

What a file must be (the upload page says the same):
- UTF-8 text, with or without a byte-order mark (Excel: "CSV UTF-8"); at most 20 MB and 100,000 rows.
- Fields separated by ',' or ';' (or a tab), whichever the header line uses most; quotes as Excel writes them.
- The first line names the columns (case and surrounding blanks do not matter); an unknown, doubled or
  missing required column rejects the whole file, since no row could be read safely.
- Numbers use ',' or '.' as the decimal separator, without thousands separators ("1234,5" or "1234.5").
- Dates are written yyyy-mm-dd.
A file that is not text at all (a spreadsheet, an image, random bytes) is refused at once with one issue.
Line numbers are the file's own: the header is line 1, and a record spanning lines is named by its first.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from app.i18n import format_number as localised_number
from app.i18n import gettext as _
from app.tasks.domain import Issue, guard_cell, unguard_cell

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")
MAX_UNKNOWN_COLUMNS = 10
_CONTROL = frozenset(range(32)) - {9, 10, 13}
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


@dataclass(frozen=True)
class Record:
    """One data line: where it starts in the file and its cells by column name (blanks stripped)."""

    line: int
    cells: dict[str, str]
    broken: bool = False  # its number of fields does not match the header: cells are a best guess


@dataclass
class Table:
    """A file read as CSV: the column names in file order, the records, and any issues found reading it."""

    columns: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    fatal: bool = False  # the file as a whole cannot be used: nothing in it is imported

    def fail(self, issue: Issue) -> Table:
        self.issues.append(issue)
        self.fatal = True
        return self


def decode(data: bytes) -> tuple[str, list[Issue]]:
    """The file's text, or one issue explaining why it is not a CSV text file."""
    if len(data) > MAX_BYTES:
        return "", [Issue(None, "", _("The file is larger than %(n)s MB.", n=MAX_BYTES // (1024 * 1024)))]
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return "", [Issue(None, "", _("The file is empty."))]
    head = data[:SNIFF_BYTES]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return "", [Issue(None, "", _("This is a spreadsheet workbook, not a CSV file: save it as “CSV UTF-8” first."))]
    controls = sum(1 for byte in head if byte in _CONTROL)
    if b"\x00" in head or controls > len(head) // 100:
        return "", [Issue(None, "", _("This is not a CSV text file: it contains binary data."))]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        reason = _("The file is not UTF-8 text: line %(line)s cannot be read. Save it as “CSV UTF-8”.", line=line)
        return "", [Issue(line, "", reason)]


def sniff_delimiter(text: str) -> str:
    """The separator the header line uses most (outside quotes); ',' when it uses none."""
    header, quoted = [], False
    for char in text[:SNIFF_BYTES]:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        header.append(char)
    line = "".join(header)
    counts = {d: line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def normalise_column(name: str) -> str:
    """'  Name ES ' -> 'name_es'; 'attr: Color' -> 'attr:color'."""
    return re.sub(r"\s+", "_", name.strip().lower()).replace(":_", ":")


def read_table(
    data: bytes, known: Sequence[str], required: Iterable[str] = (), *, prefixes: Sequence[str] = ()
) -> Table:
    """Decode, split and map a CSV file; `known` columns, or names starting with one of `prefixes`, are accepted."""
    text, problems = decode(data)
    if problems:
        return Table(issues=problems, fatal=True)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    table = Table()
    try:
        header = next(reader, [])
        names = [normalise_column(n) for n in header]
        _check_header(table, names, known, required, prefixes)
        if table.fatal:
            return table
        table.columns = [n for n in names if n]
        previous = reader.line_num
        for cells in reader:
            line, previous = previous + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(table.records) >= MAX_ROWS:
                return table.fail(
                    Issue(line, "", _("The file has more than %(n)s rows.", n=localised_number(MAX_ROWS)))
                )
            # extra empty fields at the end are what spreadsheets often add: harmless
            broken = len(cells) < len(names) or any(c.strip() for c in cells[len(names) :])
            if broken:
                reason = _(
                    "This line has %(found)s fields; the header has %(wanted)s.", found=len(cells), wanted=len(names)
                )
                table.issues.append(Issue(line, "", reason))
            table.records.append(Record(line, {n: _cell(c) for n, c in zip(names, cells, strict=False) if n}, broken))
    except csv.Error as exc:
        line = reader.line_num or 1
        return table.fail(Issue(line, "", _("This line cannot be read as CSV (%(error)s).", error=str(exc))))
    if not table.records:
        return table.fail(Issue(None, "", _("The file has a header but no rows.")))
    return table


def _cell(raw: str) -> str:
    text = raw.strip()
    return unguard_cell(text) if text[:1] == "'" else text


def _check_header(
    table: Table, names: list[str], known: Sequence[str], required: Iterable[str], prefixes: Sequence[str]
) -> None:
    """Every column known and named once, the required ones present; else the file is rejected."""
    seen: set[str] = set()
    unknown = [
        n
        for n in dict.fromkeys(names)
        if n and n not in known and not any(n.startswith(p) and n != p for p in prefixes)
    ]
    if len(unknown) > MAX_UNKNOWN_COLUMNS or (unknown and set(unknown) == {n for n in names if n}):
        # no header at all (prose, numbers, another file): one issue, not one per word
        reason = _("The first line does not name the columns. Known columns: %(known)s.", known=", ".join(known))
        table.fail(Issue(1, "", reason))
        return
    for name in names:
        if name in seen and name:
            table.fail(Issue(1, name, _("The column “%(name)s” appears twice.", name=name)))
        elif name in unknown:
            known_list = ", ".join(known)
            table.fail(
                Issue(1, name, _("Unknown column “%(name)s”. Known columns: %(known)s.", name=name, known=known_list))
            )
        seen.add(name)
    for name in required:
        if name not in seen:
            table.fail(Issue(1, name, _("The column “%(name)s” is missing.", name=name)))


def parse_number(raw: str) -> Decimal | None:
    """'1234,5' or '1234.5' -> Decimal; '' -> None; raises ValueError on anything else (thousands separators too)."""
    text = raw.strip().replace(" ", "")
    if not text:
        return None
    if not _NUMBER.match(text):
        raise ValueError(raw)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(raw) from None


def number_issue(raw: str, column: str, line: int, *, minimum: Decimal = Decimal(0), above: bool = False,
                 decimals: int = 4, digits: int = 10) -> tuple[Decimal | None, Issue | None]:  # fmt: skip
    """A number within bounds, or the issue saying what is wrong with it."""
    if not raw:
        return None, None
    try:
        number = parse_number(raw)
    except ValueError:
        return None, Issue(line, column, _("Enter a number such as 12.5 or 12,5 (no thousands separator)."), raw)
    if number is None:
        return None, None
    if number < minimum or (above and number == minimum):
        reason = _("Enter a number of more than zero.") if above else _("Enter a number of zero or more.")
        return None, Issue(line, column, reason, raw)
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > decimals:
        return None, Issue(line, column, _("Use at most %(n)s decimals.", n=decimals), raw)
    if number >= Decimal(10) ** digits:
        return None, Issue(line, column, _("This number is too large."), raw)
    return number, None


def parse_date(raw: str) -> date | None:
    """'2026-12-31' -> date; '' -> None; raises ValueError otherwise."""
    text = raw.strip()
    return date.fromisoformat(text) if text else None


def format_number(value: Decimal | None) -> str:
    """12.5000 -> '12.5', 100 -> '100' (never an exponent); None -> ''."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def csv_text(rows: Iterable[Sequence[object]], *, bom: bool = False) -> str:
    """Rows as CSV (',' separated, CRLF lines); text cells are guarded against spreadsheet formulas."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([guard_cell(c) if isinstance(c, str) else c for c in row])
    return out.getvalue()

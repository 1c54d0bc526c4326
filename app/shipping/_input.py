"""Typed input of the shipping forms read in one place: codes, bounded numbers, postcodes and rate lines.

Each reader adds a translated message to `errors` under its field instead of raising, so a form shows every
problem at once; numbers go through app.numbers.parse_decimal (finite, in range, a given number of decimals).
"""

from __future__ import annotations

import re
from decimal import Decimal

from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.numbers import parse_decimal, parse_int
from app.shipping.domain import normalise_postcode

CODE_RE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,19}")
RANGE_RE = re.compile(r"([A-Z0-9]+)(?:-|\.\.)([A-Z0-9]+)")
MAX_KG = Decimal("99999.999")
MAX_CM = Decimal("99999.99")
MAX_AMOUNT = Decimal(1_000_000)
MAX_POSTCODES = 200


def code(raw: str, errors: dict[str, str], field: str = "code") -> str:
    """An upper-case code of up to 20 letters, digits, hyphens or underscores."""
    value = (raw or "").strip().upper()
    if not CODE_RE.fullmatch(value):
        errors[field] = _("Enter a code of up to 20 letters, digits, hyphens or underscores.")
    return value


def number(
    raw: object,
    field: str,
    errors: dict[str, str],
    *,
    maximum: Decimal,
    places: int,
    above_zero: bool = False,
    blank: Decimal | None = None,
) -> Decimal | None:
    """A typed number within 0..maximum (above zero when asked); blank gives `blank`."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return blank
    try:
        value = parse_decimal(raw, field, minimum=Decimal(0), maximum=maximum, places=places)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return blank
    if above_zero and value == 0:
        errors[field] = _("Enter a number greater than zero.")
    return value


def whole(raw: object, field: str, errors: dict[str, str], *, maximum: int) -> int:
    """A whole number within 0..maximum (0 when refused, with the message in errors)."""
    try:
        return parse_int(raw, field, minimum=0, maximum=maximum)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return 0


def postcodes(raw: str, errors: dict[str, str], field: str = "postcodes") -> tuple[list[str], list[list[str]]]:
    """Prefixes and ranges typed as "07, 35-38": a range has two ends of one length, low first."""
    prefixes: list[str] = []
    ranges: list[list[str]] = []
    joined = re.sub(r"\s*(-|\.\.)\s*", r"\1", (raw or "").upper())
    tokens = [token for token in re.split(r"[,;\s]+", joined) if token]
    for token in tokens[: MAX_POSTCODES + 1]:
        ends = RANGE_RE.fullmatch(token)
        if ends and len(ends[1]) == len(ends[2]):
            if ends[1] > ends[2]:
                errors[field] = _("The range %(range)s starts above where it ends.", range=token)
            ranges.append([ends[1], ends[2]])
            continue
        prefix = normalise_postcode(token)
        if not prefix.isalnum() or not prefix.isascii() or len(prefix) > 10:
            errors[field] = _("“%(value)s” is not a postcode, a prefix or a range.", value=token[:20])
        prefixes.append(prefix)
    if len(tokens) > MAX_POSTCODES:
        errors[field] = _("List at most %(n)s prefixes and ranges.", n=MAX_POSTCODES)
    return sorted(set(prefixes)), sorted(ranges)


def postcodes_text(prefixes: list[str], ranges: list[list[str]]) -> str:
    """What `postcodes` reads back: "07, 35-38"."""
    return ", ".join([*prefixes, *(f"{low}-{high}" for low, high in ranges)])


def columns(line: str) -> list[str]:
    """The cells of a pasted line: split on ';' or tabs when there are any (so "6,90" keeps its decimal comma),
    else on commas, else on spaces."""
    for separator in (";", "\t", ","):
        if separator in line:
            return [cell.strip() for cell in line.split(separator)]
    return line.split()


def _bracket(cells: list[str], seen: dict[Decimal, Decimal]) -> tuple[Decimal, Decimal] | str:
    """One bracket (up to kg, price), or what is wrong with it."""
    if len(cells) != 2:
        return _("write the weight limit and the price, as in “5; 6.90”.")
    problems: dict[str, str] = {}
    up_to = number(cells[0], "up_to_kg", problems, maximum=MAX_KG, places=3, above_zero=True)
    price = number(cells[1], "price", problems, maximum=MAX_AMOUNT, places=4)
    if problems or up_to is None or price is None:
        return next(iter(problems.values()), _("Enter a number."))
    if up_to in seen:
        return _("%(kg)s kg is listed twice.", kg=cells[0])
    return up_to, price


def brackets(raw: str, errors: dict[str, str], field: str = "brackets") -> list[tuple[Decimal, Decimal]]:
    """Weight brackets typed one per line as "up to kg; price", each limit once, lightest first."""
    found: dict[Decimal, Decimal] = {}
    lines = [line for line in (raw or "").splitlines() if line.strip()]
    if len(lines) > 200:
        errors[field] = _("Enter at most %(n)s brackets.", n=200)
        return []
    for line_number, line in enumerate(lines, 1):
        bracket = _bracket(columns(line), found)
        if isinstance(bracket, str):
            errors[field] = _("Line %(n)s: %(problem)s", n=line_number, problem=bracket)
            return []
        found[bracket[0]] = bracket[1]
    return sorted(found.items())

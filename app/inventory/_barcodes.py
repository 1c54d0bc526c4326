"""Typed or scanned codes: GTINs (EAN-13, EAN-8, UPC-A, GTIN-14) by check digit, GS1-128 element strings, or
an internal code (SKU, location, lot); anything malformed is a BarcodeError saying what is wrong."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from app.inventory._errors import StockRuleError

GS = "\x1d"  # FNC1 as scanners send it: ends a variable-length element
SYMBOLOGY_PREFIXES = ("]C1", "]e0", "]d2", "]Q3")  # GS1-128, DataBar, DataMatrix, QR in GS1 mode
MAX_INTERNAL_LENGTH = 64
MAX_LENGTH = 256  # far above any GS1 symbol; a longer input is a paste gone wrong, not a code
# AI -> (length, fixed): the application identifiers read; 31nn..36nn (measures) are 4 digits + 6, fixed.
AIS: dict[str, tuple[int, bool]] = {
    "00": (18, True),  # SSCC
    "01": (14, True),  # GTIN
    "02": (14, True),  # GTIN of the contained items
    "10": (20, False),  # lot
    "11": (6, True),  # production date
    "13": (6, True),  # packaging date
    "15": (6, True),  # best before
    "16": (6, True),  # sell by
    "17": (6, True),  # expiry
    "20": (2, True),  # variant
    "21": (20, False),  # serial
    "30": (8, False),  # variable count
    "37": (8, False),  # count of contained items
    "240": (30, False),  # additional product id
    "400": (30, False),  # customer's order number
}
NUMERIC_AIS = {"00", "01", "02", "11", "13", "15", "16", "17", "20", "30", "37"}
DATE_AIS = {"11", "13", "15", "16", "17"}
CHECKED_AIS = {"00", "01", "02"}


class CodeKind(StrEnum):
    """What a scanned code is."""

    EAN_13 = "ean13"
    EAN_8 = "ean8"
    UPC_A = "upca"
    GTIN_14 = "gtin14"
    GS1_128 = "gs1_128"
    INTERNAL = "internal"


GTIN_KINDS_BY_LENGTH = {8: CodeKind.EAN_8, 12: CodeKind.UPC_A, 13: CodeKind.EAN_13, 14: CodeKind.GTIN_14}


class BarcodeError(StockRuleError):
    """A code that cannot be read: bad check digit, bad date, unknown identifier, control characters."""

    def __init__(self, reason: str) -> None:
        super().__init__("code", reason)

    def __reduce__(self):
        return (type(self), (self.reason,))


@dataclass(frozen=True, slots=True)
class ScannedCode:
    """A code read: its kind, the text as scanned (trimmed, without a symbology prefix) and what it carries.

    `gtin` is always 14 digits (EAN-13 and the others zero-padded) so one column serves every lookup;
    `elements` lists every GS1 application identifier and value in the order read.
    """

    kind: CodeKind
    text: str
    gtin: str | None = None
    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None
    count: Decimal | None = None
    elements: tuple[tuple[str, str], ...] = ()


def gtin_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit for the digits before it: weights 3, 1, 3, ... from the right."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    """True for 8, 12, 13 or 14 digits whose last digit is the right check digit."""
    return code.isascii() and code.isdigit() and len(code) in GTIN_KINDS_BY_LENGTH and _check_digit_ok(code)


def _check_digit_ok(digits: str) -> bool:
    return gtin_check_digit(digits[:-1]) == int(digits[-1])


def _refuse_unprintable(text: str) -> None:
    """Control characters and non-ASCII characters are never part of a code: a scanner or keyboard slip."""
    for char in text:
        if not char.isascii():
            raise BarcodeError(f"contains the non-ASCII character {char!r}")
        if not char.isprintable():
            raise BarcodeError(f"contains the control character {char!r}")


def _ai_of(text: str, at: int) -> str:
    """The application identifier starting at `at`: a known 2-, 3- or 4-digit one, or a BarcodeError."""
    head = text[at : at + 4]
    if len(head) == 4 and head.isdigit() and "31" <= head[:2] <= "36":
        return head
    for size in (2, 3):
        if head[:size] in AIS:
            return head[:size]
    raise BarcodeError(f"unknown application identifier at {text[at : at + 4]!r}")


def _spec(ai: str) -> tuple[int, bool]:
    """(length, fixed) of a known identifier; the 4-digit measures are 6 digits, fixed."""
    return AIS.get(ai, (6, True))


def _elements_raw(text: str) -> list[tuple[str, str]]:
    """Split an unbracketed element string: fixed lengths by the table, variable ones end at GS or the end."""
    elements: list[tuple[str, str]] = []
    at = 0
    while at < len(text):
        if text[at] == GS:
            at += 1
            continue
        ai = _ai_of(text, at)
        length, fixed = _spec(ai)
        start = at + len(ai)
        end = start + length if fixed else _next_gs(text, start)
        elements.append((ai, text[start:end]))
        at = end
    return elements


def _next_gs(text: str, start: int) -> int:
    """Where the variable-length element starting at `start` ends: the next GS, or the end of the text."""
    found = text.find(GS, start)
    return len(text) if found < 0 else found


BRACKETED = re.compile(r"\((\d{2,4})\)([^()]*)")


def _elements_bracketed(text: str) -> list[tuple[str, str]]:
    """Split the human-readable form (01)09506000134352(17)251231(10)AB12."""
    matches = list(BRACKETED.finditer(text))
    if not matches or "".join(match.group(0) for match in matches) != text:
        raise BarcodeError("is not a GS1 element string of the form (AI)value(AI)value")
    return [(match.group(1), match.group(2)) for match in matches]


def _gs1_date(ai: str, value: str) -> date:
    """YYMMDD, years 2000-2099; day 00 means the last day of the month, as GS1 allows."""
    year, month, day = 2000 + int(value[:2]), int(value[2:4]), int(value[4:])
    try:
        if day == 0:
            day = calendar.monthrange(year, month)[1]
        return date(year, month, day)
    except ValueError:
        raise BarcodeError(f"({ai}) {value} is not a date (YYMMDD)") from None


def _check_element(ai: str, value: str) -> None:
    """Known identifier, right length, digits where digits belong, a good check digit and a real date."""
    if ai not in AIS and not (len(ai) == 4 and "31" <= ai[:2] <= "36"):
        raise BarcodeError(f"unknown application identifier ({ai})")
    length, fixed = _spec(ai)
    if not value or len(value) > length or (fixed and len(value) != length):
        expected = f"{length} characters" if fixed else f"1 to {length} characters"
        raise BarcodeError(f"({ai}) must hold {expected}, got {value!r}")
    if (ai in NUMERIC_AIS or len(ai) == 4) and not value.isdigit():
        raise BarcodeError(f"({ai}) must be digits, got {value!r}")
    if ai in CHECKED_AIS and not _check_digit_ok(value):
        raise BarcodeError(f"({ai}) {value} has a wrong check digit")
    if ai in DATE_AIS:
        _gs1_date(ai, value)


def _gs1(text: str, elements: list[tuple[str, str]]) -> ScannedCode:
    """A GS1 code from its elements, each checked; the well-known ones lifted into fields."""
    for ai, value in elements:
        _check_element(ai, value)
    found = dict(elements)
    if len(found) < len(elements):
        raise BarcodeError("repeats an application identifier")
    return ScannedCode(
        CodeKind.GS1_128,
        text,
        gtin=found.get("01"),
        lot=found.get("10"),
        expiry=_gs1_date("17", found["17"]) if "17" in found else None,
        serial=found.get("21"),
        count=Decimal(found["37"]) if "37" in found else None,
        elements=tuple(elements),
    )


def _looks_like_raw_gs1(text: str) -> bool:
    """Without brackets, prefix or GS, a code is read as GS1 when it opens with 01 and a valid GTIN-14."""
    return len(text) >= 16 and text.startswith("01") and is_valid_gtin(text[2:16])


def parse_code(raw: str) -> ScannedCode:
    """Read a typed or scanned code: a GTIN (check digit checked), a GS1 element string, or an internal code.

    Eight, twelve, thirteen or fourteen digits are always a GTIN, so such a code with a wrong check digit is
    refused rather than taken for a SKU. Surrounding spaces and a scanner's CR/LF are ignored.
    """
    text = raw.strip(" \t\r\n")
    if len(text) > MAX_LENGTH:
        raise BarcodeError(f"is {len(text)} characters long; a code has at most {MAX_LENGTH}")
    prefixed = text[:3] in SYMBOLOGY_PREFIXES
    if prefixed:
        text = text[3:]
    if not text.strip(GS):
        raise BarcodeError("is empty")
    if prefixed or GS in text:
        _refuse_unprintable(text.replace(GS, ""))
        return _gs1(text.strip(GS), _elements_raw(text.strip(GS)))
    _refuse_unprintable(text)
    if BRACKETED.match(text):
        return _gs1(text, _elements_bracketed(text))
    if text.isdigit() and len(text) in GTIN_KINDS_BY_LENGTH:
        if not _check_digit_ok(text):
            raise BarcodeError(f"{text} has a wrong check digit (expected {gtin_check_digit(text[:-1])})")
        return ScannedCode(GTIN_KINDS_BY_LENGTH[len(text)], text, gtin=text.zfill(14))
    if _looks_like_raw_gs1(text):
        return _gs1(text, _elements_raw(text))
    if len(text) > MAX_INTERNAL_LENGTH:
        raise BarcodeError(f"is {len(text)} characters long; an internal code has at most {MAX_INTERNAL_LENGTH}")
    return ScannedCode(CodeKind.INTERNAL, text)

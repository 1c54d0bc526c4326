"""Typed input of the purchasing forms read in one place: quantities, prices, percentages, days, dates, texts.

Each reader adds a translated message to `errors` under its field instead of raising, so a form shows every
problem at once; numbers go through app.numbers (finite, within range, a given number of decimals). A value
may also come as a Decimal, int or date (from another service or a test): it is checked the same way.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.numbers import MAX_QUANTITY, parse_decimal, parse_int

MAX_PRICE = Decimal(1_000_000_000)
MAX_RATE = Decimal(1_000_000)
MAX_DAYS = 999
Typed = str | Decimal | int | None


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def number(
    raw: Typed,
    field: str,
    errors: dict[str, str],
    *,
    maximum: Decimal,
    places: int,
    above_zero: bool = False,
    blank: Decimal | None = None,
) -> Decimal | None:
    """A number within 0..maximum (above zero when asked); blank gives `blank`."""
    if _blank(raw):
        return blank
    if isinstance(raw, bool):
        errors[field] = _("Enter a number.")
        return blank
    try:
        value = parse_decimal(raw, field, minimum=Decimal(0), maximum=maximum, places=places)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return blank
    if above_zero and value == 0:
        errors[field] = _("Enter a number greater than zero.")
        return blank
    return value


def quantity(raw: Typed, field: str, errors: dict[str, str], *, required: bool = True) -> Decimal | None:
    """A quantity above zero with at most 4 decimals."""
    if required and _blank(raw):
        errors[field] = _("Enter a quantity.")
        return None
    return number(raw, field, errors, maximum=MAX_QUANTITY, places=4, above_zero=True)


def price(raw: Typed, field: str, errors: dict[str, str], *, blank: Decimal | None = None) -> Decimal | None:
    """A unit price or an amount: zero or more, at most 4 decimals."""
    return number(raw, field, errors, maximum=MAX_PRICE, places=4, blank=blank)


def percent(raw: Typed, field: str, errors: dict[str, str], *, maximum: Decimal = Decimal(1000)) -> Decimal:
    """A percentage (2 decimals), zero when blank."""
    return number(raw, field, errors, maximum=maximum, places=2, blank=Decimal(0)) or Decimal(0)


def days(raw: Typed, field: str, errors: dict[str, str], *, blank: int | None = None) -> int | None:
    """A whole number of days, 0..999; blank gives `blank`."""
    if _blank(raw):
        if blank is None:
            errors[field] = _("Enter a number of days.")
        return blank
    try:
        return parse_int(raw, field, minimum=0, maximum=MAX_DAYS)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return blank


def a_date(raw: str | date | None, field: str, errors: dict[str, str]) -> date | None:
    """A date as YYYY-MM-DD (a date input's value) between 2000 and 2199; blank gives None."""
    if isinstance(raw, date):
        return raw
    if _blank(raw):
        return None
    try:
        value = date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        errors[field] = _("Enter a date.")
        return None
    if not 2000 <= value.year <= 2199:
        errors[field] = _("Enter a date.")
        return None
    return value


def text(raw: str | None, field: str, errors: dict[str, str], limit: int, *, required: bool = False) -> str:
    """A text as typed, trimmed: printable, within its length; required ones not blank."""
    value = (raw or "").strip()
    if required and not value:
        errors[field] = _("This field is required.")
    elif len(value) > limit:
        errors[field] = _("At most %(n)s characters.", n=limit)
    elif any(not char.isprintable() for char in value.replace("\n", "").replace("\r", "")):
        errors[field] = _("Remove the control characters.")
    return value[:limit]


def an_id(raw: object) -> uuid.UUID | None:
    """An id as a form gives it; blank or malformed gives None."""
    if isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw).strip()) if raw else None
    except ValueError:
        return None


def refuse(errors: dict[str, str]) -> None:
    """Raise every collected problem at once, if there is any."""
    if errors:
        raise ValidationFailed(errors)

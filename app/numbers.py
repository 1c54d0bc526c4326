"""Numbers typed by people, parsed in one place: finite, within the field's range, a clear message otherwise.

"1e400" is a finite Decimal that no column holds and that overflows a quantize; "NaN" and "Infinity" parse too.
Every form and service reads numbers through these, so each refusal names its field and says why.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from app.errors import ValidationFailed
from app.i18n import gettext as _

# Digits before the point a number of ours may have: sixteen covers any amount or quantity we store.
MAX_INTEGER_DIGITS = 16
# The most of anything one order line may ask for.
MAX_QUANTITY = Decimal(1_000_000_000)


def parse_decimal(
    raw: Any,
    field: str,
    *,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    places: int | None = None,
) -> Decimal:
    """A finite decimal number typed by a person ("1.5" or "1,5"), within bounds; ValidationFailed otherwise."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    try:
        value = Decimal(text[:60])
    except InvalidOperation:
        raise ValidationFailed({field: _("Enter a number.")}) from None
    if len(text) > 60 or not value.is_finite() or value.adjusted() >= MAX_INTEGER_DIGITS:
        raise ValidationFailed({field: _("Enter a number.")})
    if minimum is not None and value < minimum:
        raise ValidationFailed({field: _("Enter %(n)s or more.", n=_plain(minimum))})
    if maximum is not None and value > maximum:
        raise ValidationFailed({field: _("Enter %(n)s or less.", n=_plain(maximum))})
    if places is not None and value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValidationFailed({field: _("Use at most %(n)s decimals.", n=places)})
    return value


def parse_int(raw: Any, field: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number within bounds; ValidationFailed otherwise."""
    text = str(raw if raw is not None else "").strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", text):
        raise ValidationFailed({field: _("Enter a whole number.")})
    value = int(text)
    if minimum is not None and value < minimum:
        raise ValidationFailed({field: _("Enter %(n)s or more.", n=minimum)})
    if maximum is not None and value > maximum:
        raise ValidationFailed({field: _("Enter %(n)s or less.", n=maximum)})
    return value


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")

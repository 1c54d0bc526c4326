"""Input checks every stock service makes: quantities, costs, texts and lots, each refusal naming its field."""

from __future__ import annotations

from decimal import Decimal

from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory.domain import StockRuleError, place_code

QTY_PLACES = Decimal("0.0001")
MAX_QTY = Decimal(1_000_000_000)
MAX_COST = Decimal(1_000_000_000)
MAX_LOT = 60


def quantity(value: Decimal, field: str = "qty", *, zero: bool = False) -> Decimal:
    """A quantity moved or counted: finite, above zero (or zero when allowed), at most 4 decimals and 10^9."""
    if not isinstance(value, Decimal | int) or isinstance(value, bool) or not Decimal(value).is_finite():
        raise ValidationFailed({field: _("Enter a number.")})
    value = Decimal(value)
    if value < 0 or (value == 0 and not zero):
        raise ValidationFailed(
            {field: _("Enter a quantity above zero.") if not zero else _("A count is never negative.")}
        )
    if value > MAX_QTY:
        raise ValidationFailed({field: _("Enter %(n)s or less.", n="1000000000")})
    if value != value.quantize(QTY_PLACES):
        raise ValidationFailed({field: _("Use at most %(n)s decimals.", n=4)})
    return value


def unit_cost(value: Decimal, field: str = "unit_cost") -> Decimal:
    """A unit cost: finite, zero or more, at most 10^9 and 4 decimals."""
    if not isinstance(value, Decimal | int) or isinstance(value, bool) or not Decimal(value).is_finite():
        raise ValidationFailed({field: _("Enter a number.")})
    value = Decimal(value)
    if value < 0:
        raise ValidationFailed({field: _("A cost is never negative.")})
    if value > MAX_COST:
        raise ValidationFailed({field: _("Enter %(n)s or less.", n="1000000000")})
    if value != value.quantize(QTY_PLACES):
        raise ValidationFailed({field: _("Use at most %(n)s decimals.", n=4)})
    return value


def text(value: str | None, field: str, max_length: int, *, required: bool = False) -> str:
    """A text as typed, trimmed: printable, within its length; required ones not blank."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationFailed({field: _("At most %(n)s characters.", n=max_length)})
    if any(not char.isprintable() for char in value):
        raise ValidationFailed({field: _("Remove the control characters.")})
    return value


def lot_code(value: str | None, field: str = "lot") -> str | None:
    """A lot or serial number as printed on the goods (None when blank)."""
    value = text(value, field, MAX_LOT)
    return value or None


def code(value: str, field: str, max_length: int) -> str:
    """A warehouse or location code (domain rule: what a barcode carries), refused with a translated reason."""
    try:
        return place_code(field, value, max_length)
    except StockRuleError:
        raise ValidationFailed(
            {field: _("Use %(n)s characters at most: letters A-Z, digits and . _ / -.", n=max_length)}
        ) from None

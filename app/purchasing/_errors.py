"""The one error the purchasing rules raise, and the number checks they make on their input."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)
Id = Hashable  # a supplier, product or line id as the service has it (UUID, int, code)


class PurchasingRuleError(ValueError):
    """Bad input to a purchasing rule: `field` names the argument, `reason` says in plain English what is wrong.

    A service turns it into `app.errors.ValidationFailed({error.field: error.reason})` for the form.
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(field, reason)
        self.field = field
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


def decimal(field: str, value: Decimal | int) -> Decimal:
    """The value as a finite Decimal; an int is taken as is, a float is refused so that no binary fraction sneaks in."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise PurchasingRuleError(field, f"must be a Decimal or an int, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise PurchasingRuleError(field, f"must be a finite number, got {value}")
    return number


def positive(field: str, value: Decimal | int) -> Decimal:
    """The value if it is above zero (quantities)."""
    number = decimal(field, value)
    if number <= 0:
        raise PurchasingRuleError(field, f"must be above zero, got {number}")
    return number


def not_negative(field: str, value: Decimal | int) -> Decimal:
    """The value if it is zero or more (prices, tolerances, weights)."""
    number = decimal(field, value)
    if number < 0:
        raise PurchasingRuleError(field, f"must not be negative, got {number}")
    return number


def whole_days(field: str, value: int) -> int:
    """A number of days: a non-negative int (lead times)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PurchasingRuleError(field, f"must be a whole number of days, zero or more, got {value!r}")
    return value

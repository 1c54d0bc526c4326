"""Landed costs: spread freight, duties or insurance over received lines, to the cent and summing exactly."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from typing import NamedTuple

from app.money import to_minor_unit
from app.purchasing._errors import ZERO, Id, PurchasingRuleError, decimal, not_negative


class AllocationBasis(StrEnum):
    """What a landed cost is spread by; the value is what the landed cost row stores."""

    VALUE = "value"
    WEIGHT = "weight"
    VOLUME = "volume"
    QUANTITY = "quantity"


class ReceivedLine(NamedTuple):
    """A received line a landed cost can fall on: quantity, value, total weight and total volume of the line."""

    line: Id
    qty: Decimal
    value: Decimal
    weight: Decimal = ZERO
    volume: Decimal = ZERO


class LandedShare(NamedTuple):
    """The part of the cost that falls on one line."""

    line: Id
    amount: Decimal


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency: 0.01 for EUR, 1 for JPY, 0.001 for BHD."""
    return Decimal(1).scaleb(to_minor_unit(ZERO, currency).as_tuple().exponent)


def _basis(line: ReceivedLine, basis: AllocationBasis) -> Decimal:
    figure = {
        AllocationBasis.VALUE: line.value,
        AllocationBasis.WEIGHT: line.weight,
        AllocationBasis.VOLUME: line.volume,
        AllocationBasis.QUANTITY: line.qty,
    }[basis]
    return not_negative(str(basis), figure)


def _largest_remainder(units: int, weights: Sequence[Decimal]) -> list[int]:
    """Split a whole number of units in proportion to the weights: floors first, then one more unit each to the
    largest remainders (the earlier line on a tie), so the parts add up to exactly `units`."""
    total = sum(weights, ZERO)
    exact = [units * weight / total for weight in weights]
    parts = [int(share.to_integral_value(rounding=ROUND_FLOOR)) for share in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in by_remainder[: units - sum(parts)]:
        parts[index] += 1
    return parts


def allocate_landed_cost(
    amount: Decimal, currency: str, lines: Sequence[ReceivedLine], basis: AllocationBasis | str
) -> tuple[LandedShare, ...]:
    """Spread amount over the lines in proportion to the basis, in minor units, summing exactly to amount.

    Each share is within one minor unit of its exact proportion; a line with a zero basis gets nothing.
    A negative amount (a credit on freight) is spread the same way with the sign kept.
    """
    amount = decimal("amount", amount)
    if to_minor_unit(amount, currency) != amount:
        raise PurchasingRuleError("amount", f"{amount} has more decimals than {currency} allows")
    try:
        basis = AllocationBasis(basis)
    except ValueError:
        raise PurchasingRuleError("basis", f"unknown basis {basis!r}; use value, weight, volume or quantity") from None
    if not lines:
        raise PurchasingRuleError("lines", "a landed cost needs at least one received line to fall on")
    weights = [_basis(line, basis) for line in lines]
    if sum(weights, ZERO) == 0:
        raise PurchasingRuleError("basis", f"every line has a zero {basis}: choose another basis")
    unit = minor_unit(currency)
    units = int(abs(amount) / unit)
    sign = -1 if amount < 0 else 1
    parts = _largest_remainder(units, weights)
    return tuple(LandedShare(line.line, sign * part * unit) for line, part in zip(lines, parts, strict=True))

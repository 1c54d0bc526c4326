"""Quantity rules per variant: minimum order quantity, pack size and maximum, with a valid suggestion."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import NamedTuple

from app.i18n import format_number, gettext
from app.pricing._rules import ONE, Id
from app.pricing._text import N_


class QuantityRule(NamedTuple):
    """One row of `quantity_rules` (one per variant; no row = any positive quantity).

    - min_qty: minimum order quantity, > 0 (default 1).
    - multiple: pack size; a quantity must be a whole number of packs. None = any quantity.
    - max_qty: the most one order line may hold; None = no maximum.
    """

    variant_id: Id
    min_qty: Decimal = ONE
    multiple: Decimal | None = None
    max_qty: Decimal | None = None


@dataclass(frozen=True, slots=True)
class QuantityProblem:
    """One broken quantity rule: a code for programs ('positive', 'min', 'multiple', 'max', 'none'), a message."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class QuantityCheck:
    """The problems of an ordered quantity and the nearest valid quantity (None when none exists)."""

    problems: tuple[QuantityProblem, ...]
    suggested: Decimal | None

    @property
    def ok(self) -> bool:
        """True when the quantity may be ordered as it is."""
        return not self.problems


def _packs(qty: Decimal, multiple: Decimal | None, rounding: str) -> Decimal:
    """qty rounded to a whole number of packs, up or down."""
    if multiple is None:
        return qty
    return (qty / multiple).to_integral_value(rounding=rounding) * multiple


def smallest_valid(rule: QuantityRule, at_least: Decimal) -> Decimal | None:
    """The smallest orderable quantity >= at_least (and >= the minimum), or None when the maximum forbids it."""
    qty = _packs(max(at_least, rule.min_qty), rule.multiple, ROUND_CEILING)
    if rule.max_qty is not None and qty > rule.max_qty:
        return None
    return qty


def largest_valid(rule: QuantityRule) -> Decimal | None:
    """The largest orderable quantity, None without a maximum or when no quantity is orderable."""
    if rule.max_qty is None:
        return None
    qty = _packs(rule.max_qty, rule.multiple, ROUND_FLOOR)
    return qty if qty >= rule.min_qty and qty > 0 else None


def check_quantity(qty: Decimal | int, rule: QuantityRule | None) -> QuantityCheck:
    """Every rule the quantity breaks, with messages, and a suggestion: up to the pack size within min and max.

    The suggestion rounds up (the customer asked for at least this many) and falls back to the largest valid
    quantity when rounding up would pass the maximum.
    """
    qty = Decimal(qty)
    if rule is None:
        if qty > 0:
            return QuantityCheck((), qty)
        return QuantityCheck((QuantityProblem("positive", gettext(N_("Enter a quantity greater than zero"))),), ONE)
    problems: list[QuantityProblem] = []
    if qty <= 0:
        problems.append(QuantityProblem("positive", gettext(N_("Enter a quantity greater than zero"))))
    elif qty < rule.min_qty:
        message = gettext(N_("The minimum order quantity is %(min)s"), min=format_number(rule.min_qty))
        problems.append(QuantityProblem("min", message))
    if qty > 0 and rule.multiple is not None and qty % rule.multiple != 0:
        message = gettext(N_("Order in multiples of %(multiple)s"), multiple=format_number(rule.multiple))
        problems.append(QuantityProblem("multiple", message))
    if rule.max_qty is not None and qty > rule.max_qty:
        message = gettext(N_("The maximum order quantity is %(max)s"), max=format_number(rule.max_qty))
        problems.append(QuantityProblem("max", message))
    suggested = smallest_valid(rule, qty) or largest_valid(rule)
    if suggested is None:
        problems.append(QuantityProblem("none", gettext(N_("This item cannot be ordered in any quantity"))))
    if not problems:
        return QuantityCheck((), qty)
    return QuantityCheck(tuple(problems), suggested)

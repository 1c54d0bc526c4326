"""Rounding of computed prices: half up to the currency's minor unit, or to a .99 / .95 / .90 ending."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache
from itertools import repeat

from app.i18n import quantize_money


class Rounding(StrEnum):
    """How a price rule rounds the price it computes; the value is what the database stores."""

    CENT = "cent"  # half up to the minor unit of the currency (cents; whole units for JPY)
    END_99 = "99"
    END_95 = "95"
    END_90 = "90"


# A psychological ending sits this far below the next whole unit.
GAPS = {Rounding.END_99: Decimal("0.01"), Rounding.END_95: Decimal("0.05"), Rounding.END_90: Decimal("0.10")}


@cache
def quantum(currency: str) -> Decimal:
    """The currency's minor unit as a quantize template (0.00 for EUR, 0 for JPY), taken from app.i18n."""
    return quantize_money(Decimal(0), currency)


@cache
def ending_gaps(currency: str) -> dict[str, Decimal]:
    """The gap below the next whole unit for each ending; none for a currency without a minor unit (JPY)."""
    return dict(GAPS) if quantum(currency).as_tuple().exponent < 0 else {}


def to_minor_unit(amount: Decimal, currency: str) -> Decimal:
    """Half up to the minor unit: the same result as app.i18n.quantize_money, with the template cached."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def round_price(amount: Decimal, currency: str, rounding: Rounding | str) -> Decimal:
    """Round a positive computed price as a rule asks.

    'cent' rounds half up to the minor unit. An ending ('99', '95', '90') first rounds to the minor unit,
    then takes the next whole unit up and steps back by the gap: ceil(p) - 0.01 / 0.05 / 0.10. So
    10.40 -> 10.99, 10.00 -> 9.99, 9.99 -> 9.99 (idempotent), 0.30 -> 0.99. The result lies in
    [p - gap, p + 1 - gap): it never undercuts the computed price by more than the gap and never adds a
    whole unit. Currencies without a minor unit (JPY) have no such ending and round to the unit.
    """
    if rounding != Rounding.CENT and rounding not in GAPS:
        raise ValueError(f"unknown rounding {rounding!r}")
    return round_to(amount, quantum(currency), ending_gaps(currency).get(rounding))


def round_to(amount: Decimal, minor_unit: Decimal, gap: Decimal | None) -> Decimal:
    """round_price with the currency's minor unit and the ending's gap (None: 'cent') looked up already, as the
    engine holds them for a whole page: half up to the minor unit, then, with a gap, the next whole unit less it."""
    price = amount.quantize(minor_unit, ROUND_HALF_UP)
    if gap is None:
        return price
    return (price.to_integral_value(ROUND_CEILING) - gap).quantize(minor_unit, ROUND_HALF_UP)


def round_all(amounts: Sequence[Decimal], minor_unit: Decimal, gap: Decimal | None) -> list[Decimal]:
    """round_to for each of many amounts (a run of a page's rules), its two steps mapped over them in C: a Python
    call per amount costs about as much as the rounding itself."""
    prices = list(map(Decimal.quantize, amounts, repeat(minor_unit), repeat(ROUND_HALF_UP)))
    if gap is None:
        return prices
    ceilings = map(Decimal.to_integral_value, prices, repeat(ROUND_CEILING))
    return list(
        map(Decimal.quantize, map(Decimal.__sub__, ceilings, repeat(gap)), repeat(minor_unit), repeat(ROUND_HALF_UP))
    )

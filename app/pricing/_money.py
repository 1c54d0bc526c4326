"""Rounding of computed prices: half up to the currency's minor unit, or to a .99 / .95 / .90 ending."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache

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
    price = to_minor_unit(amount, currency)
    if rounding == Rounding.CENT:
        return price
    if rounding not in GAPS:
        raise ValueError(f"unknown rounding {rounding!r}")
    gap = ending_gaps(currency).get(rounding)
    if gap is None:
        return price
    return to_minor_unit(price.to_integral_value(rounding=ROUND_CEILING) - gap, currency)

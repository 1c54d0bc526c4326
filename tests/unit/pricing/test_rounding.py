"""Rounding of computed prices: half up to the minor unit, and the .99 / .95 / .90 endings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.pricing.domain import Rounding, round_price


def d(value: str) -> Decimal:
    return Decimal(value)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("10.004", "10.00"), ("10.005", "10.01"), ("10.015", "10.02"), ("0.125", "0.13"), ("79.2", "79.20")],
)
def test_cent_rounds_half_up_not_half_even(amount, expected):
    assert round_price(d(amount), "EUR", Rounding.CENT) == d(expected)
    assert str(round_price(d(amount), "EUR", "cent")) == expected


@pytest.mark.parametrize(
    ("amount", "rounding", "expected"),
    [
        ("10.40", "99", "10.99"),
        ("10.00", "99", "9.99"),  # a whole price steps down one cent, never up almost a unit
        ("9.99", "99", "9.99"),  # idempotent
        ("10.01", "99", "10.99"),
        ("10.004", "99", "9.99"),  # first to the cent (10.00), then the ending
        ("10.005", "99", "10.99"),  # 10.01 after the cent
        ("0.30", "99", "0.99"),
        ("79.20", "95", "79.95"),
        ("80.00", "95", "79.95"),
        ("79.96", "95", "79.95"),  # at most the gap (0.05) below the computed price
        ("79.20", "90", "79.90"),
        ("80.00", "90", "79.90"),
        ("79.91", "90", "79.90"),
    ],
)
def test_endings_take_the_next_whole_unit_minus_the_gap(amount, rounding, expected):
    assert round_price(d(amount), "EUR", rounding) == d(expected)


@pytest.mark.parametrize("rounding", ["99", "95", "90"])
@pytest.mark.parametrize("amount", ["0.01", "1.00", "1.37", "12.345", "99.99", "100.00", "1234.56"])
def test_an_ending_stays_within_the_gap_below_and_a_unit_above(amount, rounding):
    gap = {"99": d("0.01"), "95": d("0.05"), "90": d("0.10")}[rounding]
    price = round_price(d(amount), "EUR", rounding)
    cents = d(amount).quantize(d("0.01"))
    assert cents - gap <= price < cents + 1 - gap + d("0.001")
    assert price % 1 == 1 - gap  # ends in .99, .95 or .90


def test_currency_without_minor_unit_rounds_to_whole_units():
    assert round_price(d("1234.5"), "JPY", "cent") == d("1235")
    assert round_price(d("1234.4"), "JPY", "99") == d("1234")  # no .99 in yen: plain rounding


def test_three_decimal_currency_keeps_three_places():
    assert round_price(d("1.2345"), "KWD", "cent") == d("1.235")
    assert str(round_price(d("1.2345"), "KWD", "99")) == "1.990"


def test_unknown_rounding_is_refused():
    with pytest.raises(ValueError, match="unknown rounding"):
        round_price(d("1"), "EUR", "97")

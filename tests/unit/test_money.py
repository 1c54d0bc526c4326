"""Money and Quantity: Decimal only, rounding per currency, no mixing of currencies or units."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.money import MixedUnits, Money, Quantity, to_minor_unit, total


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("2.345", "EUR", "2.35"),
        ("2.344", "EUR", "2.34"),
        ("-2.345", "EUR", "-2.35"),
        ("-0.001", "EUR", "0.00"),
        ("1234.5", "JPY", "1235"),
        ("1.2345", "BHD", "1.235"),
        ("0.125", "GBP", "0.13"),
    ],
)
def test_rounding_is_half_up_to_the_minor_unit(amount, currency, expected):
    assert str(to_minor_unit(D(amount), currency)) == expected
    assert str(Money(D(amount), currency).rounded().amount) == expected


def test_arithmetic_keeps_the_currency_and_refuses_mixing():
    a, b = Money(D("10.10"), "eur"), Money(D("0.25"), "EUR")
    assert a + b == Money(D("10.35"), "EUR") and a - b == Money(D("9.85"), "EUR")
    assert a * 3 == Money(D("30.30"), "EUR") and 2 * b == Money(D("0.50"), "EUR")
    assert b < a and -b == Money(D("-0.25"), "EUR") and not Money.zero("EUR")
    with pytest.raises(MixedUnits):
        a + Money(D(1), "GBP")
    with pytest.raises(MixedUnits):
        assert a > Money(D(1), "GBP")
    assert total([a, b], "EUR") == Money(D("10.35"), "EUR")


@pytest.mark.parametrize("bad", [1.5, float("nan"), True, "NaN", "Infinity"])
def test_no_float_and_nothing_infinite(bad):
    with pytest.raises((TypeError, ValueError)):
        Money(bad, "EUR")
    with pytest.raises((TypeError, ValueError)):
        Quantity(bad, "EA")


def test_quantities_keep_their_unit():
    assert Quantity(D(3), "EA") + Quantity(D(2), "EA") == Quantity(D(5), "EA")
    with pytest.raises(MixedUnits):
        Quantity(D(3), "EA") + Quantity(D(1), "BOX")
    assert Quantity(D(24), "EA").converted(D(12), "BOX") == Quantity(D(2), "BOX")
    with pytest.raises(ValueError):
        Quantity(D(1), "EA").converted(D(0), "BOX")


@given(
    st.decimals(min_value=0, max_value=10**9, places=2),
    st.lists(st.decimals(min_value=0, max_value=1000, places=3), min_size=1, max_size=12),
)
def test_allocation_sums_exactly_and_stays_within_a_cent(amount, weights):
    if not sum(weights):
        weights = [*weights[:-1], D(1)]
    shares = Money(amount, "EUR").allocate(weights)
    assert sum(s.amount for s in shares) == amount
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share.amount - amount * weight / sum(weights)) < D("0.01")

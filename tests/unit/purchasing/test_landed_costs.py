"""Landed cost allocation: by value, weight, volume or quantity, to the minor unit, summing exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.purchasing.domain import (
    AllocationBasis,
    LandedShare,
    PurchasingRuleError,
    ReceivedLine,
    allocate_landed_cost,
    minor_unit,
)


def d(value: str | int) -> Decimal:
    return Decimal(value)


LINES = [
    ReceivedLine("A", qty=d(10), value=d("100.00"), weight=d(5), volume=d("0.2")),
    ReceivedLine("B", qty=d(30), value=d("200.00"), weight=d(0), volume=d("0.1")),
    ReceivedLine("C", qty=d(60), value=d("700.00"), weight=d(15), volume=d("0.7")),
]


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        ("value", ["10.00", "20.00", "70.00"]),
        ("weight", ["25.00", "0.00", "75.00"]),
        ("volume", ["20.00", "10.00", "70.00"]),
        ("quantity", ["10.00", "30.00", "60.00"]),
    ],
)
def test_each_basis_spreads_in_proportion(basis, expected):
    shares = allocate_landed_cost(d("100.00"), "EUR", LINES, basis)
    assert shares == tuple(LandedShare(line.line, d(amount)) for line, amount in zip(LINES, expected, strict=True))


def test_the_cents_left_over_go_to_the_largest_remainders_the_first_line_on_a_tie():
    equal = [ReceivedLine(name, d(1), d(1)) for name in "XYZ"]
    assert [s.amount for s in allocate_landed_cost(d("100.00"), "EUR", equal, "quantity")] == [
        d("33.34"),
        d("33.33"),
        d("33.33"),
    ]
    assert [s.amount for s in allocate_landed_cost(d("0.02"), "EUR", equal, "quantity")] == [
        d("0.01"),
        d("0.01"),
        d("0.00"),
    ]
    skewed = [ReceivedLine("X", d(1), d(1)), ReceivedLine("Y", d(2), d(2))]
    assert [s.amount for s in allocate_landed_cost(d("0.10"), "EUR", skewed, "value")] == [d("0.03"), d("0.07")]


def test_a_credit_is_spread_with_its_sign_and_zero_spreads_nothing():
    assert [s.amount for s in allocate_landed_cost(d("-100.00"), "EUR", LINES, "value")] == [
        d("-10.00"),
        d("-20.00"),
        d("-70.00"),
    ]
    assert all(s.amount == 0 for s in allocate_landed_cost(d(0), "EUR", LINES, "value"))


def test_currencies_without_cents_allocate_whole_units():
    assert minor_unit("JPY") == d(1) and minor_unit("EUR") == d("0.01") and minor_unit("BHD") == d("0.001")
    shares = allocate_landed_cost(d(1000), "JPY", [ReceivedLine(n, d(1), d(1)) for n in "XYZ"], "value")
    assert [s.amount for s in shares] == [d(334), d(333), d(333)]


@pytest.mark.parametrize(
    ("amount", "lines", "basis", "field", "message"),
    [
        (d("10.00"), LINES, "weight_volume", "basis", "unknown basis 'weight_volume'"),
        (d("10.00"), [], "value", "lines", "at least one received line"),
        (
            d("10.00"),
            [ReceivedLine("A", d(1), d(1)), ReceivedLine("B", d(1), d(1))],
            AllocationBasis.WEIGHT,
            "basis",
            "every line has a zero weight: choose another basis",
        ),
        (d("10.005"), LINES, "value", "amount", "10.005 has more decimals than EUR allows"),
        (d("10.00"), [ReceivedLine("A", d(1), d(-1))], "value", "value", "must not be negative"),
        (1.5, LINES, "value", "amount", "not float"),
    ],
)
def test_impossible_allocations_are_refused_with_a_reason(amount, lines, basis, field, message):
    with pytest.raises(PurchasingRuleError) as error:
        allocate_landed_cost(amount, "EUR", lines, basis)
    assert error.value.field == field and message in error.value.reason


BASES = st.lists(st.decimals(min_value=0, max_value=10_000, places=3), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    cents=st.integers(min_value=-(10**7), max_value=10**7),
    figures=BASES.filter(lambda figures: sum(figures) > 0),
    currency=st.sampled_from(["EUR", "JPY", "BHD"]),
)
def test_an_allocation_sums_exactly_and_each_share_is_within_one_minor_unit(cents, figures, currency):
    unit = minor_unit(currency)
    amount = cents * unit
    lines = [ReceivedLine(index, d(1), figure) for index, figure in enumerate(figures)]
    shares = allocate_landed_cost(amount, currency, lines, "value")
    assert sum(share.amount for share in shares) == amount
    total = sum(figures)
    for share, figure in zip(shares, figures, strict=True):
        assert abs(share.amount - amount * figure / total) < unit
        assert share.amount == share.amount.quantize(unit)
        if figure == 0:
            assert share.amount == 0

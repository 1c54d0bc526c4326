"""Supplier price lists: the price that applies, with reasons when none does, and the best supplier."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.purchasing.domain import (
    PurchasingRuleError,
    SupplierPreference,
    SupplierPrice,
    best_supplier,
    in_packs,
    supplier_price,
)

ON = date(2025, 6, 1)


def d(value: str | int) -> Decimal:
    return Decimal(value)


def price(supplier, qty, unit, lead=10, **kwargs) -> SupplierPrice:
    kwargs.setdefault("currency", "EUR")
    return SupplierPrice(supplier, "P1", min_qty=d(qty), unit_price=d(unit), lead_time_days=lead, **kwargs)


ACME = [price("acme", 1, "10.00"), price("acme", 50, "9.00"), price("acme", 100, "8.50")]


@pytest.mark.parametrize(("qty", "unit"), [("1", "10.00"), ("49.9", "10.00"), ("50", "9.00"), ("100", "8.50")])
def test_the_highest_quantity_break_reached_applies(qty, unit):
    lookup = supplier_price(ACME, "acme", "P1", d(qty), on=ON)
    assert lookup.reason is None and lookup.offer.unit_price == d(unit)


def test_the_amount_rounds_to_the_cent():
    offer = supplier_price([price("acme", 1, "0.333")], "acme", "P1", d(10), on=ON).offer
    assert offer.amount == d("3.33") and offer.qty == d(10)


def test_packs_round_the_quantity_up_and_may_reach_a_higher_break():
    lines = [price("acme", 1, "2.00", pack_size=d(12)), price("acme", 48, "1.50", pack_size=d(12))]
    offer = supplier_price(lines, "acme", "P1", d(40), on=ON).offer
    assert (offer.qty, offer.unit_price, offer.amount) == (d(48), d("1.50"), d("72.00"))
    assert in_packs(d(13), d(12)) == d(24) and in_packs(d(13), None) == d(13)


def test_validity_days_are_inclusive_and_the_newest_list_wins_a_tie():
    lines = [
        price("acme", 1, "10.00", valid_from=date(2025, 1, 1), valid_to=date(2025, 6, 1)),
        price("acme", 1, "11.00", valid_from=date(2025, 6, 1)),
    ]
    assert supplier_price(lines, "acme", "P1", d(1), on=date(2025, 6, 1)).offer.unit_price == d("11.00")
    assert supplier_price(lines, "acme", "P1", d(1), on=date(2025, 5, 31)).offer.unit_price == d("10.00")
    assert supplier_price(lines, "acme", "P1", d(1), on=date(2025, 6, 2)).offer.unit_price == d("11.00")


def test_equal_lines_give_the_lower_price():
    lines = [price("acme", 1, "10.00"), price("acme", 1, "9.99")]
    assert supplier_price(lines, "acme", "P1", d(1), on=ON).offer.unit_price == d("9.99")


@pytest.mark.parametrize(
    ("lines", "kwargs", "reason"),
    [
        ([], {}, "supplier acme has no price for product P1"),
        ([price("other", 1, "1")], {}, "supplier acme has no price for product P1"),
        (
            [price("acme", 1, "1", valid_to=date(2025, 5, 31))],
            {},
            "supplier acme has no price for product P1 valid on 2025-06-01",
        ),
        ([price("acme", 5, "1")], {}, "supplier acme sells product P1 from 5, not 2"),
        ([price("acme", 1, "1")], {"currency": "USD"}, "supplier acme has no price in USD for product P1"),
    ],
)
def test_no_price_comes_with_a_reason(lines, kwargs, reason):
    lookup = supplier_price(lines, "acme", "P1", d(2), on=ON, **kwargs)
    assert lookup.offer is None and lookup.reason == reason


def test_a_bad_line_or_quantity_is_refused():
    with pytest.raises(PurchasingRuleError) as error:
        supplier_price([price("acme", 1, "-1")], "acme", "P1", d(1), on=ON)
    assert error.value.field == "unit_price"
    with pytest.raises(PurchasingRuleError) as error:
        supplier_price(ACME, "acme", "P1", d(0), on=ON)
    assert error.value.field == "qty"


# --- the best supplier ----------------------------------------------------------------------------------

SUPPLIERS = [
    price("acme", 1, "10.00", lead=10),
    price("bolt", 1, "9.50", lead=20),
    price("cyan", 1, "11.00", lead=3),
    price("dusk", 1, "12.00", lead=3, valid_to=date(2025, 1, 1)),
]


def test_the_cheapest_supplier_by_default_and_the_fastest_on_request():
    cheapest = best_supplier(SUPPLIERS, "P1", d(10), on=ON, currency="EUR")
    assert [r.offer.supplier for r in cheapest.ranked] == ["bolt", "acme", "cyan"]
    assert cheapest.best.landed_per_unit == d("9.5000")
    assert [r.supplier for r in cheapest.refused] == ["dusk"] and cheapest.reason is None
    fastest = best_supplier(SUPPLIERS, "P1", d(10), on=ON, currency="EUR", prefer="fastest")
    assert fastest.best.offer.supplier == "cyan"


def test_an_uplift_for_freight_and_duties_can_change_the_winner():
    choice = best_supplier(SUPPLIERS, "P1", d(10), on=ON, currency="EUR", uplift_pct={"bolt": d(10)})
    assert choice.best.offer.supplier == "acme"  # bolt lands at 10.45
    assert choice.ranked[1].landed_per_unit == d("10.4500")


def test_other_currencies_are_converted_and_a_missing_rate_refuses_the_supplier():
    lines = [price("acme", 1, "10.00"), price("yank", 1, "10.00", currency="USD")]
    choice = best_supplier(lines, "P1", d(1), on=ON, currency="EUR", rates={"USD": d("0.9")})
    assert choice.best.offer.supplier == "yank" and choice.best.landed_per_unit == d("9.0000")
    choice = best_supplier(lines, "P1", d(1), on=ON, currency="EUR")
    assert [r.offer.supplier for r in choice.ranked] == ["acme"]
    assert choice.refused[0].reason == "supplier yank prices in USD, with no rate to EUR"


def test_buying_a_whole_pack_counts_against_the_cheaper_unit_price():
    lines = [price("acme", 1, "1.00"), price("bulk", 1, "0.50", pack_size=d(100))]
    choice = best_supplier(lines, "P1", d(10), on=ON, currency="EUR")
    assert choice.best.offer.supplier == "acme"  # bulk: 50.00 for 10 wanted = 5.00 a unit
    assert choice.ranked[1].landed_per_unit == d("5.0000")


def test_ties_go_to_the_faster_then_to_the_supplier_id():
    lines = [price("zeta", 1, "5", lead=4), price("beta", 1, "5", lead=4), price("alfa", 1, "5", lead=9)]
    choice = best_supplier(lines, "P1", d(1), on=ON, currency="EUR")
    assert [r.offer.supplier for r in choice.ranked] == ["beta", "zeta", "alfa"]


def test_no_supplier_gives_the_reasons():
    choice = best_supplier([price("acme", 10, "1")], "P1", d(1), on=ON, currency="EUR")
    assert choice.best is None and choice.reason == "supplier acme sells product P1 from 10, not 1"
    assert best_supplier([], "P1", d(1), on=ON, currency="EUR").reason == "no supplier has a price for this product"


def test_an_unknown_preference_is_refused():
    assert {p.value for p in SupplierPreference} == {"cheapest", "fastest"}
    with pytest.raises(PurchasingRuleError, match="unknown preference 'nearest'"):
        best_supplier(SUPPLIERS, "P1", d(1), on=ON, currency="EUR", prefer="nearest")

"""Replenishment suggestions: min/max and reorder point, then MOQ, pack size and lead time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.inventory.domain import (
    MinMaxRule,
    PurchaseSuggestion,
    ReorderPointRule,
    StockPosition,
    StockRuleError,
    SupplyTerms,
    suggest_purchase,
)

TODAY = date(2025, 6, 2)


def d(value: str | int) -> Decimal:
    return Decimal(value)


def test_projected_stock_counts_reservations_and_what_is_on_order():
    assert StockPosition(d(10), d(4), d(3)).projected == d(9)


def test_min_max_orders_up_to_max_only_below_min():
    rule = MinMaxRule(d(10), d(50))
    assert suggest_purchase(StockPosition(d(10)), rule, today=TODAY) is None  # at the minimum: nothing yet
    suggestion = suggest_purchase(StockPosition(d(12), d(5), d(2)), rule, today=TODAY)
    assert suggestion == PurchaseSuggestion(d(41), TODAY, TODAY, d(9), False)


def test_min_max_makes_up_negative_projected_stock():
    suggestion = suggest_purchase(StockPosition(d(-5)), MinMaxRule(d(0), d(20)), today=TODAY)
    assert suggestion is not None and suggestion.qty == d(25)


def test_reorder_point_triggers_at_the_point_and_orders_the_reorder_quantity():
    rule = ReorderPointRule(d(20), d(100))
    assert suggest_purchase(StockPosition(d("20.01")), rule, today=TODAY) is None
    assert suggest_purchase(StockPosition(d(20)), rule, today=TODAY).qty == d(100)


def test_reorder_point_orders_as_many_batches_as_it_takes_to_rise_above_it():
    rule = ReorderPointRule(d(20), d(30))
    assert suggest_purchase(StockPosition(d(-40)), rule, today=TODAY).qty == d(90)  # -40 + 90 = 50 > 20
    assert suggest_purchase(StockPosition(d(-10)), rule, today=TODAY).qty == d(60)  # -10 + 30 = 20: not above


def test_the_quantity_reaches_the_moq_then_whole_packs():
    rule = MinMaxRule(d(10), d(17))
    assert suggest_purchase(StockPosition(d(5)), rule, SupplyTerms(pack_size=d(5)), today=TODAY).qty == d(15)
    assert suggest_purchase(StockPosition(d(5)), rule, SupplyTerms(d(40)), today=TODAY).qty == d(40)
    terms = SupplyTerms(min_order_qty=d(42), pack_size=d(12))
    assert suggest_purchase(StockPosition(d(5)), rule, terms, today=TODAY).qty == d(48)
    terms = SupplyTerms(pack_size=d("0.5"))
    assert suggest_purchase(StockPosition(d("4.8")), rule, terms, today=TODAY).qty == d("12.5")


def test_the_order_by_date_is_lead_time_before_the_need():
    rule, terms = MinMaxRule(d(10), d(20)), SupplyTerms(lead_time_days=7)
    now = suggest_purchase(StockPosition(d(0)), rule, terms, today=TODAY)
    assert (now.order_by, now.expected_on, now.late) == (TODAY, date(2025, 6, 9), False)
    later = suggest_purchase(StockPosition(d(0)), rule, terms, today=TODAY, needed_on=date(2025, 6, 30))
    assert (later.order_by, later.expected_on, later.late) == (date(2025, 6, 23), date(2025, 6, 30), False)
    exact = suggest_purchase(StockPosition(d(0)), rule, terms, today=TODAY, needed_on=date(2025, 6, 9))
    assert (exact.order_by, exact.late) == (TODAY, False)
    late = suggest_purchase(StockPosition(d(0)), rule, terms, today=TODAY, needed_on=date(2025, 6, 5))
    assert (late.order_by, late.expected_on, late.late) == (TODAY, date(2025, 6, 9), True)


@pytest.mark.parametrize(
    ("rule", "terms", "field"),
    [
        (MinMaxRule(d(10), d(5)), SupplyTerms(), "max_qty"),
        (MinMaxRule(d(0), d(0)), SupplyTerms(), "max_qty"),
        (MinMaxRule(d(-1), d(5)), SupplyTerms(), "min_qty"),
        (ReorderPointRule(d(5), d(0)), SupplyTerms(), "reorder_qty"),
        (ReorderPointRule(d(-5), d(1)), SupplyTerms(), "reorder_point"),
        (MinMaxRule(d(10), d(20)), SupplyTerms(pack_size=d(0)), "pack_size"),
        (MinMaxRule(d(10), d(20)), SupplyTerms(min_order_qty=d(-1)), "min_order_qty"),
        (MinMaxRule(d(10), d(20)), SupplyTerms(lead_time_days=-2), "lead_time_days"),
    ],
)
def test_bad_rules_and_terms_are_refused(rule, terms, field):
    with pytest.raises(StockRuleError) as error:
        suggest_purchase(StockPosition(d(0)), rule, terms, today=TODAY)
    assert error.value.field == field

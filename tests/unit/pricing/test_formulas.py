"""Formula rules: list minus %, cost plus %, their rounding, and what happens when they cannot price."""

from __future__ import annotations

import pytest

from app.i18n import use_locale
from app.pricing.domain import Level, price_for
from tests.unit.pricing.support import ACME, ITEM, D, rule


def quote(rules, qty=1, item=ITEM):
    return price_for(item, rules, [], qty, ACME)


def test_list_minus_discounts_the_base_price_at_the_same_quantity():
    base = [rule("base", "100.00"), rule("base", "88.00", min_qty=50)]
    group = rule("group", "10", method="list_minus_pct", category_id="tools")
    assert quote([*base, group], 49).unit_price == D("90.00")
    q = quote([*base, group], 50)
    assert (q.unit_price, q.list_price, q.basis, q.savings) == (D("79.20"), D("88.00"), D("88.00"), D("8.80"))


@pytest.mark.parametrize(
    ("rounding", "expected"), [("cent", "79.20"), ("99", "79.99"), ("95", "79.95"), ("90", "79.90")]
)
def test_a_formula_price_is_rounded_as_the_rule_asks(rounding, expected):
    rules = [rule("base", "88.00"), rule("contract", "10", method="list_minus_pct", rounding=rounding)]
    assert quote(rules).unit_price == D(expected)


def test_list_minus_rounds_half_up_to_the_cent():
    rules = [rule("base", "10.05"), rule("group", "50", method="list_minus_pct")]
    assert quote(rules).unit_price == D("5.03")  # 5.025 -> 5.03, not banker's 5.02


def test_cost_plus_marks_up_the_cost():
    q = quote([rule("base", "25", method="cost_plus_pct")])
    assert (q.unit_price, q.basis, q.level) == (D("50.00"), D("40.00"), Level.BASE)


def test_cost_plus_with_ending_and_zero_markup():
    assert quote([rule("base", "33.3", method="cost_plus_pct", rounding="99")]).unit_price == D("53.99")  # 53.32
    assert quote([rule("base", "0", method="cost_plus_pct")]).unit_price == D("40.00")


def test_cost_plus_without_a_cost_gives_way_and_says_why():
    rules = [rule("base", "100.00"), rule("contract", "25", method="cost_plus_pct")]
    q = quote(rules, item=ITEM._replace(cost=None))
    assert (q.level, q.unit_price) == (Level.BASE, D("100.00"))
    with use_locale("en"):
        assert "CT-ACME skipped: the variant has no cost price" in q.explanation


def test_cost_in_another_currency_is_not_converted():
    rules = [rule("base", "100.00"), rule("contract", "25", method="cost_plus_pct")]
    q = quote(rules, item=ITEM._replace(cost_currency="USD"))
    assert q.level == Level.BASE
    with use_locale("en"):
        assert "CT-ACME skipped: the cost is in another currency" in q.explanation


def test_list_minus_without_a_base_price_means_no_price():
    q = quote([rule("group", "10", method="list_minus_pct")])
    assert q.unit_price is None
    with use_locale("en"):
        assert q.explanation == ["No price for this product in EUR", "WHOLESALE skipped: no base price to discount"]


def test_a_base_list_never_discounts_itself():
    q = quote([rule("base", "100.00", product_id="p1"), rule("base", "10", method="list_minus_pct")])
    assert q.unit_price == D("100.00")  # the product-wide base price; the variant's self-discount is skipped
    with use_locale("en"):
        assert "BASE-EUR skipped: a base list cannot discount itself" in q.explanation


def test_a_price_that_would_not_be_above_zero_is_skipped():
    rules = [rule("base", "100.00"), rule("contract", "0.004"), rule("customer", "100", method="list_minus_pct")]
    q = quote(rules)
    assert (q.level, q.unit_price) == (Level.BASE, D("100.00"))
    with use_locale("en"):
        assert "CT-ACME skipped: the price would not be above zero" in q.explanation
        assert "CU-ACME skipped: the price would not be above zero" in q.explanation


def test_a_fixed_price_is_rounded_to_the_currency():
    assert quote([rule("base", "19.999")]).unit_price == D("20.00")
    assert quote([rule("base", "19.40", rounding="99")]).unit_price == D("19.99")

"""What a service refuses to save: bad prices and percentages, tiers below the minimum, overlapping dates."""

from __future__ import annotations

from datetime import date

import pytest

from app.i18n import use_locale
from app.pricing.domain import QuantityRule, validate_promotion, validate_quantity_rule, validate_rule
from tests.unit.pricing.support import D, promo, rule


@pytest.fixture(autouse=True)
def english():
    with use_locale("en"):
        yield


def test_a_sound_rule_passes():
    assert validate_rule(rule("contract", "80.00", valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31))) == {}


@pytest.mark.parametrize("value", ["0", "-5.00", "0.00"])
def test_a_zero_or_negative_price_is_refused(value):
    assert validate_rule(rule("base", value)) == {"value": "Enter a price greater than zero"}


def test_a_price_finer_than_the_currency_is_refused():
    assert validate_rule(rule("base", "9.999")) == {"value": "Enter the price in whole cents of the currency"}
    assert validate_rule(rule("base", "1000", currency="JPY")) == {}


@pytest.mark.parametrize(("value", "ok"), [("0", False), ("0.5", True), ("99.99", True), ("100", False), ("-1", False)])
def test_list_minus_percent_bounds(value, ok):
    errors = validate_rule(rule("group", value, method="list_minus_pct"))
    assert errors == ({} if ok else {"value": "Enter a discount above 0 % and below 100 %"})


@pytest.mark.parametrize(
    ("value", "ok"), [("0", True), ("35", True), ("1000", True), ("1000.01", False), ("-1", False)]
)
def test_cost_plus_percent_bounds(value, ok):
    errors = validate_rule(rule("group", value, method="cost_plus_pct"))
    assert errors == ({} if ok else {"value": "Enter a markup from 0 % to 1000 %"})


def test_a_base_list_cannot_discount_itself():
    assert validate_rule(rule("base", "10", method="list_minus_pct")) == {
        "method": "A base price list cannot be a discount on itself"
    }


def test_unknown_choices_and_missing_owners():
    errors = validate_rule(rule("base", "10.00", rounding="97", method="magic", currency="eur"))
    assert set(errors) == {"rounding", "method", "currency"}
    assert validate_rule(rule("contract", "10.00", customer_id=None)) == {"customer_id": "Choose the customer"}
    assert validate_rule(rule("group", "10.00", group_id=None)) == {"group_id": "Choose the customer group"}
    assert validate_rule(rule("base")._replace(level="vip")) == {"level": "Choose contract, customer, group or base"}


def test_one_scope_at_most_and_a_positive_tier():
    errors = validate_rule(rule("base", "10.00", variant_id="v1", product_id="p1", min_qty=0))
    assert errors == {
        "scope": "Choose one variant, product or category, or none for all products",
        "min_qty": "Enter a quantity greater than zero",
    }


def test_end_before_start_is_refused():
    errors = validate_rule(rule("contract", "80.00", valid_from=date(2026, 6, 1), valid_to=date(2026, 5, 31)))
    assert errors == {"valid_to": "The end date is before the start date"}


MOQ = QuantityRule(variant_id="v1", min_qty=D(10), multiple=D(5), max_qty=D(500))


@pytest.mark.parametrize(
    ("min_qty", "error"),
    [
        (1, None),  # the price from the first unit is always allowed
        (5, "The tier starts below the minimum order quantity of 10"),
        (9, "The tier starts below the minimum order quantity of 10"),
        (10, None),
        (50, None),
        (500, None),
        (501, "The tier starts above the maximum order quantity of 500"),
    ],
)
def test_a_tier_below_the_minimum_order_quantity_is_refused(min_qty, error):
    errors = validate_rule(rule("base", "9.00", min_qty=min_qty), quantity_rule=MOQ)
    assert errors == ({} if error is None else {"min_qty": error})


JAN_JUN = {"valid_from": date(2026, 1, 1), "valid_to": date(2026, 6, 30)}


@pytest.mark.parametrize(
    ("other_dates", "clash"),
    [
        ({"valid_from": date(2026, 6, 30), "valid_to": date(2026, 12, 31)}, True),  # shares the last day
        ({"valid_from": date(2026, 7, 1), "valid_to": date(2026, 12, 31)}, False),  # starts the day after
        ({"valid_from": None, "valid_to": date(2026, 1, 1)}, True),  # open start, shares the first day
        ({"valid_from": None, "valid_to": date(2025, 12, 31)}, False),
        ({"valid_from": None, "valid_to": None}, True),  # a price without dates overlaps everything
        ({"valid_from": date(2026, 3, 1), "valid_to": date(2026, 3, 31)}, True),  # inside
    ],
)
def test_overlapping_contract_dates_are_refused(other_dates, clash):
    saved = rule("contract", "75.00", **other_dates)
    errors = validate_rule(rule("contract", "80.00", **JAN_JUN), siblings=[saved])
    assert ("valid_from" in errors) is clash
    if clash:
        assert errors["valid_from"].startswith("Overlaps the price in CT-ACME for the same products and quantity (")


def test_the_overlap_message_spells_the_period():
    saved = rule("contract", "75.00", valid_from=date(2026, 3, 1), valid_to=date(2026, 3, 31))
    errors = validate_rule(rule("contract", "80.00", **JAN_JUN), siblings=[saved])
    assert errors["valid_from"].endswith("(Mar 1, 2026 to Mar 31, 2026)")
    open_saved = rule("contract", "75.00")
    errors = validate_rule(rule("contract", "80.00"), siblings=[open_saved])
    assert errors["valid_from"].endswith("(without dates)")
    from_saved = rule("contract", "75.00", valid_from=date(2026, 3, 1))
    assert validate_rule(rule("contract", "80.00"), siblings=[from_saved])["valid_from"].endswith("(from Mar 1, 2026)")
    until_saved = rule("contract", "75.00", valid_to=date(2026, 3, 1))
    assert validate_rule(rule("contract", "80.00"), siblings=[until_saved])["valid_from"].endswith(
        "(until Mar 1, 2026)"
    )


@pytest.mark.parametrize(
    "difference",
    [
        {"min_qty": 50},  # another tier
        {"variant_id": None, "product_id": "p1"},  # another scope
        {"customer_id": "globex"},  # another customer's contract
        {"currency": "USD"},
    ],
)
def test_no_clash_with_a_different_tier_scope_customer_or_currency(difference):
    saved = rule("contract", "75.00", **{**JAN_JUN, **difference})
    assert validate_rule(rule("contract", "80.00", **JAN_JUN), siblings=[saved]) == {}


def test_a_rule_does_not_clash_with_its_own_saved_version():
    saved = rule("contract", "75.00", **JAN_JUN)
    edited = saved._replace(value=D("80.00"))
    assert validate_rule(edited, siblings=[saved]) == {}


def test_two_group_lists_clash_only_for_the_same_group():
    saved = rule("group", "75.00")
    assert "valid_from" in validate_rule(rule("group", "80.00", list_code="WH-2"), siblings=[saved])
    assert validate_rule(rule("group", "80.00", group_id="partners"), siblings=[saved]) == {}


def test_a_sound_promotion_passes():
    assert validate_promotion(promo("SPRING-26", "10", requires_coupon=True, usage_limit=100)) == {}


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"value": D("0")}, {"value": "Enter a percentage above 0 and at most 100"}),
        ({"value": D("100.5")}, {"value": "Enter a percentage above 0 and at most 100"}),
        ({"kind": "amount", "value": D("-1"), "currency": "EUR"}, {"value": "Enter an amount greater than zero"}),
        ({"kind": "amount", "value": D("5")}, {"currency": "Choose the currency of the amount"}),
        ({"kind": "gift"}, {"kind": "Choose a percentage or an amount"}),
        ({"code": " "}, {"code": "Enter a code"}),
        ({"code": "X" * 41}, {"code": "Use at most 40 characters"}),
        ({"code": "SPRING 26"}, {"code": "Use only letters, digits, - and _ in a coupon code"}),
        ({"usage_limit": 0}, {"usage_limit": "Enter a limit of at least 1, or leave it empty for no limit"}),
        (
            {"per_customer_limit": 0},
            {"per_customer_limit": "Enter a limit of at least 1, or leave it empty for no limit"},
        ),
        ({"min_qty": D("0")}, {"min_qty": "Enter a quantity greater than zero"}),
        (
            {"valid_from": date(2026, 6, 2), "valid_to": date(2026, 6, 1)},
            {"valid_to": "The end date is before the start date"},
        ),
        (
            {"variant_id": "v1", "category_id": "c"},
            {"scope": "Choose one variant, product or category, or none for all products"},
        ),
    ],
)
def test_promotion_errors(fields, errors):
    base = promo("SPRING", "10", requires_coupon=True)
    assert validate_promotion(base._replace(**fields)) == errors


def test_a_coupon_code_is_unique_per_period_whatever_the_case():
    saved = promo("spring", "10", requires_coupon=True, valid_from=date(2026, 3, 1), valid_to=date(2026, 5, 31))
    clash = promo("SPRING", "15", requires_coupon=True, valid_from=date(2026, 5, 31))
    assert validate_promotion(clash, [saved]) == {
        "code": "Another promotion uses this code Mar 1, 2026 to May 31, 2026"
    }
    later = promo("SPRING", "15", requires_coupon=True, valid_from=date(2026, 6, 1))
    assert validate_promotion(later, [saved]) == {}
    other_currency = promo("SPRING", "5", kind="amount", currency="USD", requires_coupon=True)
    eur = promo("SPRING", "5", kind="amount", currency="EUR", requires_coupon=True)
    assert validate_promotion(eur, [other_currency]) == {}


def test_quantity_rule_validation():
    assert validate_quantity_rule(MOQ) == {}
    assert validate_quantity_rule(QuantityRule(variant_id="v", min_qty=D(0), multiple=D(0))) == {
        "min_qty": "Enter a quantity greater than zero",
        "multiple": "Enter a pack size greater than zero",
    }
    assert validate_quantity_rule(QuantityRule(variant_id="v", min_qty=D(10), max_qty=D(5))) == {
        "max_qty": "The maximum is below the minimum"
    }
    assert validate_quantity_rule(QuantityRule(variant_id="v", min_qty=D(5), multiple=D(4), max_qty=D(7))) == {
        "max_qty": "No quantity between the minimum and the maximum is a whole number of packs"
    }

"""Promotions and coupons: scope, dates, limits, groups, the best single one, stacking, and clear refusals."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.i18n import use_locale
from app.pricing.domain import PricingItem, price_for, price_many
from tests.unit.pricing.support import ACME, ITEM, TODAY, D, promo, rule

BASE = [rule("base", "100.00")]
DAY = timedelta(days=1)


def quote(promotions, qty=1, ctx=ACME, rules=BASE):
    with use_locale("en"):  # coupon problems are rendered when pricing
        return price_for(ITEM, rules, promotions, qty, ctx)


def coupon(codes, **ctx_fields):
    return replace(ACME, coupon_codes=tuple(codes), **ctx_fields)


def reasons(q):
    return [p.reason for p in q.coupon_problems]


def test_an_automatic_percent_promotion_applies_to_the_customer_price():
    q = quote([promo("SPRING", "10")], rules=[*BASE, rule("contract", "80.00")])
    assert (q.unit_price, q.customer_price, q.discount, q.list_price) == (D("72.00"), D("80.00"), D("8.00"), D(100))
    assert [a.promotion.code for a in q.promotions] == ["SPRING"]
    with use_locale("en"):
        assert "Promotion SPRING: -10 %" in q.explanation


def test_a_percent_discount_rounds_half_up_per_unit():
    q = quote([promo("SPRING", "10")], rules=[rule("base", "10.05")])
    assert (q.discount, q.unit_price) == (D("1.01"), D("9.04"))


def test_an_amount_promotion_takes_a_fixed_amount_off_each_unit():
    q = quote([promo("FIVE", "5", kind="amount", currency="EUR")])
    assert q.unit_price == D("95.00")
    with use_locale("en"):
        assert "Promotion FIVE: -€5.00 per unit" in q.explanation


def test_an_amount_in_another_currency_does_not_apply():
    assert quote([promo("FIVE", "5", kind="amount", currency="USD")]).unit_price == D("100.00")


def test_the_best_single_promotion_wins_and_ties_go_to_the_first():
    q = quote([promo("TEN", "10"), promo("FIFTEEN", "15"), promo("TWELVE", "12", kind="amount", currency="EUR")])
    assert [a.promotion.code for a in q.promotions] == ["FIFTEEN"] and q.unit_price == D("85.00")
    tie = quote([promo("A", "10"), promo("B", "10", kind="amount", currency="EUR")])
    assert [a.promotion.code for a in tie.promotions] == ["A"]


def test_a_stackable_promotion_adds_to_the_best_one_both_on_the_customer_price():
    q = quote([promo("TEN", "10"), promo("FIVE", "5"), promo("EXTRA", "2", stackable=True)])
    assert [(a.promotion.code, a.discount) for a in q.promotions] == [("TEN", D("10.00")), ("EXTRA", D("2.00"))]
    assert q.unit_price == D("88.00")


def test_promotions_never_take_the_price_below_zero():
    q = quote([promo("BIG", "150", kind="amount", currency="EUR"), promo("MORE", "50", stackable=True)])
    assert (q.unit_price, q.discount, q.capped) == (D("0.00"), D("100.00"), True)
    assert sum(a.discount for a in q.promotions) == D("100.00")
    with use_locale("en"):
        assert "Discount capped at the price" in q.explanation


@pytest.mark.parametrize(
    ("scope", "applies"),
    [
        ({"variant_id": "v1"}, True),
        ({"variant_id": "v2"}, False),
        ({"product_id": "p1"}, True),
        ({"category_id": "tools"}, True),  # the parent category covers its subcategories
        ({"category_id": "garden"}, False),
        ({}, True),
    ],
)
def test_a_promotion_covers_its_scope_only(scope, applies):
    assert (quote([promo("S", "10", **scope)]).unit_price == D("90.00")) is applies


@pytest.mark.parametrize(("qty", "applies"), [(9, False), (10, True), (11, True)])
def test_a_promotion_minimum_quantity(qty, applies):
    assert bool(quote([promo("BULK", "10", min_qty=10)], qty).promotions) is applies


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "applies"),
    [(TODAY, None, True), (TODAY + DAY, None, False), (None, TODAY, True), (None, TODAY - DAY, False)],
)
def test_promotion_validity_days_are_inclusive(valid_from, valid_to, applies):
    q = quote([promo("DATED", "10", valid_from=valid_from, valid_to=valid_to)])
    assert bool(q.promotions) is applies


def test_no_promotion_on_a_product_without_price():
    q = quote([promo("SPRING", "10")], rules=[])
    assert q.unit_price is None and q.promotions == ()


def test_a_coupon_applies_only_when_entered_whatever_the_case():
    spring = promo("Spring10", "10", requires_coupon=True)
    assert quote([spring]).promotions == ()
    q = quote([spring], ctx=coupon(["  sPrInG10 "]))
    assert q.unit_price == D("90.00") and q.coupon_problems == ()
    with use_locale("en"):
        assert "Coupon Spring10: -10 %" in q.explanation


def test_an_unknown_coupon_is_named():
    assert reasons(quote([], ctx=coupon(["NOPE"]))) == ["Unknown coupon code NOPE"]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"valid_to": TODAY - DAY}, "Coupon C1 expired on Jun 14, 2026"),
        ({"valid_from": TODAY + DAY}, "Coupon C1 is valid from Jun 16, 2026"),
        ({"usage_limit": 100, "times_used": 100}, "Coupon C1 has been used up"),
        ({"per_customer_limit": 1}, "You have already used coupon C1 the maximum number of times"),
        ({"group_ids": frozenset({"retail"})}, "Coupon C1 is not available for your account"),
        ({"kind": "amount", "currency": "USD"}, "Coupon C1 is not valid in EUR"),
        ({"currency": "USD"}, "Coupon C1 is not valid in EUR"),
    ],
)
def test_a_coupon_that_cannot_be_used_says_why(fields, reason):
    c1 = promo("C1", "10", requires_coupon=True, **fields)
    q = quote([c1], ctx=coupon(["c1"], promotion_uses={c1.id: 1}))
    assert q.promotions == () and q.unit_price == D("100.00")
    assert reasons(q) == [reason]


@pytest.mark.parametrize(
    "fields",
    [
        {"valid_from": TODAY, "valid_to": TODAY},
        {"usage_limit": 100, "times_used": 99},
        {"per_customer_limit": 2},
        {"group_ids": frozenset({"wholesale", "retail"})},
    ],
)
def test_a_coupon_within_its_limits_applies(fields):
    c1 = promo("C1", "10", requires_coupon=True, **fields)
    q = quote([c1], ctx=coupon(["C1"], promotion_uses={c1.id: 1}))
    assert q.unit_price == D("90.00") and q.coupon_problems == ()


def test_a_coupon_for_other_products_says_so():
    c1 = promo("C1", "10", requires_coupon=True, category_id="garden")
    assert reasons(quote([c1], ctx=coupon(["C1"]))) == ["Coupon C1 does not apply to this product"]


def test_a_coupon_short_of_its_minimum_quantity_says_from_how_many():
    c1 = promo("C1", "10", requires_coupon=True, min_qty=10)
    assert reasons(quote([c1], 3, ctx=coupon(["C1"]))) == ["Coupon C1 applies from 10 units"]


def test_a_coupon_beaten_by_a_better_promotion_says_so():
    promotions = [promo("AUTO", "20"), promo("C1", "10", requires_coupon=True)]
    q = quote(promotions, ctx=coupon(["C1"]))
    assert [a.promotion.code for a in q.promotions] == ["AUTO"]
    assert reasons(q) == ["Coupon C1 was not applied: a better promotion applies"]


def test_a_basket_reports_each_coupon_once():
    other = PricingItem(variant_id="v2", product_id="p2", category_ids=("garden",))
    rules = [*BASE, rule("base", "50.00", variant_id="v2")]
    promotions = [
        promo("TOOLS", "10", requires_coupon=True, category_id="tools"),
        promo("KITCHEN", "10", requires_coupon=True, category_id="kitchen"),
    ]
    ctx = coupon(["tools", "kitchen", "bogus"])
    with use_locale("en"):
        sheet = price_many([ITEM, other], rules, promotions, {"v1": 1, "v2": 1}, ctx)
    assert sheet["v1"].unit_price == D("90.00") and sheet["v2"].unit_price == D("50.00")
    assert [p.reason for p in sheet.coupon_problems] == [
        "Unknown coupon code bogus",
        "Coupon KITCHEN does not apply to any product in your basket",
    ]
    assert sheet["v1"].coupon_problems == ()  # on the sheet, not repeated per line


def test_a_coupon_for_several_currencies_uses_the_one_that_fits():
    eur = promo("SAVE5", "5", kind="amount", currency="EUR", requires_coupon=True)
    usd = promo("SAVE5", "6", kind="amount", currency="USD", requires_coupon=True)
    q = quote([usd, eur], ctx=coupon(["save5"]))
    assert q.unit_price == D("95.00") and q.coupon_problems == ()


def test_an_exhausted_automatic_promotion_just_stops():
    q = quote([promo("FIRST100", "10", usage_limit=100, times_used=100)])
    assert q.promotions == () and q.coupon_problems == ()


def test_promotion_dates_are_checked_against_the_context_day():
    spring = promo("SPRING", "10", valid_from=date(2026, 3, 1), valid_to=date(2026, 5, 31))
    assert quote([spring]).promotions == ()
    assert quote([spring], ctx=replace(ACME, on=date(2026, 5, 31))).promotions != ()


def test_stackable_promotions_apply_without_an_exclusive_one():
    q = quote([promo("A", "10", stackable=True), promo("B", "1", kind="amount", currency="EUR", stackable=True)])
    assert [(a.promotion.code, a.discount) for a in q.promotions] == [("A", D("10.00")), ("B", D("1.00"))]
    assert q.unit_price == D("89.00")


def test_an_unknown_promotion_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown kind"):
        quote([promo("ODD", "10", kind="gift")])

"""Which price rule wins: precedence, scope, tiers, validity days, currency, customers and groups."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import timedelta

import pytest

from app.pricing.domain import Level, PricingContext, Tier, price_for, price_many
from tests.unit.pricing.support import ACME, ITEM, TODAY, D, rule

LEVEL_PRICES = {"contract": "70.00", "customer": "80.00", "group": "90.00", "base": "100.00"}
ORDER = ["contract", "customer", "group", "base"]


def quote(rules, qty=1, ctx=ACME, item=ITEM, promotions=()):
    return price_for(item, rules, promotions, qty, ctx)


@pytest.mark.parametrize(
    "levels", [c for n in range(1, 5) for c in itertools.combinations(ORDER, n)], ids=lambda c: "+".join(c)
)
def test_precedence_contract_customer_group_base(levels):
    rules = [rule(level, LEVEL_PRICES[level]) for level in levels]
    random.Random(7).shuffle(rules)  # input order never matters
    q = quote(rules)
    winner = levels[0]  # combinations keep ORDER
    assert q.level == Level(winner)
    assert q.unit_price == D(LEVEL_PRICES[winner])


SCOPES = {
    "variant": {"variant_id": "v1"},
    "product": {"product_id": "p1"},
    "category": {"category_id": "drills"},  # the product's own category
    "parent": {"category_id": "tools"},  # its parent
    "all": {"everywhere": True},
}
SCOPE_PRICES = {"variant": "11.00", "product": "12.00", "category": "13.00", "parent": "14.00", "all": "15.00"}


@pytest.mark.parametrize(
    "scopes", [c for n in range(1, 6) for c in itertools.combinations(SCOPES, n)], ids=lambda c: "+".join(c)
)
def test_within_a_level_the_most_specific_scope_wins(scopes):
    rules = [rule("group", SCOPE_PRICES[s], **SCOPES[s]) for s in scopes]
    random.Random(3).shuffle(rules)
    assert quote(rules).unit_price == D(SCOPE_PRICES[scopes[0]])


def test_a_higher_level_beats_a_more_specific_scope():
    rules = [rule("base", "100.00", variant_id="v1"), rule("contract", "95.00", everywhere=True)]
    assert quote(rules).level == Level.CONTRACT


def test_a_category_rule_needs_the_category_on_the_item():
    rules = [rule("base", "100.00"), rule("group", "50.00", category_id="garden")]
    assert quote(rules).level == Level.BASE


@pytest.mark.parametrize(
    ("qty", "price", "tier"),
    [(1, "100.00", 1), (49, "95.00", 10), (50, "90.00", 50), (51, "90.00", 50), (10, "95.00", 10), (9, "100.00", 1)],
)
def test_the_highest_tier_at_or_below_the_quantity_applies(qty, price, tier):
    rules = [rule("base", "100.00"), rule("base", "95.00", min_qty=10), rule("base", "90.00", min_qty=50)]
    q = quote(rules, qty)
    assert (q.unit_price, q.tier_min_qty) == (D(price), D(tier))


def test_fractional_quantities_meet_tiers_too():
    rules = [rule("base", "10.00", min_qty="0.5"), rule("base", "9.00", min_qty="2.5")]
    assert quote(rules, D("0.4")).unit_price is None
    assert quote(rules, D("2.49")).unit_price == D("10.00")
    assert quote(rules, D("2.5")).unit_price == D("9.00")


@pytest.mark.parametrize(("qty", "level"), [(1, Level.BASE), (99, Level.BASE), (100, Level.CONTRACT)])
def test_a_level_without_a_tier_for_the_quantity_gives_way(qty, level):
    rules = [rule("base", "100.00"), rule("contract", "70.00", min_qty=100)]
    assert quote(rules, qty).level == level


def test_a_scope_without_a_tier_for_the_quantity_gives_way_within_the_level():
    rules = [rule("group", "50.00", variant_id="v1", min_qty=100), rule("group", "60.00", product_id="p1")]
    assert quote(rules, 10).unit_price == D("60.00")
    assert quote(rules, 100).unit_price == D("50.00")


DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "applies"),
    [
        (TODAY, None, True),  # first valid day
        (TODAY + DAY, None, False),  # not yet valid
        (None, TODAY, True),  # last valid day
        (None, TODAY - DAY, False),  # expired yesterday
        (TODAY, TODAY, True),  # a one-day contract
        (None, None, True),  # open at both ends
        (TODAY - 400 * DAY, TODAY + 400 * DAY, True),
    ],
)
def test_validity_days_are_inclusive(valid_from, valid_to, applies):
    rules = [rule("base", "100.00"), rule("contract", "70.00", valid_from=valid_from, valid_to=valid_to)]
    assert quote(rules).level == (Level.CONTRACT if applies else Level.BASE)


def test_the_next_contract_takes_over_the_day_after_the_last():
    first = rule("contract", "70.00", valid_to=TODAY)
    second = rule("contract", "75.00", valid_from=TODAY + DAY)
    assert quote([first, second]).unit_price == D("70.00")
    assert quote([first, second], ctx=replace(ACME, on=TODAY + DAY)).unit_price == D("75.00")


def test_a_rule_of_another_currency_never_applies():
    rules = [rule("base", "100.00", currency="USD"), rule("contract", "70.00", currency="USD")]
    q = quote(rules)
    assert q.unit_price is None and not q.purchasable
    usd = quote(rules, ctx=replace(ACME, currency="USD"))
    assert (usd.unit_price, usd.currency) == (D("70.00"), "USD")


def test_currency_filter_falls_back_to_the_base_list_of_that_currency():
    rules = [rule("base", "100.00"), rule("contract", "70.00", currency="USD")]
    assert quote(rules).level == Level.BASE


def test_other_customers_contracts_and_other_groups_do_not_apply():
    rules = [
        rule("base", "100.00"),
        rule("contract", "10.00", customer_id="globex"),
        rule("customer", "20.00", customer_id="globex"),
        rule("group", "30.00", group_id="retail"),
    ]
    assert quote(rules).level == Level.BASE


def test_an_anonymous_visitor_gets_the_base_price():
    rules = [rule("base", "100.00"), rule("contract", "70.00"), rule("customer", "80.00")]
    anonymous = PricingContext(currency="EUR", on=TODAY)
    assert quote(rules, ctx=anonymous).level == Level.BASE


def test_a_customer_in_two_groups_gets_the_lower_group_price():
    rules = [rule("group", "90.00"), rule("group", "85.00", group_id="partners", list_code="PARTNERS")]
    ctx = replace(ACME, group_ids=frozenset({"wholesale", "partners"}))
    q = quote(rules, ctx=ctx)
    assert (q.unit_price, q.rule.list_code) == (D("85.00"), "PARTNERS")


def test_no_rule_means_no_price_not_an_error():
    q = quote([])
    assert q.unit_price is None and q.customer_price is None and q.rule is None and q.level is None
    assert q.line_total is None and q.savings == 0 and q.tiers == ()


def test_list_price_is_the_base_price_at_the_same_quantity_and_savings_follow():
    rules = [rule("base", "100.00"), rule("base", "95.00", min_qty=10), rule("contract", "80.00")]
    q = quote(rules, 12)
    assert (q.unit_price, q.list_price, q.savings, q.line_total) == (D("80.00"), D("95.00"), D("15.00"), D("960.00"))


def test_list_price_is_missing_without_a_base_rule():
    q = quote([rule("contract", "80.00")])
    assert (q.unit_price, q.list_price, q.savings) == (D("80.00"), None, 0)


def test_the_tier_table_covers_every_level_and_names_the_next_break():
    rules = [
        rule("base", "100.00"),
        rule("base", "95.00", min_qty=10),
        rule("base", "90.00", min_qty=50),
        rule("contract", "70.00", product_id="p1", min_qty=100),
    ]
    table = (Tier(D(1), D("100.00")), Tier(D(10), D("95.00")), Tier(D(50), D("90.00")), Tier(D(100), D("70.00")))
    assert quote(rules, 49).tiers == table
    assert quote(rules, 49).next_tier == Tier(D(50), D("90.00"))
    assert quote(rules, 50).next_tier == Tier(D(100), D("70.00"))
    assert quote(rules, 51).next_tier == Tier(D(100), D("70.00"))
    assert quote(rules, 100).next_tier is None


def test_the_tier_table_merges_starts_where_the_price_does_not_change():
    rules = [rule("base", "100.00"), rule("base", "95.00", min_qty=10), rule("contract", "80.00")]
    q = quote(rules, 20)
    assert q.tiers == (Tier(D(1), D("80.00")),)
    assert q.next_tier is None


def test_a_break_to_a_higher_price_is_listed_but_is_not_the_next_tier():
    rules = [rule("base", "100.00"), rule("base", "85.00", min_qty=50), rule("contract", "90.00", min_qty=100)]
    q = quote(rules, 50)
    assert [t.unit_price for t in q.tiers] == [D("100.00"), D("85.00"), D("90.00")]
    assert q.next_tier is None


def test_below_the_first_tier_there_is_no_price_but_the_table_shows_where_it_starts():
    q = quote([rule("base", "9.00", min_qty=10)], 5)
    assert q.unit_price is None
    assert q.tiers == (Tier(D(10), D("9.00")),)
    assert q.next_tier == Tier(D(10), D("9.00"))


def test_price_many_can_skip_the_tier_table_without_changing_the_price():
    rules = [rule("base", "100.00"), rule("base", "95.00", min_qty=10), rule("contract", "70.00", min_qty=100)]
    full = price_many([ITEM], rules, [], {"v1": 12}, ACME)["v1"]
    bare = price_many([ITEM], rules, [], {"v1": 12}, ACME, tiers=False)["v1"]
    assert bare.tiers == () and bare.next_tier is None and len(full.tiers) == 3
    assert bare._replace(tiers=full.tiers, next_tier=full.next_tier) == full


def test_quantities_must_be_exact_numbers():
    with pytest.raises(TypeError, match="Decimal or an int"):
        quote([rule()], 1.5)


def test_an_unknown_level_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown level"):
        quote([rule()._replace(level="vip")])


def test_tied_group_rules_keep_the_list_price_a_later_formula_needed():
    rules = [
        rule("base", "100.00"),
        rule("group", "85.00"),
        rule("group", "10", method="list_minus_pct", group_id="partners", list_code="PARTNERS"),
    ]
    q = quote(rules, ctx=replace(ACME, group_ids=frozenset({"wholesale", "partners"})))
    assert (q.unit_price, q.rule.list_code, q.list_price) == (D("85.00"), "WHOLESALE", D("100.00"))


@pytest.mark.parametrize(("field", "value"), [("rounding", "97"), ("method", "magic")])
def test_an_unknown_rounding_or_method_is_a_programming_error(field, value):
    with pytest.raises(ValueError, match=f"unknown {field}"):
        quote([rule()._replace(**{field: value})])

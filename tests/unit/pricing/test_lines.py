"""Lines of one page share what pricing works out once per call (a category path's rules and promotions), never
another line's own rules or promotions."""

from __future__ import annotations

from app.pricing.domain import PricingItem, price_for, price_many
from tests.unit.pricing.support import ACME, D, promo, rule

DRILL = PricingItem("v1", "p1", ("drills", "tools"), D("40.00"), "EUR")
SAME_PATH = PricingItem("v2", "p2", ("drills", "tools"), D("40.00"), "EUR")
OTHER_PATH = PricingItem("v3", "p3", ("saws", "tools"), D("40.00"), "EUR")
RULES = [
    rule("base", "100.00", variant_id="v1"),
    rule("base", "100.00", variant_id="v2"),
    rule("base", "100.00", variant_id="v3"),
    rule("group", "10", method="list_minus_pct", category_id="drills"),
    rule("group", "20", method="list_minus_pct", category_id="tools"),
    rule("contract", "70.00", variant_id="v1"),
]
PROMOTIONS = [
    promo("SPRING", "5"),
    promo("DRILLS", "3", category_id="drills"),
    promo("V1", "20", variant_id="v1"),
    promo("P2", "1", product_id="p2", stackable=True),
]


def test_lines_in_one_category_share_its_rules_and_promotions_but_not_each_others():
    sheet = price_many([DRILL, SAME_PATH, OTHER_PATH], RULES, PROMOTIONS, {}, ACME)
    summary = {
        v: (q.customer_price, q.rule.level, [(a.promotion.code, a.discount) for a in q.promotions])
        for v, q in sheet.quotes.items()
    }
    assert summary == {
        "v1": (D("70.00"), "contract", [("V1", D("14.00"))]),
        "v2": (D("90.00"), "group", [("SPRING", D("4.50")), ("P2", D("0.90"))]),
        "v3": (D("80.00"), "group", [("SPRING", D("4.00"))]),
    }
    for item in (DRILL, SAME_PATH, OTHER_PATH):  # and each line as if priced alone
        assert sheet[item.variant_id] == price_for(item, RULES, PROMOTIONS, 1, ACME)


def test_a_category_path_given_as_a_list_prices_like_the_tuple():
    as_list = SAME_PATH._replace(category_ids=list(SAME_PATH.category_ids))
    for tiers in (True, False):
        expected = price_many([SAME_PATH], RULES, PROMOTIONS, {}, ACME, tiers=tiers)
        assert price_many([as_list], RULES, PROMOTIONS, {}, ACME, tiers=tiers) == expected

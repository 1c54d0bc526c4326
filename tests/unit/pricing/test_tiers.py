"""Tier tables at their boundaries: the engine fills a tier table in one pass over an item's rules; it must give
what trying the rules in precedence order at each quantity gives, formulas, ties and skipped rules included."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from app.pricing.domain import (
    PriceQuote,
    PriceRule,
    PricingContext,
    PricingItem,
    Tier,
    price_as_specified,
    price_for,
    price_many,
)
from tests.unit.pricing.support import ACME, ITEM, TODAY, D, rule

LEVELS = ("contract", "customer", "group", "base")
CATEGORIES = ("drills", "power-tools", "tools")  # nearest first
CTX = replace(ACME, group_ids=frozenset({"wholesale", "partners"}))


def reference(item: PricingItem, rules: list[PriceRule], qty: Decimal) -> dict:
    """What the specification (the rules tried one by one at each quantity) answers, in observed's terms."""
    return observed(price_as_specified(item, rules, qty, CTX))


def observed(q) -> dict:
    if q.unit_price is None:
        return {"price": None, "tiers": q.tiers, "next_tier": q.next_tier, "skipped": q.skipped}
    return {
        "price": q.customer_price,
        "rule": q.rule,
        "basis": q.basis,
        "list_price": q.list_price,
        "tiers": q.tiers,
        "next_tier": q.next_tier,
        "skipped": q.skipped,
    }


def random_rule(rng: random.Random) -> PriceRule:
    level = rng.choice(LEVELS)
    scope = rng.choice(
        [{"variant_id": "v1"}, {"variant_id": "v1"}, {"product_id": "p1"}, {"everywhere": True}, {"variant_id": "v9"}]
        + [{"category_id": c} for c in CATEGORIES]
    )
    owner = {}
    if level in ("contract", "customer"):
        owner = {"customer_id": rng.choice(["acme", "acme", "globex"])}
    elif level == "group":  # the customer is in two groups: equal rules of both tie
        owner = {"group_id": rng.choice(["wholesale", "partners", "retail"])}
    method = rng.choice(["fixed", "fixed", "fixed", "list_minus_pct", "cost_plus_pct"])
    if method == "fixed":
        value = rng.choice(["100.00", "95.00", "90.00", "49.995", "0.004", f"{rng.randint(100, 9999) / 100:.2f}"])
    else:
        value = rng.choice(["5", "10", "12.5", "100", "150"])
    day = timedelta(days=1)
    dates = rng.choice([{}, {}, {"valid_to": TODAY}, {"valid_from": TODAY + day}])
    return rule(
        level,
        value,
        method=method,
        min_qty=rng.choice(["1", "1", "10", "10.0", "25", "2.5", "50", "100"]),
        rounding=rng.choice(["cent", "cent", "99", "90"]),
        **scope,
        **owner,
        **dates,
    )


BOUNDARIES = [
    D(q) for q in ("0.5", "1", "2.4", "2.5", "9", "9.99", "10", "11", "24", "25", "49", "50", "99", "100", "1000")
]


@pytest.mark.parametrize("seed", range(400))
def test_a_tier_table_agrees_with_trying_the_rules_at_each_quantity(seed):
    rng = random.Random(seed)
    rules = [random_rule(rng) for _ in range(rng.randint(1, 14))]
    item = ITEM._replace(
        category_ids=CATEGORIES,
        cost=rng.choice([D("40.00"), None, D("0.001")]),
        cost_currency=rng.choice(["EUR", "EUR", "USD"]),
    )
    for qty in BOUNDARIES:
        expected = reference(item, rules, qty)
        quote = price_for(item, rules, [], qty, CTX)
        assert observed(quote) == expected, (qty, rules)
        assert quote == price_as_specified(item, rules, qty, CTX), (qty, rules)  # the whole quote, not only the above
        basket = price_many([item], rules, [], {"v1": qty}, CTX, tiers=False)["v1"]
        assert observed(basket) == {**expected, "tiers": (), "next_tier": None}, (qty, rules)


def engine(item: PricingItem, rules: list[PriceRule], qty: Decimal | int, ctx: PricingContext) -> PriceQuote:
    return price_for(item, rules, [], qty, ctx)


# The worked examples hold for the engine and for the specification: it is right where it is checked by hand.
BOTH = pytest.mark.parametrize("quote", [engine, price_as_specified], ids=["engine", "specification"])


@BOTH
def test_each_tier_start_is_priced_by_the_winner_from_that_quantity(quote):
    rules = [
        rule("base", "100.00"),
        rule("base", "95.00", min_qty=10),
        rule("base", "90.00", min_qty=50),
        rule("group", "10", method="list_minus_pct", category_id="tools", group_id="wholesale"),
        rule("contract", "80.00", min_qty=25),
    ]
    q = quote(ITEM, rules, 24, CTX)
    # 10 % off the base price at each of its starts, then the contract from 25 on; 50 is the contract's too
    assert q.tiers == (Tier(D(1), D("90.00")), Tier(D(10), D("85.50")), Tier(D(25), D("80.00")))
    assert (q.unit_price, q.basis, q.list_price, q.next_tier) == (D("85.50"), D("95.00"), D("95.00"), q.tiers[2])


@BOTH
def test_a_start_where_the_discount_has_no_base_falls_to_the_next_rule(quote):
    rules = [
        rule("base", "100.00", min_qty=10),
        rule("group", "10", method="list_minus_pct", group_id="wholesale"),
        rule("group", "130.00", everywhere=True, group_id="wholesale"),
    ]
    below = quote(ITEM, rules, 9, CTX)  # no base price before 10: the discount is skipped there
    assert (below.unit_price, below.basis, below.list_price) == (D("130.00"), None, None)
    assert below.skipped == (("%(list)s skipped: no base price to discount", "WHOLESALE"),)
    at = quote(ITEM, rules, 10, CTX)
    assert (at.unit_price, at.basis, at.list_price, at.skipped) == (D("90.00"), D("100.00"), D("100.00"), ())
    assert at.tiers == below.tiers == (Tier(D(1), D("130.00")), Tier(D(10), D("90.00")))


@BOTH
def test_a_tier_start_keeps_the_way_its_first_rule_writes_it(quote):
    rules = [rule("contract", "80.00", min_qty="10.0"), rule("base", "95.00", min_qty="10")]
    q = quote(ITEM, rules, 10, CTX)
    assert [str(t.min_qty) for t in q.tiers] == ["10.0"]  # the contract ranks first, so its 10.0 names the start


@BOTH
def test_below_every_tier_there_is_no_price_but_the_table_shows_where_prices_start(quote):
    rules = [rule("base", "100.00", min_qty=5), rule("base", "90.00", min_qty=10)]
    q = quote(ITEM, rules, 2, CTX)
    assert q.unit_price is None and q.skipped == ()
    assert q.tiers == (Tier(D(5), D("100.00")), Tier(D(10), D("90.00")))
    assert q.next_tier == Tier(D(5), D("100.00"))


def two_groups(first: str, second: str, **fields: object) -> list[PriceRule]:
    """Equal rules of the customer's two groups (same scope and tier): the engine cannot rank one above the other."""
    return [
        rule("group", first, group_id="wholesale", list_id="wh", list_code="WHOLESALE", **fields),
        rule("group", second, group_id="partners", list_id="pa", list_code="PARTNERS", **fields),
    ]


@pytest.mark.parametrize("tiers", [True, False])
def test_rules_that_tie_go_to_the_lower_price_then_to_the_first(tiers):
    for first, second, winner in (("90.00", "85.00", 1), ("85.00", "90.00", 0), ("90.00", "90.00", 0)):
        rules = [rule("base", "100.00"), *two_groups(first, second, min_qty=10)]
        q = price_many([ITEM], rules, [], {"v1": 12}, CTX, tiers=tiers)["v1"]
        assert (q.rule, q.unit_price) == (rules[1 + winner], min(D(first), D(second)))
        if tiers:
            assert q.tiers == (Tier(D(1), D("100.00")), Tier(D(10), min(D(first), D(second))))


@BOTH
def test_a_tied_rule_that_cannot_price_leaves_its_note_and_the_other_wins(quote):
    rules = [rule("base", "100.00"), *two_groups("0.004", "92.00")]
    q = quote(ITEM, rules, 1, CTX)
    assert (q.unit_price, q.rule) == (D("92.00"), rules[2])
    assert q.skipped == (("%(list)s skipped: the price would not be above zero", "WHOLESALE"),)

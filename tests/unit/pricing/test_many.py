"""A whole page or basket in one call: the same answers as pricing each line alone, checked against a
plain reading of the precedence rules and against the specification on many random price lists."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from app.pricing.domain import PriceRule, PricingItem, price_as_specified, price_for, price_many
from tests.unit.pricing.support import ACME, ITEM, TODAY, D, promo, rule

LEVEL_RANK = {"contract": 0, "customer": 1, "group": 2, "base": 3}
CATEGORIES = ("drills", "power-tools", "tools")  # nearest first
CTX = replace(ACME, group_ids=frozenset({"wholesale", "partners"}))


def reference_price(item: PricingItem, rules: list[PriceRule], qty: Decimal) -> Decimal | None:
    """Precedence read straight from the issue, for fixed prices: no index, no sorting tricks."""

    def scope_rank(r: PriceRule) -> int | None:
        if r.variant_id is not None:
            return 0 if r.variant_id == item.variant_id else None
        if r.product_id is not None:
            return 1 if r.product_id == item.product_id else None
        if r.category_id is not None:
            return 2 + item.category_ids.index(r.category_id) if r.category_id in item.category_ids else None
        return 99

    def for_acme(r: PriceRule) -> bool:
        return {
            "contract": r.customer_id == "acme",
            "customer": r.customer_id == "acme",
            "group": r.group_id in CTX.group_ids,
            "base": True,
        }[r.level]

    applicable = [
        r
        for r in rules
        if r.currency == CTX.currency
        and (r.valid_from is None or r.valid_from <= CTX.on)
        and (r.valid_to is None or CTX.on <= r.valid_to)
        and for_acme(r)
        and scope_rank(r) is not None
        and r.min_qty <= qty
    ]
    if not applicable:
        return None
    best = min((LEVEL_RANK[r.level], scope_rank(r), -r.min_qty) for r in applicable)
    return min(r.value for r in applicable if (LEVEL_RANK[r.level], scope_rank(r), -r.min_qty) == best)


def random_rule(rng: random.Random) -> PriceRule:
    level = rng.choice(list(LEVEL_RANK))
    scope = rng.choice(
        [{"variant_id": "v1"}, {"variant_id": "v9"}, {"product_id": "p1"}, {"product_id": "p9"}, {"everywhere": True}]
        + [{"category_id": c} for c in (*CATEGORIES, "garden")]
    )
    owner = {}
    if level in ("contract", "customer"):
        owner = {"customer_id": rng.choice(["acme", "acme", "globex"])}
    elif level == "group":
        owner = {"group_id": rng.choice(["wholesale", "partners", "retail"])}
    day = timedelta(days=1)
    dates = rng.choice([{}, {"valid_to": TODAY}, {"valid_to": TODAY - day}, {"valid_from": TODAY + day}])
    return rule(
        level,
        f"{rng.randint(100, 9999) / 100:.2f}",
        min_qty=rng.choice([1, 1, 10, 50, 100]),
        currency=rng.choice(["EUR", "EUR", "EUR", "USD"]),
        **scope,
        **owner,
        **dates,
    )


@pytest.mark.parametrize("seed", range(300))
def test_the_engine_agrees_with_a_plain_reading_of_the_rules(seed):
    rng = random.Random(seed)
    rules = [random_rule(rng) for _ in range(rng.randint(0, 12))]
    item = ITEM._replace(category_ids=CATEGORIES)
    for qty in (1, 9, 10, 11, 49, 50, 99, 100, 1000):
        expected = reference_price(item, rules, D(qty))
        got = price_for(item, rules, [], qty, CTX)
        assert got.unit_price == expected, (qty, rules)
        assert got == price_as_specified(item, rules, qty, CTX), (qty, rules)
        if expected is not None:
            tier = next(t for t in reversed(got.tiers) if t.min_qty <= qty)
            assert tier.unit_price == expected  # the tier table agrees with the price at qty


def test_a_page_matches_pricing_each_line_alone():
    items = [PricingItem(variant_id=f"v{i}", product_id=f"p{i % 3}", category_ids=("tools",)) for i in range(30)]
    rules = [
        *(rule("base", f"{10 + i}.00", variant_id=f"v{i}") for i in range(30)),
        rule("base", "5.00", variant_id="v0", min_qty=10),
        rule("group", "10", method="list_minus_pct", category_id="tools", rounding="99"),
        rule("contract", "7.00", product_id="p1"),
        rule("contract", "6.00", product_id="p2", min_qty=5),
    ]
    promotions = [promo("SPRING", "5"), promo("P2", "1", kind="amount", currency="EUR", product_id="p2")]
    qtys = {f"v{i}": D(i % 12 + 1) for i in range(30)}
    sheet = price_many(items, rules, promotions, qtys, ACME)
    assert list(sheet.quotes) == [item.variant_id for item in items]
    for item in items:
        alone = price_for(item, rules, promotions, qtys[item.variant_id], ACME)
        assert sheet[item.variant_id] == alone


def test_quantities_default_to_one_and_unpriced_items_stay_in_the_sheet():
    other = PricingItem(variant_id="v2", product_id="p2")
    sheet = price_many([ITEM, other], [rule("base", "100.00")], [], {}, ACME)
    assert sheet["v1"].qty == 1 and sheet["v1"].unit_price == D("100.00")
    assert sheet["v2"].unit_price is None and not sheet["v2"].purchasable


def test_an_empty_page():
    sheet = price_many([], [rule()], [promo()], {}, ACME)
    assert sheet.quotes == {} and sheet.coupon_problems == ()

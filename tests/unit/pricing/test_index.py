"""The rule index load_page builds while reading runs of rules: the same rules and the same index as pricing would
build from the plain list, dropped as soon as the list changes or the context differs."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal, InvalidOperation

import pytest

from app.pricing.domain import PriceRule, PricingItem, RuleIndex, RuleRun, index_for, loaded_rules, price_many
from tests.unit.pricing.support import ACME, TODAY, D

CTX = replace(ACME, group_ids=frozenset({"wholesale", "partners"}))
LISTS = [
    ("ct", "CT-ACME", "contract", "acme", None),
    ("ct2", "CT-GLOBEX", "contract", "globex", None),
    ("cu", "CU-ACME", "customer", "acme", None),
    ("wh", "WHOLESALE", "group", None, "wholesale"),
    ("pa", "PARTNERS", "group", None, "partners"),
    ("re", "RETAIL", "group", None, "retail"),
    ("base", "BASE-EUR", "base", None, None),
]
ITEMS = [
    PricingItem(f"v{i}", f"p{i % 3}", (f"c{i % 2}", "root")[: 1 + i % 2], D("40.00") if i % 4 else None, "EUR")
    for i in range(6)
]
DAY = timedelta(days=1)


def random_run(rng: random.Random, n: int, *, valid: bool = True) -> RuleRun:
    scope = rng.choice([0, 0, 0, 1, 2, 3])
    scope_ids = {
        0: [f"v{rng.randint(0, 6)}" for _ in range(n)],
        1: [f"p{rng.randint(0, 3)}" for _ in range(n)],
        2: [rng.choice(["c0", "c1", "root", "c9"]) for _ in range(n)],
        3: None,
    }[scope]
    method = rng.choice(["fixed", "fixed", "list_minus_pct", "cost_plus_pct"])
    pool = ["100.0000", "95.5000", "0.0040", "49.9950", "12.3456"] if method == "fixed" else ["5", "12.5", "100", "150"]
    valid_from, valid_to = rng.choice([(None, None), (None, None), (None, TODAY), (TODAY + DAY, None)])
    return RuleRun(
        *rng.choice(LISTS),
        scope,
        method if valid else rng.choice(["fixed", "markup"]),
        D(rng.choice(["1", "1.0000", "10", "25", "2.5"])),
        rng.choice(["cent", "cent", "99", "90"]) if valid else "97",
        valid_from,
        valid_to,
        rng.choice(["", "Frame 2026"]),
        [f"r{rng.random()}" for _ in range(n)],
        [Decimal(rng.choice(pool)) for _ in range(n)],
        scope_ids,
    )


def runs_for(seed: int) -> list[RuleRun]:
    rng = random.Random(seed)
    return [random_run(rng, rng.randint(1, 5)) for _ in range(rng.randint(1, 8))]


def index_state(index: RuleIndex) -> tuple:
    return (index.variant, index.product, index.category, index.everyone, index.mins, index.quantum)


def test_the_rules_of_a_run_repeat_its_columns_and_zip_in_each_rules_own():
    run = RuleRun("wh", "WHOLESALE", "group", None, "wholesale", 2, "list_minus_pct", D(10), "99", None, TODAY,
                  "Autumn", ["r1", "r2"], [D(5), D(8)], ["c0", "c1"])  # fmt: skip
    assert list(loaded_rules(CTX, [run])) == [
        PriceRule("r1", "wh", "WHOLESALE", "group", "EUR", D(5), "list_minus_pct", None, "wholesale", None, None, "c0",
                  D(10), "99", None, TODAY, "Autumn"),
        PriceRule("r2", "wh", "WHOLESALE", "group", "EUR", D(8), "list_minus_pct", None, "wholesale", None, None, "c1",
                  D(10), "99", None, TODAY, "Autumn"),
    ]  # fmt: skip


@pytest.mark.parametrize("seed", range(150))
def test_the_index_built_while_loading_is_the_one_pricing_builds_from_the_list(seed):
    rules = loaded_rules(CTX, runs_for(seed))
    plain = list(rules)
    assert index_for(rules, CTX) is index_for(rules, CTX)  # built once, while loading
    assert index_state(index_for(rules, CTX)) == index_state(RuleIndex(plain, CTX))
    qtys = {item.variant_id: D(random.Random(seed).choice(["1", "2.5", "10", "30"])) for item in ITEMS}
    for tiers in (True, False):
        assert price_many(ITEMS, rules, [], qtys, CTX, tiers=tiers) == price_many(
            ITEMS, plain, [], qtys, CTX, tiers=tiers
        )


REFUSED = [("method", "markup", "unknown method"), ("rounding", "97", "unknown rounding")]


@pytest.mark.parametrize(("column", "value", "message"), REFUSED)
def test_a_run_pricing_would_refuse_gets_no_index_so_pricing_refuses_it_the_same_way(column, value, message):
    good = RuleRun("base", "BASE-EUR", "base", None, None, 0, "fixed", D(1), "cent", None, None, "", ["r1"], [D(10)],
                   ["v0"])  # fmt: skip
    bad = good._replace(**{column: value})
    rules = loaded_rules(CTX, [good, bad])
    for given in (rules, list(rules)):
        with pytest.raises(ValueError, match=message):
            price_many(ITEMS, given, [], {}, CTX)


def test_a_price_that_is_not_a_number_is_left_to_pricing():
    run = RuleRun("base", "B", "base", None, None, 0, "fixed", D(1), "cent", None, None, "", ["r1"], [Decimal("NaN")],
                  ["v0"])  # fmt: skip
    rules = loaded_rules(CTX, [run])
    for given in (rules, list(rules)):
        with pytest.raises(InvalidOperation):
            price_many(ITEMS, given, [], {}, CTX)


CHANGES = {
    "append": lambda rules, extra: rules.append(extra),
    "extend": lambda rules, extra: rules.extend([extra]),
    "iadd": lambda rules, extra: rules.__iadd__([extra]),
    "insert": lambda rules, extra: rules.insert(0, extra),
    "setitem": lambda rules, extra: rules.__setitem__(0, extra),
    "slice": lambda rules, extra: rules.__setitem__(slice(0, 0), [extra]),
    "delitem": lambda rules, extra: rules.__delitem__(0),
    "pop": lambda rules, extra: rules.pop(),
    "remove": lambda rules, extra: rules.remove(rules[0]),
    "clear": lambda rules, extra: rules.clear(),
    "sort": lambda rules, extra: rules.sort(key=lambda r: r.id, reverse=True),
    "reverse": lambda rules, extra: rules.reverse(),
    "imul": lambda rules, extra: rules.__imul__(2),
}


@pytest.mark.parametrize("change", CHANGES)
def test_changing_the_loaded_rules_drops_their_index(change):
    base = RuleRun("base", "BASE-EUR", "base", None, None, 0, "fixed", D(1), "cent", None, None, "", ["r1", "r2"],
                   [D(100), D(90)], ["v0", "v1"])  # fmt: skip
    rules = loaded_rules(CTX, [base])
    extra = PriceRule("r9", "ct", "CT-ACME", "contract", "EUR", D(70), customer_id="acme", variant_id="v0")
    CHANGES[change](rules, extra)
    assert index_for(rules, CTX) is not index_for(rules, CTX)
    plain = list(rules)
    assert price_many(ITEMS, rules, [], {}, CTX) == price_many(ITEMS, plain, [], {}, CTX)


@pytest.mark.parametrize(
    "other",
    [
        replace(CTX, customer_id="globex"),
        replace(CTX, group_ids=frozenset({"retail"})),
        replace(CTX, on=TODAY + DAY),
        replace(CTX, currency="USD"),
    ],
)
def test_the_index_serves_only_the_context_it_was_loaded_for(other):
    rules = loaded_rules(CTX, runs_for(7) + runs_for(8))
    assert index_for(rules, other) is not index_for(rules, CTX)
    assert price_many(ITEMS, rules, [], {}, other) == price_many(ITEMS, list(rules), [], {}, other)
    same = replace(CTX, promotion_uses={"p": 1}, coupon_codes=("x",))  # what pricing adds to the loading context
    assert index_for(rules, same) is index_for(rules, CTX)

"""Quantity rules per variant: minimum, pack size, maximum, and the nearest valid quantity to suggest."""

from __future__ import annotations

import pytest

from app.i18n import use_locale
from app.pricing.domain import QuantityRule, check_quantity
from tests.unit.pricing.support import D

PACKS = QuantityRule(variant_id="v1", min_qty=D(10), multiple=D(6), max_qty=D(60))


def check(qty, rule=PACKS):
    with use_locale("en"):
        return check_quantity(D(qty), rule)


@pytest.mark.parametrize("qty", [12, 18, 36, 60])
def test_valid_quantities_pass_unchanged(qty):
    result = check(qty)
    assert result.ok and result.problems == () and result.suggested == D(qty)


@pytest.mark.parametrize(
    ("qty", "codes", "suggested"),
    [
        (6, ["min"], 12),  # a whole pack, but below the minimum: the first multiple at or above it
        (3, ["min", "multiple"], 12),
        (10, ["multiple"], 12),  # the minimum itself is not a whole number of packs
        (13, ["multiple"], 18),  # round up to the pack
        (61, ["multiple", "max"], 60),  # rounding up would pass the maximum: the largest valid one
        (66, ["max"], 60),
        (0, ["positive"], 12),
        (-6, ["positive"], 12),
    ],
)
def test_problems_and_suggestion(qty, codes, suggested):
    result = check(qty)
    assert not result.ok
    assert [p.code for p in result.problems] == codes
    assert result.suggested == D(suggested)


def test_messages_name_the_limit():
    assert [p.message for p in check(3).problems] == [
        "The minimum order quantity is 10",
        "Order in multiples of 6",
    ]
    assert [p.message for p in check(66).problems] == ["The maximum order quantity is 60"]
    assert [p.message for p in check(0).problems] == ["Enter a quantity greater than zero"]


def test_without_a_rule_any_positive_quantity_goes():
    assert check(7, None).ok
    assert check("2.5", None).ok
    assert [p.code for p in check(0, None).problems] == ["positive"]


def test_fractional_pack_sizes():
    rule = QuantityRule(variant_id="v1", min_qty=D("0.5"), multiple=D("0.25"))
    assert check("0.75", rule).ok
    result = check("0.8", rule)
    assert [p.code for p in result.problems] == ["multiple"] and result.suggested == D("1.00")


def test_only_a_minimum():
    rule = QuantityRule(variant_id="v1", min_qty=D(5))
    assert check(5, rule).ok and check(500, rule).ok
    assert check(4, rule).suggested == D(5)


def test_a_rule_no_quantity_can_meet_says_so():
    impossible = QuantityRule(variant_id="v1", min_qty=D(5), multiple=D(4), max_qty=D(7))
    result = check(5, impossible)
    assert "none" in [p.code for p in result.problems] and result.suggested is None

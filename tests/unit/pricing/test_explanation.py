"""What the quote tells staff: short translated lines naming the list, validity, tier, formula and promotion."""

from __future__ import annotations

from datetime import date

from app.i18n import use_locale
from app.pricing.domain import price_for
from tests.unit.pricing.support import ACME, ITEM, rule


def lines(rules, qty=1, promotions=(), ctx=ACME):
    quote = price_for(ITEM, rules, promotions, qty, ctx)
    with use_locale("en"):
        return quote.explanation


def test_contract_price_with_end_date_tier_and_next_break():
    rules = [
        rule("base", "100.00"),
        rule("contract", "80.00", valid_to=date(2026, 12, 31), label="Frame agreement 2026", min_qty=50),
        rule("contract", "70.00", valid_to=date(2026, 12, 31), min_qty=100),
    ]
    assert lines(rules, 60) == [
        "Contract price CT-ACME valid until Dec 31, 2026",
        "Price for this variant",
        "Frame agreement 2026",
        "Tier 50+",
        "From 100: €70.00",
    ]


def test_open_ended_lists_of_each_level_and_scope():
    assert lines([rule("base", "100.00")]) == ["Base price list BASE-EUR", "Price for this variant"]
    assert lines([rule("group", "90.00", category_id="tools")]) == [
        "Customer group price list WHOLESALE",
        "Price for the product's category",
    ]
    assert lines([rule("customer", "90.00", product_id="p1")])[:2] == [
        "Customer price list CU-ACME",
        "Price for this product",
    ]
    assert lines([rule("base", "90.00", everywhere=True)])[1] == "Price for all products"


def test_formula_and_rounding_are_spelled_out():
    rules = [rule("base", "88.00"), rule("group", "10", method="list_minus_pct", rounding="99")]
    assert lines(rules)[2:] == ["10 % off the list price €88.00", "Rounded to .99"]
    assert lines([rule("base", "25", method="cost_plus_pct", rounding="95")])[2:] == [
        "Cost €40.00 plus 25 %",
        "Rounded to .95",
    ]


def test_lines_translate_with_the_locale():
    quote = price_for(ITEM, [rule("contract", "80.00", valid_to=date(2026, 12, 31))], [], 1, ACME)
    with use_locale("es"):
        spanish = quote.explanation
    with use_locale("en"):
        english = quote.explanation
    assert "31 dic 2026" in spanish[0] and "Dec 31, 2026" in english[0]

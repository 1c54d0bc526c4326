"""The price CSV's rules: tiers and dates per SKU and list, checked with the pricing engine's own validation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.i18n import use_locale
from app.pricing.csv_prices import PriceReferences, check_references, plan, read_prices
from app.pricing.domain import PriceRule, QuantityRule

BASE = PriceRule(id=None, list_id="L-BASE", list_code="BASE", level="base", currency="EUR", value=Decimal(0))
PRO = PriceRule(
    id=None, list_id="L-PRO", list_code="PRO", level="group", currency="EUR", value=Decimal(0), group_id="G"
)
REFS = PriceReferences(
    lists={"": BASE, "BASE": BASE, "PRO": PRO},
    variants={"SIL-1": QuantityRule("V1", Decimal(2)), "SIL-2": QuantityRule("V2")},
)


@pytest.fixture(autouse=True)
def english():
    with use_locale("en"):
        yield


def csv(*lines: str, header: str = "price_list,sku,min_qty,price,valid_from,valid_to") -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def reasons(issues) -> dict[tuple, str]:
    return {(i.line, i.column): i.reason for i in issues}


def test_tiers_and_dates_are_read_and_the_base_list_is_the_default():
    file = read_prices(csv(",sil-1,,12.50,,", 'PRO,SIL-1,10,"11,00",2026-01-01,2026-12-31'))
    assert file.issues == []
    first, second = file.lines
    assert (first.list_code, first.sku, first.min_qty, first.price) == ("", "SIL-1", Decimal(1), Decimal("12.50"))
    assert (second.list_code, second.min_qty, second.valid_from) == ("PRO", Decimal(10), date(2026, 1, 1))
    assert check_references(file.lines, REFS) == []
    assert [len(b) for b in plan(file, []).batches] == [2]


def test_bad_cells_unknown_lists_and_skus_are_reported():
    file = read_prices(
        csv(
            "BASE,SIL-1,,,,",
            "BASE,SIL-1,0,5,,",
            "BASE,SIL-1,2,5,31/12/2026,",
            "NOPE,SIL-1,3,5,,",
            "BASE,GHOST,,5,,",
        )
    )
    found = reasons(file.issues + check_references(file.lines, REFS))
    assert found[(2, "price")] == "Enter the price."
    assert found[(3, "min_qty")] == "Enter a number of more than zero."
    assert found[(4, "valid_from")] == "Enter a date as yyyy-mm-dd."
    assert found[(5, "price_list")] == "Unknown price list “NOPE”."
    assert found[(6, "sku")] == "Unknown SKU GHOST."


def test_the_engine_refuses_what_the_price_list_screen_refuses():
    saved = BASE._replace(id="R1", value=Decimal(9), variant_id="V2", valid_from=date(2026, 1, 1))
    refs = PriceReferences(lists=REFS.lists, variants=REFS.variants, rules={"SIL-2": [saved]})
    file = read_prices(csv("BASE,SIL-1,1.5,10.001,,", "BASE,SIL-2,,10,,", "BASE,SIL-1,,10,,"))
    found = reasons(check_references(file.lines, refs))
    assert found[(2, "price")] == "Enter the price in whole cents of the currency"
    assert found[(2, "min_qty")] == "The tier starts below the minimum order quantity of 2"
    assert found[(3, "valid_from")].startswith("Overlaps the price in BASE")
    assert (4, "price") not in found and (4, "min_qty") not in found  # a price from one unit is always allowed


def test_the_saved_price_with_the_same_key_is_updated_not_clashed_with():
    saved = BASE._replace(id="R1", value=Decimal(9), variant_id="V2")
    refs = PriceReferences(
        lists=REFS.lists,
        variants=REFS.variants,
        rules={"SIL-2": [saved]},
        fixed={("L-BASE", "SIL-2", 1, None, None): "R1"},
    )
    assert check_references(read_prices(csv("BASE,SIL-2,,10,,")).lines, refs) == []


def test_the_same_price_twice_in_the_file_rejects_the_skus_tiers_in_that_list():
    file = read_prices(csv("BASE,SIL-2,,10,,", "BASE,SIL-2,10,9,,", "BASE,SIL-2,,11,,", "PRO,SIL-2,,8,,"))
    result = plan(file, check_references(file.lines, REFS))
    found = reasons(result.issues)
    assert found[(2, "sku")] == "Line 4 sets the same price (list, SKU, quantity and dates)."
    assert found[(3, "sku")] == "Not imported: another price of this SKU in this list has errors."
    assert [(ln.list_code, ln.line) for b in result.batches for ln in b] == [("PRO", 5)]
    assert (result.lines, result.rejected_lines) == (4, 3)


def test_dates_outside_the_lists_validity_are_refused():
    dated = PRO._replace(valid_from=date(2026, 1, 1), valid_to=date(2026, 6, 30))
    refs = PriceReferences(lists={"PRO": dated}, variants=REFS.variants)
    file = read_prices(csv("PRO,SIL-2,,10,2026-07-01,2026-12-31"))
    assert reasons(check_references(file.lines, refs)) == {
        (2, "valid_from"): "Choose dates within the price list's validity."
    }


def test_a_file_without_a_price_column_is_refused():
    file = read_prices(b"sku,min_qty\nSIL-1,1\n")
    assert file.fatal and reasons(file.issues) == {(1, "price"): "The column “price” is missing."}

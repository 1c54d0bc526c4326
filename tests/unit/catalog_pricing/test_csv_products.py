"""The product CSV's rules: every bad line named, product fields from the first line, no partial product."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.catalog.csv_products import plan, read_products
from app.catalog_pricing.csv_products import References, check_references
from app.i18n import use_locale
from app.pricing.domain import PriceRule

HEADER = "product_key,sku,name_es,name_en,category,brand,status,weight_kg,min_qty,max_qty,cost,price,attr:color"
ATTRIBUTES = {"color", "material"}
BASE = PriceRule(id=None, list_id="L1", list_code="BASE", level="base", currency="EUR", value=Decimal(0))


@pytest.fixture(autouse=True)
def english():
    """Messages are English msgids; the default locale is Spanish."""
    with use_locale("en"):
        yield


def csv(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def reasons(issues) -> dict[tuple, str]:
    return {(i.line, i.column): i.reason for i in issues}


def test_a_good_file_groups_variants_under_their_product():
    data = csv(
        "mesa-roble,MES-8,Mesa roble,Oak table,mesas,Actiu,active,30,1,,120,249.00,natural",
        "mesa-roble,MES-10,,,,,,,1,,140,289,negro",
        ',SIL-1,Silla,Chair,sillas,,draft,"4,5",2,10,20,39.9,',
    )
    file = read_products(data, ATTRIBUTES)
    assert file.issues == [] and not file.fatal
    assert [(ln.line, ln.sku, ln.group) for ln in file.lines] == [
        (2, "MES-8", "mesa-roble"),
        (3, "MES-10", "mesa-roble"),
        (4, "SIL-1", "sil-1"),
    ]
    assert file.lines[2].numbers["weight_kg"] == Decimal("4.5") and file.lines[2].texts["status"] == "draft"
    refs = References(categories=frozenset({"mesas", "sillas"}), base_list=BASE)
    result = plan(file, check_references(file.lines, refs))
    assert result.products == 2 and result.rejected_products == 0
    assert [[ln.sku for ln in b] for b in result.batches] == [["MES-8", "MES-10", "SIL-1"]]
    assert result.heads["mesa-roble"].texts["name_en"] == "Oak table"


def test_every_bad_cell_is_reported_with_line_column_and_reason():
    data = csv(
        ",bad sku!,Silla,,sillas,,active,,,,,,",
        ",SIL-2,,,sillas,,sold,-1,0,,abc,,",
        ",SIL-3,Silla,,sillas,,,,5,2,,0,",
        ',SIL-4,Silla,,sillas,,,"1.234,5",,,,12.345,',
    )
    found = reasons(read_products(data, ATTRIBUTES).issues)
    assert found[(2, "sku")].startswith("Enter a SKU of up to 64")
    assert found[(3, "name_es")] == "Enter the name in Spanish or English."
    assert found[(3, "status")] == "Use draft, active or discontinued."
    assert found[(3, "weight_kg")] == "Enter a number of zero or more."
    assert found[(3, "min_qty")] == "Enter a number of more than zero."
    assert found[(3, "cost")].startswith("Enter a number such as 12.5")
    assert found[(4, "max_qty")] == "The maximum cannot be below the minimum."
    assert found[(4, "price")] == "Enter a number of more than zero."
    assert found[(5, "weight_kg")].startswith("Enter a number such as")
    assert (5, "price") not in found  # 4 decimals are allowed here; whole cents are the price list's check


def test_duplicate_skus_flag_every_occurrence_and_reject_both_products():
    data = csv(",SIL-1,Silla,,,,,,,,,,", ",SIL-2,Silla dos,,,,,,,,,,", ",sil-1,Silla otra,,,,,,,,,,")
    file = read_products(data, ATTRIBUTES)
    found = reasons(file.issues)
    assert found[(2, "sku")] == "SIL-1 is also on line 4." and found[(4, "sku")] == "SIL-1 is also on line 2."
    result = plan(file, [])
    assert result.products == 1 and result.rejected_products == 1
    assert [ln.sku for b in result.batches for ln in b] == ["SIL-2"]


def test_a_product_with_one_bad_line_is_not_imported_at_all_and_its_other_lines_say_so():
    data = csv(
        "mesa,MES-8,Mesa,,mesas,,,,,,,,natural",
        "mesa,MES-10,,,,,,,,,,abc,negro",
        ",SIL-1,Silla,,mesas,,,,,,,,",
    )
    file = read_products(data, ATTRIBUTES)
    result = plan(file, check_references(file.lines, References(categories=frozenset({"mesas"}))))
    found = reasons(result.issues)
    assert found[(3, "price")].startswith("Enter a number such as")
    assert found[(2, "sku")] == "Not imported: line 3 of the same product has errors."
    assert [ln.sku for b in result.batches for ln in b] == ["SIL-1"]
    assert (result.products, result.rejected_products, result.rejected_lines) == (1, 1, 2)


def test_later_lines_may_repeat_product_fields_but_not_change_them():
    data = csv(
        "mesa,MES-8,Mesa,,mesas,Actiu,,30,,,,,natural",
        'mesa,MES-10,Mesa,,mesas,Actiu,,"30,0",,,,,negro',
        "mesa,MES-12,Mesa grande,,otra,,,,,,,,blanco",
        "mesa,MES-14,,,,,,,,,,,natural",
    )
    found = reasons(read_products(data, ATTRIBUTES).issues)
    assert (3, "name_es") not in found and (3, "weight_kg") not in found
    assert found[(4, "name_es")].startswith("Differs from line 2, the first line of this product")
    assert found[(4, "category")].startswith("Differs from line 2")
    assert found[(5, "sku")] == "Same attribute values as line 2 of this product: each variant needs its own."


def test_unknown_category_and_a_barcode_of_another_sku_are_errors_unknown_brand_is_not():
    header = "sku,name_es,category,brand,gtin"
    data = csv("SIL-1,Silla,nope,Marca Nueva,", "SIL-2,Silla,sillas,,4006381333931", header=header)
    file = read_products(data, ATTRIBUTES)
    assert file.issues == []
    refs = References(categories=frozenset({"sillas"}), gtin_owners={"4006381333931": "OTHER-1"})
    found = reasons(check_references(file.lines, refs))
    assert found == {(2, "category"): "Unknown category “nope”.", (3, "gtin"): "SKU OTHER-1 already has this barcode."}


def test_unknown_attribute_column_and_missing_name_columns_reject_the_file():
    file = read_products(b"sku,name_es,attr:size\nA,b,c\n", ATTRIBUTES)
    assert file.fatal and reasons(file.issues) == {(1, "attr:size"): "Unknown attribute “size”: create it first."}
    file = read_products(b"sku,brand\nA,b\n", ATTRIBUTES)
    assert file.fatal and reasons(file.issues) == {(1, "name_es"): "Add a name_es or name_en column."}


def test_base_prices_are_checked_as_the_price_list_checks_them():
    markup = BASE._replace(id="R9", value=Decimal(10), variant_id="V1", method="cost_plus_pct")
    header = "sku,name_es,price"
    file = read_products(csv("SIL-1,Silla,12.345", "SIL-2,Silla,12.34", "SIL-3,Silla,20", header=header), ATTRIBUTES)
    refs = References(base_list=BASE, rules={"SIL-3": [markup]})
    found = reasons(check_references(file.lines, refs))
    assert found[(2, "price")] == "Enter the price in whole cents of the currency"
    assert (3, "price") not in found
    assert found[(4, "price")].startswith("Overlaps the price in BASE")
    assert reasons(check_references(file.lines[1:2], References())) == {
        (3, "price"): "There is no active base price list in the shop's currency."
    }


def test_batches_hold_whole_products():
    lines = [f"p{i // 3},SKU-{i},Name {i // 3},,,,,,,,,,c{i % 3}" for i in range(10)]
    file = read_products(csv(*lines), ATTRIBUTES)
    assert file.issues == []
    result = plan(file, [], batch_rows=4)
    assert [[ln.sku for ln in b] for b in result.batches] == [
        ["SKU-0", "SKU-1", "SKU-2"],
        ["SKU-3", "SKU-4", "SKU-5"],
        ["SKU-6", "SKU-7", "SKU-8", "SKU-9"],
    ]

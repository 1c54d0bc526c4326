"""Reading typed and scanned codes: GTINs by check digit, GS1 element strings, internal codes, and errors."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.inventory.domain import (
    BarcodeError,
    CodeKind,
    ScannedCode,
    StockRuleError,
    gtin_check_digit,
    is_valid_gtin,
    parse_code,
)

GS = "\x1d"


@pytest.mark.parametrize(
    ("code", "kind", "gtin"),
    [
        ("4006381333931", CodeKind.EAN_13, "04006381333931"),
        ("96385074", CodeKind.EAN_8, "00000096385074"),
        ("036000291452", CodeKind.UPC_A, "00036000291452"),
        ("10012345678902", CodeKind.GTIN_14, "10012345678902"),
    ],
)
def test_gtins_are_classified_and_padded_to_fourteen_digits(code, kind, gtin):
    assert parse_code(code) == ScannedCode(kind, code, gtin=gtin)
    assert is_valid_gtin(code)


@pytest.mark.parametrize("code", ["4006381333932", "96385075", "036000291453", "10012345678903"])
def test_a_wrong_check_digit_is_an_error_not_an_internal_code(code):
    with pytest.raises(BarcodeError, match="wrong check digit") as error:
        parse_code(code)
    assert error.value.field == "code" and isinstance(error.value, StockRuleError)
    assert not is_valid_gtin(code)


def test_the_check_digit_weighs_three_one_from_the_right():
    assert gtin_check_digit("400638133393") == 1
    assert gtin_check_digit("0000000000000") == 0
    assert not is_valid_gtin("４００６３８１３３３９３１")  # full-width digits are not digits here


def test_bracketed_gs1_element_strings_are_parsed_into_fields():
    code = parse_code("(01)09506000134352(17)251231(10)AB-12(21)SN99(37)24")
    assert code.kind is CodeKind.GS1_128
    assert (code.gtin, code.expiry, code.lot, code.serial, code.count) == (
        "09506000134352",
        date(2025, 12, 31),
        "AB-12",
        "SN99",
        Decimal(24),
    )
    assert code.elements == (
        ("01", "09506000134352"),
        ("17", "251231"),
        ("10", "AB-12"),
        ("21", "SN99"),
        ("37", "24"),
    )


def test_a_scanned_gs1_128_with_symbology_prefix_and_group_separators():
    code = parse_code(f"]C10109506000134352172502001012345{GS}21XYZ\r\n")
    assert (code.gtin, code.expiry, code.lot, code.serial) == ("09506000134352", date(2025, 2, 28), "12345", "XYZ")


def test_a_gs1_string_without_prefix_is_recognised_by_its_leading_gtin():
    assert parse_code("0109506000134352").gtin == "09506000134352"
    code = parse_code("010950600013435217260630" + "10LOT7")
    assert (code.kind, code.expiry, code.lot) == (CodeKind.GS1_128, date(2026, 6, 30), "LOT7")


def test_other_known_identifiers_are_kept_in_the_elements():
    code = parse_code("(00)106141411234567897(15)240229(3103)001250(400)PO-778")
    assert code.gtin is None and code.expiry is None
    assert dict(code.elements) == {"00": "106141411234567897", "15": "240229", "3103": "001250", "400": "PO-778"}


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("(01)09506000134353", "(01) 09506000134353 has a wrong check digit"),
        ("(01)09506000134352(17)251340", "(17) 251340 is not a date (YYMMDD)"),
        ("(01)09506000134352(17)250230", "(17) 250230 is not a date (YYMMDD)"),
        ("(01)0950600013435", "(01) must hold 14 characters"),
        ("(17)2512", "(17) must hold 6 characters"),
        ("(10)" + "A" * 21, "(10) must hold 1 to 20 characters"),
        ("(37)1A", "(37) must be digits"),
        ("(99)ABC", "unknown application identifier (99)"),
        ("(10)A(10)B", "repeats an application identifier"),
        ("(01)09506000134352junk", "(01) must hold 14 characters"),
        (f"]C19912{GS}", "unknown application identifier"),
        ("]C1", "is empty"),
    ],
)
def test_malformed_gs1_strings_say_what_is_wrong(code, message):
    with pytest.raises(BarcodeError) as error:
        parse_code(code)
    assert message in error.value.reason


@pytest.mark.parametrize("code", ["SKU-001", "A-01-02", "LOT 2025/7", "123", "0095060001343527", "(ABC)", "x" * 64])
def test_other_printable_ascii_is_an_internal_code(code):
    assert parse_code(f"  {code}\n") == ScannedCode(CodeKind.INTERNAL, code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("SKU\x07001", "control character '\\x07'"),
        ("SKU\t001", "control character '\\t'"),
        ("CAFÉ", "non-ASCII character 'É'"),
        ("x" * 65, "is 65 characters long"),
        ("(10)A" + "B" * 300, "is 305 characters long; a code has at most 256"),
    ],
)
def test_empty_unprintable_or_too_long_codes_are_refused(code, message):
    with pytest.raises(BarcodeError) as error:
        parse_code(code)
    assert message in error.value.reason


def test_a_barcode_error_survives_pickling_for_background_jobs():
    error = pickle.loads(pickle.dumps(BarcodeError("is empty")))  # noqa: S301 - bytes we just made
    assert (error.field, error.reason) == ("code", "is empty")
    plain = pickle.loads(pickle.dumps(StockRuleError("qty", "must be above zero")))  # noqa: S301
    assert str(plain) == "qty: must be above zero"


@settings(max_examples=100, deadline=None)
@given(body=st.text(alphabet="0123456789", min_size=7, max_size=13).filter(lambda b: len(b) in (7, 11, 12, 13)))
def test_any_body_with_its_check_digit_reads_as_a_gtin_and_any_other_digit_does_not(body):
    good = body + str(gtin_check_digit(body))
    assert parse_code(good).gtin == good.zfill(14)
    bad = body + str((int(good[-1]) + 1) % 10)
    with pytest.raises(BarcodeError, match="wrong check digit"):
        parse_code(bad)

"""Reading CSV files: encodings, separators, headers, line numbers, numbers, garbage; writing them back."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from app.catalog.csv_domain import (
    MAX_BYTES,
    csv_text,
    decode,
    format_number,
    parse_number,
    read_table,
    sniff_delimiter,
)
from app.i18n import use_locale
from app.tasks.domain import Issue, guard_cell, issues_csv, unguard_cell

KNOWN = ("sku", "name", "price")


@pytest.fixture(autouse=True)
def english():
    """Messages are English msgids; the default locale is Spanish."""
    with use_locale("en"):
        yield


def test_utf8_with_bom_and_semicolons_is_read_with_accents():
    data = "\ufeffSKU;Name;Price\r\nSIL-1;Silla ergonómica;12,50\r\n".encode()
    table = read_table(data, KNOWN, ("sku",))
    assert not table.issues and not table.fatal
    assert table.columns == ["sku", "name", "price"]
    assert table.records[0].cells == {"sku": "SIL-1", "name": "Silla ergonómica", "price": "12,50"}
    assert table.records[0].line == 2


def test_delimiter_is_sniffed_from_the_header_outside_quotes():
    assert sniff_delimiter('"a;b",c,d\n1;2;3;4') == ","
    assert sniff_delimiter("a;b;c\n") == ";"
    assert sniff_delimiter("a\tb\n") == "\t"
    assert sniff_delimiter("single\n") == ","


def test_line_numbers_are_the_files_own_across_blank_lines_and_multiline_cells():
    data = b'sku,name\nA,"two\nlines"\n\nB,plain\n'
    table = read_table(data, KNOWN, ("sku",))
    assert [(r.line, r.cells["sku"]) for r in table.records] == [(2, "A"), (5, "B")]
    assert table.records[0].cells["name"] == "two\nlines"


def test_wrong_field_counts_are_reported_per_line_but_trailing_empty_fields_are_fine():
    data = b"sku,name\nA,one\nB\nC,three,extra\nD,four,,\n"
    table = read_table(data, KNOWN, ("sku",))
    assert [(i.line, i.reason) for i in table.issues] == [
        (3, "This line has 1 fields; the header has 2."),
        (4, "This line has 3 fields; the header has 2."),
    ]
    assert [(r.cells["sku"], r.broken) for r in table.records] == [("A", False), ("B", True), ("C", True), ("D", False)]


def test_header_problems_reject_the_whole_file():
    table = read_table(b"sku,nmae,sku\nA,b,c\n", KNOWN, ("sku", "price"))
    assert table.fatal and not table.records
    reasons = {(i.line, i.column): i.reason for i in table.issues}
    assert reasons[(1, "nmae")].startswith("Unknown column “nmae”.")
    assert reasons[(1, "sku")] == "The column “sku” appears twice."
    assert reasons[(1, "price")] == "The column “price” is missing."


def test_a_line_of_prose_is_not_a_header_one_issue_not_one_per_word():
    data = ("It was a bright cold day in April, and the clocks were striking thirteen, " * 3 + "\nmore\n").encode()
    table = read_table(data, KNOWN, ("sku",))
    assert table.fatal and len(table.issues) == 1


def test_random_bytes_are_refused_at_once_with_one_issue():
    garbage = os.urandom(10 * 1024 * 1024)
    table = read_table(garbage, KNOWN, ("sku",))
    assert table.fatal
    assert table.issues == [Issue(None, "", "This is not a CSV text file: it contains binary data.")]


def test_a_spreadsheet_workbook_is_named_as_such():
    text, issues = decode(b"PK\x03\x04" + b"\x00" * 100)
    assert text == "" and "spreadsheet workbook" in issues[0].reason


def test_latin1_text_is_refused_with_the_line_of_the_first_bad_byte():
    data = "sku,name\nA,ok\nB,Sill\xf3n\n".encode("latin-1")
    table = read_table(data, KNOWN, ("sku",))
    assert table.fatal and table.issues[0].line == 3 and "not UTF-8" in table.issues[0].reason


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf \r\n"])
def test_empty_files_are_refused(data):
    assert decode(data)[1] == [Issue(None, "", "The file is empty.")]


def test_too_large_and_header_only_files_are_refused():
    assert "larger than 20 MB" in decode(b"a" * (MAX_BYTES + 1))[1][0].reason
    table = read_table(b"sku,name\n", KNOWN, ("sku",))
    assert table.fatal and table.issues[0].reason == "The file has a header but no rows."


def test_an_unclosed_quote_swallowing_the_file_is_one_issue():
    data = b'sku,name\nA,"never closed\n' + b"x" * 200_000 + b"\n"
    table = read_table(data, KNOWN, ("sku",))
    assert table.fatal and len(table.issues) == 1 and "cannot be read as CSV" in table.issues[0].reason


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12,5", Decimal("12.5")), ("12.5", Decimal("12.5")), (" 7 ", Decimal(7)), (",5", Decimal("0.5")), ("", None)],
)
def test_numbers_with_either_decimal_separator(raw, value):
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw", ["1.234,56", "1,234.5", "12a", "1e5", "NaN", "--1", "12,5,0"])
def test_ambiguous_or_foreign_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        parse_number(raw)


def test_numbers_are_written_plainly():
    assert [format_number(Decimal(v)) for v in ("12.5000", "100", "0.0000", "1E+2")] == ["12.5", "100", "0", "100"]
    assert format_number(None) == ""


def test_formula_cells_are_guarded_on_export_and_unguarded_on_import():
    assert guard_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and guard_cell("Silla") == "Silla"
    assert unguard_cell("'=HYPERLINK(1)") == "=HYPERLINK(1)" and unguard_cell("'quoted") == "'quoted"
    text = csv_text([["=1+1", "plain"]])
    table = read_table(("a,b\r\n" + text).encode(), ("a", "b"))
    assert table.records[0].cells == {"a": "=1+1", "b": "plain"}


def test_the_issue_report_is_csv_with_guarded_values():
    report = issues_csv([Issue(None, "", "Whole file"), Issue(3, "price", "Enter a number.", "=cmd")])
    assert report.startswith("\ufeffline,column,value,reason\r\n")
    assert ",,,Whole file\r\n" in report and "3,price,'=cmd,Enter a number.\r\n" in report

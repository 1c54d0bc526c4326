"""Quick order: reading pasted text and spreadsheet rows, checking each line, merging duplicates, refusing size."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.pricing.domain import QuantityRule, check_quantity
from app.sales.domain import (
    LineStatus,
    QuickOrderCatalogue,
    TooManyLines,
    check_quick_order,
    parse_pasted,
    parse_rows,
    quick_order,
    read_quantity,
)


def d(value: str | int) -> Decimal:
    return Decimal(value)


CATALOGUE = QuickOrderCatalogue(
    variants={"BOLT-10": 1, "NUT-10": 2, "WASHER": 3, "GLUE": 4},
    assortment={1, 2, 4},
    quantity_rules={2: QuantityRule(2, d(10), d(5), d(100)), 4: QuantityRule(4, d(1), None, d(3))},
)


@pytest.mark.parametrize(
    "text",
    [
        "BOLT-10 4",
        "BOLT-10;4",
        "BOLT-10,4",
        "BOLT-10\t4",
        "  bolt-10   4  ",
        "BOLT-10 ; 4",
        "BOLT-10, 4.0",
        "BOLT-10;4,0",
    ],
)
def test_every_separator_and_decimal_mark_reads_the_same(text):
    [line] = parse_pasted(text)
    assert (line.line, line.sku, line.qty, line.problem) == (1, "BOLT-10", d(4), None)


def test_decimal_comma_and_point():
    assert read_quantity("2,5") == (d("2.5"), None)
    assert read_quantity("2.5") == (d("2.5"), None)
    assert read_quantity("0,250") == (d("0.250"), None)  # a leading zero is never a thousands group
    assert read_quantity("12.5000") == (d("12.5000"), None)


@pytest.mark.parametrize("text", ["1,000", "1.000", "250,000"])
def test_a_thousands_lookalike_is_ambiguous(text):
    qty, problem = read_quantity(text)
    assert qty is None and problem.code == "ambiguous_qty"
    assert text in str(problem)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "missing_qty"),
        ("ten", "not_a_number"),
        ("1,000.5", "not_a_number"),
        ("1e3", "not_a_number"),
        ("NaN", "not_a_number"),
    ],
)
def test_unreadable_quantities(text, code):
    qty, problem = read_quantity(text)
    assert qty is None and problem.code == code


def test_blank_lines_and_a_header_are_skipped_and_lines_keep_their_numbers():
    lines = parse_pasted("SKU;Qty\n\nBOLT-10;4\n   \nNUT-10;10\n")
    assert [(line.line, line.sku, line.qty) for line in lines] == [(3, "BOLT-10", d(4)), (5, "NUT-10", d(10))]
    assert [line.line for line in parse_pasted("\n\nArtículo\tCantidad\nGLUE\t1")] == [4]


def test_a_first_line_is_a_header_only_when_it_names_its_columns():
    [line] = parse_pasted("BOLT-10 ten")
    assert line.problem.code == "not_a_number"
    [first, second] = parse_pasted("BOLT-10 4\nSKU qty")
    assert first.qty == d(4)
    assert second.problem.code == "not_a_number"  # a header in the middle is just a bad line


def test_check_answers_every_line_in_input_order():
    result = quick_order(
        "BOLT-10 4\nNUT-10 12\nWASHER 1\nNOPE 3\nGLUE 4\nBOLT-10 0\nBOLT-10 -2\n;5\nNUT-10 abc", CATALOGUE
    )
    answers = [(line.line, line.status, line.reason.code if line.reason else None) for line in result.lines]
    assert answers == [
        (1, LineStatus.OK, None),
        (2, LineStatus.REFUSED, "multiple"),
        (3, LineStatus.REFUSED, "not_in_assortment"),
        (4, LineStatus.REFUSED, "unknown_sku"),
        (5, LineStatus.REFUSED, "max"),
        (6, LineStatus.REFUSED, "positive"),
        (7, LineStatus.REFUSED, "positive"),
        (8, LineStatus.REFUSED, "missing_sku"),
        (9, LineStatus.REFUSED, "not_a_number"),
    ]
    assert [(line.sku, line.qty) for line in result.orderable] == [("BOLT-10", d(4))]
    assert not result.all_ok and len(result.refused) == 8


def test_refusals_carry_the_rule_figures_and_a_suggestion():
    result = quick_order("NUT-10 7\nGLUE 4\nBOLT-10 0", CATALOGUE)
    nut, glue, bolt = result.lines
    assert [r.code for r in nut.reasons] == ["min", "multiple"]
    assert [str(r) for r in nut.reasons] == ["The minimum order quantity is 10.", "Order in multiples of 5."]
    assert nut.reason.message == "The minimum order quantity is %(min)s." and nut.reason.params["min"] == d(10)
    assert nut.suggested == d(10)
    assert str(glue.reason) == "The maximum order quantity is 3." and glue.suggested == d(3)
    assert bolt.suggested == d(1)
    assert quick_order("NUT-10 12", CATALOGUE).lines[0].suggested == d(15)


def test_duplicates_are_merged_and_checked_on_their_total():
    result = quick_order("NUT-10 10\nBOLT-10 1\nnut-10 5\nNUT-10;5", CATALOGUE)
    first, bolt, second, third = result.lines
    assert bolt.status is LineStatus.OK and bolt.merged_with == ()
    assert first.status is LineStatus.OK and first.merged_with == (3, 4)
    assert (second.status, second.merged_into, str(second.reason)) == (LineStatus.MERGED, 1, "Added to line 1.")
    assert third.status is LineStatus.MERGED and third.ok
    assert [(o.sku, o.qty, o.lines) for o in result.orderable] == [
        ("NUT-10", d(20), (1, 3, 4)),
        ("BOLT-10", d(1), (2,)),
    ]


def test_a_merged_total_that_breaks_the_rule_refuses_all_its_lines():
    result = quick_order("NUT-10 60\nNUT-10 50", CATALOGUE)
    first, second = result.lines
    assert first.reason.code == "max" and first.suggested == d(100) and first.merged_with == (2,)
    assert second.reason.code == "merged_refused" and second.merged_into == 1
    assert result.orderable == ()


def test_no_assortment_means_everything_and_no_rule_means_any_positive_quantity():
    catalogue = QuickOrderCatalogue(variants={"WASHER": 3})
    result = quick_order("WASHER 0.5", catalogue)
    assert result.all_ok and result.orderable[0].qty == d("0.5")


def test_empty_input():
    assert quick_order("", CATALOGUE).lines == ()
    assert quick_order("\n \n", CATALOGUE).orderable == ()


def test_ten_thousand_lines_are_refused_fast_and_clearly():
    text = "BOLT-10 1\n" * 10_000
    start = time.perf_counter()
    with pytest.raises(TooManyLines) as error:
        quick_order(text, CATALOGUE)
    assert time.perf_counter() - start < 0.1
    assert error.value.field == "lines"
    assert (
        error.value.reason == "A quick order takes at most 500 lines; this one has 10000. Split it into smaller lists."
    )
    assert error.value.params == {"max": 500, "count": 10_000}


def test_exactly_the_maximum_passes_and_blank_lines_do_not_count():
    assert len(parse_pasted("BOLT-10 1\n" * 500)) == 500
    assert len(parse_pasted("BOLT-10 1\n\n\n" * 500)) == 500
    with pytest.raises(TooManyLines):
        parse_pasted("BOLT-10 1\n" * 501)
    with pytest.raises(TooManyLines):
        parse_pasted("BOLT-10 1\n" * 3, max_lines=2)


def test_one_huge_line_is_refused_as_too_long():
    with pytest.raises(TooManyLines) as error:
        parse_pasted("X" * 200_000)
    assert "too long" in error.value.reason


def test_spreadsheet_rows():
    rows = [("SKU", "Quantity"), ("BOLT-10", 4), (None, None), ("nut-10", "10"), ("GLUE", 2.5), ("WASHER", None)]
    lines = parse_rows(rows)
    assert [(line.line, line.sku, line.qty) for line in lines] == [
        (2, "BOLT-10", d(4)),
        (4, "NUT-10", d(10)),
        (5, "GLUE", d("2.5")),  # a float cell by its shortest repr, never 2.5000000000000000001...
        (6, "WASHER", None),
    ]
    assert lines[-1].problem.code == "missing_qty"


def test_spreadsheet_rows_edge_cells():
    lines = parse_rows([("A", 0.1), ("B", True), ("C", float("nan")), ("D", d("3"))], header=False)
    assert lines[0].qty == d("0.1")
    assert lines[1].problem.code == lines[2].problem.code == "not_a_number"
    assert lines[3].qty == d(3)
    assert parse_rows([("SKU", "QTY"), ("A", 1)], header=True)[0].line == 2


def test_too_many_rows_stops_reading_early():
    def rows():
        for number in range(10_000):
            if number > 501:
                raise AssertionError("read past the limit")
            yield ("BOLT-10", 1)

    with pytest.raises(TooManyLines) as error:
        parse_rows(rows())
    assert "this one has more" in error.value.reason


SKUS = st.sampled_from(["BOLT-10", "NUT-10", "WASHER", "GLUE", "NOPE", ""])
QTY_TEXT = st.one_of(
    st.decimals(min_value=-5, max_value=150, places=2).map(str),
    st.decimals(min_value=0, max_value=150, places=1).map(lambda q: str(q).replace(".", ",")),
    st.sampled_from(["", "abc", "1,000", "7", "05"]),
)
LINE = st.tuples(SKUS, st.sampled_from([" ", ";", ",", "\t"]), QTY_TEXT).map(lambda t: "".join(t))


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=30))
def test_parsing_never_accepts_a_line_the_rules_refuse(lines):
    result = quick_order("\n".join(lines), CATALOGUE)
    by_line = {line.line: line for line in result.lines}
    for orderable in result.orderable:
        assert orderable.variant_id in CATALOGUE.assortment
        assert check_quantity(orderable.qty, CATALOGUE.quantity_rules.get(orderable.variant_id)).ok
        for number in orderable.lines:
            assert by_line[number].ok and by_line[number].variant_id == orderable.variant_id
            assert by_line[number].qty is not None and by_line[number].qty > 0
    accepted = {n for o in result.orderable for n in o.lines}
    assert accepted == {line.line for line in result.lines if line.ok}
    assert len({o.variant_id for o in result.orderable}) == len(result.orderable)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(SKUS, st.decimals(min_value=-5, max_value=150, places=3)), max_size=30))
def test_merged_quantities_are_the_sum_of_their_lines(rows):
    result = check_quick_order(parse_rows(rows), CATALOGUE)
    by_line = {line.line: line for line in result.lines}
    for orderable in result.orderable:
        assert orderable.qty == sum(by_line[n].qty for n in orderable.lines)

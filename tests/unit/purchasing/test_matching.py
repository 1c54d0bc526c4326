"""Three-way match of supplier bills against orders and receipts, within quantity and price tolerances."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.purchasing.domain import (
    BillLine,
    HoldReason,
    MatchTolerance,
    OrderLine,
    PurchasingRuleError,
    match_bill,
    price_allowance,
)


def d(value: str | int) -> Decimal:
    return Decimal(value)


ORDER = [OrderLine("O1", "P1", d(100), d("10.00")), OrderLine("O2", "P2", d(10), d("4.00"))]


def match(lines, received, **kwargs):
    return match_bill(lines, ORDER, received, currency="EUR", **kwargs)


def reasons(result):
    return [[hold.reason for hold in line.holds] for line in result.lines]


def test_a_bill_that_matches_order_and_receipt_is_approved():
    result = match([BillLine("B1", "O1", d(100), d("10.00"))], {"O1": d(100)})
    assert result.approved and result.lines[0].approved and result.reasons == frozenset()
    assert result.total == d("1000.00") and result.held_total == 0


@pytest.mark.parametrize(("billed", "held"), [("105", False), ("105.01", True)])
def test_quantity_may_exceed_what_was_received_by_the_tolerance(billed, held):
    result = match([BillLine("B1", "O1", d(billed), d("10.00"))], {"O1": d(100)}, tolerance=MatchTolerance(d(5)))
    assert reasons(result) == ([[HoldReason.QTY_OVER_TOLERANCE]] if held else [[]])


def test_billing_more_than_received_without_tolerance_is_held_with_the_figures():
    result = match([BillLine("B1", "O1", d(60), d("10.00"))], {"O1": d(50)})
    hold = result.lines[0].holds[0]
    assert hold.reason is HoldReason.QTY_OVER_TOLERANCE
    assert hold.message == "billed 60 in all, received 50: at most 50 may be billed"
    assert not result.approved and result.held_total == d("600.00")


def test_billing_less_than_received_is_fine():
    assert match([BillLine("B1", "O1", d(40), d("10.00"))], {"O1": d(50)}).approved


def test_earlier_bills_and_earlier_lines_count_against_the_receipt():
    earlier = match([BillLine("B1", "O1", d(30), d("10.00"))], {"O1": d(50)}, billed_before={"O1": d(30)})
    assert reasons(earlier) == [[HoldReason.QTY_OVER_TOLERANCE]]
    split = match([BillLine("B1", "O1", d(30), d("10.00")), BillLine("B2", "O1", d(30), d("10.00"))], {"O1": d(50)})
    assert reasons(split) == [[], [HoldReason.QTY_OVER_TOLERANCE]]


def test_a_bill_before_any_receipt_is_held_for_that_reason_alone():
    result = match([BillLine("B1", "O2", d(10), d("4.00"))], {})
    assert reasons(result) == [[HoldReason.BILLED_BEFORE_RECEIPT]]
    assert result.lines[0].holds[0].message == "nothing received yet on order line O2"


def test_a_line_not_on_the_order_is_held():
    result = match([BillLine("B9", None, d(1), d("25.00")), BillLine("B8", "O7", d(1), d(1))], {"O1": d(1)})
    assert reasons(result) == [[HoldReason.NOT_ON_ORDER], [HoldReason.NOT_ON_ORDER]]
    assert result.lines[0].holds[0].message == "bill line B9 is not on the purchase order"


@pytest.mark.parametrize(
    ("tolerance", "price", "held"),
    [
        (MatchTolerance(), "10.00", False),
        (MatchTolerance(), "10.01", True),
        (MatchTolerance(), "9.50", False),  # billing below the order never holds
        (MatchTolerance(price_pct=d(2)), "10.20", False),
        (MatchTolerance(price_pct=d(2)), "10.21", True),
        (MatchTolerance(price_amount=d("0.50")), "10.50", False),
        (MatchTolerance(price_amount=d("0.50")), "10.51", True),
        (MatchTolerance(price_pct=d(2), price_amount=d("0.50")), "10.21", True),  # the stricter: 0.20
        (MatchTolerance(price_pct=d(10), price_amount=d("0.50")), "10.50", False),
        (MatchTolerance(price_pct=d(10), price_amount=d("0.50")), "10.51", True),
    ],
)
def test_price_tolerance_in_percent_and_or_amount(tolerance, price, held):
    result = match([BillLine("B1", "O1", d(10), d(price))], {"O1": d(10)}, tolerance=tolerance)
    assert reasons(result) == ([[HoldReason.PRICE_OVER_TOLERANCE]] if held else [[]])


def test_the_price_allowance_is_the_stricter_limit():
    assert price_allowance(d(10), MatchTolerance(price_pct=d(5), price_amount=d(1))) == d("0.5")
    assert price_allowance(d(10), MatchTolerance()) == 0


def test_a_line_can_be_held_for_quantity_and_price_at_once_and_the_bill_aggregates():
    result = match(
        [BillLine("B1", "O1", d(20), d("11.00")), BillLine("B2", "O2", d(5), d("4.00"))],
        {"O1": d(10), "O2": d(5)},
    )
    assert reasons(result) == [[HoldReason.QTY_OVER_TOLERANCE, HoldReason.PRICE_OVER_TOLERANCE], []]
    assert not result.approved
    assert result.reasons == {HoldReason.QTY_OVER_TOLERANCE, HoldReason.PRICE_OVER_TOLERANCE}
    assert (result.total, result.held_total) == (d("240.00"), d("220.00"))


def test_amounts_round_to_the_currency_minor_unit():
    result = match_bill(
        [BillLine("B1", "O1", d(3), d("0.3333"))],
        [OrderLine("O1", "P1", d(3), d("0.3333"))],
        {"O1": d(3)},
        currency="JPY",
    )
    assert result.total == d(1)


@pytest.mark.parametrize(
    ("lines", "received", "field"),
    [
        ([], {}, "bill_lines"),
        ([BillLine("B1", "O1", d(0), d(1))], {"O1": d(1)}, "qty"),
        ([BillLine("B1", "O1", d(1), d(-1))], {"O1": d(1)}, "unit_price"),
        ([BillLine("B1", "O1", d(1), d(1))], {"O1": d(-1)}, "received"),
    ],
)
def test_bad_bills_are_refused(lines, received, field):
    with pytest.raises(PurchasingRuleError) as error:
        match(lines, received)
    assert error.value.field == field

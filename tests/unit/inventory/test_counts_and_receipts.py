"""Stock counts and adjustments, and receiving against purchase order lines within tolerance."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.inventory.domain import (
    AdjustmentMove,
    AdjustmentReason,
    ReceiptCheck,
    ReceiptStatus,
    StockRuleError,
    adjustment_move,
    check_receipt,
    count_adjustment,
)

SHELF, ADJUST = "WH/A-01", "ADJ"


def d(value: str | int) -> Decimal:
    return Decimal(value)


def count(counted: str, system: str, reason: AdjustmentReason | str = AdjustmentReason.COUNT):
    return count_adjustment(d(counted), d(system), location=SHELF, adjustment_location=ADJUST, reason=reason)


def test_counting_more_than_the_system_moves_stock_in_from_the_adjustment_location():
    assert count("12", "10") == AdjustmentMove(ADJUST, SHELF, d(2), AdjustmentReason.COUNT)


def test_counting_less_moves_stock_out_to_the_adjustment_location():
    assert count("7.5", "10") == AdjustmentMove(SHELF, ADJUST, d("2.5"), AdjustmentReason.COUNT)


def test_a_count_that_agrees_needs_no_move():
    assert count("10", "10.000") is None


def test_a_count_of_zero_clears_the_shelf_and_covers_negative_stock_too():
    assert count("0", "4") == AdjustmentMove(SHELF, ADJUST, d(4), AdjustmentReason.COUNT)
    assert count("0", "-3") == AdjustmentMove(ADJUST, SHELF, d(3), AdjustmentReason.COUNT)


def test_a_negative_count_is_refused():
    with pytest.raises(StockRuleError) as error:
        count("-1", "4")
    assert (error.value.field, error.value.reason) == ("counted", "must not be negative, got -1")


def test_reasons_are_a_closed_set():
    assert {reason.value for reason in AdjustmentReason} == {"count", "damage", "loss", "found", "expiry", "other"}
    with pytest.raises(StockRuleError, match="unknown reason 'theft'") as error:
        count("1", "2", reason="theft")
    assert error.value.field == "reason"


@pytest.mark.parametrize("reason", ["damage", "loss", "expiry"])
def test_damage_loss_and_expiry_only_take_stock_away(reason):
    move = adjustment_move(d(-2), location=SHELF, adjustment_location=ADJUST, reason=reason)
    assert move == AdjustmentMove(SHELF, ADJUST, d(2), AdjustmentReason(reason))
    with pytest.raises(StockRuleError, match="can only take stock away"):
        adjustment_move(d(2), location=SHELF, adjustment_location=ADJUST, reason=reason)


def test_found_only_adds_stock_and_other_goes_both_ways():
    with pytest.raises(StockRuleError, match="'found' can only add stock"):
        adjustment_move(d(-1), location=SHELF, adjustment_location=ADJUST, reason="found")
    assert adjustment_move(d(1), location=SHELF, adjustment_location=ADJUST, reason="found").source == ADJUST
    assert adjustment_move(d(-1), location=SHELF, adjustment_location=ADJUST, reason="other").source == SHELF
    assert adjustment_move(d(1), location=SHELF, adjustment_location=ADJUST, reason="other").source == ADJUST


def test_an_adjustment_must_change_something():
    with pytest.raises(StockRuleError) as error:
        adjustment_move(d(0), location=SHELF, adjustment_location=ADJUST, reason="other")
    assert error.value.field == "change"


# --- receipts against purchase orders -------------------------------------------------------------------


def test_receiving_exactly_what_was_ordered_is_accepted_and_completes_the_line():
    check = check_receipt(d(100), d(0), d(100))
    assert check == ReceiptCheck(ReceiptStatus.ACCEPTED, d(100), d(100), True)
    assert check.accepted


def test_over_delivery_up_to_the_tolerance_is_accepted_one_unit_more_is_refused():
    assert check_receipt(d(100), d(0), d(105), over_pct=d(5)).accepted
    refused = check_receipt(d(100), d(60), d("45.01"), over_pct=d(5))
    assert refused.status is ReceiptStatus.OVER_TOLERANCE and not refused.accepted
    assert refused.max_acceptable == d(45) and refused.received_total == d(60) and not refused.line_complete
    assert refused.reason == "receiving 45.01 is over tolerance: at most 45 more may be received"


def test_without_tolerance_nothing_beyond_the_order_is_accepted():
    assert not check_receipt(d(10), d(10), d("0.001")).accepted
    assert check_receipt(d(10), d(12), d(1)).max_acceptable == 0


def test_under_delivery_within_tolerance_closes_the_line():
    assert check_receipt(d(100), d(0), d(95), under_pct=d(5)).line_complete
    partial = check_receipt(d(100), d(0), d("94.9"), under_pct=d(5))
    assert partial.accepted and not partial.line_complete and partial.received_total == d("94.9")
    assert check_receipt(d(100), d(50), d(45), under_pct=d(5)).line_complete  # across receipts


def test_a_refused_receipt_reports_completion_from_what_was_already_received():
    check = check_receipt(d(100), d(98), d(10), over_pct=d(5), under_pct=d(5))
    assert not check.accepted and check.line_complete


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        ((d(0), d(0), d(1)), {}, "ordered"),
        ((d(10), d(-1), d(1)), {}, "already_received"),
        ((d(10), d(0), d(0)), {}, "receiving"),
        ((d(10), d(0), d(1)), {"over_pct": d(-1)}, "over_pct"),
        ((d(10), d(0), d(1)), {"under_pct": d(101)}, "under_pct"),
    ],
)
def test_bad_receipt_figures_are_refused(args, kwargs, field):
    with pytest.raises(StockRuleError) as error:
        check_receipt(*args, **kwargs)
    assert error.value.field == field

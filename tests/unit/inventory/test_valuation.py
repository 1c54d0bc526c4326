"""Stock valuation rule by rule: moving average, FIFO layers, negative stock, landed cost revaluation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.inventory.domain import (
    AverageCost,
    CostLayer,
    CostMethod,
    FifoCost,
    StockRuleError,
    issue,
    new_valuation,
    receive,
    unit_cost_of,
)


def d(value: str | int) -> Decimal:
    return Decimal(value)


def test_unit_costs_keep_four_decimals_half_up():
    assert unit_cost_of(d("3.33335")) == d("3.3334")
    assert unit_cost_of(d("10") / 3) == d("3.3333")


# --- moving average -------------------------------------------------------------------------------------


def test_average_of_two_receipts_is_weighted_by_quantity():
    state, first = AverageCost("EUR").receive(d(10), d("2.00"))
    state, second = state.receive(d(30), d("3.00"))
    assert (first.qty, first.value, first.unit_cost) == (d(10), d("20.00"), d("2.0000"))
    assert second.value == d("90.00")
    assert state == AverageCost("EUR", d(40), d("110.00"), d("2.7500"))


def test_issue_is_valued_at_the_average_rounded_to_the_cent():
    state, _ = AverageCost("EUR").receive(d(7), d("1.4286"))  # 10.0002 -> 10.00
    assert state.total_value == d("10.00")
    state, move = state.issue(d(3))
    assert move.qty == d(-3) and move.value == d("-4.29")  # 3 x 1.4286 = 4.2858
    assert state.qty_on_hand == d(4) and state.total_value == d("5.71")


def test_the_last_unit_out_takes_the_remaining_value_so_stock_at_zero_is_worth_zero():
    state, _ = AverageCost("EUR").receive(d(3), d(10) / 3)
    assert state.total_value == d("10.00") and state.unit_cost == d("3.3333")
    state, one = state.issue(d(1))
    state, two = state.issue(d(1))
    state, last = state.issue(d(1))
    assert (one.value, two.value, last.value) == (d("-3.33"), d("-3.33"), d("-3.34"))
    assert state.qty_on_hand == 0 and state.total_value == 0
    assert state.unit_cost == d("3.3333")  # kept as the last known average


def test_a_partial_issue_never_takes_more_than_the_stock_is_worth():
    state = AverageCost("EUR", d(2), d("0.01"), d("0.0050"))
    state, move = state.issue(d("1.5"))  # 1.5 x 0.005 = 0.0075 -> 0.01, all that is left
    assert move.value == d("-0.01") and state.total_value == 0 and state.qty_on_hand == d("0.5")


def test_currency_without_minor_unit_rounds_values_to_whole_units():
    state, move = AverageCost("JPY").receive(d(3), d("333.3333"))
    assert move.value == d(1000) and state.unit_cost == d("333.3333")
    state, move = state.issue(d(1))
    assert move.value == d(-333)


def test_issuing_more_than_on_hand_is_refused_unless_negative_stock_is_allowed():
    state, _ = AverageCost("EUR").receive(d(2), d(10))
    with pytest.raises(StockRuleError) as error:
        state.issue(d(5))
    assert error.value.field == "qty"
    assert error.value.reason == "only 2 on hand, cannot issue 5 (negative stock is not allowed)"
    assert str(error.value) == "qty: only 2 on hand, cannot issue 5 (negative stock is not allowed)"


def test_negative_stock_is_issued_at_the_last_average_and_settled_by_the_next_receipts():
    state, _ = AverageCost("EUR").receive(d(2), d(10))
    state, out = state.issue(d(5), allow_negative=True)
    assert out.value == d("-50.00")  # 2 units worth 20 + 3 owed at the average 10
    assert state == AverageCost("EUR", d(-3), d("-30.00"), d("10.0000"))
    state, partial = state.receive(d(1), d(12))  # settles 1 of the 3 owed: it cost 2 more than booked
    assert (partial.value, partial.adjustment, partial.stock_value_change) == (d("12.00"), d("-2.00"), d("10.00"))
    assert state == AverageCost("EUR", d(-2), d("-20.00"), d("12.0000"))  # the 2 owed stay booked at 10
    state, rest = state.receive(d(10), d(12))  # settles the last 2 (4 more), 8 stay at 12
    assert (rest.value, rest.adjustment) == (d("120.00"), d("-4.00"))
    assert state == AverageCost("EUR", d(8), d("96.00"), d("12.0000"))


def test_a_cheaper_settling_receipt_gives_a_positive_adjustment():
    state = AverageCost("EUR", d(-4), d("-40.00"), d("10.0000"))
    state, move = state.receive(d(4), d(9))
    assert move.adjustment == d("4.00") and state.qty_on_hand == 0 and state.total_value == 0
    assert state.unit_cost == d("9.0000")  # back at zero: the receipt's cost is the last known


def test_the_seed_cost_values_an_issue_before_any_receipt():
    state = new_valuation(CostMethod.AVERAGE, "EUR", unit_cost=d("4.5"))
    state, move = state.issue(d(2), allow_negative=True)
    assert move.value == d("-9.00") and state.total_value == d("-9.00")


@pytest.mark.parametrize(
    ("qty", "cost", "field"),
    [(d(0), d(1), "qty"), (d(-1), d(1), "qty"), (d(1), d(-1), "unit_cost"), (d(1), 1.5, "unit_cost")],
)
def test_bad_receipts_are_refused_naming_the_field(qty, cost, field):
    with pytest.raises(StockRuleError) as error:
        AverageCost("EUR").receive(qty, cost)
    assert error.value.field == field


def test_a_float_quantity_is_refused():
    with pytest.raises(StockRuleError, match="not float"):
        AverageCost("EUR").receive(1.0, d(1))


def test_average_landed_cost_goes_to_stock_for_units_still_here():
    state, _ = AverageCost("EUR").receive(d(10), d(5))
    state, _ = state.issue(d(4))
    state, reval = state.revalue(d("10.00"), qty_received=d(10))
    assert (reval.to_stock, reval.to_cogs) == (d("6.00"), d("4.00"))
    assert state.total_value == d("36.00") and state.unit_cost == d("6.0000")


def test_average_landed_cost_with_no_stock_left_is_all_cost_of_goods_sold():
    state = AverageCost("EUR", unit_cost=d(5))
    state, reval = state.revalue(d("7.00"), qty_received=d(10))
    assert (reval.to_stock, reval.to_cogs) == (0, d("7.00")) and state.total_value == 0


# --- FIFO -----------------------------------------------------------------------------------------------


def fifo(*receipts: tuple[str, str]) -> FifoCost:
    state = FifoCost("EUR")
    for qty, cost in receipts:
        state, _ = state.receive(d(qty), d(cost))
    return state


def test_fifo_issue_takes_the_oldest_layers_first_and_reports_the_slices():
    state = fifo(("10", "1.00"), ("10", "2.00"), ("10", "3.00"))
    state, move = state.issue(d(15))
    assert move.value == d("-20.00") and move.qty == d(-15)
    assert [(s.sequence, s.qty, s.value) for s in move.slices] == [(1, d(10), d("10.00")), (2, d(5), d("10.00"))]
    assert move.unit_cost == d("1.3333")
    assert [layer.qty_remaining for layer in state.layers] == [0, 5, 10]
    assert state.qty_on_hand == d(15) and state.total_value == d("40.00")
    assert [layer.sequence for layer in state.open_layers] == [2, 3]


def test_an_emptied_layer_gives_up_its_exact_value():
    state = fifo(("3", "0.3333"))  # 0.9999 -> 1.00
    state, one = state.issue(d(1))
    state, rest = state.issue(d(2))
    assert (one.value, rest.value) == (d("-0.33"), d("-0.67"))
    assert state.total_value == 0


def test_a_partial_slice_is_capped_at_the_layer_value():
    state = FifoCost("EUR", (CostLayer(1, d(4), d(2), d("0.00"), d("0.0050")),))
    state, move = state.issue(d("1.5"))
    assert move.value == 0 and state.layers[0].value_remaining == 0


def test_fifo_refuses_to_go_negative_unless_allowed():
    with pytest.raises(StockRuleError, match="only 10 on hand, cannot issue 11"):
        fifo(("10", "1")).issue(d(11))


def test_fifo_negative_stock_owes_units_at_the_last_cost_and_a_receipt_settles_them():
    state = fifo(("2", "10"))
    state, out = state.issue(d(5), allow_negative=True)
    assert out.value == d("-50.00") and [s.qty for s in out.slices] == [d(2)]
    assert (state.owed_qty, state.owed_value, state.qty_on_hand, state.total_value) == (d(3), d("30.00"), -3, -30)
    state, move = state.receive(d(10), d(12))
    assert (move.value, move.adjustment) == (d("120.00"), d("-6.00"))
    assert state.owed_qty == 0 and state.owed_value == 0
    assert state.layers[-1] == CostLayer(2, d(10), d(7), d("84.00"), d("12.0000"))
    assert state.total_value == d("84.00")


def test_a_receipt_that_only_settles_leaves_an_empty_layer_for_later_landed_costs():
    state = fifo(("1", "10"))
    state, _ = state.issue(d(3), allow_negative=True)
    state, move = state.receive(d(2), d(10))
    assert move.adjustment == 0 and state.qty_on_hand == 0 and state.total_value == 0
    assert state.layers[-1].qty_received == d(2) and state.layers[-1].qty_remaining == 0


def test_receipts_take_the_next_sequence_or_a_given_one_in_order():
    state = fifo(("1", "1"))
    state, _ = state.receive(d(1), d(2), received_on=date(2025, 1, 5))
    assert [layer.sequence for layer in state.layers] == [1, 2]
    assert state.layers[1].received_on == date(2025, 1, 5)
    state = FifoCost("EUR")
    state, _ = state.receive(d(1), d(5), sequence=20)
    state, _ = state.receive(d(1), d(3), sequence=10)  # recorded late, received earlier: goes first
    state, move = state.issue(d(1))
    assert move.slices[0].sequence == 10 and move.value == d("-3.00")
    with pytest.raises(StockRuleError) as error:
        state.receive(d(1), d(1), sequence=20)
    assert error.value.field == "sequence"


def test_landed_cost_on_an_untouched_layer_all_goes_to_stock():
    state = fifo(("10", "2.00"))
    state, reval = state.revalue(1, d("5.00"))
    assert (reval.to_stock, reval.to_cogs) == (d("5.00"), 0)
    assert state.layers[0].value_remaining == d("25.00") and state.layers[0].unit_cost == d("2.5000")


def test_landed_cost_on_a_partly_issued_layer_splits_by_units_left():
    state = fifo(("3", "2.00"))
    state, _ = state.issue(d(1))
    state, reval = state.revalue(1, d("10.00"))
    assert (reval.to_stock, reval.to_cogs) == (d("6.67"), d("3.33"))
    assert state.total_value == d("10.67") and state.layers[0].unit_cost == d("5.3350")


def test_landed_cost_on_an_emptied_layer_all_goes_to_cost_of_goods_sold():
    state = fifo(("3", "2.00"), ("1", "1"))
    state, _ = state.issue(d(3))
    state, reval = state.revalue(1, d("9.00"))
    assert (reval.to_stock, reval.to_cogs) == (0, d("9.00"))
    assert state.total_value == d("1.00")


def test_revaluation_refuses_an_unknown_layer_and_a_value_below_zero():
    state = fifo(("1", "2.00"))
    with pytest.raises(StockRuleError, match="no cost layer 9") as error:
        state.revalue(9, d(1))
    assert error.value.field == "sequence"
    with pytest.raises(StockRuleError) as error:
        state.revalue(1, d("-2.01"))
    assert error.value.field == "amount"
    state, reval = state.revalue(1, d("-2.00"))  # a freight credit may take it to zero
    assert state.total_value == 0 and reval.to_stock == d("-2.00")


# --- choosing the method --------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "kind"), [("average", AverageCost), ("fifo", FifoCost)])
def test_new_valuation_starts_empty_in_the_tenant_method(method, kind):
    state = new_valuation(method, "EUR", unit_cost=d("2.5"))
    assert isinstance(state, kind) and state.qty_on_hand == 0 and state.total_value == 0


def test_an_unknown_method_is_refused():
    with pytest.raises(StockRuleError, match="unknown cost method 'lifo'"):
        new_valuation("lifo", "EUR")


@pytest.mark.parametrize("method", list(CostMethod))
def test_receive_and_issue_work_the_same_for_either_method(method):
    state = new_valuation(method, "EUR")
    state, move_in = receive(state, d(4), d("2.50"))
    state, move_out = issue(state, d(4))
    assert (move_in.stock_value_change, move_out.stock_value_change) == (d("10.00"), d("-10.00"))
    assert state.qty_on_hand == 0 and state.total_value == 0

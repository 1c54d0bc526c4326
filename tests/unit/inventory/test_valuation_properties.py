"""Valuation properties on random move sequences: value is the sum of the moves, no drift at zero, and FIFO
agrees with the average when every unit costs the same."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.inventory.domain import AverageCost, CostMethod, FifoCost, StockRuleError, new_valuation

QTY = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(500), places=3)
COST = st.decimals(min_value=Decimal(0), max_value=Decimal("999.9999"), places=4)
RECEIPT = st.tuples(st.just("receive"), QTY, COST)
ISSUE = st.tuples(st.just("issue"), QTY, st.just(None))
LANDED = st.tuples(st.just("revalue"), st.integers(min_value=1, max_value=12), st.decimals(-50, 500, places=2))
MOVES = st.lists(st.one_of(RECEIPT, ISSUE, LANDED), max_size=25)


def _revalue(state, which: int, amount: Decimal):
    """A landed cost on the which-th receipt (FIFO) or on a receipt of `which` units (average)."""
    if isinstance(state, FifoCost):
        if not state.layers:
            return state, Decimal(0)
        return state.revalue(state.layers[which % len(state.layers)].sequence, amount)
    return state.revalue(amount, Decimal(which))


def run(state, moves, allow_negative: bool):
    """Apply the moves; return the final state and the sum of what each move said it did to the stock value."""
    booked = Decimal(0)
    for kind, first, second in moves:
        if kind == "receive":
            state, move = state.receive(first, second)
            booked += move.stock_value_change
        elif kind == "issue":
            qty = first if allow_negative else min(first, state.qty_on_hand)
            if qty <= 0:
                continue
            state, move = state.issue(qty, allow_negative=allow_negative)
            booked += move.stock_value_change
        else:
            try:
                state, reval = _revalue(state, first, second)
            except StockRuleError:
                continue  # a credit larger than the stock is worth: refused, nothing booked
            booked += reval if isinstance(reval, Decimal) else reval.to_stock
        assert state.qty_on_hand != 0 or state.total_value == 0, "value drifted at zero stock"
    return state, booked


@settings(max_examples=150, deadline=None)
@given(method=st.sampled_from(list(CostMethod)), moves=MOVES, allow_negative=st.booleans())
def test_stock_value_is_the_sum_of_the_move_values(method, moves, allow_negative):
    state, booked = run(new_valuation(method, "EUR"), moves, allow_negative)
    assert state.total_value == booked
    if not allow_negative:
        assert state.qty_on_hand >= 0 and state.total_value >= 0


@settings(max_examples=60, deadline=None)
@given(moves=st.lists(st.tuples(st.sampled_from(["receive", "issue"]), QTY, COST), max_size=25))
def test_fifo_layers_never_hold_negative_value(moves):
    state, _ = run(FifoCost("EUR"), moves, allow_negative=False)
    assert all(layer.value_remaining >= 0 and layer.qty_remaining >= 0 for layer in state.layers)


WHOLE = st.integers(min_value=1, max_value=200).map(Decimal)


@settings(max_examples=120, deadline=None)
@given(
    cost=st.decimals(min_value=Decimal(0), max_value=Decimal("999.99"), places=2),
    moves=st.lists(st.tuples(st.sampled_from(["receive", "issue"]), WHOLE), max_size=25),
    allow_negative=st.booleans(),
)
def test_fifo_and_average_agree_when_every_unit_costs_the_same(cost, moves, allow_negative):
    average, fifo = AverageCost("EUR"), FifoCost("EUR")
    for kind, qty in moves:
        if kind == "receive":
            average, by_average = average.receive(qty, cost)
            fifo, by_fifo = fifo.receive(qty, cost)
        else:
            qty = qty if allow_negative else min(qty, average.qty_on_hand)
            if qty <= 0:
                continue
            average, by_average = average.issue(qty, allow_negative=allow_negative)
            fifo, by_fifo = fifo.issue(qty, allow_negative=allow_negative)
        assert by_average.stock_value_change == by_fifo.stock_value_change
        assert (average.qty_on_hand, average.total_value) == (fifo.qty_on_hand, fifo.total_value)

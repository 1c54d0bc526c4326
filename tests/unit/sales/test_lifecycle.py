"""The sales order's states: the moves as data, their guards, hold and release, stock effects, editing."""

from __future__ import annotations

import pytest

from app.sales.domain import (
    BUYER_EDITABLE,
    OPEN_FOR_CREDIT,
    ORDER_TRANSITIONS,
    RESERVING,
    STAFF_EDITABLE,
    STATUS_LABELS,
    OrderState,
    OrderStatus,
    SalesRuleError,
    TransitionRefused,
    approved_status,
    can_edit,
    hold,
    placed_status,
    release,
    transition,
)

S = OrderStatus


def test_every_status_has_its_moves_and_a_label():
    assert set(ORDER_TRANSITIONS) == set(OrderStatus) == set(STATUS_LABELS)
    assert ORDER_TRANSITIONS[S.PAID] == ORDER_TRANSITIONS[S.CANCELLED] == frozenset()


def test_the_happy_path_on_account():
    state = OrderState(S.DRAFT)
    for target, facts in [
        (S.CONFIRMED, {"on_account": True}),
        (S.PARTIALLY_SHIPPED, {"everything_shipped": False}),
        (S.PARTIALLY_SHIPPED, {"everything_shipped": False}),
        (S.SHIPPED, {"everything_shipped": True}),
        (S.INVOICED, {}),
        (S.PAID, {}),
    ]:
        state = transition(state, target, **facts).required()
    assert state == OrderState(S.PAID)


def test_placing_reserves_stock_and_cancelling_releases_it():
    placed = transition(S.DRAFT, S.AWAITING_PAYMENT)
    assert placed.allowed and placed.reserve_stock and not placed.release_stock
    cancelled = transition(S.CONFIRMED, S.CANCELLED)
    assert cancelled.allowed and cancelled.release_stock and not cancelled.reserve_stock
    assert transition(S.AWAITING_APPROVAL, S.REJECTED).release_stock
    assert transition(S.AWAITING_APPROVAL, S.DRAFT).release_stock
    assert not transition(S.DRAFT, S.CANCELLED).release_stock  # a cart reserved nothing
    paid = transition(S.AWAITING_PAYMENT, S.CONFIRMED, paid=True)
    assert paid.allowed and not paid.reserve_stock and not paid.release_stock  # already reserved


def test_shipping_consumes_reservations_rather_than_releasing_them():
    shipped = transition(S.CONFIRMED, S.SHIPPED, everything_shipped=True)
    assert shipped.allowed and not shipped.release_stock


@pytest.mark.parametrize("status", [S.SHIPPED, S.PARTIALLY_SHIPPED, S.INVOICED, S.PAID])
def test_a_shipped_order_cannot_be_cancelled(status):
    move = transition(status, S.CANCELLED)
    assert not move.allowed
    assert move.refusal.code == "cancel_after_shipment"
    assert "Return them instead" in str(move.refusal)
    assert move.after == move.before


def test_an_order_held_after_a_partial_shipment_cannot_be_cancelled():
    held = OrderState(S.ON_HOLD, S.PARTIALLY_SHIPPED)
    assert transition(held, S.CANCELLED).refusal.code == "cancel_after_shipment"
    assert transition(OrderState(S.ON_HOLD, S.CONFIRMED), S.CANCELLED).allowed


def test_hold_remembers_the_state_to_return_to():
    held = hold(S.PARTIALLY_SHIPPED).required()
    assert held == OrderState(S.ON_HOLD, S.PARTIALLY_SHIPPED)
    assert release(held).required() == OrderState(S.PARTIALLY_SHIPPED)
    assert hold(S.CONFIRMED).required().held_from is S.CONFIRMED


def test_a_held_order_returns_only_where_it_came_from():
    held = OrderState(S.ON_HOLD, S.CONFIRMED)
    move = transition(held, S.PARTIALLY_SHIPPED, everything_shipped=False)
    assert move.refusal.code == "release_to_previous"
    assert "returns to confirmed" in str(move.refusal)


def test_only_confirmed_or_partially_shipped_orders_are_held():
    assert hold(S.AWAITING_PAYMENT).refusal.code == "not_holdable"
    assert hold(S.SHIPPED).refusal.code == "not_holdable"
    assert release(OrderState(S.CONFIRMED)).refusal.code == "not_held"


def test_the_held_from_column_is_set_exactly_on_hold():
    with pytest.raises(SalesRuleError) as error:
        OrderState(S.ON_HOLD)
    assert error.value.field == "held_from"
    with pytest.raises(SalesRuleError):
        OrderState(S.CONFIRMED, S.CONFIRMED)
    with pytest.raises(SalesRuleError) as error:
        OrderState(S.ON_HOLD, S.DRAFT)
    assert "cannot be held from draft" in error.value.reason


def test_placing_needs_approval_when_required():
    move = transition(S.DRAFT, S.CONFIRMED, approval_required=True, on_account=True)
    assert move.refusal.code == "approval_required"
    assert transition(S.DRAFT, S.AWAITING_APPROVAL, approval_required=True).allowed
    assert transition(S.DRAFT, S.AWAITING_APPROVAL).refusal.code == "approval_not_required"


def test_confirming_needs_payment_or_account():
    assert transition(S.DRAFT, S.CONFIRMED).refusal.code == "payment_required"
    assert transition(S.AWAITING_PAYMENT, S.CONFIRMED).refusal.code == "payment_required"
    assert transition(S.AWAITING_APPROVAL, S.CONFIRMED, on_account=True).allowed
    assert transition(S.QUOTE, S.AWAITING_PAYMENT, on_account=True).refusal.code == "on_account"


def test_a_processing_payment_blocks_withdrawing_and_cancelling():
    assert transition(S.AWAITING_PAYMENT, S.CANCELLED, payment_processing=True).refusal.code == "payment_processing"
    assert transition(S.AWAITING_PAYMENT, S.DRAFT, payment_processing=True).refusal.code == "payment_processing"
    assert transition(S.AWAITING_PAYMENT, S.CANCELLED).allowed


def test_shipment_status_must_match_the_shipment():
    assert transition(S.CONFIRMED, S.SHIPPED, everything_shipped=False).refusal.code == "shipment_status"
    with pytest.raises(SalesRuleError) as error:
        transition(S.CONFIRMED, S.SHIPPED)
    assert error.value.field == "everything_shipped"


def test_final_states_say_so_and_unknown_moves_name_both_states():
    assert transition(S.CANCELLED, S.CONFIRMED).refusal.code == "final"
    assert str(transition(S.PAID, S.SHIPPED).refusal) == "A paid order cannot change any more."
    refusal = transition(S.SHIPPED, S.CONFIRMED).refusal
    assert refusal.code == "not_allowed" and refusal.params == {"status": S.SHIPPED, "target": S.CONFIRMED}


def test_required_raises_with_the_reason_as_a_msgid_and_params():
    with pytest.raises(TransitionRefused) as error:
        transition(S.SHIPPED, S.CONFIRMED).required()
    assert error.value.field == "status"
    assert error.value.message == "A %(status)s order cannot become %(target)s."
    assert error.value.reason == "A shipped order cannot become confirmed."


def test_unknown_status_is_bad_input():
    with pytest.raises(SalesRuleError) as error:
        transition("lost", S.CONFIRMED)
    assert error.value.field == "status"
    with pytest.raises(SalesRuleError):
        transition(S.DRAFT, "teleported")


def test_placed_and_approved_statuses():
    assert placed_status(approval_required=True, on_account=True) is S.AWAITING_APPROVAL
    assert placed_status(approval_required=False, on_account=True) is S.CONFIRMED
    assert placed_status(approval_required=False, on_account=False) is S.AWAITING_PAYMENT
    assert approved_status(on_account=False) is S.AWAITING_PAYMENT


def test_status_sets():
    assert S.AWAITING_APPROVAL in RESERVING and S.SHIPPED not in RESERVING and S.DRAFT not in RESERVING
    assert (
        S.SHIPPED in OPEN_FOR_CREDIT and S.INVOICED not in OPEN_FOR_CREDIT and S.AWAITING_PAYMENT not in OPEN_FOR_CREDIT
    )
    assert BUYER_EDITABLE < STAFF_EDITABLE


def test_editing():
    assert can_edit(S.DRAFT)
    assert can_edit(S.CONFIRMED, by_staff=True)
    assert can_edit(S.CONFIRMED).reason.code == "edit_not_allowed"
    assert can_edit(S.PARTIALLY_SHIPPED, by_staff=True).reason.code == "edit_after_shipment"
    assert can_edit(OrderState(S.ON_HOLD, S.PARTIALLY_SHIPPED), by_staff=True).reason.code == "edit_after_shipment"
    assert can_edit(OrderState(S.ON_HOLD, S.CONFIRMED), by_staff=True)
    assert can_edit(S.AWAITING_PAYMENT, by_staff=True).reason.code == "edit_while_paying"
    assert can_edit(S.CANCELLED, by_staff=True).reason.code == "edit_cancelled"

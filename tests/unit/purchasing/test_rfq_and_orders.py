"""RFQ comparison tables, and purchase order approval and state changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.purchasing.domain import (
    PO_TRANSITIONS,
    ApprovalPolicy,
    PoState,
    PurchasingRuleError,
    RfqLine,
    RfqResponse,
    compare_rfq,
    needs_approval,
    submitted_state,
    transition,
)


def d(value: str | int) -> Decimal:
    return Decimal(value)


LINES = [RfqLine("L1", "P1", d(10)), RfqLine("L2", "P2", d(3))]
RESPONSES = [
    RfqResponse("acme", "L1", d("2.00"), 10),
    RfqResponse("acme", "L2", d("5.555"), 7),
    RfqResponse("bolt", "L1", d("1.90"), 14),
    RfqResponse("bolt", "L2", d("6.00"), 7),
    RfqResponse("cyan", "L1", d("1.90"), 5),
]


def test_answers_are_laid_side_by_side_with_the_best_marked():
    table = compare_rfq(LINES, RESPONSES, "EUR")
    assert [column.supplier for column in table.columns] == ["acme", "bolt", "cyan"]
    first, second = table.rows
    assert [(c.amount, c.best_price, c.best_lead_time) for c in first.cells] == [
        (d("20.00"), False, False),
        (d("19.00"), True, False),
        (d("19.00"), True, True),  # a tie on price: both marked
    ]
    assert second.cells[2] is None
    assert [(c.amount, c.best_price, c.best_lead_time) for c in second.cells[:2]] == [
        (d("16.67"), True, True),  # 3 x 5.555 = 16.665, half up
        (d("18.00"), False, True),
    ]


def test_only_complete_answers_get_a_total():
    table = compare_rfq(LINES, RESPONSES, "EUR")
    assert [(c.supplier, c.answered, c.total, c.partial) for c in table.columns] == [
        ("acme", 2, d("36.67"), False),
        ("bolt", 2, d("37.00"), False),
        ("cyan", 1, None, True),
    ]
    assert table.cheapest_complete.supplier == "acme"


def test_without_answers_the_table_has_no_columns():
    table = compare_rfq(LINES, [], "EUR")
    assert table.columns == () and all(row.cells == () for row in table.rows)
    assert table.cheapest_complete is None


@pytest.mark.parametrize(
    ("lines", "responses", "message"),
    [
        ([], [], "at least one line"),
        ([LINES[0], LINES[0]], [], "its own id"),
        ([RfqLine("L1", "P1", d(0))], [], "must be above zero"),
        (LINES, [RfqResponse("acme", "L9", d(1), 1)], "supplier acme answered unknown line L9"),
        (LINES, [RESPONSES[0], RESPONSES[0]], "supplier acme answered line L1 twice"),
        (LINES, [RfqResponse("acme", "L1", d(-1), 1)], "must not be negative"),
        (LINES, [RfqResponse("acme", "L1", d(1), -1)], "whole number of days"),
    ],
)
def test_bad_requests_and_answers_are_refused(lines, responses, message):
    with pytest.raises(PurchasingRuleError, match=message):
        compare_rfq(lines, responses, "EUR")


# --- approval and states --------------------------------------------------------------------------------

POLICY = ApprovalPolicy(d("5000.00"), "EUR")


@pytest.mark.parametrize(("total", "needed"), [("4999.99", False), ("5000.00", False), ("5000.01", True)])
def test_approval_is_needed_strictly_above_the_threshold(total, needed):
    assert needs_approval(d(total), "EUR", POLICY) is needed
    assert submitted_state(d(total), "EUR", POLICY) is (PoState.TO_APPROVE if needed else PoState.APPROVED)


def test_an_order_in_another_currency_is_compared_in_the_tenant_currency():
    assert needs_approval(d(5000), "USD", POLICY, rate=d("1.01"))
    assert not needs_approval(d(5000), "USD", POLICY, rate=d("0.99"))
    with pytest.raises(PurchasingRuleError, match="an order in USD needs a rate to EUR") as error:
        needs_approval(d(1), "USD", POLICY)
    assert error.value.field == "rate"


def test_no_threshold_means_no_approval():
    assert not needs_approval(d(10**9), "EUR", ApprovalPolicy(None, "EUR"))


ALLOWED = {
    ("draft", "to_approve"),
    ("draft", "approved"),
    ("draft", "cancelled"),
    ("to_approve", "approved"),
    ("to_approve", "draft"),
    ("to_approve", "cancelled"),
    ("approved", "sent"),
    ("approved", "draft"),
    ("approved", "cancelled"),
    ("sent", "partially_received"),
    ("sent", "received"),
    ("sent", "cancelled"),
    ("partially_received", "received"),
    ("partially_received", "closed"),
    ("received", "closed"),
}


def test_the_transitions_are_data_covering_every_state():
    assert set(PO_TRANSITIONS) == set(PoState)
    assert {(a.value, b.value) for a, targets in PO_TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize("current", list(PoState))
@pytest.mark.parametrize("target", list(PoState))
def test_every_pair_of_states_is_allowed_or_refused_with_a_reason(current, target):
    if (current.value, target.value) in ALLOWED:
        assert transition(current, target) is target
        return
    with pytest.raises(PurchasingRuleError) as error:
        transition(current, target)
    assert error.value.field == "state" and current.value in error.value.reason


def test_a_refusal_lists_where_the_order_can_go_and_final_states_say_so():
    with pytest.raises(PurchasingRuleError) as error:
        transition("draft", "sent")
    assert (
        error.value.reason == "a draft purchase order cannot become sent; it can become approved, cancelled, to_approve"
    )
    with pytest.raises(PurchasingRuleError, match="a closed purchase order cannot change state any more"):
        transition("closed", "draft")


def test_a_draft_above_the_threshold_cannot_be_approved_directly():
    with pytest.raises(PurchasingRuleError, match="submit it for approval"):
        transition(PoState.DRAFT, PoState.APPROVED, approval_required=True)
    assert transition(PoState.TO_APPROVE, PoState.APPROVED, approval_required=True) is PoState.APPROVED


def test_an_unknown_state_is_refused():
    with pytest.raises(PurchasingRuleError, match="unknown purchase order state 'shipped'") as error:
        transition("sent", "shipped")
    assert error.value.field == "target"

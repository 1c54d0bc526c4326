"""Buyer approvals (spending limits, who approves, approve and reject) and credit control on account."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.sales.domain import (
    CreditAccount,
    CustomerRole,
    CustomerUser,
    OrderForApproval,
    OrderState,
    OrderStatus,
    PaymentTerms,
    SalesRuleError,
    SpendingLimits,
    approval_needed,
    approve,
    credit_check,
    may_approve,
    reject,
)


def d(value: str | int) -> Decimal:
    return Decimal(value)


LIMITS = SpendingLimits("EUR", per_order=d(1000), per_month=d(5000))
BUYER = CustomerUser("buyer", "acme", CustomerRole.BUYER, LIMITS)
APPROVER = CustomerUser("anna", "acme", CustomerRole.APPROVER, SpendingLimits("EUR", per_order=d(10_000)))
ADMIN = CustomerUser("adam", "acme", CustomerRole.ADMIN)
OUTSIDER = CustomerUser("otto", "globex", CustomerRole.ADMIN)
WAITING = OrderForApproval("acme", "buyer", d(2500), "EUR", OrderState(OrderStatus.AWAITING_APPROVAL))


def test_within_limits_needs_no_approval_and_the_limit_itself_is_within():
    assert approval_needed(d(1000), d(4000), LIMITS).required is False
    assert approval_needed(d(999), d(0), LIMITS).reason is None
    assert approval_needed(d(10**6), d(10**6), None).required is False


def test_over_the_order_limit():
    decision = approval_needed(d("1000.01"), d(0), LIMITS)
    assert decision.required and decision.reason.code == "order_limit"
    assert str(decision.reason) == "The order total of 1000.01 EUR is above your limit of 1000 EUR per order."


def test_over_the_monthly_limit():
    decision = approval_needed(d(600), d("4400.01"), LIMITS)
    assert decision.required and decision.reason.code == "month_limit"
    assert decision.reason.params["total"] == d("5000.01")


def test_limits_only_per_month_or_only_per_order():
    assert approval_needed(d(10**6), d(0), SpendingLimits("EUR", per_month=None, per_order=None)).required is False
    assert approval_needed(d(2), d(0), SpendingLimits("EUR", per_month=d(1))).required is True


def test_limits_in_another_currency_are_refused():
    with pytest.raises(SalesRuleError) as error:
        approval_needed(d(10), d(0), LIMITS, currency="USD")
    assert error.value.field == "limits"
    with pytest.raises(SalesRuleError):
        approval_needed(d(-1), d(0), LIMITS)


def test_who_may_approve():
    assert may_approve(APPROVER, WAITING)
    assert may_approve(ADMIN, WAITING)  # an admin without limits approves anything
    assert may_approve(BUYER, WAITING).reason.code == "own_order"
    other_buyer = CustomerUser("bob", "acme", CustomerRole.BUYER)
    assert may_approve(other_buyer, WAITING).reason.code == "not_approver"
    assert may_approve(OUTSIDER, WAITING).reason.code == "other_company"
    assert str(may_approve(OUTSIDER, WAITING).reason) == "This order does not exist."


def test_an_approver_is_bound_by_their_own_order_limit():
    small = CustomerUser("sam", "acme", CustomerRole.APPROVER, SpendingLimits("EUR", per_order=d(2000)))
    refusal = may_approve(small, WAITING).reason
    assert refusal.code == "approver_limit" and refusal.params["limit"] == d(2000)
    exact = CustomerUser("sam", "acme", CustomerRole.APPROVER, SpendingLimits("EUR", per_order=d(2500)))
    assert may_approve(exact, WAITING)


def test_an_approver_who_is_the_buyer_cannot_approve_even_as_admin():
    own = OrderForApproval("acme", "adam", d(10), "EUR", OrderState(OrderStatus.AWAITING_APPROVAL))
    assert may_approve(ADMIN, own).reason.code == "own_order"


def test_only_an_order_waiting_for_approval_can_be_decided():
    confirmed = OrderForApproval("acme", "buyer", d(10), "EUR", OrderState(OrderStatus.CONFIRMED))
    assert may_approve(APPROVER, confirmed).reason.code == "not_waiting"


def test_approve_moves_the_order_on():
    on_account = approve(APPROVER, WAITING, on_account=True, comment="  ok for Q3  ")
    assert on_account.allowed and on_account.transition.after.status is OrderStatus.CONFIRMED
    assert on_account.comment == "ok for Q3" and on_account.decided_by == "anna" and on_account.approved
    by_card = approve(APPROVER, WAITING, on_account=False)
    assert by_card.transition.after.status is OrderStatus.AWAITING_PAYMENT
    assert not by_card.transition.reserve_stock  # reserved since it was placed


def test_approve_by_the_buyer_is_refused_with_the_state_unchanged():
    outcome = approve(BUYER, WAITING, on_account=True)
    assert not outcome.allowed
    assert outcome.transition.after == WAITING.state
    assert outcome.transition.refusal.code == "own_order"


def test_reject_needs_a_comment_and_releases_stock():
    with pytest.raises(SalesRuleError) as error:
        reject(APPROVER, WAITING, comment="   ")
    assert error.value.field == "comment"
    outcome = reject(APPROVER, WAITING, comment="Too many chairs")
    assert outcome.allowed and not outcome.approved
    assert outcome.transition.after.status is OrderStatus.REJECTED and outcome.transition.release_stock
    assert reject(OUTSIDER, WAITING, comment="no").transition.refusal.code == "other_company"
    with pytest.raises(SalesRuleError):
        approve(APPROVER, WAITING, on_account=True, comment="x" * 2001)


NET30 = PaymentTerms(30)
ACCOUNT = CreditAccount("EUR", NET30, credit_limit=d(10_000))


def test_credit_within_the_limit_and_at_it_exactly():
    check = credit_check(d(2000), account=ACCOUNT, open_receivables=d(5000), open_orders=d(3000), currency="EUR")
    assert check.allowed and check.used == d(8000) and check.available == d(2000) and check.shortfall == 0


def test_credit_exceeded_names_limit_used_and_need():
    check = credit_check(d("2000.01"), account=ACCOUNT, open_receivables=d(5000), open_orders=d(3000), currency="EUR")
    assert not check.allowed and check.reason.code == "over_limit"
    assert check.shortfall == d("0.01")
    assert str(check.reason) == (
        "This order of 2000.01 EUR would exceed your credit limit of 10000.00: 8000.00 is already used by open "
        "invoices and orders, so 2000.00 is left. Pay by card, or reduce the order."
    )


def test_credit_already_over_the_limit_shows_nothing_left():
    check = credit_check(d(1), account=ACCOUNT, open_receivables=d(12_000), open_orders=d(0), currency="EUR")
    assert not check.allowed and check.available == 0 and check.shortfall == d(2001)


def test_no_terms_no_account():
    account = CreditAccount("EUR", None, credit_limit=d(10_000))
    check = credit_check(d(1), account=account, open_receivables=d(0), open_orders=d(0), currency="EUR")
    assert not check.allowed and check.reason.code == "no_terms"


def test_blocked_account_and_zero_limit_and_no_limit():
    blocked = CreditAccount("EUR", NET30, d(10_000), blocked=True)
    assert (
        credit_check(d(1), account=blocked, open_receivables=d(0), open_orders=d(0), currency="EUR").reason.code
        == "blocked"
    )
    zero = CreditAccount("EUR", NET30, d(0))
    assert not credit_check(d("0.01"), account=zero, open_receivables=d(0), open_orders=d(0), currency="EUR").allowed
    unlimited = CreditAccount("EUR", NET30, None)
    check = credit_check(d(10**9), account=unlimited, open_receivables=d(10**9), open_orders=d(0), currency="EUR")
    assert check.allowed and check.limit is None and check.available is None


def test_credit_bad_input():
    with pytest.raises(SalesRuleError) as error:
        credit_check(d(1), account=ACCOUNT, open_receivables=d(0), open_orders=d(0), currency="USD")
    assert error.value.field == "currency"
    with pytest.raises(SalesRuleError) as error:
        credit_check(d(1), account=ACCOUNT, open_receivables=d(-1), open_orders=d(0), currency="EUR")
    assert error.value.field == "open_receivables"
    with pytest.raises(SalesRuleError):
        credit_check(1.5, account=ACCOUNT, open_receivables=d(0), open_orders=d(0), currency="EUR")


def test_payment_terms():
    assert NET30.due_date(date(2026, 1, 15)) == date(2026, 2, 14)
    assert PaymentTerms(0).due_date(date(2026, 1, 15)) == date(2026, 1, 15)
    for bad in (-1, 366, True, "30"):
        with pytest.raises(SalesRuleError):
            PaymentTerms(bad)

"""Refunds: partial and total, within what was captured and not yet refunded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.money import Money
from app.payments.domain import PaymentRuleError, PaymentStatus, check_refund, status_after_refund


def m(amount: str | int, currency: str = "EUR") -> Money:
    return Money(Decimal(amount), currency)


def test_a_partial_then_the_rest():
    first = check_refund(m("30.00"), captured=m("100.00"), refunded=m(0))
    assert first.allowed and not first.full and first.units == 3000 and first.remaining == m("70.00")
    rest = check_refund(None, captured=m("100.00"), refunded=m("30.00"))
    assert rest.allowed and rest.full and rest.amount == m("70.00") and rest.remaining == m(0)


def test_exactly_what_is_left_is_a_full_refund():
    assert check_refund(m("70.00"), captured=m("100.00"), refunded=m("30.00")).full


def test_more_than_is_left_is_refused_with_the_figures():
    check = check_refund(m("70.01"), captured=m("100.00"), refunded=m("30.00"))
    assert not check.allowed and check.reason.code == "above_refundable"
    assert str(check.reason) == "At most 70.00 EUR can still be refunded: 100.00 captured, 30.00 refunded."


def test_nothing_captured_or_already_refunded():
    assert check_refund(None, captured=m(0), refunded=m(0)).reason.code == "not_captured"
    assert check_refund(m(1), captured=m(10), refunded=m(10)).reason.code == "already_refunded"


def test_refund_bad_input():
    with pytest.raises(PaymentRuleError) as error:
        check_refund(m(0), captured=m(10), refunded=m(0))
    assert error.value.field == "amount"
    with pytest.raises(PaymentRuleError):
        check_refund(m(-1), captured=m(10), refunded=m(0))
    with pytest.raises(PaymentRuleError):
        check_refund(m("0.001"), captured=m(10), refunded=m(0))
    with pytest.raises(PaymentRuleError) as error:
        check_refund(m(1, "USD"), captured=m(10), refunded=m(0))
    assert "USD" in error.value.reason
    with pytest.raises(PaymentRuleError) as error:
        check_refund(None, captured=m(10), refunded=m(11))
    assert error.value.field == "refunded"


def test_status_after_refund():
    assert status_after_refund(m(10), m(0)) is PaymentStatus.SUCCEEDED
    assert status_after_refund(m(10), m("9.99")) is PaymentStatus.PARTIALLY_REFUNDED
    assert status_after_refund(m(10), m(10)) is PaymentStatus.REFUNDED
    with pytest.raises(PaymentRuleError):
        status_after_refund(m(10), m("10.01"))


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**7),
    st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=10**7)), max_size=12),
    st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_refunds_never_exceed_what_was_captured(captured_units, requests, currency):
    step = {"EUR": Decimal("0.01"), "JPY": Decimal(1), "KWD": Decimal("0.010")}[currency]
    captured = Money(captured_units * step, currency)
    refunded = Money.zero(currency)
    for units in requests:
        requested = None if units is None else Money(units * step, currency)
        check = check_refund(requested, captured=captured, refunded=refunded)
        if check.allowed:
            assert check.amount.amount > 0 and check.units > 0
            refunded = refunded + check.amount
            assert check.remaining == captured - refunded
        assert refunded <= captured
    assert status_after_refund(captured, refunded) in set(PaymentStatus)

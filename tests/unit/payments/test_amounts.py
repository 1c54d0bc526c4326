"""Amounts for Stripe: its minor unit per currency, exact or refused, and its charge limits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.money import Money
from app.payments.domain import PaymentRuleError, chargeable, from_stripe_amount, stripe_exponent, to_stripe_amount


def m(amount: str | int, currency: str = "EUR") -> Money:
    return Money(Decimal(amount), currency)


@pytest.mark.parametrize(
    ("money", "units"),
    [
        (m("12.34"), 1234),
        (m("12.3"), 1230),
        (m("0.01"), 1),
        (m(0), 0),
        (m(500, "JPY"), 500),
        (m(500, "HUF"), 50000),  # whole forints in ISO, hundredths for Stripe
        (m(40, "ISK"), 4000),  # Stripe counts ISK in hundredths, always multiples of 100
        (m("1.230", "KWD"), 1230),
        (m("19.99", "usd"), 1999),
    ],
)
def test_amounts_in_stripes_minor_unit(money, units):
    assert to_stripe_amount(money) == units
    assert from_stripe_amount(units, money.currency) == money


def test_exponents():
    assert [stripe_exponent(c) for c in ("EUR", "jpy", "KWD", "HUF", "IDR")] == [2, 0, 3, 2, 2]


def test_amounts_finer_than_the_currency_are_refused_not_rounded():
    with pytest.raises(PaymentRuleError) as error:
        to_stripe_amount(m("12.345"))
    assert error.value.field == "amount" and "round it first" in error.value.reason
    with pytest.raises(PaymentRuleError):
        to_stripe_amount(m("1.5", "JPY"))
    with pytest.raises(PaymentRuleError) as error:
        to_stripe_amount(m("1.234", "KWD"))  # Stripe wants the last of three digits to be 0
    assert "steps of 0.010" in error.value.reason
    with pytest.raises(PaymentRuleError):
        to_stripe_amount(Decimal("1.00"))
    with pytest.raises(PaymentRuleError):
        from_stripe_amount(12.5, "EUR")


def test_chargeable():
    assert chargeable(m("0.50")).allowed and chargeable(m("0.50")).units == 50
    low = chargeable(m("0.49"))
    assert not low.allowed and low.reason.code == "below_minimum"
    assert str(low.reason) == "Card payments start at 0.50 EUR: pay this order on account."
    assert chargeable(m(0, "XOF")).reason.code == chargeable(m(0)).reason.code == "nothing_to_pay"
    assert chargeable(m(1, "XOF")).allowed  # no minimum known here: Stripe decides
    assert chargeable(m("999999.99")).allowed
    assert chargeable(m("1000000.00")).reason.code == "too_large"

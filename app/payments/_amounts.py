"""Amounts as Stripe wants them: integers in its minor unit of the currency, within its limits.

Stripe's minor unit is not always ISO 4217's (app.money): it counts HUF, TWD, ISK and IDR in hundredths even
where ISO has whole units, and three-decimal currencies (BHD, KWD, ...) in thousandths ending in 0. An
amount is first checked to be whole in app.money's minor unit (what orders and invoices store), then scaled
to Stripe's; an amount Stripe cannot represent exactly is refused, never rounded on the way.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from app.money import Money, to_minor_unit
from app.payments._errors import N_, PaymentRuleError, Reason, reason

# https://docs.stripe.com/currencies#zero-decimal and #three-decimal
ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
# The smallest charge Stripe accepts, in the currency's units, for the common currencies (settled in the same
# currency); others are left to Stripe to refuse.
MINIMUM_CHARGE = {
    "USD": Decimal("0.50"), "EUR": Decimal("0.50"), "GBP": Decimal("0.30"), "CHF": Decimal("0.50"),
    "AUD": Decimal("0.50"), "CAD": Decimal("0.50"), "NZD": Decimal("0.50"), "SGD": Decimal("0.50"),
    "DKK": Decimal("2.50"), "NOK": Decimal("3.00"), "SEK": Decimal("3.00"), "PLN": Decimal("2.00"),
    "CZK": Decimal("15.00"), "HUF": Decimal("175.00"), "RON": Decimal("2.00"), "BGN": Decimal("1.00"),
    "MXN": Decimal("10"), "JPY": Decimal("50"),
}  # fmt: skip
MAX_UNITS = 99_999_999  # Stripe's amount holds up to eight digits


def stripe_exponent(currency: str) -> int:
    """Decimal places of Stripe's minor unit for the currency: 0, 2 or 3."""
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return 0
    return 3 if code in THREE_DECIMAL else 2


def _whole(money: Money) -> None:
    """Refuse an amount finer than the currency's minor unit: it should have been rounded where it was made."""
    if to_minor_unit(money.amount, money.currency) != money.amount:
        raise PaymentRuleError(
            "amount",
            "%(amount)s has more decimals than %(currency)s has: round it first",
            amount=money.amount,
            currency=money.currency,
        )


def to_stripe_amount(money: Money) -> int:
    """The integer Stripe wants for `money` (EUR 12.34 -> 1234, JPY 500 -> 500, HUF 500 -> 50000)."""
    if not isinstance(money, Money):
        raise PaymentRuleError("amount", "must be Money, not %(type)s", type=type(money).__name__)
    _whole(money)
    units = money.amount.scaleb(stripe_exponent(money.currency))
    if units != units.to_integral_value():
        raise PaymentRuleError(
            "amount",
            "Stripe cannot charge %(amount)s %(currency)s exactly",
            amount=money.amount,
            currency=money.currency,
        )
    if money.currency in THREE_DECIMAL and units % 10:
        raise PaymentRuleError(
            "amount",
            "Stripe charges %(currency)s in steps of 0.010: round %(amount)s to two decimals",
            amount=money.amount,
            currency=money.currency,
        )
    return int(units)


def from_stripe_amount(units: int, currency: str) -> Money:
    """The Money for an integer amount Stripe sent (amount_received, amount_refunded, ...)."""
    if isinstance(units, bool) or not isinstance(units, int):
        raise PaymentRuleError("amount", "must be an integer from Stripe, not %(type)s", type=type(units).__name__)
    return Money(Decimal(units).scaleb(-stripe_exponent(currency)), currency)


class ChargeCheck(NamedTuple):
    """Whether Stripe can take this amount: the integer to send, or why not (below the minimum, too large)."""

    units: int
    reason: Reason | None = None

    @property
    def allowed(self) -> bool:
        return self.reason is None


def chargeable(money: Money) -> ChargeCheck:
    """Can this total be paid by card? Above Stripe's minimum for the currency and within its eight digits."""
    units = to_stripe_amount(money)
    if units <= 0:
        return ChargeCheck(units, reason("nothing_to_pay", N_("There is nothing to pay for this order.")))
    minimum = MINIMUM_CHARGE.get(money.currency)
    if minimum is not None and money.amount < minimum:
        why = reason(
            "below_minimum",
            N_("Card payments start at %(minimum)s %(currency)s: pay this order on account."),
            minimum=minimum,
            currency=money.currency,
        )
        return ChargeCheck(units, why)
    if units > MAX_UNITS:
        why = reason("too_large", N_("This amount is too large for a card payment: pay it on account or by transfer."))
        return ChargeCheck(units, why)
    return ChargeCheck(units)

"""Refunds: partial or total, never more than was captured and not yet refunded."""

from __future__ import annotations

from dataclasses import dataclass

from app.money import Money
from app.payments._amounts import to_stripe_amount
from app.payments._errors import N_, PaymentRuleError, Reason, reason
from app.payments._intents import PaymentStatus


def _money(field: str, value: Money, currency: str) -> Money:
    if not isinstance(value, Money):
        raise PaymentRuleError(field, "must be Money, not %(type)s", type=type(value).__name__)
    if value.currency != currency:
        raise PaymentRuleError(
            field, "is in %(currency)s, the payment in %(expected)s", currency=value.currency, expected=currency
        )
    if value.amount < 0:
        raise PaymentRuleError(field, N_("must not be negative, got %(value)s"), value=value.amount)
    to_stripe_amount(value)  # refuses an amount finer than the currency (or than Stripe) can hold
    return value


@dataclass(frozen=True, slots=True)
class RefundCheck:
    """The answer to a refund request: the amount to refund (the integer for Stripe in `units`), whether it
    empties the payment, what could be refunded before and what remains after; or why not."""

    amount: Money
    units: int
    full: bool
    refundable: Money
    remaining: Money
    reason: Reason | None = None

    @property
    def allowed(self) -> bool:
        return self.reason is None


def check_refund(requested: Money | None, *, captured: Money, refunded: Money) -> RefundCheck:
    """May `requested` be refunded (None: everything still refundable)? `captured` is what the payment took;
    `refunded` what refunds already took or are taking (pending ones included, so two clicks cannot both pass)."""
    currency = captured.currency if isinstance(captured, Money) else ""
    captured, refunded = _money("captured", captured, currency), _money("refunded", refunded, currency)
    if refunded > captured:
        raise PaymentRuleError(
            "refunded",
            "%(refunded)s refunded is more than the %(captured)s captured",
            refunded=refunded.amount,
            captured=captured.amount,
        )
    refundable = captured - refunded
    amount = refundable if requested is None else _money("amount", requested, currency)
    if requested is not None and not requested:
        raise PaymentRuleError("amount", N_("Enter an amount above zero."))
    if not captured:
        why = reason("not_captured", N_("Nothing was captured on this payment, so there is nothing to refund."))
        return RefundCheck(amount, 0, False, refundable, refundable, why)
    if not refundable:
        why = reason("already_refunded", N_("This payment was already refunded in full."))
        return RefundCheck(amount, 0, False, refundable, refundable, why)
    if amount > refundable:
        why = reason(
            "above_refundable",
            N_(
                "At most %(refundable)s %(currency)s can still be refunded: "
                "%(captured)s captured, %(refunded)s refunded."
            ),
            refundable=refundable.amount,
            captured=captured.amount,
            refunded=refunded.amount,
            currency=currency,
        )
        return RefundCheck(amount, 0, False, refundable, refundable, why)
    return RefundCheck(amount, to_stripe_amount(amount), amount == refundable, refundable, refundable - amount)


def status_after_refund(captured: Money, refunded: Money) -> PaymentStatus:
    """The payment's status once `refunded` (in total) of `captured` went back: refunded, partially or not."""
    captured = _money("captured", captured, captured.currency if isinstance(captured, Money) else "")
    refunded = _money("refunded", refunded, captured.currency)
    if refunded > captured:
        raise PaymentRuleError(
            "refunded",
            "%(refunded)s refunded is more than the %(captured)s captured",
            refunded=refunded.amount,
            captured=captured.amount,
        )
    if not refunded:
        return PaymentStatus.SUCCEEDED
    return PaymentStatus.REFUNDED if refunded == captured else PaymentStatus.PARTIALLY_REFUNDED

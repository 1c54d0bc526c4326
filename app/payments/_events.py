"""Stripe webhook events mapped to payment updates and order actions."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from app.payments._amounts import from_stripe_amount
from app.payments._errors import N_, PaymentRuleError, reason
from app.payments._intents import OrderAction, PaymentStatus, PaymentUpdate, intent_update, is_stale, payment_status_of
from app.payments._refunds import status_after_refund

# payment_intent.* event -> the PaymentIntent status it reports.
INTENT_EVENTS: Mapping[str, str] = MappingProxyType(
    {
        "payment_intent.created": "requires_payment_method",
        "payment_intent.requires_action": "requires_action",
        "payment_intent.processing": "processing",
        "payment_intent.amount_capturable_updated": "requires_capture",
        "payment_intent.succeeded": "succeeded",
        "payment_intent.payment_failed": "requires_payment_method",
        "payment_intent.canceled": "canceled",
    }
)
REFUND_EVENTS = frozenset({"charge.refunded", "charge.refund.updated"})
DISPUTE_EVENTS = frozenset({"charge.dispute.created"})
HANDLED_EVENTS = frozenset({*INTENT_EVENTS, *REFUND_EVENTS, *DISPUTE_EVENTS})


class WebhookEvent(NamedTuple):
    """The plain values the service reads from a verified Stripe event (stripe.Webhook.construct_event).

    - intent_status, failure: for payment_intent.* events, data.object.status and
      data.object.last_payment_error.message (a decline's text);
    - currency, amount_captured, amount_refunded: for charge.* events, from the charge (integers, Stripe's
      minor unit; amount_refunded is the total so far, to store as max(stored, this) since events come
      out of order; localstripe's charge has no amount_captured: take `amount` when `captured`);
      refund_status: the refund's status for charge.refund.updated.
    """

    id: str
    type: str
    livemode: bool
    intent_status: str | None = None
    failure: str | None = None
    currency: str | None = None
    amount_captured: int | None = None
    amount_refunded: int | None = None
    refund_status: str | None = None


def _intent_event(event: WebhookEvent, current: PaymentStatus) -> PaymentUpdate:
    status = event.intent_status or INTENT_EVENTS[event.type]
    failure = event.failure
    if event.type == "payment_intent.payment_failed" and not failure:
        failure = "declined"
    return intent_update(current, status, failure=failure)


def _refund_event(event: WebhookEvent, current: PaymentStatus) -> PaymentUpdate:
    if event.type == "charge.refund.updated":
        if event.refund_status == "failed":
            why = reason("refund_failed", N_("A refund on this payment failed: check it in Stripe."))
            return PaymentUpdate(current, OrderAction.REVIEW, why)
        return PaymentUpdate(current, ignored=reason("unchanged", N_("The refund's progress changes nothing here.")))
    if event.currency is None or event.amount_captured is None or event.amount_refunded is None:
        raise PaymentRuleError("event", "a charge.refunded event needs the charge's currency and amounts")
    captured = from_stripe_amount(event.amount_captured, event.currency)
    status = status_after_refund(captured, from_stripe_amount(event.amount_refunded, event.currency))
    if status is current and status is not PaymentStatus.PARTIALLY_REFUNDED:
        return PaymentUpdate(
            current, ignored=reason("unchanged", N_("The payment is already %(status)s."), status=current)
        )
    if is_stale(current, status) or current not in {PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED}:
        why = reason(
            "stale", N_("A late report (%(status)s) for a payment already %(current)s."), status=status, current=current
        )
        return PaymentUpdate(current, ignored=why)
    return PaymentUpdate(status)


def event_update(event: WebhookEvent, current: PaymentStatus | str) -> PaymentUpdate:
    """What a verified event does to the payment (stored as `current`) and its order. Call it only when
    `should_process` said yes. Event types not handled here are ignored with a reason (answer Stripe 200)."""
    current = payment_status_of(current)
    if event.type in INTENT_EVENTS:
        return _intent_event(event, current)
    if event.type in REFUND_EVENTS:
        return _refund_event(event, current)
    if event.type in DISPUTE_EVENTS:
        why = reason("dispute", N_("The buyer disputed this payment with their bank: review the order."))
        return PaymentUpdate(current, OrderAction.REVIEW, why)
    return PaymentUpdate(
        current, ignored=reason("not_handled", N_("Event type %(type)s is not handled."), type=event.type)
    )

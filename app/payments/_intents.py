"""Card payments through Stripe PaymentIntents: idempotency keys, the payment's status as Stripe reports it, and
what each webhook event does to the payment and to its order, once per event id.

Idempotency keys are derived, not random: the key for (tenant, order, attempt) is the same every time the
service asks, so a double click, a retried request after a lost response, or an outbox worker re-running
after a crash between the Stripe call and the commit sends the same key, and Stripe answers with the first
PaymentIntent instead of creating (and charging) a second. A random key would only cover one HTTP retry.
The tenant is part of the key because tenants may share one Stripe account and order ids may collide; the
attempt changes only when a new intent is really wanted (the previous one was canceled, or the amount
changed: Stripe refuses a key reused with other parameters). Stripe keeps keys for 24 hours.

Events are not ordered: Stripe may deliver `processing` after `succeeded`. A settled payment (authorized,
succeeded, refunded, canceled) therefore never moves back to an unsettled status; before it settles the
latest report wins (a declined card may be retried, a failed 3-D Secure may be tried again).
"""

from __future__ import annotations

import re
from collections.abc import Container, Hashable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from app.payments._errors import N_, PaymentRuleError, Reason, reason

KEY_PART = re.compile(r"[A-Za-z0-9_.-]{1,64}")  # no ":": it separates the parts, so no two inputs share a key
EVENT_ID = re.compile(r"evt_[A-Za-z0-9_]{1,250}")


def idempotency_key(tenant_id: Hashable, order_id: Hashable, attempt: int, *, purpose: str = "payment_intent") -> str:
    """The Stripe Idempotency-Key for creating the order's `attempt`-th PaymentIntent (or another `purpose`):
    'bodega:payment_intent:<tenant>:<order>:<attempt>'. The same inputs give the same key, always."""
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise PaymentRuleError("attempt", "must be a whole number from 1, got %(value)r", value=attempt)
    parts = [purpose, str(tenant_id), str(order_id), str(attempt)]
    for name, part in zip(("purpose", "tenant_id", "order_id"), parts, strict=False):
        if not KEY_PART.fullmatch(part):
            raise PaymentRuleError(name, "cannot be part of an idempotency key: %(value)r", value=part)
    return "bodega:" + ":".join(parts)


def refund_idempotency_key(tenant_id: Hashable, payment_id: Hashable, refund_number: int) -> str:
    """The key for the payment's `refund_number`-th refund (1, 2, ...): a retried refund is made once."""
    return idempotency_key(tenant_id, payment_id, refund_number, purpose="refund")


class PaymentStatus(StrEnum):
    """A card payment's status as the payment row stores it."""

    PENDING = "pending"  # created, waiting for the card
    REQUIRES_ACTION = "requires_action"  # 3-D Secure or another step by the buyer
    PROCESSING = "processing"
    FAILED = "failed"  # the last try was declined; the buyer may try again on the same intent
    AUTHORIZED = "authorized"  # manual capture: the money is held, captured when the goods ship
    SUCCEEDED = "succeeded"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    CANCELED = "canceled"


P = PaymentStatus
SETTLED = frozenset({P.AUTHORIZED, P.SUCCEEDED, P.PARTIALLY_REFUNDED, P.REFUNDED, P.CANCELED})
# From a settled status, the only moves Stripe can report; anything else is a late event for an earlier step.
SETTLED_MOVES: Mapping[PaymentStatus, frozenset[PaymentStatus]] = MappingProxyType(
    {
        P.AUTHORIZED: frozenset({P.SUCCEEDED, P.CANCELED}),
        P.SUCCEEDED: frozenset({P.PARTIALLY_REFUNDED, P.REFUNDED}),
        P.PARTIALLY_REFUNDED: frozenset({P.PARTIALLY_REFUNDED, P.REFUNDED}),
        P.REFUNDED: frozenset(),
        P.CANCELED: frozenset(),
    }
)


class OrderAction(StrEnum):
    """What the order should do after a payment update (the sales service runs the order's transition)."""

    NONE = "none"
    CONFIRM = "confirm"  # awaiting payment -> confirmed; nothing when it already is (redirect and webhook both)
    PAYMENT_FAILED = "payment_failed"  # tell the buyer, keep the order awaiting payment and the cart
    REVIEW = "review"  # money taken back (dispute, canceled authorization): staff look, the order goes on hold


# PaymentIntent.status -> our status and what the order does.
INTENT_STATUSES: Mapping[str, tuple[PaymentStatus, OrderAction]] = MappingProxyType(
    {
        "requires_payment_method": (P.PENDING, OrderAction.NONE),
        "requires_confirmation": (P.PENDING, OrderAction.NONE),
        "requires_action": (P.REQUIRES_ACTION, OrderAction.NONE),
        "processing": (P.PROCESSING, OrderAction.NONE),
        "requires_capture": (P.AUTHORIZED, OrderAction.CONFIRM),
        "succeeded": (P.SUCCEEDED, OrderAction.CONFIRM),
        "canceled": (P.CANCELED, OrderAction.NONE),
    }
)


@dataclass(frozen=True, slots=True)
class PaymentUpdate:
    """What to store and do: the payment's status after (unchanged when the report is stale), the order's
    action, the message for the buyer (a decline), and why the report was ignored (stale, not handled)."""

    status: PaymentStatus
    order_action: OrderAction = OrderAction.NONE
    message: Reason | None = None
    ignored: Reason | None = None

    @property
    def changed(self) -> bool:
        return self.ignored is None


def is_stale(current: PaymentStatus, status: PaymentStatus) -> bool:
    return current in SETTLED and status not in SETTLED_MOVES[current]


def intent_update(current: PaymentStatus | str, intent_status: str, *, failure: str | None = None) -> PaymentUpdate:
    """The update for a PaymentIntent status, read from the intent or an event. `failure` is the intent's
    last_payment_error message: with 'requires_payment_method' it means the card was declined."""
    current = payment_status_of(current)
    if intent_status not in INTENT_STATUSES:
        raise PaymentRuleError("intent_status", "unknown PaymentIntent status %(value)r", value=intent_status)
    status, action = INTENT_STATUSES[intent_status]
    if intent_status == "requires_payment_method" and failure:
        status, action = P.FAILED, OrderAction.PAYMENT_FAILED
    if current is P.AUTHORIZED and status is P.CANCELED:
        action = OrderAction.REVIEW
    if status is current and action is not OrderAction.PAYMENT_FAILED:
        return PaymentUpdate(
            current, action, ignored=reason("unchanged", N_("The payment is already %(status)s."), status=current)
        )
    if is_stale(current, status):
        why = reason(
            "stale", N_("A late report (%(status)s) for a payment already %(current)s."), status=status, current=current
        )
        return PaymentUpdate(current, OrderAction.NONE, ignored=why)
    message = None
    if status is P.FAILED:
        message = reason(
            "declined",
            N_("Your card payment did not go through (%(detail)s). Your order is kept: try again or use another card."),
            detail=failure,
        )
    return PaymentUpdate(status, action, message)


def payment_status_of(value: PaymentStatus | str) -> PaymentStatus:
    try:
        return PaymentStatus(value)
    except ValueError:
        raise PaymentRuleError("status", "unknown payment status %(value)r", value=value) from None


class EventDecision(NamedTuple):
    """Whether to handle a webhook event now, and why not (already handled, the other mode)."""

    process: bool
    reason: Reason | None = None


def should_process(event_id: str, seen_ids: Container[str], *, livemode: bool, expect_livemode: bool) -> EventDecision:
    """Handle each Stripe event once: not when its id is among those stored, nor when it comes from the other
    mode (a test event at the live endpoint). The service stores the id in the transaction that applies the
    event, under a unique index: of two deliveries racing, the second fails to insert and changes nothing."""
    if not isinstance(event_id, str) or not EVENT_ID.fullmatch(event_id):
        raise PaymentRuleError("event_id", "%(value)r is not a Stripe event id", value=event_id)
    if event_id in seen_ids:
        return EventDecision(False, reason("duplicate", N_("Event %(id)s was already handled."), id=event_id))
    if livemode != expect_livemode:
        return EventDecision(
            False, reason("other_mode", N_("Event %(id)s comes from the other Stripe mode."), id=event_id)
        )
    return EventDecision(True)

"""Idempotency keys, PaymentIntent statuses, webhook events and handling each event once."""

from __future__ import annotations

import uuid

import pytest

from app.payments.domain import (
    HANDLED_EVENTS,
    INTENT_STATUSES,
    OrderAction,
    PaymentRuleError,
    PaymentStatus,
    WebhookEvent,
    event_update,
    idempotency_key,
    intent_update,
    refund_idempotency_key,
    should_process,
)

P = PaymentStatus
TENANT = uuid.UUID("0190f0e0-0000-7000-8000-000000000001")
ORDER = uuid.UUID("0190f0e0-0000-7000-8000-0000000000aa")


def test_keys_are_the_same_for_the_same_attempt_and_differ_otherwise():
    key = idempotency_key(TENANT, ORDER, 1)
    assert key == idempotency_key(TENANT, ORDER, 1) == f"bodega:payment_intent:{TENANT}:{ORDER}:1"
    assert len({key, idempotency_key(TENANT, ORDER, 2), idempotency_key("other", ORDER, 1)}) == 3
    assert refund_idempotency_key(TENANT, "pay_1", 1) != idempotency_key(TENANT, "pay_1", 1)
    assert len(idempotency_key("t" * 64, "o" * 64, 10**6)) <= 255


def test_keys_refuse_parts_that_could_collide():
    for attempt in (0, -1, True, "1"):
        with pytest.raises(PaymentRuleError) as error:
            idempotency_key(TENANT, ORDER, attempt)
        assert error.value.field == "attempt"
    for tenant in ("a:b", "a b", "x" * 65):
        with pytest.raises(PaymentRuleError) as error:
            idempotency_key(tenant, ORDER, 1)
        assert error.value.field == "tenant_id"
    with pytest.raises(PaymentRuleError):
        idempotency_key(TENANT, "", 1)


def test_every_stripe_intent_status_is_mapped():
    assert set(INTENT_STATUSES) == {
        "requires_payment_method", "requires_confirmation", "requires_action", "processing",
        "requires_capture", "succeeded", "canceled",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("current", "intent", "status", "action"),
    [
        (P.PENDING, "requires_action", P.REQUIRES_ACTION, OrderAction.NONE),
        (P.REQUIRES_ACTION, "processing", P.PROCESSING, OrderAction.NONE),
        (P.PROCESSING, "succeeded", P.SUCCEEDED, OrderAction.CONFIRM),
        (P.PENDING, "requires_capture", P.AUTHORIZED, OrderAction.CONFIRM),
        (P.AUTHORIZED, "succeeded", P.SUCCEEDED, OrderAction.CONFIRM),
        (P.FAILED, "requires_action", P.REQUIRES_ACTION, OrderAction.NONE),  # a retry after a decline
        (P.PENDING, "canceled", P.CANCELED, OrderAction.NONE),
        (P.AUTHORIZED, "canceled", P.CANCELED, OrderAction.REVIEW),
    ],
)
def test_intent_statuses(current, intent, status, action):
    update = intent_update(current, intent)
    assert (update.status, update.order_action, update.changed) == (status, action, True)


def test_a_decline_fails_the_payment_keeps_the_order_and_tells_the_buyer():
    update = intent_update(P.REQUIRES_ACTION, "requires_payment_method", failure="Your card was declined.")
    assert (update.status, update.order_action) == (P.FAILED, OrderAction.PAYMENT_FAILED)
    assert "Your order is kept" in str(update.message) and update.message.params["detail"] == "Your card was declined."
    again = intent_update(P.FAILED, "requires_payment_method", failure="Insufficient funds.")
    assert again.changed and again.order_action is OrderAction.PAYMENT_FAILED


def test_a_settled_payment_never_moves_back():
    stale = intent_update(P.SUCCEEDED, "processing")
    assert stale.status is P.SUCCEEDED and not stale.changed and stale.ignored.code == "stale"
    assert stale.order_action is OrderAction.NONE
    assert not intent_update(P.CANCELED, "succeeded").changed
    assert not intent_update(P.REFUNDED, "succeeded").changed


def test_the_same_status_twice_changes_nothing_but_still_asks_to_confirm():
    update = intent_update(P.SUCCEEDED, "succeeded")
    assert not update.changed and update.ignored.code == "unchanged"
    assert update.order_action is OrderAction.CONFIRM  # confirming a confirmed order is a no-op for sales


def test_unknown_statuses_are_bad_input():
    with pytest.raises(PaymentRuleError):
        intent_update(P.PENDING, "vanished")
    with pytest.raises(PaymentRuleError):
        intent_update("lost", "succeeded")


def event(type_: str, **values) -> WebhookEvent:
    return WebhookEvent("evt_1", type_, False, **values)


def test_webhook_events_drive_the_payment():
    succeeded = event_update(event("payment_intent.succeeded", intent_status="succeeded"), P.REQUIRES_ACTION)
    assert (succeeded.status, succeeded.order_action) == (P.SUCCEEDED, OrderAction.CONFIRM)
    failed = event_update(event("payment_intent.payment_failed"), P.PENDING)
    assert (failed.status, failed.order_action) == (P.FAILED, OrderAction.PAYMENT_FAILED)
    assert failed.message.params["detail"] == "declined"
    authorized = event_update(event("payment_intent.amount_capturable_updated"), P.PENDING)
    assert authorized.status is P.AUTHORIZED and authorized.order_action is OrderAction.CONFIRM
    late = event_update(event("payment_intent.processing"), P.SUCCEEDED)
    assert not late.changed


def test_refund_events():
    charge = {"currency": "EUR", "amount_captured": 10_000}
    partial = event_update(event("charge.refunded", amount_refunded=2_500, **charge), P.SUCCEEDED)
    assert partial.status is P.PARTIALLY_REFUNDED
    more = event_update(event("charge.refunded", amount_refunded=5_000, **charge), P.PARTIALLY_REFUNDED)
    assert more.status is P.PARTIALLY_REFUNDED and more.changed
    full = event_update(event("charge.refunded", amount_refunded=10_000, **charge), P.PARTIALLY_REFUNDED)
    assert full.status is P.REFUNDED
    assert not event_update(event("charge.refunded", amount_refunded=2_500, **charge), P.REFUNDED).changed
    assert not event_update(event("charge.refunded", amount_refunded=2_500, **charge), P.PENDING).changed
    failed = event_update(event("charge.refund.updated", refund_status="failed"), P.PARTIALLY_REFUNDED)
    assert failed.order_action is OrderAction.REVIEW and failed.status is P.PARTIALLY_REFUNDED
    assert not event_update(event("charge.refund.updated", refund_status="succeeded"), P.REFUNDED).changed
    with pytest.raises(PaymentRuleError):
        event_update(event("charge.refunded"), P.SUCCEEDED)


def test_disputes_and_unhandled_events():
    dispute = event_update(event("charge.dispute.created"), P.SUCCEEDED)
    assert dispute.order_action is OrderAction.REVIEW and dispute.status is P.SUCCEEDED
    other = event_update(event("customer.created"), P.SUCCEEDED)
    assert other.ignored.code == "not_handled" and other.order_action is OrderAction.NONE
    assert "payment_intent.succeeded" in HANDLED_EVENTS and "customer.created" not in HANDLED_EVENTS


def test_each_event_is_handled_once():
    seen = {"evt_1", "evt_2"}
    assert should_process("evt_3", seen, livemode=True, expect_livemode=True).process
    again = should_process("evt_1", seen, livemode=True, expect_livemode=True)
    assert not again.process and again.reason.code == "duplicate"
    assert should_process("evt_3", seen, livemode=False, expect_livemode=True).reason.code == "other_mode"
    with pytest.raises(PaymentRuleError):
        should_process("pi_123", seen, livemode=True, expect_livemode=True)


def test_the_same_event_delivered_three_times_confirms_once():
    seen: set[str] = set()
    confirmations = 0
    status = P.PROCESSING
    for _ in range(3):
        delivery = WebhookEvent("evt_paid", "payment_intent.succeeded", True, intent_status="succeeded")
        if not should_process(delivery.id, seen, livemode=True, expect_livemode=True).process:
            continue
        update = event_update(delivery, status)
        seen.add(delivery.id)
        status = update.status
        confirmations += update.order_action is OrderAction.CONFIRM
    assert confirmations == 1 and status is P.SUCCEEDED

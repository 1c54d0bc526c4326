"""Stripe webhook events, each handled once per tenant: the event id is recorded first, under a unique key, in
the transaction that applies it, so a replay (or a second delivery racing the first) inserts nothing and
changes nothing. The payment is looked up by its intent id within the tenant only (row-level security), and an
event whose intent names another tenant in its metadata is acknowledged and left alone."""

from __future__ import annotations

import uuid
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.base import new_id
from app.payments._events import INTENT_EVENTS, REFUND_EVENTS, WebhookEvent, event_update
from app.payments._intents import OrderAction, PaymentStatus, should_process
from app.payments.gateway import _get
from app.payments.models import Payment, StripeEvent
from app.payments.services import said


class EventOutcome(NamedTuple):
    """What handling an event did: `handled` False for a replay or an event not for this tenant; the order to
    act on and how (confirm, payment failed, review), with the note for its timeline."""

    handled: bool
    code: str
    order_id: uuid.UUID | None = None
    order_action: OrderAction = OrderAction.NONE
    note: str = ""


def _plain(event: Any) -> tuple[WebhookEvent, dict, str | None]:
    """The event's plain values, its object's metadata and the PaymentIntent it is about."""
    obj = event["data"]["object"]
    error = _get(obj, "last_payment_error")
    plain = WebhookEvent(
        id=event["id"],
        type=event["type"],
        livemode=bool(_get(event, "livemode", False)),
        intent_status=_get(obj, "status") if event["type"] in INTENT_EVENTS else None,
        failure=_get(error, "message"),
        currency=(_get(obj, "currency") or "").upper() or None,
        amount_captured=_get(obj, "amount_captured", _get(obj, "amount") if _get(obj, "captured") else None),
        amount_refunded=_get(obj, "amount_refunded"),
        refund_status=_get(obj, "status") if event["type"] == "charge.refund.updated" else None,
    )
    intent_id = _get(obj, "id") if event["type"] in INTENT_EVENTS else _get(obj, "payment_intent")
    metadata = _get(obj, "metadata", {}) or {}
    metadata = metadata.to_dict() if hasattr(metadata, "to_dict") else dict(metadata)
    return plain, metadata, intent_id if isinstance(intent_id, str) else None


async def _record(
    session: AsyncSession, tenant_id: uuid.UUID, plain: WebhookEvent, payment_id: uuid.UUID | None, outcome: str
) -> bool:
    """Insert the event's id (append-only); False when it is there already (handled before, or by a delivery
    racing this one, which this insert waited for)."""
    stmt = (
        insert(StripeEvent)
        .values(
            tenant_id=tenant_id,
            id=new_id(),
            event_id=plain.id[:255],
            type=plain.type[:100],
            payment_id=payment_id,
            outcome=outcome[:40],
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "event_id"])
        .returning(StripeEvent.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def handle_event(
    session: AsyncSession, tenant_id: uuid.UUID, event: Any, *, expect_livemode: bool
) -> EventOutcome:
    """Apply a verified event once (see the module docstring): the payment is locked, the event's id recorded,
    and only then is the payment changed."""
    plain, metadata, intent_id = _plain(event)
    if metadata.get("tenant_id") not in (None, str(tenant_id)):
        return EventOutcome(False, "other_tenant")
    decision = should_process(plain.id, (), livemode=plain.livemode, expect_livemode=expect_livemode)
    if not decision.process:
        return EventOutcome(False, decision.reason.code if decision.reason else "ignored")
    payment = None
    if intent_id:
        found = select(Payment).where(Payment.intent_id == intent_id).with_for_update()
        payment = await session.scalar(found.execution_options(populate_existing=True))
    if payment is None:
        recorded = await _record(session, tenant_id, plain, None, "no_payment")
        return EventOutcome(recorded, "no_payment" if recorded else "duplicate")
    update = event_update(plain, payment.status)
    outcome = update.ignored.code if update.ignored else "applied"
    if not await _record(session, tenant_id, plain, payment.id, outcome):
        return EventOutcome(False, "duplicate")
    action = update.order_action
    if action is OrderAction.PAYMENT_FAILED and payment.status == PaymentStatus.FAILED:
        action = OrderAction.NONE  # the buyer's page already reported this decline
    if update.changed:
        payment.status = update.status.value
        if update.status is PaymentStatus.FAILED:
            payment.failure_message = (plain.failure or "")[:500]
    if plain.amount_refunded is not None and plain.type in REFUND_EVENTS:
        payment.refunded_minor = min(payment.amount_minor, max(payment.refunded_minor, plain.amount_refunded))
    await session.flush()
    return EventOutcome(True, outcome, payment.order_id, action, said(update.message))

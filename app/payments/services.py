"""Paying an order by card: one PaymentIntent per attempt, created and confirmed through Stripe with keys derived
from (tenant, order, attempt), in the caller's transaction (services never commit).

Payments of one order are serialised by a transaction-level advisory lock on the order, so a double click or a
retried request waits for the first and then finds its payment: succeeded (nothing is charged again), waiting
for 3-D Secure (the same step is shown again) or declined (a new attempt, a new intent). Should the transaction
fail after Stripe answered, the retry sends the same idempotency keys and Stripe answers with the first intent
and confirmation instead of charging again (localstripe ignores the keys; the lock covers it there).

The order's side is not done here: payments sits beside sales and never imports it. Each call returns the
`OrderAction` (confirm, payment failed) for the face to hand to sales.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.base import new_id
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.money import Money
from app.payments._amounts import chargeable
from app.payments._errors import Reason
from app.payments._intents import OrderAction, PaymentStatus, idempotency_key, intent_update
from app.payments.gateway import CardDetails, CardRefused, IntentView, PaymentUnavailable, StripeGateway
from app.payments.models import Payment

P = PaymentStatus
PAID = frozenset({P.AUTHORIZED, P.SUCCEEDED, P.PARTIALLY_REFUNDED, P.REFUNDED})
OPEN = frozenset({P.PENDING, P.REQUIRES_ACTION})


class OrderToPay(NamedTuple):
    """The order as the face read it from sales: what to charge and what to name the payment."""

    order_id: uuid.UUID
    number: str
    currency: str
    gross: Decimal


class PaymentOutcome(NamedTuple):
    """The payment after a step: its status, what the order should do, the buyer's message (a decline), the
    next step ('authenticate': 3-D Secure; 'elements': Stripe.js confirms), and whether this call charged."""

    payment_id: uuid.UUID
    status: PaymentStatus
    order_action: OrderAction
    message: str = ""
    next_step: str | None = None
    client_secret: str = ""
    charged: bool = False


def said(why: Reason | None) -> str:
    return _(why.message, **why.params) if why is not None else ""


async def _lock_order(session: AsyncSession, order_id: uuid.UUID) -> None:
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:o, 20261209))"), {"o": str(order_id)})


async def latest_payment(session: AsyncSession, order_id: uuid.UUID, *, lock: bool = False) -> Payment | None:
    found = select(Payment).where(Payment.order_id == order_id).order_by(Payment.attempt.desc()).limit(1)
    if lock:
        found = found.with_for_update()
    return await session.scalar(found.execution_options(populate_existing=True))


def _outcome(payment: Payment, action: OrderAction = OrderAction.NONE, *, message="", charged=False, secret=""):
    status = P(payment.status)
    step = "authenticate" if status is P.REQUIRES_ACTION else None
    if status is P.PENDING and secret:
        step = "elements"
    return PaymentOutcome(payment.id, status, action, message, step, secret, charged)


def apply_intent(payment: Payment, intent: IntentView) -> tuple[OrderAction, str]:
    """Store what the intent says (unless it is a late report) and return the order's action and the message."""
    update = intent_update(payment.status, intent.status, failure=intent.failure)
    if update.changed:
        payment.status = update.status.value
        payment.failure_message = (intent.failure or "")[:500] if update.status is P.FAILED else ""
    payment.intent_id = payment.intent_id or intent.id
    payment.livemode = intent.livemode
    payment.card_brand = intent.card_brand or payment.card_brand
    payment.card_last4 = intent.card_last4 or payment.card_last4
    return update.order_action, said(update.message)


async def _next_attempt(session, gateway: StripeGateway, latest: Payment | None) -> tuple[int, Payment | None]:
    """The attempt to make: the same one when it never reached Stripe (same key), else the next one, after
    canceling an intent left waiting (a buyer who gave up 3-D Secure and types another card)."""
    if latest is None:
        return 1, None
    if P(latest.status) is P.PENDING and latest.intent_id is None:
        return latest.attempt, latest
    if P(latest.status) in OPEN and latest.intent_id:
        await gateway.cancel_intent(latest.intent_id)
        latest.status = P.CANCELED.value
    return latest.attempt + 1, None


async def _start(session, tenant_id, order: OrderToPay, attempt: int, reuse: Payment | None, units: int) -> Payment:
    if reuse is not None:
        return reuse
    payment = Payment(
        tenant_id=tenant_id,
        id=new_id(),
        order_id=order.order_id,
        order_number=order.number[:40],
        attempt=attempt,
        idempotency_key=idempotency_key(tenant_id, order.order_id, attempt),
        status=P.PENDING.value,
        currency=order.currency,
        amount=order.gross,
        amount_minor=units,
    )
    session.add(payment)
    await session.flush()
    return payment


def _units(order: OrderToPay) -> int:
    check = chargeable(Money(order.gross, order.currency))
    if not check.allowed:
        raise ValidationFailed({"card": said(check.reason)})
    return check.units


async def pay_order(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    order: OrderToPay,
    gateway: StripeGateway,
    card: CardDetails | None = None,
) -> PaymentOutcome:
    """Charge the order's total: with a typed test card (test server), or prepare an intent for Stripe Elements
    (card None). Already paid: the payment as it is, nothing charged. See the module docstring."""
    units = _units(order)
    await _lock_order(session, order.order_id)
    latest = await latest_payment(session, order.order_id, lock=True)
    if latest is not None and P(latest.status) in PAID:
        return _outcome(latest, OrderAction.CONFIRM)
    if latest is not None and P(latest.status) is P.PROCESSING:
        raise ValidationFailed({"card": _("A payment for this order is being processed: wait for its result.")})
    if card is None and latest is not None and P(latest.status) is P.PENDING and latest.intent_id:
        intent = await gateway.retrieve_intent(latest.intent_id)
        return _outcome(latest, secret=intent.client_secret)
    attempt, reuse = await _next_attempt(session, gateway, latest)
    payment = await _start(session, tenant_id, order, attempt, reuse, units)
    method, brand, last4 = None, "", ""
    if card is not None:
        try:
            method, brand, last4 = await gateway.card_method(card)
        except CardRefused as refused:
            payment.status, payment.failure_message = P.FAILED.value, refused.message[:500]
            message = _("Your card was refused (%(detail)s): check it or use another card.", detail=refused.message)
            return _outcome(payment, OrderAction.PAYMENT_FAILED, message=message)
    metadata = {"tenant_id": str(tenant_id), "order_id": str(order.order_id), "order_number": order.number}
    intent = await gateway.create_intent(
        units=units,
        currency=order.currency,
        key=payment.idempotency_key,
        metadata=metadata,
        description=_("Order %(number)s", number=order.number),
        method=method,
    )
    payment.intent_id = intent.id
    if method is None:
        apply_intent(payment, intent)
        return _outcome(payment, secret=intent.client_secret)
    if intent.status == "requires_confirmation":
        intent = await gateway.confirm_intent(
            intent.id, idempotency_key(tenant_id, order.order_id, attempt, purpose="confirm")
        )
    action, message = apply_intent(payment, intent._replace(card_brand=brand, card_last4=last4))
    await session.flush()
    return _outcome(payment, action, message=message, charged=P(payment.status) in PAID, secret=intent.client_secret)


async def _open_payment(session: AsyncSession, order_id: uuid.UUID, payment_id: uuid.UUID) -> Payment:
    await _lock_order(session, order_id)
    payment = await latest_payment(session, order_id, lock=True)
    if payment is None or payment.id != payment_id or not payment.intent_id:
        raise NotFound()
    return payment


async def authenticate(
    session: AsyncSession,
    order_id: uuid.UUID,
    payment_id: uuid.UUID,
    gateway: StripeGateway,
    *,
    success: bool,
) -> PaymentOutcome:
    """Finish the 3-D Secure step on the test server (the buyer passes or fails the check); elsewhere Stripe.js
    does it in the browser and `refresh_payment` reads the result."""
    payment = await _open_payment(session, order_id, payment_id)
    if P(payment.status) is not P.REQUIRES_ACTION:
        return _outcome(payment, OrderAction.CONFIRM if P(payment.status) in PAID else OrderAction.NONE)
    intent = await gateway.retrieve_intent(payment.intent_id)
    if intent.status == "requires_action":
        intent = await gateway.authenticate_test(payment.intent_id, intent.client_secret, success)
    if intent.status == "requires_payment_method" and not intent.failure:
        intent = intent._replace(failure=_("3-D Secure was not completed"))
    action, message = apply_intent(payment, intent)
    await session.flush()
    return _outcome(payment, action, message=message, charged=P(payment.status) in PAID)


async def refresh_payment(
    session: AsyncSession, order_id: uuid.UUID, payment_id: uuid.UUID, gateway: StripeGateway
) -> PaymentOutcome:
    """Read the intent back from Stripe (the buyer returns from Stripe.js): the server believes Stripe, never the
    browser's word that it paid."""
    payment = await _open_payment(session, order_id, payment_id)
    intent = await gateway.retrieve_intent(payment.intent_id)
    action, message = apply_intent(payment, intent)
    await session.flush()
    return _outcome(payment, action, message=message, secret=intent.client_secret)


async def card_payments_count(session: AsyncSession, order_id: uuid.UUID) -> int:
    """How many payment attempts the order has (tests and the order page)."""
    return int(await session.scalar(select(func.count()).select_from(Payment).where(Payment.order_id == order_id)))


__all__ = [
    "CardDetails",
    "CardRefused",
    "OrderToPay",
    "PaymentOutcome",
    "PaymentUnavailable",
    "StripeGateway",
    "authenticate",
    "card_payments_count",
    "pay_order",
    "refresh_payment",
]

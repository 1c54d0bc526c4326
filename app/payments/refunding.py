"""Refunds from the back office: all or part of a card payment, with a reason, never more than was captured and
not yet refunded. The payment row is locked, so two clicks cannot both pass the check; each refund is numbered
per payment and its Stripe idempotency key comes from that number, so a retried request refunds once."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.money import Money, to_minor_unit
from app.payments._amounts import from_stripe_amount
from app.payments._errors import PaymentRuleError
from app.payments._intents import PaymentStatus, refund_idempotency_key
from app.payments._refunds import check_refund, status_after_refund
from app.payments.gateway import StripeGateway
from app.payments.models import Payment, PaymentRefund
from app.payments.services import said

REFUNDABLE = frozenset({PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED})


class RefundMade(NamedTuple):
    refund_id: uuid.UUID
    order_id: uuid.UUID
    amount: Decimal
    currency: str
    full: bool
    status: PaymentStatus


def parse_amount(raw: str) -> Decimal | None:
    """The amount typed in the form (blank: everything still refundable); a comma is a decimal point too."""
    raw = (raw or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationFailed({"amount": _("Enter an amount such as 12.50.")}) from None
    if not value.is_finite() or len(raw) > 20 or value.adjusted() > 10:
        raise ValidationFailed({"amount": _("Enter an amount such as 12.50.")})
    return value


async def refund_payment(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    payment_id: uuid.UUID,
    amount: Decimal | None,
    reason: str,
    actor: Actor,
    gateway: StripeGateway,
) -> RefundMade:
    """Refund `amount` (None: all that is left) of the payment; another tenant's payment: NotFound."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": _("Say why the money goes back: the customer and accounting read it.")})
    if len(reason) > 500:
        raise ValidationFailed({"reason": _("At most %(max)s characters.", max=500)})
    found = select(Payment).where(Payment.id == payment_id).with_for_update()
    payment = await session.scalar(found.execution_options(populate_existing=True))
    if payment is None:
        raise NotFound()
    currency = payment.currency
    amount_paid = to_minor_unit(payment.amount, currency)
    captured = amount_paid if PaymentStatus(payment.status) in REFUNDABLE else Decimal(0)
    refunded = from_stripe_amount(payment.refunded_minor, currency)
    try:
        requested = None if amount is None else Money(amount, currency)
        check = check_refund(requested, captured=Money(captured, currency), refunded=refunded)
    except PaymentRuleError as exc:
        raise ValidationFailed({"amount": _(exc.message, **exc.params)}) from None
    if not check.allowed:
        raise ValidationFailed({"amount": said(check.reason)})
    number = 1 + int(
        await session.scalar(
            select(func.count()).select_from(PaymentRefund).where(PaymentRefund.payment_id == payment.id)
        )
    )
    key = refund_idempotency_key(tenant_id, payment.id, number)
    made = await gateway.refund(payment.intent_id, check.units, key, reason)
    refund = PaymentRefund(
        tenant_id=tenant_id,
        payment_id=payment.id,
        number=number,
        idempotency_key=key,
        stripe_refund_id=made.id,
        status=made.status if made.status in ("pending", "succeeded", "failed", "canceled") else "pending",
        currency=currency,
        amount=check.amount.amount,
        amount_minor=check.units,
        reason=reason,
        created_by=actor.id if actor.kind == "staff" else None,
        actor_label=actor.label[:320],
    )
    session.add(refund)
    if refund.status != "failed":
        payment.refunded_minor += check.units
        total = from_stripe_amount(payment.refunded_minor, currency)
        payment.status = status_after_refund(Money(amount_paid, currency), total).value
    await session.flush()
    return RefundMade(
        refund.id, payment.order_id, check.amount.amount, currency, check.full, PaymentStatus(payment.status)
    )

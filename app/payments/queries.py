"""Reads for the faces: an order's card payments with their refunds, newest attempt first."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.money import to_minor_unit
from app.payments._amounts import from_stripe_amount
from app.payments._intents import PaymentStatus
from app.payments.models import Payment, PaymentRefund

REFUNDABLE = frozenset({PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED})


class RefundLine(NamedTuple):
    id: uuid.UUID
    number: int
    amount: Decimal
    status: str
    reason: str
    actor_label: str
    at: datetime


class PaymentLine(NamedTuple):
    """A payment attempt as a page shows it; `refundable` is what may still go back."""

    id: uuid.UUID
    attempt: int
    status: str
    currency: str
    amount: Decimal
    refunded: Decimal
    refundable: Decimal
    card_brand: str
    card_last4: str
    failure_message: str
    intent_id: str | None
    at: datetime
    refunds: tuple[RefundLine, ...]


async def payments_for_order(session: AsyncSession, order_id: uuid.UUID) -> tuple[PaymentLine, ...]:
    payments = (
        await session.scalars(select(Payment).where(Payment.order_id == order_id).order_by(Payment.attempt.desc()))
    ).all()
    if not payments:
        return ()
    refunds = (
        await session.scalars(
            select(PaymentRefund)
            .where(PaymentRefund.payment_id.in_([p.id for p in payments]))
            .order_by(PaymentRefund.number)
        )
    ).all()
    lines = []
    for p in payments:
        amount = to_minor_unit(p.amount, p.currency)
        refunded = from_stripe_amount(p.refunded_minor, p.currency).amount
        refundable = amount - refunded if PaymentStatus(p.status) in REFUNDABLE else Decimal(0)
        mine = tuple(
            RefundLine(
                r.id, r.number, to_minor_unit(r.amount, r.currency), r.status, r.reason, r.actor_label, r.created_at
            )
            for r in refunds
            if r.payment_id == p.id
        )
        lines.append(
            PaymentLine(
                p.id, p.attempt, p.status, p.currency, amount, refunded, refundable, p.card_brand,
                p.card_last4, p.failure_message, p.intent_id, p.created_at, mine,
            )
        )  # fmt: skip
    return tuple(lines)


async def payment_order(session: AsyncSession, payment_id: uuid.UUID) -> uuid.UUID | None:
    """The order a payment belongs to (None: unknown here, or another tenant's)."""
    return await session.scalar(select(Payment.order_id).where(Payment.id == payment_id))

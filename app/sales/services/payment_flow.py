"""The order's side of a card payment: confirmed once the payment succeeds (from the buyer's page or only from
Stripe's webhook, whichever comes first; the second finds it confirmed and does nothing), or told that the card
was declined (the order keeps waiting for its payment, its reservations and the buyer's cart are kept)."""

from __future__ import annotations

import uuid
from typing import NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.sales._lifecycle import OrderStatus, transition
from app.sales.services._timeline import record_event
from app.sales.services.carts import mark_ordered
from app.sales.services.order_flow import _apply, _order, _state


class PaymentApplied(NamedTuple):
    """The order after a payment report: its status and whether this report changed it."""

    order_id: uuid.UUID
    number: str
    status: str
    changed: bool


async def confirm_paid(
    session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, actor: Actor, *, note: str = ""
) -> PaymentApplied:
    """Awaiting payment -> confirmed (the stock stays reserved), with a timeline entry and the status event; the
    card buyer's cart, kept while the payment was pending, is closed. Already confirmed (or further): nothing."""
    order = await _order(session, order_id)
    if order.status != OrderStatus.AWAITING_PAYMENT:
        return PaymentApplied(order.id, order.number or "", order.status, False)
    move = transition(_state(order), OrderStatus.CONFIRMED, paid=True)
    await _apply(session, tenant_id, order, move, actor, note)
    if order.payment_method == "card" and order.placed_by is not None:
        await mark_ordered(session, tenant_id, order.placed_by)
    return PaymentApplied(order.id, order.number or "", order.status, True)


async def payment_failed(
    session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, actor: Actor, *, note: str
) -> PaymentApplied:
    """A declined card: the order stays awaiting payment; staff see the decline in its timeline."""
    order = await _order(session, order_id)
    if order.status == OrderStatus.AWAITING_PAYMENT:
        await record_event(session, tenant_id, order.id, order.status, order.status, actor, note)
        await session.flush()
    return PaymentApplied(order.id, order.number or "", order.status, False)

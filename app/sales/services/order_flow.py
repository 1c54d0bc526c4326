"""What happens to a placed order: a company approver approves or rejects it, staff or the buyer cancel it,
staff put it on hold and release it. Each move follows the pure lifecycle rules, writes the timeline and an
outbox event, and releases the order's reserved stock when the rules say so, all in the caller's transaction."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory
from app.actor import Actor
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.outbox.services import emit
from app.sales._approvals import OrderForApproval, approve, reject
from app.sales._errors import SalesRuleError
from app.sales._lifecycle import OrderState, OrderStatus, Transition, hold, release, transition
from app.sales.models import SalesOrder, SalesOrderLine
from app.sales.services import _buyers
from app.sales.services._checks import rule_error, said
from app.sales.services._timeline import record_event
from app.sales.values import DOCUMENT_KIND, ORDER_STATUS_TOPIC


async def _order(session: AsyncSession, order_id: uuid.UUID, customer_id: uuid.UUID | None = None) -> SalesOrder:
    """The order, locked; NotFound when unknown, another tenant's, or (given customer_id) another company's."""
    order = await session.scalar(
        select(SalesOrder).where(SalesOrder.id == order_id).with_for_update().execution_options(populate_existing=True)
    )
    if order is None or (customer_id is not None and order.customer_id != customer_id):
        raise NotFound()
    return order


def _state(order: SalesOrder) -> OrderState:
    return OrderState(OrderStatus(order.status), OrderStatus(order.held_from) if order.held_from else None)


async def _apply(
    session: AsyncSession, tenant_id: uuid.UUID, order: SalesOrder, move: Transition, actor: Actor, note: str = ""
) -> SalesOrder:
    """Store the move (or refuse it with its reason), release stock when it says so, timeline and event."""
    if not move.allowed:
        raise ValidationFailed({"status": said(move.refusal)})
    before = order.status
    order.status = move.after.status.value
    order.held_from = move.after.held_from.value if move.after.held_from else None
    if move.release_stock:
        await _release(session, tenant_id, order)
    await record_event(session, tenant_id, order.id, before, order.status, actor, note)
    payload = {"order_id": str(order.id), "number": order.number, "from": before, "to": order.status}
    await emit(session, tenant_id, ORDER_STATUS_TOPIC, payload)
    await session.flush()
    return order


async def _release(session: AsyncSession, tenant_id: uuid.UUID, order: SalesOrder) -> None:
    lines = (
        await session.scalars(
            select(SalesOrderLine).where(SalesOrderLine.order_id == order.id).order_by(SalesOrderLine.variant_id)
        )
    ).all()
    for line in lines:
        if line.reserved_qty > 0:
            await inventory.release_line(session, tenant_id, DOCUMENT_KIND, line.id)
            line.reserved_qty = Decimal(0)


async def _approval_facts(session, tenant_id, order: SalesOrder, user_id: uuid.UUID):
    """The deciding user and the order as the approval rules read them; another company's user: NotFound."""
    who = await _buyers.buyer(session, tenant_id, user_id, None)
    if who.member is None:
        raise ValidationFailed(
            {"status": _("Only an approver or an administrator of the customer can approve orders.")}
        )
    if who.member.company_id != order.customer_id:
        raise NotFound()
    facts = OrderForApproval(order.customer_id, order.placed_by, order.gross, order.currency, _state(order))
    return who.member, facts


async def approve_order(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    order_id: uuid.UUID,
    user_id: uuid.UUID,
    actor: Actor,
    comment: str = "",
) -> SalesOrder:
    """An approver or admin of the buyer's company approves: on to confirmed (on account) or to payment."""
    order = await _order(session, order_id)
    member, facts = await _approval_facts(session, tenant_id, order, user_id)
    try:
        outcome = approve(member, facts, on_account=order.payment_method == "account", comment=comment)
    except SalesRuleError as exc:
        raise rule_error(exc) from None
    return await _apply(session, tenant_id, order, outcome.transition, actor, outcome.comment)


async def reject_order(
    session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, user_id: uuid.UUID, actor: Actor, comment: str
) -> SalesOrder:
    """An approver or admin rejects with a reason the buyer reads; the reserved stock is released."""
    order = await _order(session, order_id)
    member, facts = await _approval_facts(session, tenant_id, order, user_id)
    try:
        outcome = reject(member, facts, comment=comment)
    except SalesRuleError as exc:
        raise rule_error(exc) from None
    return await _apply(session, tenant_id, order, outcome.transition, actor, outcome.comment)


async def cancel_order(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    order_id: uuid.UUID,
    actor: Actor,
    *,
    note: str = "",
    customer_id: uuid.UUID | None = None,
) -> SalesOrder:
    """Cancel an order nothing has shipped of, releasing its reservations (customer_id: the buyer's company,
    so that a buyer cancels only their company's orders)."""
    order = await _order(session, order_id, customer_id)
    return await _apply(
        session, tenant_id, order, transition(_state(order), OrderStatus.CANCELLED), actor, note.strip()
    )


async def hold_order(
    session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, actor: Actor, *, note: str = ""
) -> SalesOrder:
    """Staff stop a confirmed or partially shipped order (its stock stays reserved)."""
    order = await _order(session, order_id)
    return await _apply(session, tenant_id, order, hold(_state(order)), actor, note.strip())


async def release_hold(
    session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, actor: Actor, *, note: str = ""
) -> SalesOrder:
    """Release an order on hold to the status it was held from."""
    order = await _order(session, order_id)
    return await _apply(session, tenant_id, order, release(_state(order)), actor, note.strip())

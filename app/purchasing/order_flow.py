"""A purchase order's way through its states: submit (approval above the tenant's threshold), approve or reject,
send to the supplier (e-mail with a link to its PDF, through the outbox), cancel, close; each step audited."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.outbox.services import queue_mail
from app.parties import get_supplier
from app.purchasing import _input, _rows
from app.purchasing.domain import PoState, PurchasingRuleError, needs_approval, transition
from app.purchasing.models import PurchaseOrder
from app.purchasing.orders import order_lines
from app.purchasing.rules import buying_rules
from app.purchasing.states import state_label


def _moved(order: PurchaseOrder, target: PoState, *, approval_required: bool = False) -> None:
    """Put the order in `target` when its state allows it, else say what it can still become."""
    try:
        order.status = transition(order.status, target, approval_required=approval_required).value
    except PurchasingRuleError:
        raise ValidationFailed(
            {
                "status": _(
                    "A purchase order that is %(state)s cannot become %(target)s.",
                    state=state_label(order.status),
                    target=state_label(target),
                )
            }
        ) from None
    order.updated_at = datetime.now(UTC)


async def _record(
    session: AsyncSession, tenant_id: uuid.UUID, actor: Actor, order: PurchaseOrder, before: str, **extra
):
    changes = {"status": [before, order.status], **{k: [None, str(v)] for k, v in extra.items()}}
    await audit.record(session, tenant_id, actor, f"purchase_order.{order.status}", "purchase_order", order.id, changes)


async def submit_order(session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, actor: Actor) -> PurchaseOrder:
    """A draft goes for approval when its total (in the tenant's currency) is above the threshold, else it is
    approved at once."""
    order = await _rows.get(session, PurchaseOrder, order_id, for_update=True)
    if not await order_lines(session, order.id):
        raise ValidationFailed({"lines": _("Add at least one line.")})
    tenant = await _rows.tenant(session, tenant_id)
    rules = await buying_rules(session, tenant_id)
    policy = rules.approval_policy(tenant.currency)
    required = needs_approval(order.total, order.currency, policy, rate=order.exchange_rate)
    before = order.status
    _moved(order, PoState.TO_APPROVE if required else PoState.APPROVED)
    order.approval_required = required
    if not required:
        order.approved_by, order.approved_at = None, datetime.now(UTC)
    await session.flush()
    await _record(session, tenant_id, actor, order, before, total=order.total)
    return order


async def approve_order(
    session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, actor: Actor
) -> PurchaseOrder:
    """An order waiting for approval is approved by the acting person (the guard says who may)."""
    order = await _rows.get(session, PurchaseOrder, order_id, for_update=True)
    if order.status != PoState.TO_APPROVE:
        raise ValidationFailed({"status": _("Only an order waiting for approval can be approved.")})
    before = order.status
    _moved(order, PoState.APPROVED)
    order.approved_by, order.approved_at = actor.label[:320], datetime.now(UTC)
    await session.flush()
    await _record(session, tenant_id, actor, order, before)
    return order


async def reject_order(
    session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, reason: str, actor: Actor
) -> PurchaseOrder:
    """An order waiting for approval goes back to draft, with the reason, for its buyer to change."""
    errors: dict[str, str] = {}
    reason = _input.text(reason, "reason", errors, 500, required=True)
    _input.refuse(errors)
    order = await _rows.get(session, PurchaseOrder, order_id, for_update=True)
    if order.status != PoState.TO_APPROVE:
        raise ValidationFailed({"status": _("Only an order waiting for approval can be rejected.")})
    before = order.status
    _moved(order, PoState.DRAFT)
    await session.flush()
    await _record(session, tenant_id, actor, order, before, reason=reason)
    return order


async def reopen_order(session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, actor: Actor) -> PurchaseOrder:
    """An approved order not yet sent goes back to draft to be changed (and submitted again)."""
    order = await _rows.get(session, PurchaseOrder, order_id, for_update=True)
    before = order.status
    _moved(order, PoState.DRAFT)
    order.approved_by = order.approved_at = None
    await session.flush()
    await _record(session, tenant_id, actor, order, before)
    return order


async def send_order(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    order_id: uuid.UUID,
    actor: Actor,
    *,
    link: str,
    today: date | None = None,
) -> PurchaseOrder:
    """Send an approved order to the supplier: an e-mail (through the outbox, after commit) with a link to its PDF.

    `link` is the absolute address of the supplier's copy with `{token}` where the order's secret token goes.
    """
    order = await _rows.get(session, PurchaseOrder, order_id, for_update=True)
    supplier = await get_supplier(session, order.supplier_id)
    if not supplier.email:
        raise ValidationFailed({"email": _("Give %(supplier)s an e-mail address first.", supplier=supplier.name)})
    before = order.status
    _moved(order, PoState.SENT)
    tenant = await _rows.tenant(session, tenant_id)
    order.share_token = order.share_token or secrets.token_urlsafe(24)
    order.sent_at, order.ordered_on = datetime.now(UTC), today or date.today()
    await session.flush()
    context = {
        "number": order.number,
        "supplier_name": supplier.name,
        "url": link.replace("{token}", order.share_token),
        "total": str(order.total),
        "currency": order.currency,
        "expected_on": order.expected_on.isoformat() if order.expected_on else "",
        "lines": len(await order_lines(session, order.id)),
    }
    await queue_mail(
        session, tenant_id, to=supplier.email, template="mail/purchase_order", context=context, locale=tenant.locale
    )
    await _record(session, tenant_id, actor, order, before, to=supplier.email)
    return order


async def cancel_order(session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, actor: Actor) -> PurchaseOrder:
    """Cancel an order nothing has been received on (after goods came in, close it instead)."""
    order = await _rows.get(session, PurchaseOrder, order_id, for_update=True)
    before = order.status
    _moved(order, PoState.CANCELLED)
    await session.flush()
    await _record(session, tenant_id, actor, order, before)
    return order


async def close_order(session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, actor: Actor) -> PurchaseOrder:
    """Close a (partly) received order: what is missing will not come, and stops counting as incoming."""
    order = await _rows.get(session, PurchaseOrder, order_id, for_update=True)
    before = order.status
    _moved(order, PoState.CLOSED)
    await session.flush()
    await _record(session, tenant_id, actor, order, before)
    return order

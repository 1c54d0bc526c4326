"""Approving by e-mail: when an order starts waiting for approval, each approver of the customer company who may
decide on it gets an e-mail with a link of their own. The link is single-use and expiring (the database keeps
only its hash, as with password links), names the order and the approver, and so works signed out: opening it
shows the order and asks to confirm (nothing changes on GET); confirming approves or rejects it through the
same rules as the portal's buttons (approve_order / reject_order), and then every link of the order stops
working. A link of another tenant (RLS) or another order is simply not found.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, Index, String, UniqueConstraint, select, update
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.actor import Actor
from app.base import Base, TenantOwned, Timestamped, tenant_fk
from app.errors import NotFound, ValidationFailed
from app.identity.models import Role, User, UserRole
from app.outbox.models import OutboxEvent
from app.outbox.services import queue_mail
from app.sales import repo
from app.sales._approvals import APPROVING_ROLES, OrderForApproval, may_approve
from app.sales._errors import SalesRuleError
from app.sales._lifecycle import OrderState, OrderStatus
from app.sales.models import SalesOrder
from app.sales.queries import _summaries, _summary
from app.sales.services import _buyers
from app.sales.services.order_flow import approve_order, reject_order
from app.sales.values import ORDER_PLACED_TOPIC, ORDER_STATUS_TOPIC

LINK_TTL = timedelta(days=7)
LINK_PATH = "/approval/{order_id}/{token}"
APPROVER_ROLE_CODES = ("approver", "customer_admin")


class ApprovalLink(TenantOwned, Timestamped, Base):
    """An e-mailed approval link: the order, the approver it speaks for, the hash of its token, until when."""

    __tablename__ = "sales_approval_links"
    __table_args__ = (
        UniqueConstraint("tenant_id", "token_hash"),
        Index("ix_sales_approval_links_order", "tenant_id", "order_id"),
        tenant_fk(["order_id"], "sales_orders", ondelete="CASCADE"),
        tenant_fk(["user_id"], "users", ondelete="CASCADE"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    token_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True, slots=True)
class LinkHolder:
    """Whom a still-usable approval link speaks for, and whether the order still waits for a decision."""

    order_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    email: str
    waiting: bool
    expires_at: datetime


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _usable(order_id: uuid.UUID, raw: str):
    now = datetime.now(UTC)
    return (
        ApprovalLink.order_id == order_id,
        ApprovalLink.token_hash == token_hash(raw[:200]),
        ApprovalLink.used_at.is_(None),
        ApprovalLink.expires_at > now,
    )


async def link_holder(session: AsyncSession, order_id: uuid.UUID, raw: str) -> LinkHolder | None:
    """The approver a link still opens the order for (None: unknown, used, expired, or another order's)."""
    found = (
        await session.execute(
            select(ApprovalLink, User, SalesOrder.status)
            .join(User, (User.tenant_id == ApprovalLink.tenant_id) & (User.id == ApprovalLink.user_id))
            .join(
                SalesOrder, (SalesOrder.tenant_id == ApprovalLink.tenant_id) & (SalesOrder.id == ApprovalLink.order_id)
            )
            .where(*_usable(order_id, raw), User.is_active.is_(True))
        )
    ).first()
    if found is None:
        return None
    link, user, status = found
    waiting = status == OrderStatus.AWAITING_APPROVAL.value
    return LinkHolder(order_id, user.id, user.name, user.email, waiting, link.expires_at)


async def decide_by_link(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    order_id: uuid.UUID,
    raw: str,
    *,
    approving: bool,
    comment: str,
    actor: Actor,
) -> SalesOrder:
    """Approve or reject as the link's approver (the portal's rules apply), and use up every link of the order.
    NotFound when the link is not (or no longer) usable; a refusal (a rejection without a comment, an order no
    longer waiting) is a ValidationFailed and leaves the link usable."""
    link = await session.scalar(select(ApprovalLink).where(*_usable(order_id, raw)).with_for_update())
    if link is None:
        raise NotFound()
    decide = approve_order if approving else reject_order
    order = await decide(session, tenant_id, order_id, link.user_id, actor, comment)
    await session.execute(
        update(ApprovalLink)
        .where(ApprovalLink.order_id == order_id, ApprovalLink.used_at.is_(None))
        .values(used_at=datetime.now(UTC))
    )
    return order


async def _approvers(session: AsyncSession, order: SalesOrder) -> list[uuid.UUID]:
    """The company's active approvers and admins, in a fixed order (the buyer included; the rules drop them)."""
    holders = (
        select(UserRole.user_id)
        .join(Role, (Role.tenant_id == UserRole.tenant_id) & (Role.id == UserRole.role_id))
        .where(Role.code.in_(APPROVER_ROLE_CODES))
    )
    stmt = (
        select(User.id)
        .where(
            User.kind == "customer",
            User.customer_id == order.customer_id,
            User.is_active.is_(True),
            User.id.in_(holders),
        )
        .order_by(User.email)
    )
    return list(await session.scalars(stmt))


async def _already_asked(session: AsyncSession, order_id: uuid.UUID) -> set[uuid.UUID]:
    stmt = select(ApprovalLink.user_id).where(ApprovalLink.order_id == order_id, ApprovalLink.used_at.is_(None))
    return set(await session.scalars(stmt))


async def request_approvals(session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, base_url: str) -> int:
    """E-mail each approver who may decide on a waiting order a link of their own; returns how many were asked.
    Idempotent: an approver with a usable link for the order is not asked again (events come at least once).
    `base_url` is the tenant's canonical address (scheme, host and port, without a trailing slash)."""
    order = await session.get(SalesOrder, (tenant_id, order_id), populate_existing=True)
    if order is None or order.status != OrderStatus.AWAITING_APPROVAL.value:
        return 0
    facts = OrderForApproval(
        order.customer_id, order.placed_by, order.gross, order.currency, OrderState(OrderStatus(order.status))
    )
    asked, tenant = await _already_asked(session, order.id), await repo.tenant(session, tenant_id)
    buyer = await repo.user(session, tenant_id, order.placed_by) if order.placed_by else None
    sent = 0
    for user_id in await _approvers(session, order):
        if user_id in asked:
            continue
        try:
            who = await _buyers.buyer(session, tenant_id, user_id, order.customer_id)
        except (NotFound, ValidationFailed):
            continue
        if who.member is None or who.member.role not in APPROVING_ROLES:
            continue
        try:
            if not may_approve(who.member, facts):
                continue
        except SalesRuleError:  # limits in another currency: this approver cannot decide on it by link
            continue
        raw = secrets.token_urlsafe(32)
        expires = datetime.now(UTC) + LINK_TTL
        session.add(
            ApprovalLink(
                tenant_id=tenant_id,
                order_id=order.id,
                user_id=who.user_id,
                token_hash=token_hash(raw),
                expires_at=expires,
            )
        )
        url = base_url + LINK_PATH.format(order_id=order.id, token=raw)
        context = {
            "name": who.name,
            "number": order.number,
            "buyer": buyer["name"] if buyer else "",
            "total": str(order.gross),
            "currency": order.currency,
            "po_number": order.po_number,
            "reason": order.approval_reason,
            "tenant_name": tenant["name"],
            "url": url,
            "approve_url": url + "?decision=approve",
            "reject_url": url + "?decision=reject",
            "days": LINK_TTL.days,
        }
        locale = who.locale or tenant["locale"]
        await queue_mail(
            session, tenant_id, to=who.email, template="mail/order_approval", context=context, locale=locale
        )
        sent += 1
    await session.flush()
    return sent


CANONICAL_HOST = """
SELECT CASE kind WHEN 'subdomain' THEN host::text || '.' || $2 ELSE host::text END
FROM tenant_domains WHERE tenant_id = $1 ORDER BY is_primary DESC, host LIMIT 1
"""


async def on_order_event(session: AsyncSession, event: OutboxEvent, *, public_url, base_domain: str) -> int:
    """The outbox handler: an order placed (or moved) into awaiting approval asks its approvers by e-mail.
    `public_url(host, path)` builds the tenant's absolute address from settings (never from a request)."""
    payload = event.payload or {}
    status = payload.get("status") if event.topic == ORDER_PLACED_TOPIC else payload.get("to")
    if event.topic not in (ORDER_PLACED_TOPIC, ORDER_STATUS_TOPIC) or status != OrderStatus.AWAITING_APPROVAL.value:
        return 0
    try:
        order_id = uuid.UUID(str(payload.get("order_id")))
    except ValueError:
        return 0
    host = await (await repo.conn(session)).fetchval(CANONICAL_HOST, event.tenant_id, base_domain)
    if host is None:
        return 0
    return await request_approvals(session, event.tenant_id, order_id, public_url(host, ""))


async def approvals_waiting(session: AsyncSession, customer_id: uuid.UUID, user_id: uuid.UUID) -> tuple:
    """The company's orders waiting for approval that this user did not place themself, oldest first (the
    approver's to-do list; whether their own limit allows each is said on the order's page)."""
    rows = await session.execute(
        _summaries()
        .where(
            SalesOrder.customer_id == customer_id,
            SalesOrder.status == OrderStatus.AWAITING_APPROVAL.value,
            SalesOrder.placed_by.is_distinct_from(user_id),
        )
        .order_by(SalesOrder.placed_at, SalesOrder.id)
        .limit(200)
    )
    return tuple(_summary(r) for r in rows.all())

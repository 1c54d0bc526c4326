"""Find and manage users: staff users by owners, customer users by their company's administrator.

Every read can be narrowed to one customer (`customer_id`), so a customer admin only
ever reaches their own colleagues; RLS already keeps each tenant to itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.identity.domain import deactivation_problem, role_change_problem, user_status
from app.identity.models import Role, User, UserRole
from app.identity.roles import ADMIN_ROLES, CUSTOMER_ROLES, STAFF_ROLES
from app.identity.services import role_ids
from app.identity.sessions import end_all_sessions
from app.identity.tokens import issue_token
from app.outbox.services import queue_mail

PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class UserRow:
    id: uuid.UUID
    kind: str
    name: str
    email: str
    roles: tuple[str, ...]
    is_active: bool
    has_password: bool
    customer_id: uuid.UUID | None
    locale: str | None
    created_at: datetime

    @property
    def status(self) -> str:
        return user_status(self.is_active, self.has_password)


@dataclass(frozen=True, slots=True)
class UserPage:
    rows: list[UserRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _roles_of_user():
    return (
        select(func.array_agg(Role.code))
        .join(UserRole, (UserRole.tenant_id == Role.tenant_id) & (UserRole.role_id == Role.id))
        .where(UserRole.tenant_id == User.tenant_id, UserRole.user_id == User.id)
        .scalar_subquery()
    )


def _base(kind: str, customer_id: uuid.UUID | None) -> Select:
    stmt = select(User, _roles_of_user().label("roles"), func.count().over().label("total")).where(User.kind == kind)
    if kind == "customer":
        stmt = stmt.where(User.customer_id == customer_id)
    return stmt


def _row(user: User, roles: list[str] | None) -> UserRow:
    return UserRow(
        id=user.id,
        kind=user.kind,
        name=user.name,
        email=user.email,
        roles=tuple(sorted(roles or ())),
        is_active=user.is_active,
        has_password=user.password_hash is not None,
        customer_id=user.customer_id,
        locale=user.locale,
        created_at=user.created_at,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def list_users(
    session: AsyncSession,
    *,
    kind: str,
    customer_id: uuid.UUID | None = None,
    q: str = "",
    role: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> UserPage:
    """Users of one kind (customer users: of one customer), searched by name or e-mail, filtered by role."""
    stmt = _base(kind, customer_id)
    if q.strip():
        pattern = f"%{_escape_like(q.strip())}%"
        stmt = stmt.where(or_(User.name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\")))
    if role:
        holders = (
            select(UserRole.user_id)
            .join(Role, (Role.tenant_id == UserRole.tenant_id) & (Role.id == UserRole.role_id))
            .where(Role.code == role)
        )
        stmt = stmt.where(User.id.in_(holders))
    page = max(page, 1)
    stmt = stmt.order_by(User.is_active.desc(), func.lower(User.name), User.id)
    result = (await session.execute(stmt.limit(per_page).offset((page - 1) * per_page))).all()
    total = result[0].total if result else 0
    return UserPage([_row(r.User, r.roles) for r in result], total, page, per_page)


async def get_user(
    session: AsyncSession, user_id: uuid.UUID, *, kind: str, customer_id: uuid.UUID | None = None
) -> UserRow:
    """One user of `kind` (and of `customer_id` for customer users); NotFound otherwise, whoever owns it."""
    row = (await session.execute(_base(kind, customer_id).where(User.id == user_id))).one_or_none()
    if row is None:
        raise NotFound()
    return _row(row.User, row.roles)


async def set_roles(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    roles: list[str],
    actor: Actor,
    *,
    kind: str = "staff",
    customer_id: uuid.UUID | None = None,
) -> UserRow:
    """Replace a user's roles; an owner cannot drop their own owner role."""
    user = await get_user(session, user_id, kind=kind, customer_id=customer_id)
    allowed = STAFF_ROLES if kind == "staff" else CUSTOMER_ROLES
    wanted = sorted({r for r in roles if r})
    if not wanted:
        raise ValidationFailed({"roles": _("Choose at least one role.")})
    if unknown := [r for r in wanted if r not in allowed]:
        raise ValidationFailed({"roles": _("Unknown role: %(roles)s.", roles=", ".join(unknown))})
    if actor.id and (problem := role_change_problem(actor.id, user.id, user.roles, wanted)):
        raise ValidationFailed({"roles": _(problem)})
    if list(user.roles) == wanted:
        return user
    await session.execute(delete(UserRole).where(UserRole.user_id == user.id))
    for role_id in await role_ids(session, wanted, kind):
        session.add(UserRole(tenant_id=tenant_id, user_id=user.id, role_id=role_id))
    await session.flush()
    await audit.record(
        session, tenant_id, actor, "user.roles_changed", "user", user.id, {"roles": [list(user.roles), wanted]}
    )
    return await get_user(session, user_id, kind=kind, customer_id=customer_id)


async def set_active(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    active: bool,
    actor: Actor,
    *,
    kind: str = "staff",
    customer_id: uuid.UUID | None = None,
) -> UserRow:
    """Deactivate (ending every session) or reactivate a user; nobody deactivates themself."""
    user = await get_user(session, user_id, kind=kind, customer_id=customer_id)
    if not active and actor.id and (problem := deactivation_problem(actor.id, user.id)):
        raise ValidationFailed({"status": _(problem)})
    if user.is_active == active:
        return user
    await session.execute(update(User).where(User.id == user.id).values(is_active=active))
    if not active:
        await end_all_sessions(session, user.id)
    action = "user.reactivated" if active else "user.deactivated"
    await audit.record(session, tenant_id, actor, action, "user", user.id, {"is_active": [user.is_active, active]})
    return await get_user(session, user_id, kind=kind, customer_id=customer_id)


async def resend_invitation(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    actor: Actor,
    *,
    invite_url: str,
    kind: str = "staff",
    customer_id: uuid.UUID | None = None,
) -> UserRow:
    """A new invitation link for a user who has not set a password yet (the old link stops working)."""
    user = await get_user(session, user_id, kind=kind, customer_id=customer_id)
    if user.has_password or not user.is_active:
        raise ValidationFailed({"invitation": _("This user has already set a password.")})
    token = await issue_token(session, tenant_id, user.id, "invite")
    await queue_mail(
        session,
        tenant_id,
        to=user.email,
        template="mail/user_invitation",
        locale=user.locale or "es",
        context={"name": user.name, "url": invite_url.format(token=token), "invited_by": actor.label},
    )
    await audit.record(session, tenant_id, actor, "user.invitation_sent", "user", user.id, {})
    return user


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone to tell: their address, name and language (None: the tenant's)."""

    email: str
    name: str
    locale: str | None


async def staff_recipients(session: AsyncSession, roles: tuple[str, ...]) -> list[Recipient]:
    """The active staff holding one of `roles`, by name; the owners when nobody does (someone always hears)."""
    for wanted in (roles, tuple(ADMIN_ROLES)):
        rows = await session.execute(
            select(User.email, User.name, User.locale)
            .join(UserRole, (UserRole.tenant_id == User.tenant_id) & (UserRole.user_id == User.id))
            .join(Role, (Role.tenant_id == UserRole.tenant_id) & (Role.id == UserRole.role_id))
            .where(User.kind == "staff", User.is_active.is_(True), Role.code.in_(wanted))
            .group_by(User.id, User.email, User.name, User.locale)
            .order_by(User.name, User.email)
        )
        found = [Recipient(str(email), name, locale) for email, name, locale in rows]
        if found:
            return found
    return []

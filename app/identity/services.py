"""Create users (staff or customer); one call per business operation, caller's transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import LOCALES
from app.i18n import gettext as _
from app.identity.models import Role, User, UserRole
from app.identity.passwords import hash_password, password_problem
from app.identity.roles import CUSTOMER_ROLES, STAFF_ROLES
from app.identity.tokens import issue_token
from app.outbox.services import queue_mail
from app.parties import valid_email


@dataclass(frozen=True)
class NewUser:
    kind: str  # "staff" or "customer"
    email: str
    name: str
    roles: tuple[str, ...] = field(default_factory=tuple)
    password: str | None = None  # None: the user is invited and sets it from the e-mailed link
    customer_id: uuid.UUID | None = None
    locale: str | None = None


async def role_ids(session: AsyncSession, codes: tuple[str, ...] | list[str], kind: str) -> list[uuid.UUID]:
    rows = (await session.execute(select(Role.id, Role.code).where(Role.kind == kind, Role.code.in_(codes)))).all()
    return [r.id for r in rows]


async def create_user(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    data: NewUser,
    actor: Actor,
    *,
    invite_url: str | None = None,
) -> User:
    """Create a user with roles; without a password, e-mail an invitation (`invite_url` has `{token}`)."""
    email = data.email.strip().lower()
    errors = _new_user_errors(data, email)
    if not errors.get("email") and await _user_with_email(session, data.kind, email):
        errors["email"] = _("There is already a user with this e-mail.")
    if errors:
        raise ValidationFailed(errors)
    user = User(
        tenant_id=tenant_id,
        kind=data.kind,
        email=email,
        name=data.name.strip(),
        customer_id=data.customer_id if data.kind == "customer" else None,
        locale=data.locale if data.locale in LOCALES else None,
        is_active=True,
        password_hash=hash_password(data.password) if data.password else None,
        password_changed_at=datetime.now(UTC) if data.password else None,
    )
    session.add(user)
    await session.flush()
    for role_id in await role_ids(session, data.roles, data.kind):
        session.add(UserRole(tenant_id=tenant_id, user_id=user.id, role_id=role_id))
    await audit.record(
        session,
        tenant_id,
        actor,
        "user.created",
        "user",
        user.id,
        {"email": [None, email], "roles": [None, sorted(data.roles)]},
    )
    if data.password is None and invite_url:
        token = await issue_token(session, tenant_id, user.id, "invite")
        await queue_mail(
            session,
            tenant_id,
            to=email,
            template="mail/user_invitation",
            locale=user.locale or "es",
            context={"name": user.name, "url": invite_url.format(token=token), "invited_by": actor.label},
        )
    await session.flush()
    return user


async def set_locale(session: AsyncSession, user_id: uuid.UUID, locale: str) -> None:
    """Remember a user's language (used for their pages after sign-in and for their e-mails)."""
    if locale in LOCALES:
        await session.execute(update(User).where(User.id == user_id).values(locale=locale))


def _new_user_errors(data: NewUser, email: str) -> dict[str, str]:
    """Field errors in a new user's details, whoever else holds the e-mail."""
    allowed = STAFF_ROLES if data.kind == "staff" else CUSTOMER_ROLES
    errors: dict[str, str] = {}
    if data.kind not in {"staff", "customer"}:
        errors["kind"] = _("Unknown kind of user.")
    if not valid_email(email):
        errors["email"] = _("Enter a valid e-mail address.")
    if not data.name.strip():
        errors["name"] = _("Enter the person's name.")
    elif len(data.name.strip()) > 200:
        errors["name"] = _("At most %(n)s characters.", n=200)
    if not data.roles:
        errors["roles"] = _("Choose at least one role.")
    elif unknown := [r for r in data.roles if r not in allowed]:
        errors["roles"] = _("Unknown role: %(roles)s.", roles=", ".join(unknown)[:200])
    if data.kind == "customer" and data.customer_id is None:
        errors["customer_id"] = _("Choose the customer this user belongs to.")
    if data.password is not None and (problem := password_problem(data.password)):
        errors["password"] = _(problem, n=10)
    return errors


async def _user_with_email(session: AsyncSession, kind: str, email: str):
    return (
        await session.execute(
            select(User.id, User.customer_id, User.name, User.locale).where(User.kind == kind, User.email == email)
        )
    ).one_or_none()


async def invite_colleague(
    session: AsyncSession, tenant_id: uuid.UUID, data: NewUser, actor: Actor, *, invite_url: str, sign_in_url: str
) -> None:
    """A customer admin invites a colleague, with one answer whoever already holds the e-mail.

    Telling the admin that the address is registered would reveal another company's users; instead its
    holder is mailed that somebody tried to invite them (with the way to sign in), and the admin sees the
    same "invitation sent" as for a new colleague. A colleague of their own is theirs to know about.
    """
    email = data.email.strip().lower()
    if errors := _new_user_errors(data, email):
        raise ValidationFailed(errors)
    holder = await _user_with_email(session, "customer", email)
    if holder is None:
        await create_user(session, tenant_id, data, actor, invite_url=invite_url)
    elif holder.customer_id == data.customer_id:
        raise ValidationFailed({"email": _("%(email)s is already one of your colleagues.", email=email)})
    else:
        await queue_mail(
            session,
            tenant_id,
            to=email,
            template="mail/already_registered",
            locale=holder.locale or data.locale or "es",
            context={"name": holder.name, "url": sign_in_url, "invited_by": actor.label},
        )

"""Setting a password: from an e-mailed link (reset or invitation) or by the signed-in user.

Whatever the way, a new password ends every session of the user and starts one fresh
session for the browser that set it.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.identity import ratelimit
from app.identity.auth import SignedIn, normalise_email
from app.identity.models import User
from app.identity.passwords import MIN_LENGTH, hash_password, password_problem, verify_password
from app.identity.sessions import end_all_sessions, start_session
from app.identity.tokens import TTL, consume_token, issue_token, peek_token, recent_tokens
from app.outbox.services import queue_mail
from app.parties import Customer, valid_email

RESET_MAILS_PER_HOUR = 3


class LinkInvalid(Exception):
    """The link is unknown, expired, already used, or not for this kind of user."""


@dataclass(frozen=True, slots=True)
class LinkHolder:
    """Whom a still-valid link belongs to (shown on the form it opens)."""

    user_id: uuid.UUID
    kind: str
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class Browser:
    """The browser that sets the password and gets the fresh session."""

    ip: str | None
    user_agent: str | None
    request_id: str | None
    replaces: str | None  # its current session token, if any


def new_password_errors(password: str, confirm: str) -> dict[str, str]:
    """Field errors for a new password and its confirmation (empty when both are fine)."""
    if problem := password_problem(password):
        return {"password": _(problem, n=MIN_LENGTH)}
    if password != confirm:
        return {"confirm": _("The two passwords do not match.")}
    return {}


async def request_reset(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    kind: str,
    email: str,
    url_template: str,
    tenant_name: str,
    locale: str,
) -> None:
    """E-mail a reset link when such an account may sign in; say nothing either way (the page never tells)."""
    email = normalise_email(email)
    if not valid_email(email):
        raise ValidationFailed({"email": _("Enter a valid e-mail address.")})
    row = (
        await session.execute(
            select(User.id, User.name, User.locale, User.is_active, Customer.status.label("customer_status"))
            .outerjoin(Customer, (Customer.tenant_id == User.tenant_id) & (Customer.id == User.customer_id))
            .where(User.kind == kind, User.email == email)
        )
    ).one_or_none()
    if row is None or not row.is_active or row.customer_status not in (None, "active"):
        return
    if await recent_tokens(session, row.id, "reset", timedelta(hours=1)) >= RESET_MAILS_PER_HOUR:
        return
    token = await issue_token(session, tenant_id, row.id, "reset")
    await queue_mail(
        session,
        tenant_id,
        to=email,
        template="mail/password_reset",
        locale=row.locale or locale,
        context={
            "name": row.name,
            "url": url_template.format(token=token),
            "tenant_name": tenant_name,
            "hours": int(TTL["reset"].total_seconds() // 3600),
        },
    )


async def link_holder(session: AsyncSession, raw: str, purpose: str) -> LinkHolder | None:
    """The active user a link still opens the password form for, without using the link up."""
    user_id = await peek_token(session, raw, purpose)
    if user_id is None:
        return None
    user = (await session.execute(select(User).where(User.id == user_id, User.is_active))).scalar_one_or_none()
    return LinkHolder(user.id, user.kind, user.name, user.email) if user else None


async def set_password_from_link(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    raw: str,
    purpose: str,
    kind: str,
    password: str,
    confirm: str,
    browser: Browser,
) -> SignedIn:
    """Use the link once: set the password, end every session, sign this browser in."""
    if errors := new_password_errors(password, confirm):
        raise ValidationFailed(errors)
    user_id = await consume_token(session, raw, purpose)
    if user_id is None:
        raise LinkInvalid()
    user = (await session.execute(select(User).where(User.id == user_id))).scalar_one_or_none()
    if user is None or user.kind != kind or not user.is_active:
        raise LinkInvalid()
    actor = Actor(kind=user.kind, id=user.id, label=user.email, ip=browser.ip, request_id=browser.request_id)
    action = "user.password_set" if purpose == "invite" else "user.password_reset"
    await _store_password(session, tenant_id, user, password, actor, action)
    await ratelimit.forgive_account(session, user.kind, user.email)
    return await _fresh_session(session, tenant_id, user, browser)


async def change_password(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    current: str,
    password: str,
    confirm: str,
    browser: Browser,
) -> SignedIn:
    """The signed-in user replaces their password; other browsers are signed out."""
    user = (await session.execute(select(User).where(User.id == user_id))).scalar_one()
    errors: dict[str, str] = {}
    if not await asyncio.to_thread(verify_password, user.password_hash, current):
        errors["current"] = _("That is not your current password.")
    errors |= new_password_errors(password, confirm)
    if not errors and password == current:
        errors["password"] = _("Choose a password different from the current one.")
    if errors:
        raise ValidationFailed(errors)
    actor = Actor(kind=user.kind, id=user.id, label=user.email, ip=browser.ip, request_id=browser.request_id)
    await _store_password(session, tenant_id, user, password, actor, "user.password_changed")
    return await _fresh_session(session, tenant_id, user, browser)


async def _store_password(
    session: AsyncSession, tenant_id: uuid.UUID, user: User, password: str, actor: Actor, action: str
) -> None:
    await session.execute(
        update(User)
        .where(User.id == user.id)
        .values(password_hash=await asyncio.to_thread(hash_password, password), password_changed_at=datetime.now(UTC))
    )
    await end_all_sessions(session, user.id)
    await audit.record(session, tenant_id, actor, action, "user", user.id, {"password": ["•••", "•••"]})


async def _fresh_session(session: AsyncSession, tenant_id: uuid.UUID, user: User, browser: Browser) -> SignedIn:
    token = await start_session(
        session, tenant_id, user.id, ip=browser.ip, user_agent=browser.user_agent, replaces=browser.replaces
    )
    return SignedIn(user_id=user.id, token=token, locale=user.locale)

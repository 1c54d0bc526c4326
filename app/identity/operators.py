"""Platform operators: accounts, sign-in with rate limiting, and sessions held by a random cookie token."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import Database
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.identity import ratelimit
from app.identity.passwords import hash_password, password_problem, verify_password
from app.identity.ratelimit import TooManyAttempts as TooManyAttempts  # raised by sign_in
from app.parties import valid_email
from app.settings import Settings
from tenants.models import PlatformOperator, PlatformSession

OPERATOR = "operator"  # the kind of account in the sign-in counts
SESSION_TTL = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class OperatorInfo:
    """The signed-in operator as the request sees it."""

    id: uuid.UUID
    email: str
    name: str


class SignInRefused(Exception):
    """Wrong e-mail or password (one message for both, so accounts cannot be discovered)."""


def session_id(token: str) -> str:
    """The stored key of a cookie token: only its SHA-256 reaches the database."""
    return hashlib.sha256(token.encode()).hexdigest()


async def create_operator(session: AsyncSession, email: str, name: str, password: str) -> PlatformOperator:
    """A new platform operator with an argon2 password hash."""
    email = email.strip().lower()
    errors: dict[str, str] = {}
    if not valid_email(email):
        errors["email"] = _("Enter a valid e-mail address.")
    if not name.strip():
        errors["name"] = _("Enter the person's name.")
    if problem := password_problem(password):
        errors["password"] = _(problem, n=10)
    if not errors.get("email") and await operator_by_email(session, email):
        errors["email"] = _("There is already an operator with this e-mail.")
    if errors:
        raise ValidationFailed(errors)
    operator = PlatformOperator(email=email, name=name.strip(), password_hash=hash_password(password))
    session.add(operator)
    await session.flush()
    return operator


async def operator_by_email(session: AsyncSession, email: str) -> PlatformOperator | None:
    return await session.scalar(select(PlatformOperator).where(PlatformOperator.email == email.strip().lower()))


async def sign_in(
    session: AsyncSession,
    db: Database,
    settings: Settings,
    email: str,
    password: str,
    *,
    ip: str | None,
    previous_token: str | None = None,
) -> tuple[OperatorInfo, str]:
    """Check the credentials and open a new session; returns the operator and the cookie token."""
    email = email.strip().lower()
    slot = await ratelimit.take_slot(db, OPERATOR, email, ip, settings)  # counted before the password
    operator = await operator_by_email(session, email) if email else None
    hashed = operator.password_hash if operator and operator.is_active else None
    if not await asyncio.to_thread(verify_password, hashed, password):
        raise SignInRefused()
    assert operator is not None
    now = datetime.now(UTC)
    if previous_token:
        await session.execute(delete(PlatformSession).where(PlatformSession.id == session_id(previous_token)))
    await session.execute(
        delete(PlatformSession).where(PlatformSession.operator_id == operator.id, PlatformSession.expires_at < now)
    )
    await ratelimit.give_back(session, slot)
    token = secrets.token_urlsafe(32)
    session.add(PlatformSession(id=session_id(token), operator_id=operator.id, expires_at=now + SESSION_TTL, ip=ip))
    await session.flush()
    return OperatorInfo(operator.id, operator.email, operator.name), token


async def operator_for_token(session: AsyncSession, token: str) -> OperatorInfo | None:
    """The operator behind a cookie token, if its session is live and the operator still active."""
    now = datetime.now(UTC)
    row = (
        await session.execute(
            select(PlatformOperator.id, PlatformOperator.email, PlatformOperator.name, PlatformSession.last_seen_at)
            .join(PlatformSession, PlatformSession.operator_id == PlatformOperator.id)
            .where(
                PlatformSession.id == session_id(token),
                PlatformSession.expires_at > now,
                PlatformOperator.is_active.is_(True),
            )
        )
    ).one_or_none()
    if row is None:
        return None
    if row.last_seen_at < now - TOUCH_EVERY:
        await session.execute(
            update(PlatformSession).where(PlatformSession.id == session_id(token)).values(last_seen_at=now)
        )
    return OperatorInfo(row.id, row.email, row.name)


async def sign_out(session: AsyncSession, token: str) -> None:
    await session.execute(delete(PlatformSession).where(PlatformSession.id == session_id(token)))

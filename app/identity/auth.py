"""Sign in and sign out, for staff and customer users alike.

Every refusal looks the same (unknown e-mail, wrong password, deactivated user, blocked
customer) and costs the same: the password is always verified, against a dummy hash
when there is no account, so neither the answer nor its timing reveals who has one.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import Database
from app.identity import ratelimit
from app.identity.models import User
from app.identity.passwords import hash_password, needs_rehash, verify_password
from app.identity.ratelimit import TooManyAttempts as TooManyAttempts  # raised by sign_in
from app.identity.sessions import end_session, start_session
from app.parties import Customer
from app.settings import Settings


class SignInRefused(Exception):
    """Wrong e-mail or password (or an account that may not sign in): one answer for all."""


@dataclass(frozen=True, slots=True)
class SignedIn:
    user_id: uuid.UUID
    token: str
    locale: str | None


@dataclass(frozen=True, slots=True)
class Attempt:
    kind: str
    email: str
    password: str
    ip: str | None
    user_agent: str | None
    replaces: str | None  # the browser's current session token, ended on success


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def sign_in(
    db: Database, session: AsyncSession, tenant_id: uuid.UUID, attempt: Attempt, settings: Settings
) -> SignedIn:
    """Take a slot under the rate limit (TooManyAttempts when none is left), then check the password.

    The slot is committed before the password is verified, so parallel guesses cannot outrun the limit;
    a success gives it back and starts a fresh session.
    """
    email = normalise_email(attempt.email)
    slot = await ratelimit.take_slot(db, attempt.kind, email, attempt.ip, settings)
    row = (
        await session.execute(
            select(User.id, User.password_hash, User.is_active, User.locale, Customer.status.label("customer_status"))
            .outerjoin(Customer, (Customer.tenant_id == User.tenant_id) & (Customer.id == User.customer_id))
            .where(User.kind == attempt.kind, User.email == email)
        )
    ).one_or_none()
    # In a thread: argon2 takes a good fraction of a second and would stall every other request.
    password_ok = await asyncio.to_thread(verify_password, row.password_hash if row else None, attempt.password)
    if row is None or not password_ok or not row.is_active or row.customer_status not in (None, "active"):
        raise SignInRefused()
    if needs_rehash(row.password_hash):
        await session.execute(
            update(User)
            .where(User.id == row.id)
            .values(password_hash=await asyncio.to_thread(hash_password, attempt.password))
        )
    await ratelimit.give_back(session, slot)
    token = await start_session(
        session, tenant_id, row.id, ip=attempt.ip, user_agent=attempt.user_agent, replaces=attempt.replaces
    )
    return SignedIn(user_id=row.id, token=token, locale=row.locale)


async def sign_out(session: AsyncSession, raw_token: str | None) -> None:
    """End this browser's session (nothing to do without one)."""
    if raw_token:
        await end_session(session, raw_token)

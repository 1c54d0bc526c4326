"""Sign-in attempts counted per account and per address, platform-wide, before the password is checked.

An attempt first takes a slot: in a short transaction of its own it locks its keys (an advisory lock per
key, in key order), counts the key's attempts in the window and, when every key is under its limit,
records itself against each key and commits. Only then is the password verified. Parallel attempts for
one account therefore queue on the lock and see each other: at most `login_max_per_account` of them
are ever evaluated within a window, however many arrive at once. A success gives its slot back and
forgives the account's earlier attempts; the address keeps its count of failures.

Keys are not per tenant: `account:<kind>:<e-mail>` (a staff user, a customer user and an operator with
one e-mail are three accounts) and `address:<ip>`, so one address has one allowance across all tenants.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import Database
from app.identity.domain import minutes_to_wait
from app.settings import Settings

_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 20261207))")
_FORGET_OLD = text(
    "DELETE FROM sign_in_attempts WHERE key = ANY(CAST(:keys AS text[])) AND at <= now() - make_interval(mins => :w)"
)
# The attempt that must age out before another is allowed: the limit-th most recent in the window.
_BLOCKED_SINCE = text(
    "SELECT at FROM sign_in_attempts WHERE key = :key AND at > now() - make_interval(mins => :w) "
    "ORDER BY at DESC OFFSET :offset LIMIT 1"
)
_TAKE = text("INSERT INTO sign_in_attempts (key) SELECT unnest(CAST(:keys AS text[])) RETURNING id, key, now() AS now")
_GIVE_BACK = text("DELETE FROM sign_in_attempts WHERE id = ANY(CAST(:ids AS uuid[])) OR key = :account")


class TooManyAttempts(Exception):
    """Too many recent attempts for this account or address; `minutes` until the next one is allowed."""

    def __init__(self, minutes: int) -> None:
        super().__init__(f"locked for {minutes} min")
        self.minutes = minutes


@dataclass(frozen=True, slots=True)
class Slot:
    """An attempt's rows in the counts; given back (with the account's older ones) when it succeeds."""

    account_key: str
    ids: tuple[uuid.UUID, ...]


def account_key(kind: str, email: str) -> str:
    return f"account:{kind}:{email.strip().lower()}"


def address_key(ip: str) -> str:
    return f"address:{ip}"


async def take_slot(db: Database, kind: str, email: str, ip: str | None, settings: Settings) -> Slot:
    """Count this attempt against its account and address, or raise TooManyAttempts (committed at once)."""
    limits = {account_key(kind, email): settings.login_max_per_account}
    if ip:
        limits[address_key(ip)] = settings.login_max_per_address
    window = settings.login_window_minutes
    async with db.transaction(None) as session:
        for key in sorted(limits):
            await session.execute(_LOCK, {"key": key})
        await session.execute(_FORGET_OLD, {"keys": list(limits), "w": window})
        await _refuse_when_full(session, limits, window)
        rows = (await session.execute(_TAKE, {"keys": list(limits)})).all()
    return Slot(account_key(kind, email), tuple(row.id for row in rows))


async def _refuse_when_full(session: AsyncSession, limits: dict[str, int], window: int) -> None:
    blocked_since = []
    for key, limit in limits.items():
        offset = {"key": key, "w": window, "offset": max(limit - 1, 0)}
        if (at := (await session.execute(_BLOCKED_SINCE, offset)).scalar()) is not None:
            blocked_since.append(at)
    if blocked_since:
        now = (await session.execute(text("SELECT now()"))).scalar_one()
        raise TooManyAttempts(minutes_to_wait(max(blocked_since) + timedelta(minutes=window), now))


async def give_back(session: AsyncSession, slot: Slot) -> None:
    """A successful sign-in: its own attempt no longer counts, and the account's earlier failures are forgiven."""
    await session.execute(_GIVE_BACK, {"ids": list(slot.ids), "account": slot.account_key})


async def forgive_account(session: AsyncSession, kind: str, email: str) -> None:
    """A password set from an e-mailed link forgives the account's failed attempts."""
    await session.execute(text("DELETE FROM sign_in_attempts WHERE key = :key"), {"key": account_key(kind, email)})

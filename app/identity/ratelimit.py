"""Failed sign-ins per account (e-mail) and per address (client IP) within a sliding window.

Failures are written in their own short transaction: the request's transaction rolls
back on the 4xx that answers a wrong password, and the count must survive it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import delete, func, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import Database
from app.identity.domain import minutes_to_wait
from app.identity.models import LoginFailure
from app.settings import Settings

# The failure that must age out before another attempt is allowed: the max-th most recent in the window.
_LOCK = text(
    """
    SELECT
      (SELECT at FROM login_failures
       WHERE tenant_id = :tenant AND email = :email AND at > now() - make_interval(mins => :window)
       ORDER BY at DESC OFFSET :account_offset LIMIT 1) AS by_account,
      (SELECT at FROM login_failures
       WHERE tenant_id = :tenant AND ip = CAST(:ip AS inet) AND at > now() - make_interval(mins => :window)
       ORDER BY at DESC OFFSET :address_offset LIMIT 1) AS by_address,
      now() AS now
    """
)


async def lock_minutes(
    session: AsyncSession, tenant_id: uuid.UUID, email: str, ip: str | None, settings: Settings
) -> int | None:
    """Minutes until this account or address may try again, or None when it may try now."""
    row = (
        await session.execute(
            _LOCK,
            {
                "tenant": tenant_id,
                "email": email,
                "ip": ip,
                "window": settings.login_window_minutes,
                "account_offset": max(settings.login_max_per_account - 1, 0),
                "address_offset": max(settings.login_max_per_address - 1, 0),
            },
        )
    ).one()
    oldest = [at for at in (row.by_account, row.by_address) if at is not None]
    if not oldest:
        return None
    return minutes_to_wait(max(oldest) + timedelta(minutes=settings.login_window_minutes), row.now)


async def record_failure(db: Database, tenant_id: uuid.UUID, email: str, ip: str | None, settings: Settings) -> None:
    """Count one failed attempt (committed at once) and drop this account's failures older than the window."""
    async with db.transaction(tenant_id) as session:
        await session.execute(
            delete(LoginFailure).where(
                LoginFailure.email == email,
                LoginFailure.at < func.now() - timedelta(minutes=settings.login_window_minutes),
            )
        )
        session.add(LoginFailure(tenant_id=tenant_id, email=email, ip=ip))


async def clear_failures(session: AsyncSession, email: str) -> None:
    """A successful sign-in forgives the account's earlier mistakes (not the address's)."""
    await session.execute(delete(LoginFailure).where(LoginFailure.email == email))

"""Signed-in browsers: a random cookie token, its SHA-256 as the user_sessions row id.

One cookie name (`bodega_session`) serves both faces and the row's user kind decides
where it counts (staff on /admin, customers on the storefront): one lookup per request
whatever the path, and one browser acts as one person at a time — signing in on one
face replaces the other face's session, which is what a shared shop-floor PC needs.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import driver_connection
from app.identity.domain import SESSION_TOUCH_EVERY, SESSION_TTL, CurrentUser
from app.identity.models import UserSession

SESSION_COOKIE = "bodega_session"

# One round trip: find the session, its user, the user's roles and company, and slide the
# expiry when it was last written more than SESSION_TOUCH_EVERY ago (the CTE runs regardless).
# Sent through asyncpg itself (positional parameters, its prepared-statement cache): it runs on every
# signed-in request. $1 tenant, $2 session id, $3 TTL seconds, $4 touch-every seconds.
_LOAD = """
    WITH s AS (
        SELECT user_id, expires_at FROM user_sessions
        WHERE tenant_id = $1 AND id = $2 AND expires_at > now()
    ), touched AS (
        UPDATE user_sessions
        SET last_seen_at = now(), expires_at = now() + make_interval(secs => $3)
        WHERE tenant_id = $1 AND id = $2 AND expires_at > now()
          AND last_seen_at < now() - make_interval(secs => $4)
        RETURNING id
    )
    SELECT u.id, u.kind, u.email, u.name, u.customer_id, c.name AS customer_name, u.locale,
           ARRAY(SELECT r.code FROM user_roles ur
                 JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
                 WHERE ur.tenant_id = u.tenant_id AND ur.user_id = u.id) AS roles,
           EXISTS (SELECT 1 FROM touched) AS touched,
           extract(epoch FROM s.expires_at - now()) AS seconds_left
    FROM s
    JOIN users u ON u.tenant_id = $1 AND u.id = s.user_id
    LEFT JOIN customers c ON c.tenant_id = u.tenant_id AND c.id = u.customer_id
    WHERE u.is_active AND (u.customer_id IS NULL OR c.status = 'active')
"""


def session_id(raw_token: str) -> str:
    """The row id for a cookie token; the database never holds the token itself."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


async def session_user(
    session: AsyncSession, tenant_id: uuid.UUID, raw_token: str
) -> tuple[CurrentUser | None, bool, float]:
    """The user behind a cookie (None when unknown, expired or disabled), whether the expiry slid, and the
    seconds the session has left (0 without a user).

    Runs in the caller's transaction: the web layer uses the request's own, so a signed-in page costs no
    transaction of its own for this look-up (a request that fails rolls the slide back; the next one slides).
    """
    conn = await driver_connection(session)
    row = await conn.fetchrow(
        _LOAD, tenant_id, session_id(raw_token), SESSION_TTL.total_seconds(), SESSION_TOUCH_EVERY.total_seconds()
    )
    if row is None:
        return None, False, 0.0
    user = CurrentUser(
        id=row["id"],
        kind=row["kind"],
        email=row["email"],
        name=row["name"],
        roles=frozenset(row["roles"] or ()),
        customer_id=row["customer_id"],
        customer_name=row["customer_name"],
        locale=row["locale"],
    )
    return user, bool(row["touched"]), float(row["seconds_left"])


async def start_session(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    ip: str | None,
    user_agent: str | None,
    replaces: str | None = None,
) -> str:
    """A new session for `user_id`; the browser's previous one (`replaces`) ends. Returns the cookie token."""
    if replaces:
        await end_session(session, replaces)
    now = datetime.now(UTC)
    await session.execute(delete(UserSession).where(UserSession.user_id == user_id, UserSession.expires_at <= now))
    raw = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            tenant_id=tenant_id,
            id=session_id(raw),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_TTL,
            ip=ip,
            user_agent=(user_agent or "")[:300] or None,
        )
    )
    await session.flush()
    return raw


async def end_session(session: AsyncSession, raw_token: str) -> None:
    """Sign one browser out."""
    await session.execute(delete(UserSession).where(UserSession.id == session_id(raw_token)))


async def end_all_sessions(session: AsyncSession, user_id: uuid.UUID) -> int:
    """Sign a user out everywhere (password changed, account deactivated); returns how many ended."""
    result = await session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    return result.rowcount or 0

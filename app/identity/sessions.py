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

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import Database
from app.identity.domain import SESSION_TOUCH_EVERY, SESSION_TTL, CurrentUser
from app.identity.models import UserSession

SESSION_COOKIE = "bodega_session"

# One round trip: find the session, its user, the user's roles and company, and slide the
# expiry when it was last written more than SESSION_TOUCH_EVERY ago (the CTE runs regardless).
_LOAD = text(
    """
    WITH s AS (
        SELECT user_id FROM user_sessions
        WHERE tenant_id = :tenant AND id = :sid AND expires_at > now()
    ), touched AS (
        UPDATE user_sessions
        SET last_seen_at = now(), expires_at = now() + make_interval(secs => :ttl)
        WHERE tenant_id = :tenant AND id = :sid AND expires_at > now()
          AND last_seen_at < now() - make_interval(secs => :touch)
        RETURNING id
    )
    SELECT u.id, u.kind, u.email, u.name, u.customer_id, c.name AS customer_name, u.locale,
           ARRAY(SELECT r.code FROM user_roles ur
                 JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
                 WHERE ur.tenant_id = u.tenant_id AND ur.user_id = u.id) AS roles,
           EXISTS (SELECT 1 FROM touched) AS touched
    FROM s
    JOIN users u ON u.tenant_id = :tenant AND u.id = s.user_id
    LEFT JOIN customers c ON c.tenant_id = u.tenant_id AND c.id = u.customer_id
    WHERE u.is_active AND (u.customer_id IS NULL OR c.status = 'active')
    """
)


def session_id(raw_token: str) -> str:
    """The row id for a cookie token; the database never holds the token itself."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


async def load_current_user(db: Database, tenant_id: uuid.UUID, raw_token: str) -> tuple[CurrentUser | None, bool]:
    """The user behind a cookie (None when unknown, expired or disabled) and whether the expiry slid."""
    params = {
        "tenant": tenant_id,
        "sid": session_id(raw_token),
        "ttl": SESSION_TTL.total_seconds(),
        "touch": SESSION_TOUCH_EVERY.total_seconds(),
    }
    async with db.transaction(tenant_id) as session:
        row = (await session.execute(_LOAD, params)).one_or_none()
    if row is None:
        return None, False
    user = CurrentUser(
        id=row.id,
        kind=row.kind,
        email=row.email,
        name=row.name,
        roles=frozenset(row.roles or ()),
        customer_id=row.customer_id,
        customer_name=row.customer_name,
        locale=row.locale,
    )
    return user, bool(row.touched)


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

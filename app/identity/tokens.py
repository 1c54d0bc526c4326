"""Single-use, expiring links (password reset, invitation): the database keeps only a hash."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import AuthToken

TTL = {"reset": timedelta(hours=1), "invite": timedelta(days=7)}


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


async def issue_token(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, purpose: str) -> str:
    """A fresh token for `purpose`; older unused tokens of the same purpose stop working."""
    now = datetime.now(UTC)
    await session.execute(
        update(AuthToken)
        .where(AuthToken.user_id == user_id, AuthToken.purpose == purpose, AuthToken.used_at.is_(None))
        .values(used_at=now)
    )
    raw = secrets.token_urlsafe(32)
    session.add(
        AuthToken(
            tenant_id=tenant_id,
            user_id=user_id,
            purpose=purpose,
            token_hash=token_hash(raw),
            expires_at=now + TTL[purpose],
        )
    )
    await session.flush()
    return raw


async def consume_token(session: AsyncSession, raw: str, purpose: str) -> uuid.UUID | None:
    """Mark the token used and return its user, or None if unknown, used or expired (atomic)."""
    now = datetime.now(UTC)
    stmt = (
        update(AuthToken)
        .where(
            AuthToken.token_hash == token_hash(raw),
            AuthToken.purpose == purpose,
            AuthToken.used_at.is_(None),
            AuthToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(AuthToken.user_id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def peek_token(session: AsyncSession, raw: str, purpose: str) -> uuid.UUID | None:
    """The token's user while it is still usable, without using it up (to show the form it unlocks)."""
    stmt = select(AuthToken.user_id).where(
        AuthToken.token_hash == token_hash(raw),
        AuthToken.purpose == purpose,
        AuthToken.used_at.is_(None),
        AuthToken.expires_at > datetime.now(UTC),
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def recent_tokens(session: AsyncSession, user_id: uuid.UUID, purpose: str, within: timedelta) -> int:
    """How many `purpose` tokens the user was sent lately (to stop a form from flooding an inbox)."""
    stmt = select(func.count()).where(
        AuthToken.user_id == user_id,
        AuthToken.purpose == purpose,
        AuthToken.created_at > datetime.now(UTC) - within,
    )
    return int(await session.scalar(stmt) or 0)

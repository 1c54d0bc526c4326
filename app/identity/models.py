"""Identity tables (roles, users, sessions, tokens): every one tenant-owned and keyed (tenant_id, id)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import CITEXT, INET, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped, tenant_fk


class Role(TenantOwned, Base):
    __tablename__ = "roles"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        CheckConstraint("kind IN ('staff', 'customer')", name="kind"),
    )

    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))


class User(TenantOwned, Timestamped, Base):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "email"),
        CheckConstraint("kind IN ('staff', 'customer')", name="kind"),
        CheckConstraint("(kind = 'customer') = (customer_id IS NOT NULL)", name="customer_link"),
        tenant_fk(["customer_id"], "customers"),
        Index("ix_users_customer", "tenant_id", "customer_id"),
    )

    kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(CITEXT)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(Text)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    locale: Mapped[str | None] = mapped_column(String(10))
    is_active: Mapped[bool] = mapped_column(default=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (
        tenant_fk(["user_id"], "users", ondelete="CASCADE"),
        tenant_fk(["role_id"], "roles", ondelete="CASCADE"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    role_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)


class UserSession(Base):
    """A signed-in browser: the cookie holds a random token, the row holds its SHA-256."""

    __tablename__ = "user_sessions"
    __table_args__ = (
        tenant_fk(["user_id"], "users", ondelete="CASCADE"),
        Index("ix_user_sessions_user", "tenant_id", "user_id"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ip: Mapped[str | None] = mapped_column(INET)
    user_agent: Mapped[str | None] = mapped_column(String(300))


class AuthToken(TenantOwned, Timestamped, Base):
    """Single-use, expiring links: password reset and invitations."""

    __tablename__ = "auth_tokens"
    __table_args__ = (
        UniqueConstraint("tenant_id", "token_hash"),
        CheckConstraint("purpose IN ('reset', 'invite')", name="purpose"),
        tenant_fk(["user_id"], "users", ondelete="CASCADE"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

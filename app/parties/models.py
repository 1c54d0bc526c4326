"""Parties: the customer companies a tenant sells to, their groups, addresses and contacts, and its suppliers."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, CheckConstraint, Index, SmallInteger, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import CITEXT, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped, tenant_fk


class CustomerGroup(TenantOwned, Timestamped, Base):
    """Customers sharing catalogue assignments and price lists."""

    __tablename__ = "customer_groups"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))


class Customer(TenantOwned, Timestamped, Base):
    """A customer company; its users (identity) buy on its behalf."""

    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        CheckConstraint("status IN ('active', 'blocked')", name="status"),
        tenant_fk(["group_id"], "customer_groups"),
        Index("ix_customers_group", "tenant_id", "group_id"),
    )

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    tax_id: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(CITEXT)
    phone: Mapped[str | None] = mapped_column(String(40))
    locale: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="active")
    group_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Address(TenantOwned, Timestamped, Base):
    """A place a customer is billed at or delivered to; at most one default of each use per customer."""

    __tablename__ = "addresses"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        CheckConstraint("usage IN ('billing', 'shipping', 'both')", name="usage"),
        CheckConstraint("country ~ '^[A-Z]{2}$'", name="country"),
        Index("ix_addresses_customer", "tenant_id", "customer_id"),
        Index(
            "uq_addresses_default_billing",
            "tenant_id",
            "customer_id",
            unique=True,
            postgresql_where=text("is_default_billing"),
        ),
        Index(
            "uq_addresses_default_shipping",
            "tenant_id",
            "customer_id",
            unique=True,
            postgresql_where=text("is_default_shipping"),
        ),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    usage: Mapped[str] = mapped_column(String(10), default="both")
    label: Mapped[str] = mapped_column(String(100))
    recipient: Mapped[str] = mapped_column(String(200))
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(40))
    is_default_billing: Mapped[bool] = mapped_column(Boolean, default=False)
    is_default_shipping: Mapped[bool] = mapped_column(Boolean, default=False)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Contact(TenantOwned, Timestamped, Base):
    """A person at a customer company (who may or may not have a user to sign in)."""

    __tablename__ = "contacts"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        Index("ix_contacts_customer", "tenant_id", "customer_id"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(CITEXT)
    phone: Mapped[str | None] = mapped_column(String(40))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)


class Supplier(TenantOwned, Timestamped, Base):
    """A company the tenant buys from: how it is reached, its currency, usual lead time and payment terms."""

    __tablename__ = "suppliers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        CheckConstraint("status IN ('active', 'blocked')", name="status"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        CheckConstraint("country ~ '^[A-Z]{2}$'", name="country"),
        CheckConstraint("default_lead_time_days >= 0 AND payment_terms_days >= 0", name="days"),
    )

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    tax_id: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(CITEXT)
    phone: Mapped[str | None] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    default_lead_time_days: Mapped[int] = mapped_column(SmallInteger, default=14)
    payment_terms_days: Mapped[int] = mapped_column(SmallInteger, default=30)
    country: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20), default="active")

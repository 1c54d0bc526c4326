"""Reads of parties for both faces and the other domains: customers, groups, addresses, contacts, suppliers."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.parties.domain import serves
from app.parties.models import Address, Contact, Customer, CustomerGroup, Supplier


async def customer_groups(session: AsyncSession) -> list[tuple[CustomerGroup, int]]:
    """Every group with how many customers it has, by code."""
    members = (
        select(func.count())
        .where(Customer.tenant_id == CustomerGroup.tenant_id, Customer.group_id == CustomerGroup.id)
        .scalar_subquery()
    )
    rows = await session.execute(select(CustomerGroup, members).order_by(CustomerGroup.code))
    return [(group, count) for group, count in rows.all()]


async def customer_group(session: AsyncSession, group_id: uuid.UUID) -> CustomerGroup | None:
    return await session.scalar(select(CustomerGroup).where(CustomerGroup.id == group_id))


async def group_members(session: AsyncSession, group_id: uuid.UUID) -> list[Customer]:
    return list(await session.scalars(select(Customer).where(Customer.group_id == group_id).order_by(Customer.code)))


async def customer_choices(session: AsyncSession, limit: int = 500) -> list[tuple[str, str]]:
    """(code, name) of customers for pickers, by code."""
    rows = await session.execute(select(Customer.code, Customer.name).order_by(Customer.code).limit(limit))
    return [(code, name) for code, name in rows.all()]


async def customer_by_code(session: AsyncSession, code: str) -> Customer | None:
    """The customer with this code, whatever its case."""
    return await session.scalar(select(Customer).where(func.upper(Customer.code) == code.strip().upper()))


async def customer_code(session: AsyncSession, customer_id: uuid.UUID | None) -> str:
    if customer_id is None:
        return ""
    return await session.scalar(select(Customer.code).where(Customer.id == customer_id)) or ""


async def customer_group_id(session: AsyncSession, customer_id: uuid.UUID | None) -> uuid.UUID | None:
    """The group a customer belongs to (None for none, or no customer)."""
    if customer_id is None:
        return None
    return await session.scalar(select(Customer.group_id).where(Customer.id == customer_id))


async def addresses(session: AsyncSession, customer_id: uuid.UUID, use: str | None = None) -> list[Address]:
    """The customer's live addresses, defaults first; only those serving `use` ('billing'/'shipping') if given."""
    stmt = (
        select(Address)
        .where(Address.customer_id == customer_id, Address.is_archived.is_(False))
        .order_by(Address.is_default_shipping.desc(), Address.is_default_billing.desc(), Address.label)
    )
    found = list(await session.scalars(stmt))
    return [a for a in found if use is None or serves(a.usage, use)]


async def default_address(session: AsyncSession, customer_id: uuid.UUID, use: str) -> Address | None:
    column = Address.is_default_billing if use == "billing" else Address.is_default_shipping
    stmt = select(Address).where(Address.customer_id == customer_id, column.is_(True), Address.is_archived.is_(False))
    return await session.scalar(stmt)


async def contacts(session: AsyncSession, customer_id: uuid.UUID) -> list[Contact]:
    stmt = select(Contact).where(Contact.customer_id == customer_id).order_by(Contact.is_primary.desc(), Contact.name)
    return list(await session.scalars(stmt))


async def suppliers(session: AsyncSession, *, status: str = "", search: str = "", limit: int = 500) -> list[Supplier]:
    """Suppliers by code, of one status when given, whose code or name contains `search`."""
    stmt = select(Supplier).order_by(Supplier.code).limit(limit)
    if status:
        stmt = stmt.where(Supplier.status == status)
    if search.strip():
        pattern = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(Supplier.code.ilike(pattern) | Supplier.name.ilike(pattern))
    return list(await session.scalars(stmt))


async def supplier(session: AsyncSession, supplier_id: uuid.UUID) -> Supplier | None:
    """The supplier, or None for an unknown id (or another tenant's)."""
    return await session.scalar(select(Supplier).where(Supplier.id == supplier_id))


async def suppliers_by_id(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Supplier]:
    """The tenant's suppliers among `ids`, by id (others' ids are simply missing)."""
    if not ids:
        return {}
    return {s.id: s for s in await session.scalars(select(Supplier).where(Supplier.id.in_(ids)))}


async def supplier_choices(session: AsyncSession, limit: int = 500) -> list[tuple[uuid.UUID, str]]:
    """(id, "CODE · name") of the active suppliers for pickers, by code."""
    stmt = select(Supplier.id, Supplier.code, Supplier.name).where(Supplier.status == "active")
    rows = await session.execute(stmt.order_by(Supplier.code).limit(limit))
    return [(id_, f"{code} · {name}") for id_, code, name in rows.all()]

"""The sales domain's SQL: the facts placing an order needs, read on the session's asyncpg connection."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import driver_connection

VARIANTS = """
SELECT v.id, v.sku, v.status, p.status AS product_status, coalesce(p.name, '{}')::text AS name, p.tax_class,
       v.min_qty, v.order_multiple, v.max_qty, coalesce(d.catalog_ids, '{}') AS catalog_ids
FROM product_variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
LEFT JOIN product_search d ON d.tenant_id = p.tenant_id AND d.product_id = p.id
WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[])
"""
TENANT = """
SELECT name, country, currency, locale, settings->'allow_backorders' IS DISTINCT FROM 'false'::jsonb AS backorders
FROM tenants WHERE id = $1
"""
TAX_RATES = "SELECT code, rate FROM tax_rates WHERE tenant_id = $1"
USER = """
SELECT u.id, u.kind, u.customer_id, u.email, u.name, u.locale, u.is_active,
       coalesce(array_agg(r.code) FILTER (WHERE r.code IS NOT NULL), '{}') AS roles,
       l.currency AS limit_currency, l.per_order, l.per_month
FROM users u
LEFT JOIN user_roles ur ON ur.tenant_id = u.tenant_id AND ur.user_id = u.id
LEFT JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
LEFT JOIN buyer_limits l ON l.tenant_id = u.tenant_id AND l.user_id = u.id
WHERE u.tenant_id = $1 AND u.id = $2
GROUP BY u.tenant_id, u.id, l.currency, l.per_order, l.per_month
"""
CUSTOMER = """
SELECT id, name, email, status, locale, tax_id, payment_terms_days, credit_limit, credit_blocked
FROM customers WHERE tenant_id = $1 AND id = $2
"""
CUSTOMER_LOCKED = CUSTOMER + " FOR UPDATE"
OPEN_ORDERS = """
SELECT coalesce(sum(gross), 0) FROM sales_orders
WHERE tenant_id = $1 AND customer_id = $2 AND payment_method = 'account' AND status = ANY($3::text[])
"""
MONTH_SPENT = """
SELECT coalesce(sum(gross), 0) FROM sales_orders
WHERE tenant_id = $1 AND placed_by = $2 AND placed_at >= $3 AND status <> ALL($4::text[])
"""
ADDRESS = """
SELECT id, country, postcode, usage FROM addresses
WHERE tenant_id = $1 AND customer_id = $2 AND id = $3 AND NOT is_archived
"""
DEFAULT_ADDRESS = """
SELECT id, country, postcode, usage FROM addresses
WHERE tenant_id = $1 AND customer_id = $2 AND NOT is_archived
ORDER BY is_default_shipping DESC, is_default_billing DESC, created_at LIMIT 1
"""
WAREHOUSE = "SELECT id FROM warehouses WHERE tenant_id = $1 AND is_active AND ($2::uuid IS NULL OR id = $2)"
DEFAULT_WAREHOUSE = WAREHOUSE + " ORDER BY is_default DESC, code LIMIT 1"
ORDER_BY_KEY = "SELECT id FROM sales_orders WHERE tenant_id = $1 AND idempotency_key = $2"
FOR_SALE_BY_SKU = """
SELECT v.id, v.sku, v.min_qty, v.order_multiple, v.max_qty, coalesce(d.catalog_ids, '{}') AS catalog_ids
FROM product_variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
LEFT JOIN product_search d ON d.tenant_id = p.tenant_id AND d.product_id = p.id
WHERE v.tenant_id = $1 AND v.sku = ANY($2::text[]) AND v.status = 'active' AND p.status = 'active'
"""


class VariantFacts(NamedTuple):
    """What ordering a variant needs of the catalogue: SKU, name, whether it is sold, its tax class, its rules and
    its catalogues."""

    id: uuid.UUID
    sku: str
    status: str
    product_status: str
    name: dict
    tax_class: str
    min_qty: Decimal
    order_multiple: Decimal
    max_qty: Decimal | None
    catalog_ids: list[uuid.UUID]  # the catalogues the product is in (the customer's assortment is a set of them)

    def in_assortment(self, allowed: frozenset[uuid.UUID] | None) -> bool:
        """Whether a customer whose catalogues are `allowed` (None: every product) may buy this variant."""
        return allowed is None or not allowed.isdisjoint(self.catalog_ids)


async def conn(session: AsyncSession) -> asyncpg.Connection:
    return await driver_connection(session)


async def variants(
    session: AsyncSession, tenant_id: uuid.UUID, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, VariantFacts]:
    rows = await (await conn(session)).fetch(VARIANTS, tenant_id, list(ids))
    return {r["id"]: VariantFacts(*r.values())._replace(name=json.loads(r["name"])) for r in rows}


async def tenant(session: AsyncSession, tenant_id: uuid.UUID) -> asyncpg.Record:
    return await (await conn(session)).fetchrow(TENANT, tenant_id)


async def tax_rates(session: AsyncSession, tenant_id: uuid.UUID) -> dict[str, Decimal]:
    return {r["code"]: r["rate"] for r in await (await conn(session)).fetch(TAX_RATES, tenant_id)}


async def user(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> asyncpg.Record | None:
    return await (await conn(session)).fetchrow(USER, tenant_id, user_id)


async def customer(
    session: AsyncSession, tenant_id: uuid.UUID, customer_id: uuid.UUID, *, lock: bool = False
) -> asyncpg.Record | None:
    return await (await conn(session)).fetchrow(CUSTOMER_LOCKED if lock else CUSTOMER, tenant_id, customer_id)


async def open_orders(
    session: AsyncSession, tenant_id: uuid.UUID, customer_id: uuid.UUID, states: Iterable[str]
) -> Decimal:
    return await (await conn(session)).fetchval(OPEN_ORDERS, tenant_id, customer_id, list(states))


async def month_spent(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, since: date, excluded: Iterable[str]
) -> Decimal:
    return await (await conn(session)).fetchval(MONTH_SPENT, tenant_id, user_id, since, list(excluded))


async def address(
    session: AsyncSession, tenant_id: uuid.UUID, customer_id: uuid.UUID, address_id: uuid.UUID | None
) -> asyncpg.Record | None:
    c = await conn(session)
    if address_id is None:
        return await c.fetchrow(DEFAULT_ADDRESS, tenant_id, customer_id)
    return await c.fetchrow(ADDRESS, tenant_id, customer_id, address_id)


async def warehouse(session: AsyncSession, tenant_id: uuid.UUID, warehouse_id: uuid.UUID | None) -> uuid.UUID | None:
    return await (await conn(session)).fetchval(DEFAULT_WAREHOUSE, tenant_id, warehouse_id)


async def order_by_key(session: AsyncSession, tenant_id: uuid.UUID, key: str) -> uuid.UUID | None:
    return await (await conn(session)).fetchval(ORDER_BY_KEY, tenant_id, key)


async def for_sale_by_sku(session: AsyncSession, tenant_id: uuid.UUID, skus: Iterable[str]) -> list[asyncpg.Record]:
    """The variants for sale with these SKUs: id, SKU, quantity rule and the catalogues their product is in."""
    return await (await conn(session)).fetch(FOR_SALE_BY_SKU, tenant_id, sorted(skus))

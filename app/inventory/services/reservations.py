"""Reserving and releasing stock of a warehouse for document lines: the service other domains call.

A reservation raises the warehouse level's `reserved` with `reserved = reserved + q WHERE on_hand - reserved >= q`
in SQL, rows in (variant, warehouse) order, and checks the row count: whatever the concurrency, reserving never
takes what is available below zero. Levels are always locked before the reservation rows, as posting does.
Shipping consumes a reservation through the ledger (`MoveLine.reservation`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from app.base import new_id
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.inventory import repo
from app.inventory.services._checks import quantity, text
from app.inventory.services.ledger import retrying
from app.inventory.values import InsufficientStock, ReserveRequest

HOLD = """
UPDATE stock_levels SET reserved = reserved + $4
WHERE tenant_id = $1 AND variant_id = $2 AND warehouse_id = $3 AND on_hand - reserved >= $4
RETURNING on_hand, reserved
"""
KEEP = """
INSERT INTO reservations AS r (tenant_id, id, variant_id, warehouse_id, qty, document_kind, document_id,
    document_line_id, needed_on)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (tenant_id, document_kind, document_line_id, warehouse_id)
DO UPDATE SET qty = r.qty + EXCLUDED.qty, needed_on = coalesce(EXCLUDED.needed_on, r.needed_on)
WHERE r.variant_id = EXCLUDED.variant_id
RETURNING r.id, r.qty
"""
SHORT = """
SELECT v.sku, w.code AS warehouse, coalesce(s.on_hand, 0) AS on_hand, coalesce(s.reserved, 0) AS reserved
FROM product_variants v CROSS JOIN warehouses w
LEFT JOIN stock_levels s ON s.tenant_id = v.tenant_id AND s.variant_id = v.id AND s.warehouse_id = w.id
WHERE v.tenant_id = $1 AND v.id = $2 AND w.id = $3
"""
HELD = """
SELECT variant_id, qty FROM reservations
WHERE tenant_id = $1 AND document_kind = $2 AND document_line_id = $3 AND warehouse_id = $4
"""
UNHOLD = """
UPDATE stock_levels SET reserved = reserved - $4
WHERE tenant_id = $1 AND variant_id = $2 AND warehouse_id = $3 AND reserved >= $4
"""
FORGET = """
DELETE FROM reservations
WHERE tenant_id = $1 AND document_kind = $2 AND document_line_id = $3 AND warehouse_id = $4 AND qty = $5
"""
LESSEN = """
UPDATE reservations SET qty = qty - $5
WHERE tenant_id = $1 AND document_kind = $2 AND document_line_id = $3 AND warehouse_id = $4 AND qty > $5
"""
LINE_HELD = """
SELECT warehouse_id, variant_id, qty FROM reservations
WHERE tenant_id = $1 AND document_kind = $2 AND document_line_id = $3
"""


class ReleaseRaced(Exception):
    """The reservation changed between reading and releasing it."""


async def reserve(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    variant_id: uuid.UUID,
    qty: Decimal,
    document_kind: str,
    document_id: uuid.UUID,
    line_id: uuid.UUID,
    *,
    needed_on=None,
) -> Decimal:
    """Hold qty for the line; InsufficientStock (naming the SKU and what is available) when there is not enough.
    Returns what the line now holds in the warehouse."""
    request = ReserveRequest(warehouse_id, variant_id, qty, document_kind, document_id, line_id, needed_on)
    return (await reserve_many(session, tenant_id, [request]))[0]


async def reserve_many(
    session: AsyncSession, tenant_id: uuid.UUID, requests: Sequence[ReserveRequest]
) -> list[Decimal]:
    """Hold stock for several lines at once, all or nothing (a sales order): what each line now holds."""
    for request in requests:
        quantity(request.qty)
        text(request.document_kind, "document_kind", 30, required=True)
    conn = await repo.connection(session)
    order = sorted(range(len(requests)), key=lambda i: (requests[i].variant_id, requests[i].warehouse_id))

    async def work() -> list[Decimal]:
        held: dict[int, Decimal] = {}
        for i in order:
            held[i] = await _hold(conn, tenant_id, requests[i])
        return [held[i] for i in range(len(requests))]

    return await retrying(session, work)


async def _hold(conn: asyncpg.Connection, tenant_id: uuid.UUID, r: ReserveRequest) -> Decimal:
    if await conn.fetchrow(HOLD, tenant_id, r.variant_id, r.warehouse_id, r.qty) is None:
        short = await conn.fetchrow(SHORT, tenant_id, r.variant_id, r.warehouse_id)
        if short is None:
            raise NotFound()
        available = max(short["on_hand"] - short["reserved"], Decimal(0))
        raise InsufficientStock(short["sku"], available, place=short["warehouse"])
    row = await conn.fetchrow(
        KEEP,
        tenant_id,
        new_id(),
        r.variant_id,
        r.warehouse_id,
        r.qty,
        r.document_kind,
        r.document_id,
        r.line_id,
        r.needed_on,
    )
    if row is None:
        raise ValidationFailed({"line_id": _("This line already holds stock of another variant.")})
    return row["qty"]


async def release(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    warehouse_id: uuid.UUID,
    variant_id: uuid.UUID,
    document_kind: str,
    line_id: uuid.UUID,
    qty: Decimal | None = None,
) -> Decimal:
    """Give back qty (None: all) of what the line holds in the warehouse; returns what it still holds."""
    if qty is not None:
        quantity(qty)
    conn = await repo.connection(session)

    async def work() -> Decimal:
        held = await conn.fetchrow(HELD, tenant_id, document_kind, line_id, warehouse_id)
        if held is None or held["variant_id"] != variant_id:
            return Decimal(0)
        give = held["qty"] if qty is None else qty
        if give > held["qty"]:
            raise ValidationFailed({"qty": _("The line holds only %(n)s.", n=format(held["qty"].normalize(), "f"))})
        if (await conn.execute(UNHOLD, tenant_id, variant_id, warehouse_id, give)) != "UPDATE 1":
            raise ReleaseRaced()
        sql = FORGET if give == held["qty"] else LESSEN
        if (await conn.execute(sql, tenant_id, document_kind, line_id, warehouse_id, give)) not in (
            "DELETE 1",
            "UPDATE 1",
        ):
            raise ReleaseRaced()
        return held["qty"] - give

    return await _once_more(session, work)


async def release_line(session: AsyncSession, tenant_id: uuid.UUID, document_kind: str, line_id: uuid.UUID) -> None:
    """Give back everything a document line holds, in every warehouse (the line was cancelled)."""
    conn = await repo.connection(session)
    for row in sorted(await conn.fetch(LINE_HELD, tenant_id, document_kind, line_id), key=lambda r: (r[1], r[0])):
        await release(session, tenant_id, row["warehouse_id"], row["variant_id"], document_kind, line_id)


async def _once_more(session: AsyncSession, work):
    try:
        return await retrying(session, work)
    except ReleaseRaced:
        return await retrying(session, work)

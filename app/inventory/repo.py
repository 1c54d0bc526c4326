"""The stock ledger's SQL, on the session's asyncpg connection: batched by document, arithmetic in SQL.

Rows are always locked in one order (valuations by variant id, then quants, then warehouse levels, then
reservations), so two postings can wait for each other but never deadlock; every balance changes by
`x = x + delta` in SQL, never by a value read, added in Python and written back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import driver_connection

Rows = list[asyncpg.Record]

SETTINGS = """
SELECT t.currency, coalesce(s.cost_method, 'average') AS cost_method,
       coalesce(s.allow_negative, false) AS allow_negative, coalesce(s.pick_strategy, 'fefo') AS pick_strategy,
       coalesce(s.availability_mode, 'level') AS availability_mode, coalesce(s.low_stock_at, 5) AS low_stock_at
FROM tenants t LEFT JOIN inventory_settings s ON s.tenant_id = t.id WHERE t.id = $1
"""
PLACES = """
SELECT l.id, l.code, l.kind, l.warehouse_id, l.is_active, w.code AS warehouse_code
FROM locations l LEFT JOIN warehouses w ON w.tenant_id = l.tenant_id AND w.id = l.warehouse_id
WHERE l.tenant_id = $1 AND l.id = ANY($2::uuid[])
"""
ITEMS = """
SELECT v.id, v.sku, coalesce(i.tracking, 'none') AS tracking, i.shelf_life_days
FROM product_variants v LEFT JOIN stock_items i ON i.tenant_id = v.tenant_id AND i.variant_id = v.id
WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[])
"""
LOTS = "SELECT id, variant_id, code, expiry_date FROM lots WHERE tenant_id = $1 AND id = ANY($2::uuid[])"
NEW_VALUATIONS = """
INSERT INTO stock_valuations (tenant_id, variant_id, method, currency, unit_cost)
SELECT $1, v.id, $3, $4, coalesce(v.cost, 0) FROM product_variants v
WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[]) ORDER BY v.id
ON CONFLICT DO NOTHING
"""
LOCK_VALUATIONS = """
SELECT s.variant_id, s.method, s.currency, s.qty, s.value, s.unit_cost, s.owed_qty, s.owed_value, s.moves
FROM stock_valuations s WHERE s.tenant_id = $1 AND s.variant_id = ANY($2::uuid[])
ORDER BY s.variant_id FOR UPDATE
"""
OPEN_LAYERS = """
SELECT id, variant_id, sequence, qty_received, qty_remaining, value_remaining, unit_cost, received_on
FROM cost_layers WHERE tenant_id = $1 AND variant_id = ANY($2::uuid[]) AND qty_remaining > 0
ORDER BY variant_id, sequence
"""
INSERT_MOVES = """
INSERT INTO stock_moves (tenant_id, id, sequence, variant_id, from_location_id, to_location_id, lot_id, qty,
    unit_cost, value, adjustment, document_kind, document_id, document_line_id, reference, reason, reversal_of, actor)
SELECT $1, m.id, m.seq, m.variant, m.src, m.dst, m.lot, m.qty, m.cost, m.value, m.adj, $2, $3, m.line, $4, m.reason,
       m.rev, $5
FROM unnest($6::uuid[], $7::bigint[], $8::uuid[], $9::uuid[], $10::uuid[], $11::uuid[], $12::numeric[],
            $13::numeric[], $14::numeric[], $15::numeric[], $16::uuid[], $17::text[], $18::uuid[])
     AS m(id, seq, variant, src, dst, lot, qty, cost, value, adj, line, reason, rev)
"""
ADD_TO_QUANTS = """
INSERT INTO stock_quants AS q (tenant_id, id, variant_id, location_id, lot_id, on_hand)
SELECT $1, d.id, d.variant, d.location, d.lot, d.delta
FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::numeric[]) AS d(id, variant, location, lot, delta)
ON CONFLICT (tenant_id, variant_id, location_id, lot_id) DO UPDATE SET on_hand = q.on_hand + EXCLUDED.on_hand
RETURNING q.variant_id, q.location_id, q.lot_id, q.on_hand
"""
ADD_TO_LEVELS = """
INSERT INTO stock_levels AS s (tenant_id, variant_id, warehouse_id, on_hand, reserved)
SELECT $1, d.variant, d.warehouse, d.delta, d.consumed
FROM unnest($2::uuid[], $3::uuid[], $4::numeric[], $5::numeric[]) AS d(variant, warehouse, delta, consumed)
ON CONFLICT (tenant_id, variant_id, warehouse_id)
DO UPDATE SET on_hand = s.on_hand + EXCLUDED.on_hand, reserved = s.reserved - EXCLUDED.reserved
RETURNING s.variant_id, s.warehouse_id, s.on_hand, s.reserved
"""
RESERVED_FOR = """
SELECT r.document_kind, r.document_line_id, r.warehouse_id, r.variant_id, r.qty
FROM reservations r JOIN unnest($2::text[], $3::uuid[], $4::uuid[]) AS k(kind, line, warehouse)
  ON r.document_kind = k.kind AND r.document_line_id = k.line AND r.warehouse_id = k.warehouse
WHERE r.tenant_id = $1
"""
TAKE_RESERVED = """
WITH c AS (SELECT * FROM unnest($2::text[], $3::uuid[], $4::uuid[], $5::numeric[]) AS c(kind, line, warehouse, qty)),
gone AS (
  DELETE FROM reservations r USING c
  WHERE r.tenant_id = $1 AND r.document_kind = c.kind AND r.document_line_id = c.line
    AND r.warehouse_id = c.warehouse AND r.qty = c.qty
  RETURNING r.id),
cut AS (
  UPDATE reservations r SET qty = r.qty - c.qty FROM c
  WHERE r.tenant_id = $1 AND r.document_kind = c.kind AND r.document_line_id = c.line
    AND r.warehouse_id = c.warehouse AND r.qty > c.qty
  RETURNING r.id)
SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM cut)
"""
SAVE_VALUATIONS = """
UPDATE stock_valuations s SET qty = u.qty, value = u.value, unit_cost = u.cost, owed_qty = u.owed_qty,
    owed_value = u.owed_value, moves = u.moves
FROM unnest($2::uuid[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::bigint[])
     AS u(variant, qty, value, cost, owed_qty, owed_value, moves)
WHERE s.tenant_id = $1 AND s.variant_id = u.variant
"""
NEW_LAYERS = """
INSERT INTO cost_layers (tenant_id, id, variant_id, sequence, move_id, received_on, qty_received, qty_remaining,
    value_remaining, unit_cost)
SELECT $1, l.id, l.variant, l.seq, l.move, l.received_on, l.qty_received, l.qty_remaining, l.value, l.cost
FROM unnest($2::uuid[], $3::uuid[], $4::bigint[], $5::uuid[], $6::date[], $7::numeric[], $8::numeric[],
            $9::numeric[], $10::numeric[]) AS l(id, variant, seq, move, received_on, qty_received, qty_remaining,
            value, cost)
"""
SAVE_LAYERS = """
UPDATE cost_layers c SET qty_remaining = u.qty, value_remaining = u.value, unit_cost = u.cost
FROM unnest($2::uuid[], $3::numeric[], $4::numeric[], $5::numeric[]) AS u(id, qty, value, cost)
WHERE c.tenant_id = $1 AND c.id = u.id
"""
SERIALS_TWICE = """
SELECT l.code, v.sku, sum(q.on_hand) AS on_hand
FROM stock_quants q
JOIN locations loc ON loc.tenant_id = q.tenant_id AND loc.id = q.location_id AND loc.kind IN ('internal', 'transit')
JOIN lots l ON l.tenant_id = q.tenant_id AND l.id = q.lot_id
JOIN product_variants v ON v.tenant_id = q.tenant_id AND v.id = q.variant_id
WHERE q.tenant_id = $1 AND q.lot_id = ANY($2::uuid[])
GROUP BY l.code, v.sku HAVING sum(q.on_hand) > 1
"""
VIRTUAL = "SELECT kind, id FROM locations WHERE tenant_id = $1 AND warehouse_id IS NULL"


async def connection(session: AsyncSession) -> asyncpg.Connection:
    """The session's own connection, inside its transaction (the tenant is declared to RLS)."""
    return await driver_connection(session)


async def settings(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> asyncpg.Record:
    """The tenant's currency and stock rules (defaults when the settings row is missing)."""
    return await conn.fetchrow(SETTINGS, tenant_id)


async def by_id(conn: asyncpg.Connection, sql: str, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> dict:
    """Rows of one of the look-ups above (PLACES, ITEMS, LOTS) by their first column."""
    if not ids:
        return {}
    return {row[0]: row for row in await conn.fetch(sql, tenant_id, list(set(ids)))}


async def virtual_locations(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """The tenant's virtual locations by kind (supplier, customer, transit, ...)."""
    return {row["kind"]: row["id"] for row in await conn.fetch(VIRTUAL, tenant_id)}


async def lock_valuations(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, variant_ids: list[uuid.UUID], method: str, currency: str
) -> dict[uuid.UUID, asyncpg.Record]:
    """The valuation rows of these variants, locked in variant order; missing ones are created first."""
    wanted = sorted(set(variant_ids))
    rows = await conn.fetch(LOCK_VALUATIONS, tenant_id, wanted)
    if len(rows) < len(wanted):
        found = {row["variant_id"] for row in rows}
        await conn.execute(NEW_VALUATIONS, tenant_id, [v for v in wanted if v not in found], method, currency)
        rows = await conn.fetch(LOCK_VALUATIONS, tenant_id, wanted)
    return {row["variant_id"]: row for row in rows}


async def open_layers(conn: asyncpg.Connection, tenant_id: uuid.UUID, variant_ids: list[uuid.UUID]) -> Rows:
    return await conn.fetch(OPEN_LAYERS, tenant_id, variant_ids) if variant_ids else []


def columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """Rows to one list per column (what unnest takes)."""
    return [[row[i] for row in rows] for i in range(width)] if rows else [[] for _ in range(width)]


async def insert_moves(conn: asyncpg.Connection, tenant_id: uuid.UUID, head: Sequence[Any], rows: list) -> None:
    """Insert the moves; `head` is (document kind, document id, reference, actor), rows are 13 columns each."""
    await conn.execute(INSERT_MOVES, tenant_id, *head, *columns(rows, 13))


async def add_to_quants(conn: asyncpg.Connection, tenant_id: uuid.UUID, deltas: list[tuple]) -> Rows:
    """Add (id, variant, location, lot, delta) to the quants, in the order given; their new on hand."""
    return await conn.fetch(ADD_TO_QUANTS, tenant_id, *columns(deltas, 5)) if deltas else []


async def add_to_levels(conn: asyncpg.Connection, tenant_id: uuid.UUID, deltas: list[tuple]) -> Rows:
    """Add (variant, warehouse, delta, reserved consumed) to the warehouse levels; their new figures."""
    return await conn.fetch(ADD_TO_LEVELS, tenant_id, *columns(deltas, 4)) if deltas else []


async def reserved_for(conn: asyncpg.Connection, tenant_id: uuid.UUID, keys: list[tuple]) -> Rows:
    """The reservations of (document kind, line id, warehouse id) keys that exist."""
    return await conn.fetch(RESERVED_FOR, tenant_id, *columns(keys, 3)) if keys else []


async def take_reserved(conn: asyncpg.Connection, tenant_id: uuid.UUID, takes: list[tuple]) -> bool:
    """Take (kind, line, warehouse, qty) from reservations (a reservation taken whole goes); False if one fell short."""
    if not takes:
        return True
    return await conn.fetchval(TAKE_RESERVED, tenant_id, *columns(takes, 4)) == len(takes)


async def save_valuations(conn: asyncpg.Connection, tenant_id: uuid.UUID, rows: list[tuple]) -> None:
    """(variant, qty, value, unit cost, owed qty, owed value, moves) for each variant valued."""
    await conn.execute(SAVE_VALUATIONS, tenant_id, *columns(rows, 7))


async def save_layers(conn: asyncpg.Connection, tenant_id: uuid.UUID, new: list[tuple], changed: list[tuple]) -> None:
    """Insert new FIFO layers (9 columns) and write what issues took from existing ones (id, qty, value, cost)."""
    if new:
        await conn.execute(NEW_LAYERS, tenant_id, *columns(new, 9))
    if changed:
        await conn.execute(SAVE_LAYERS, tenant_id, *columns(changed, 4))


async def serials_in_stock_twice(conn: asyncpg.Connection, tenant_id: uuid.UUID, lot_ids: list[uuid.UUID]) -> Rows:
    """Serial numbers (lots of serial-tracked variants) that would now be in stock more than once."""
    return await conn.fetch(SERIALS_TWICE, tenant_id, lot_ids) if lot_ids else []


def zero_if_none(value: Decimal | None) -> Decimal:
    return Decimal(0) if value is None else value


LAYERS_WITH = """
SELECT id, variant_id, sequence, qty_received, qty_remaining, value_remaining, unit_cost, received_on
FROM cost_layers WHERE tenant_id = $1 AND variant_id = $2 AND (qty_remaining > 0 OR sequence = $3)
ORDER BY sequence
"""
NEW_REVALUATION = """
INSERT INTO stock_revaluations (tenant_id, id, variant_id, move_id, amount, to_stock, to_cogs, document_kind,
    document_id, reference, actor)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
"""


async def layers_with(conn: asyncpg.Connection, tenant_id: uuid.UUID, variant_id: uuid.UUID, sequence: int) -> Rows:
    """A FIFO variant's open layers and the one layer a revaluation names (open or not)."""
    return await conn.fetch(LAYERS_WITH, tenant_id, variant_id, sequence)

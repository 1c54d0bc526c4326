"""Reads about warehouse documents and replenishment: transfers, counts, reorder rules, purchase suggestions."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.inventory.domain import MinMaxRule, ReorderPointRule, StockPosition, SupplyTerms, suggest_purchase
from app.inventory.models import StockCount, Transfer
from app.inventory.queries.availability import atp

ZERO = Decimal(0)
LIMIT = 200


@dataclass(frozen=True, slots=True)
class TransferRow:
    transfer: Transfer
    from_code: str
    to_code: str
    lines: int


async def transfers(session: AsyncSession, status: str = "") -> list[TransferRow]:
    """The latest transfers (of one status), newest first, with their warehouses' codes and line counts."""
    rows = await session.execute(
        text(
            "SELECT t.id, f.code, w.code, (SELECT count(*) FROM transfer_lines l WHERE l.tenant_id = t.tenant_id "
            "AND l.transfer_id = t.id) FROM transfers t JOIN warehouses f ON f.tenant_id = t.tenant_id "
            "AND f.id = t.from_warehouse_id "
            "JOIN warehouses w ON w.tenant_id = t.tenant_id AND w.id = t.to_warehouse_id "
            "WHERE (CAST(:status AS text) = '' OR t.status = :status) ORDER BY t.created_at DESC LIMIT :limit"
        ),
        {"status": status, "limit": LIMIT},
    )
    found = list(rows)
    loaded = {t.id: t for t in await _load(session, Transfer, [r[0] for r in found])}
    return [TransferRow(loaded[i], f, w, n) for i, f, w, n in found]


async def _load(session: AsyncSession, model, ids: list[uuid.UUID]) -> list:
    from sqlalchemy import select

    return list(await session.scalars(select(model).where(model.id.in_(ids)))) if ids else []


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """A line of a transfer or a count with the names people read."""

    id: uuid.UUID
    variant_id: uuid.UUID
    sku: str
    name: dict
    qty: Decimal
    done: Decimal
    received: Decimal
    location: str = ""
    lot: str | None = None
    counted: Decimal | None = None


async def transfer_detail(session: AsyncSession, transfer_id: uuid.UUID) -> tuple[Transfer, list[DocumentLine]]:
    """A transfer and its lines (qty, shipped, received)."""
    transfer = (await _load(session, Transfer, [transfer_id]) or [None])[0]
    if transfer is None:
        raise NotFound()
    rows = await session.execute(
        text(
            "SELECT l.id, l.variant_id, v.sku, p.name, l.qty, l.qty_shipped, l.qty_received FROM transfer_lines l "
            "JOIN product_variants v ON v.tenant_id = l.tenant_id AND v.id = l.variant_id "
            "JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id "
            "WHERE l.transfer_id = :id ORDER BY v.sku"
        ),
        {"id": transfer_id},
    )
    return transfer, [DocumentLine(i, v, sku, name or {}, q, s, r) for i, v, sku, name, q, s, r in rows]


@dataclass(frozen=True, slots=True)
class CountRow:
    count: StockCount
    warehouse_code: str
    location_code: str | None
    lines: int
    counted: int


async def counts(session: AsyncSession, status: str = "") -> list[CountRow]:
    """The latest counts (of one status), newest first, with how many lines have been counted."""
    rows = await session.execute(
        text(
            "SELECT c.id, w.code, l.code, (SELECT count(*) FROM stock_count_lines x WHERE x.tenant_id = c.tenant_id "
            "AND x.count_id = c.id), (SELECT count(*) FROM stock_count_lines x WHERE x.tenant_id = c.tenant_id "
            "AND x.count_id = c.id AND x.counted_qty IS NOT NULL) FROM stock_counts c "
            "JOIN warehouses w ON w.tenant_id = c.tenant_id AND w.id = c.warehouse_id "
            "LEFT JOIN locations l ON l.tenant_id = c.tenant_id AND l.id = c.location_id "
            "WHERE (CAST(:status AS text) = '' OR c.status = :status) ORDER BY c.created_at DESC LIMIT :limit"
        ),
        {"status": status, "limit": LIMIT},
    )
    found = list(rows)
    loaded = {c.id: c for c in await _load(session, StockCount, [r[0] for r in found])}
    return [CountRow(loaded[i], w, loc, n, k) for i, w, loc, n, k in found]


async def count_detail(session: AsyncSession, count_id: uuid.UUID) -> tuple[StockCount, list[DocumentLine]]:
    """A count and its lines (expected and counted), by location then SKU."""
    count = (await _load(session, StockCount, [count_id]) or [None])[0]
    if count is None:
        raise NotFound()
    rows = await session.execute(
        text(
            "SELECT x.id, x.variant_id, v.sku, p.name, x.expected_qty, l.code, lot.code, x.counted_qty "
            "FROM stock_count_lines x JOIN product_variants v ON v.tenant_id = x.tenant_id AND v.id = x.variant_id "
            "JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id "
            "JOIN locations l ON l.tenant_id = x.tenant_id AND l.id = x.location_id "
            "LEFT JOIN lots lot ON lot.tenant_id = x.tenant_id AND lot.id = x.lot_id "
            "WHERE x.count_id = :id ORDER BY l.code, v.sku, lot.code"
        ),
        {"id": count_id},
    )
    lines = [
        DocumentLine(i, v, sku, name or {}, expected, ZERO, ZERO, location=loc, lot=lot, counted=counted)
        for i, v, sku, name, expected, loc, lot, counted in rows
    ]
    return count, lines


@dataclass(frozen=True, slots=True)
class RuleRow:
    id: uuid.UUID
    variant_id: uuid.UUID
    sku: str
    name: dict
    warehouse_id: uuid.UUID
    warehouse_code: str
    kind: str
    min_qty: Decimal
    max_qty: Decimal


async def reorder_rules(session: AsyncSession, warehouse_id: uuid.UUID | None = None) -> list[RuleRow]:
    """The reorder rules (of one warehouse), by SKU."""
    rows = await session.execute(
        text(
            "SELECT r.id, r.variant_id, v.sku, p.name, r.warehouse_id, w.code, r.kind, r.min_qty, r.max_qty "
            "FROM reorder_rules r JOIN product_variants v ON v.tenant_id = r.tenant_id AND v.id = r.variant_id "
            "JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id "
            "JOIN warehouses w ON w.tenant_id = r.tenant_id AND w.id = r.warehouse_id "
            "WHERE CAST(:w AS uuid) IS NULL OR r.warehouse_id = :w ORDER BY v.sku, w.code"
        ),
        {"w": warehouse_id},
    )
    return [RuleRow(*row[:3], row[3] or {}, *row[4:]) for row in rows]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Buy qty of a variant for a warehouse by order_by (purchasing turns these into purchase orders)."""

    variant_id: uuid.UUID
    sku: str
    name: dict
    warehouse_id: uuid.UUID
    warehouse_code: str
    qty: Decimal
    order_by: date
    expected_on: date
    projected: Decimal
    late: bool


async def purchase_suggestions(
    session: AsyncSession,
    *,
    today: date | None = None,
    warehouse_id: uuid.UUID | None = None,
    terms: Mapping[uuid.UUID, SupplyTerms] | None = None,
) -> list[Suggestion]:
    """What the reorder rules ask to buy now: the domain rule on on hand - reserved + incoming of each rule's
    variant and warehouse; `terms` (variant -> supplier's MOQ, pack size, lead time) come from purchasing."""
    today = today or date.today()
    rules = await reorder_rules(session, warehouse_id)
    if not rules:
        return []
    figures = await atp(session, sorted({r.variant_id for r in rules}), by_warehouse=True, today=today)
    found: list[Suggestion] = []
    for r in rules:
        level = figures.level(r.variant_id, r.warehouse_id)
        incoming = sum((d.qty for d in figures.incoming.get((r.variant_id, r.warehouse_id), ())), ZERO)
        position = StockPosition(level.on_hand if level else ZERO, level.reserved if level else ZERO, incoming)
        rule = MinMaxRule(r.min_qty, r.max_qty) if r.kind == "min_max" else ReorderPointRule(r.min_qty, r.max_qty)
        proposal = suggest_purchase(position, rule, (terms or {}).get(r.variant_id, SupplyTerms()), today=today)
        if proposal is not None:
            found.append(
                Suggestion(
                    r.variant_id,
                    r.sku,
                    r.name,
                    r.warehouse_id,
                    r.warehouse_code,
                    proposal.qty,
                    proposal.order_by,
                    proposal.expected_on,
                    proposal.projected,
                    proposal.late,
                )
            )
    return found

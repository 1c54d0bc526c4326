"""Reads about stock: the overview per variant and warehouse with its value, a variant's places and ledger, the
stock a picker can take, what is in transit, and the quants a count looks at."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.inventory.domain import StockLot, propose_picks
from app.inventory.values import PageOf
from app.money import to_minor_unit

PER_PAGE = 50
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class StockFilters:
    """What the overview shows: a search (SKU or name), one warehouse, only what is in stock, which page."""

    q: str = ""
    warehouse_id: uuid.UUID | None = None
    in_stock_only: bool = True
    page: int = 1


@dataclass(frozen=True, slots=True)
class StockRow:
    """A variant in a warehouse: on hand, reserved, available and what it is worth."""

    variant_id: uuid.UUID
    sku: str
    name: dict
    warehouse_id: uuid.UUID
    warehouse_code: str
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    value: Decimal
    currency: str


def share_of_value(
    on_hand: Decimal, qty: Decimal | None, value: Decimal | None, cost: Decimal | None, currency: str
) -> Decimal:
    """A warehouse's share of a variant's stock value: by quantity of the valued stock (at the unit cost without)."""
    if qty and qty > 0 and value is not None:
        return to_minor_unit(on_hand * value / qty, currency)
    return to_minor_unit(on_hand * (cost or ZERO), currency)


OVERVIEW = """
FROM stock_levels s
JOIN product_variants v ON v.tenant_id = s.tenant_id AND v.id = s.variant_id
JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
JOIN warehouses w ON w.tenant_id = s.tenant_id AND w.id = s.warehouse_id
LEFT JOIN stock_valuations val ON val.tenant_id = s.tenant_id AND val.variant_id = s.variant_id
WHERE (CAST(:q AS text) = '' OR v.sku ILIKE :like OR p.name ->> 'es' ILIKE :like OR p.name ->> 'en' ILIKE :like)
  AND (CAST(:warehouse AS uuid) IS NULL OR s.warehouse_id = :warehouse)
  AND (NOT :in_stock OR s.on_hand <> 0 OR s.reserved <> 0)
"""


async def stock_overview(session: AsyncSession, f: StockFilters, currency: str) -> PageOf:
    """A page of stock per variant and warehouse, by SKU, with on hand, reserved, available and value."""
    like = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    params = {"q": f.q, "like": like, "warehouse": f.warehouse_id, "in_stock": f.in_stock_only}
    total = await session.scalar(text("SELECT count(*) " + OVERVIEW), params)
    rows = await session.execute(
        text(
            "SELECT v.id, v.sku, p.name, w.id, w.code, s.on_hand, s.reserved, val.qty, val.value, val.unit_cost "
            + OVERVIEW
            + " ORDER BY v.sku, w.code LIMIT :limit OFFSET :offset"
        ),
        {**params, "limit": PER_PAGE, "offset": (f.page - 1) * PER_PAGE},
    )
    result = [
        StockRow(
            vid,
            sku,
            name or {},
            wid,
            code,
            on_hand,
            reserved,
            max(on_hand - reserved, ZERO),
            share_of_value(on_hand, qty, value, cost, currency),
            currency,
        )
        for vid, sku, name, wid, code, on_hand, reserved, qty, value, cost in rows
    ]
    return PageOf(result, int(total or 0), f.page, PER_PAGE)


@dataclass(slots=True)
class VariantStock:
    """A variant's stock everywhere: its valuation, each warehouse, each place and lot, and what is reserved."""

    variant_id: uuid.UUID
    sku: str
    name: dict
    tracking: str
    shelf_life_days: int | None
    method: str | None
    qty: Decimal
    value: Decimal
    unit_cost: Decimal
    currency: str
    warehouses: list[tuple] = field(default_factory=list)  # (code, name, on_hand, reserved, available, value)
    places: list[tuple] = field(default_factory=list)  # (warehouse code, location code, lot, expiry, on_hand)
    reservations: list[tuple] = field(default_factory=list)  # (warehouse code, document kind, qty, needed on)


async def variant_stock(session: AsyncSession, variant_id: uuid.UUID, currency: str) -> VariantStock:
    """Everything the variant's stock page shows above its ledger; NotFound for another tenant's variant."""
    head = (
        await session.execute(
            text(
                "SELECT v.sku, p.name, coalesce(i.tracking, 'none'), i.shelf_life_days, val.method, val.qty, "
                "val.value, val.unit_cost FROM product_variants v "
                "JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id "
                "LEFT JOIN stock_items i ON i.tenant_id = v.tenant_id AND i.variant_id = v.id "
                "LEFT JOIN stock_valuations val ON val.tenant_id = v.tenant_id AND val.variant_id = v.id "
                "WHERE v.id = :id"
            ),
            {"id": variant_id},
        )
    ).first()
    if head is None:
        raise NotFound()
    sku, name, tracked, life, method, qty, value, cost = head
    stock = VariantStock(
        variant_id, sku, name or {}, tracked, life, method, qty or ZERO, value or ZERO, cost or ZERO, currency
    )
    for code, wname, on_hand, reserved in await session.execute(_LEVELS, {"id": variant_id}):
        share = share_of_value(on_hand, qty, value, cost, currency)
        stock.warehouses.append((code, wname, on_hand, reserved, max(on_hand - reserved, ZERO), share))
    stock.places = [tuple(r) for r in await session.execute(_PLACES, {"id": variant_id})]
    stock.reservations = [tuple(r) for r in await session.execute(_RESERVED, {"id": variant_id})]
    return stock


_LEVELS = text(
    "SELECT w.code, w.name, s.on_hand, s.reserved FROM stock_levels s JOIN warehouses w "
    "ON w.tenant_id = s.tenant_id AND w.id = s.warehouse_id WHERE s.variant_id = :id ORDER BY w.code"
)
_PLACES = text(
    "SELECT coalesce(w.code, ''), l.code, lot.code, lot.expiry_date, q.on_hand FROM stock_quants q "
    "JOIN locations l ON l.tenant_id = q.tenant_id AND l.id = q.location_id "
    "LEFT JOIN warehouses w ON w.tenant_id = l.tenant_id AND w.id = l.warehouse_id "
    "LEFT JOIN lots lot ON lot.tenant_id = q.tenant_id AND lot.id = q.lot_id "
    "WHERE q.variant_id = :id AND q.on_hand <> 0 "
    "ORDER BY w.code NULLS LAST, l.code, lot.expiry_date NULLS LAST, lot.code"
)
_RESERVED = text(
    "SELECT w.code, r.document_kind, r.qty, r.needed_on FROM reservations r JOIN warehouses w "
    "ON w.tenant_id = r.tenant_id AND w.id = r.warehouse_id WHERE r.variant_id = :id ORDER BY r.created_at"
)


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """A posted move as the ledger shows it."""

    id: uuid.UUID
    sequence: int
    posted_at: datetime
    reference: str
    document_kind: str
    document_id: uuid.UUID
    from_code: str
    to_code: str
    lot: str | None
    qty: Decimal
    unit_cost: Decimal
    value: Decimal
    adjustment: Decimal
    reason: str | None
    actor: str
    reversed_by: uuid.UUID | None
    sku: str
    variant_id: uuid.UUID


_MOVES = (
    "SELECT m.id, m.sequence, m.posted_at, m.reference, m.document_kind, m.document_id, f.code, t.code, lot.code, "
    "m.qty, m.unit_cost, m.value, m.adjustment, m.reason, m.actor, r.id, v.sku, m.variant_id FROM stock_moves m "
    "JOIN product_variants v ON v.tenant_id = m.tenant_id AND v.id = m.variant_id "
    "JOIN locations f ON f.tenant_id = m.tenant_id AND f.id = m.from_location_id "
    "JOIN locations t ON t.tenant_id = m.tenant_id AND t.id = m.to_location_id "
    "LEFT JOIN lots lot ON lot.tenant_id = m.tenant_id AND lot.id = m.lot_id "
    "LEFT JOIN stock_moves r ON r.tenant_id = m.tenant_id AND r.reversal_of = m.id "
)


async def variant_ledger(session: AsyncSession, variant_id: uuid.UUID, page: int = 1) -> PageOf:
    """The variant's moves, newest first (by their number in the variant's ledger)."""
    total = await session.scalar(text("SELECT count(*) FROM stock_moves WHERE variant_id = :id"), {"id": variant_id})
    rows = await session.execute(
        text(_MOVES + "WHERE m.variant_id = :id ORDER BY m.sequence DESC LIMIT :limit OFFSET :offset"),
        {"id": variant_id, "limit": PER_PAGE, "offset": (page - 1) * PER_PAGE},
    )
    return PageOf([LedgerRow(*row) for row in rows], int(total or 0), page, PER_PAGE)


async def document_moves(session: AsyncSession, document_kind: str, document_id: uuid.UUID) -> list[LedgerRow]:
    """The moves of one document, in the order they were posted."""
    rows = await session.execute(
        text(_MOVES + "WHERE m.document_kind = :kind AND m.document_id = :id ORDER BY m.posted_at, m.id"),
        {"kind": document_kind, "id": document_id},
    )
    return [LedgerRow(*row) for row in rows]


async def stock_value(session: AsyncSession, currency: str) -> Decimal:
    """The value of all the tenant's stock (every warehouse and what is in transit)."""
    total = await session.scalar(text("SELECT coalesce(sum(value), 0) FROM stock_valuations"))
    return to_minor_unit(total or ZERO, currency)


@dataclass(slots=True)
class Pickable:
    """A variant's stock in one warehouse as the picking rule wants it, with the ids behind its codes."""

    sku: str
    lots: list[StockLot] = field(default_factory=list)
    place_ids: dict[str, uuid.UUID] = field(default_factory=dict)
    lot_ids: dict[str, uuid.UUID] = field(default_factory=dict)


async def picking_stock(
    session: AsyncSession, warehouse_id: uuid.UUID, variant_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Pickable]:
    """What can be picked of each variant in a warehouse: each active stock location and lot with stock."""
    rows = await session.execute(
        text(
            "SELECT q.variant_id, v.sku, l.id, l.code, lot.id, lot.code, lot.expiry_date, q.received_on, q.on_hand "
            "FROM stock_quants q JOIN locations l ON l.tenant_id = q.tenant_id AND l.id = q.location_id "
            "JOIN product_variants v ON v.tenant_id = q.tenant_id AND v.id = q.variant_id "
            "LEFT JOIN lots lot ON lot.tenant_id = q.tenant_id AND lot.id = q.lot_id "
            "WHERE l.warehouse_id = :w AND l.kind = 'internal' AND l.is_active AND q.on_hand > 0 "
            "AND q.variant_id = ANY(CAST(:ids AS uuid[]))"
        ),
        {"w": warehouse_id, "ids": list(variant_ids)},
    )
    found: dict[uuid.UUID, Pickable] = {}
    for variant, sku, place, code, lot, lot_code, expiry, received, on_hand in rows:
        entry = found.setdefault(variant, Pickable(sku))
        entry.lots.append(StockLot(code, lot_code, expiry, received, on_hand))
        entry.place_ids[code] = place
        if lot_code is not None:
            entry.lot_ids[lot_code] = lot
    return found


class Pick(NamedTuple):
    """Take qty of a variant from a location (and lot)."""

    variant_id: uuid.UUID
    location_id: uuid.UUID
    lot_id: uuid.UUID | None
    qty: Decimal


@dataclass(frozen=True, slots=True)
class PickPlan:
    """Where to take a variant's quantity in a warehouse (domain `propose_picks`), and what is missing."""

    sku: str
    picks: tuple[Pick, ...]
    shortfall: Decimal


async def plan_picks(
    session: AsyncSession,
    warehouse_id: uuid.UUID,
    wanted: Sequence[tuple[uuid.UUID, Decimal]],
    *,
    today: date | None = None,
    strategy: str = "fefo",
) -> dict[uuid.UUID, PickPlan]:
    """For (variant, qty) pairs, the locations and lots to take them from: FEFO or FIFO, expired lots never.
    Shipping builds its IssueLines from the picks; a shortfall is for the caller to decide (wait or ship less)."""
    stock = await picking_stock(session, warehouse_id, [variant for variant, _qty in wanted])
    plans: dict[uuid.UUID, PickPlan] = {}
    for variant, qty in wanted:
        found = stock.get(variant) or Pickable(await sku_of(session, variant))
        proposal = propose_picks(found.lots, qty, today=today or date.today(), strategy=strategy)
        picks = tuple(
            Pick(variant, found.place_ids[line.location], found.lot_ids.get(line.lot) if line.lot else None, line.qty)
            for line in proposal.lines
        )
        plans[variant] = PickPlan(found.sku, picks, proposal.shortfall)
    return plans


async def sku_of(session: AsyncSession, variant_id: uuid.UUID) -> str:
    sku = await session.scalar(text("SELECT sku FROM product_variants WHERE id = :id"), {"id": variant_id})
    if sku is None:
        raise NotFound()
    return sku


async def in_transit_lots(
    session: AsyncSession, transfer_id: uuid.UUID, transit_id: uuid.UUID
) -> dict[uuid.UUID, list]:
    """For each line of a transfer, [(lot id, qty)] still in transit, in the order they were shipped."""
    rows = await session.execute(
        text(
            "SELECT document_line_id, lot_id, sum(CASE WHEN to_location_id = :transit THEN qty ELSE -qty END), "
            "min(sequence) FROM stock_moves WHERE document_kind = 'transfer' AND document_id = :id "
            "AND (to_location_id = :transit OR from_location_id = :transit) GROUP BY document_line_id, lot_id "
            "HAVING sum(CASE WHEN to_location_id = :transit THEN qty ELSE -qty END) > 0 ORDER BY min(sequence)"
        ),
        {"id": transfer_id, "transit": transit_id},
    )
    lots: dict[uuid.UUID, list] = {}
    for line, lot, qty, _first in rows:
        lots.setdefault(line, []).append((lot, qty))
    return lots


@dataclass(frozen=True, slots=True)
class Quant:
    variant_id: uuid.UUID
    location_id: uuid.UUID
    lot_id: uuid.UUID | None
    on_hand: Decimal


async def quants_under(session: AsyncSession, warehouse_id: uuid.UUID, location_id: uuid.UUID | None) -> list[Quant]:
    """The non-zero quants of a warehouse, or of a location and the locations below it."""
    rows = await session.execute(
        text(
            "WITH RECURSIVE t(id) AS (SELECT id FROM locations WHERE warehouse_id = :w "
            "AND (CAST(:loc AS uuid) IS NULL AND parent_id IS NULL OR id = :loc) "
            "UNION ALL SELECT l.id FROM locations l JOIN t ON l.parent_id = t.id) "
            "SELECT q.variant_id, q.location_id, q.lot_id, q.on_hand FROM stock_quants q "
            "JOIN t ON t.id = q.location_id "
            "WHERE q.on_hand <> 0 ORDER BY q.location_id, q.variant_id"
        ),
        {"w": warehouse_id, "loc": location_id},
    )
    return [Quant(*row) for row in rows]


async def quant_on_hand(
    session: AsyncSession, variant_id: uuid.UUID, location_id: uuid.UUID, lot_id: uuid.UUID | None
) -> Decimal:
    found = await quants_at(session, [(variant_id, location_id, lot_id)])
    return found.get((variant_id, location_id, lot_id), ZERO)


async def quants_at(session: AsyncSession, keys: Sequence[tuple]) -> dict[tuple, Decimal]:
    """On hand at (variant, location, lot) places."""
    if not keys:
        return {}
    rows = await session.execute(
        text(
            "SELECT q.variant_id, q.location_id, q.lot_id, q.on_hand FROM stock_quants q "
            "JOIN unnest(CAST(:v AS uuid[]), CAST(:l AS uuid[]), CAST(:lot AS uuid[])) AS k(v, l, lot) "
            "ON q.variant_id = k.v AND q.location_id = k.l AND q.lot_id IS NOT DISTINCT FROM k.lot"
        ),
        {"v": [k[0] for k in keys], "l": [k[1] for k in keys], "lot": [k[2] for k in keys]},
    )
    return {(v, loc, lot): on_hand for v, loc, lot, on_hand in rows}


def today_or(value: date | None) -> date:
    return value or date.today()

"""Availability and available-to-promise: what other domains and the storefront ask of the stock.

Available now is on hand less reserved (never below zero) per variant and warehouse. ATP adds what is expected in
and out by date: transfers in transit are the inventory's own incoming supply; other domains plug theirs in at
assembly (`register_incoming` / `register_outgoing`, e.g. purchasing's open order lines) without inventory
importing them, or a caller passes `incoming` / `outgoing` itself. The timelines are the domain's rule
(`atp_timeline`), computed for the variants a caller reads, so the figures for a thousand SKUs stay one query.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from app.db import driver_connection
from app.inventory.domain import (
    AtpPoint,
    AvailabilityDisplay,
    AvailabilityMode,
    DatedQty,
    StockSignal,
    atp_timeline,
    display_availability,
    kit_available,
    kit_promise_date,
    promise_date,
)
from app.inventory.values import Supply

ZERO = Decimal(0)
Provider = Callable[[AsyncSession, Sequence[uuid.UUID], Sequence[uuid.UUID] | None], Awaitable[Iterable[Supply]]]
_INCOMING: dict[str, Provider] = {}
_OUTGOING: dict[str, Provider] = {}


def register_incoming(name: str, provider: Provider) -> None:
    """Add (or replace) a source of expected receipts: `provider(session, variant_ids, warehouse_ids)` -> Supply."""
    _INCOMING[name] = provider


def register_outgoing(name: str, provider: Provider) -> None:
    """Add (or replace) a source of expected demand not yet reserved (confirmed orders, planned transfers)."""
    _OUTGOING[name] = provider


class StockAvailability(NamedTuple):
    """A variant in a warehouse (None: several together) now: on hand, reserved, and available (on hand less
    reserved, never below zero in any warehouse)."""

    variant_id: uuid.UUID
    warehouse_id: uuid.UUID | None
    on_hand: Decimal
    reserved: Decimal
    available: Decimal


LEVELS = """
SELECT s.variant_id, s.warehouse_id, s.on_hand, s.reserved, greatest(s.on_hand - s.reserved, 0) AS available
FROM unnest($1::uuid[]) AS v(id)
JOIN stock_levels s ON s.tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid AND s.variant_id = v.id
WHERE $2::uuid[] IS NULL OR s.warehouse_id = ANY($2::uuid[])
"""
IN_TRANSIT = """
SELECT l.variant_id, t.to_warehouse_id, coalesce(t.expected_on, current_date) AS on, sum(l.qty_shipped - l.qty_received)
FROM transfers t JOIN transfer_lines l ON l.tenant_id = t.tenant_id AND l.transfer_id = t.id
JOIN unnest($1::uuid[]) AS v(id) ON l.variant_id = v.id
WHERE t.tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid AND t.status = 'in_transit'
  AND ($2::uuid[] IS NULL OR t.to_warehouse_id = ANY($2::uuid[]))
GROUP BY 1, 2, 3 HAVING sum(l.qty_shipped - l.qty_received) > 0
"""


async def availability(
    session: AsyncSession, variant_ids: Sequence[uuid.UUID], warehouse_ids: Sequence[uuid.UUID] | None = None
) -> list[StockAvailability]:
    """On hand, reserved and available of each variant in each warehouse that has a level for it."""
    if not variant_ids:
        return []
    conn = await driver_connection(session)
    wanted = list(dict.fromkeys(variant_ids))
    rows = await conn.fetch(LEVELS, wanted, list(warehouse_ids) if warehouse_ids is not None else None)
    return [StockAvailability(*row) for row in rows]


async def transfers_in_transit(
    session: AsyncSession, variant_ids: Sequence[uuid.UUID], warehouse_ids: Sequence[uuid.UUID] | None
) -> list[Supply]:
    """Goods shipped between warehouses and not yet received: incoming at the destination on the expected date."""
    conn = await driver_connection(session)
    wanted = list(dict.fromkeys(variant_ids))
    rows = await conn.fetch(IN_TRANSIT, wanted, list(warehouse_ids) if warehouse_ids is not None else None)
    return [Supply(*row) for row in rows]


class Atp:
    """Available to promise of some variants: the figures now and the supply and demand by date.

    Built per warehouse (`by_warehouse`) or for the warehouses together (keys with warehouse None); `timeline` and
    `promise_date` apply the domain rule (`atp_timeline`, `promise_date`) to one variant, in one warehouse or all.
    """

    __slots__ = ("by_warehouse", "incoming", "levels", "outgoing", "today")

    def __init__(
        self,
        today: date,
        levels: dict[tuple[uuid.UUID, uuid.UUID | None], StockAvailability],
        incoming: dict[tuple[uuid.UUID, uuid.UUID | None], list[DatedQty]],
        outgoing: dict[tuple[uuid.UUID, uuid.UUID | None], list[DatedQty]],
        *,
        by_warehouse: bool,
    ) -> None:
        self.today, self.levels, self.incoming, self.outgoing = today, levels, incoming, outgoing
        self.by_warehouse = by_warehouse

    def _key(self, variant_id: uuid.UUID, warehouse_id: uuid.UUID | None) -> tuple[uuid.UUID, uuid.UUID | None]:
        if (warehouse_id is not None) != self.by_warehouse:
            raise ValueError("ask per warehouse when the figures are per warehouse, and only then")
        return (variant_id, warehouse_id)

    def level(self, variant_id: uuid.UUID, warehouse_id: uuid.UUID | None = None) -> StockAvailability | None:
        """The variant's figures (in one warehouse); None when it has never had stock there."""
        return self.levels.get(self._key(variant_id, warehouse_id))

    def available_now(self, variant_id: uuid.UUID, warehouse_id: uuid.UUID | None = None) -> Decimal:
        """What can be promised now: on hand less reserved, per warehouse never below zero."""
        found = self.levels.get(self._key(variant_id, warehouse_id))
        return found.available if found else ZERO

    def timeline(self, variant_id: uuid.UUID, warehouse_id: uuid.UUID | None = None) -> tuple[AtpPoint, ...]:
        """The ATP timeline from today (domain `atp_timeline`)."""
        key = self._key(variant_id, warehouse_id)
        found = self.levels.get(key)
        on_hand, reserved = (found.on_hand, found.reserved) if found else (ZERO, ZERO)
        ins, outs = self.incoming.get(key, ()), self.outgoing.get(key, ())
        return atp_timeline(on_hand, reserved, today=self.today, incoming=ins, outgoing=outs)

    def promise_date(self, variant_id: uuid.UUID, qty: Decimal, warehouse_id: uuid.UUID | None = None) -> date | None:
        """The first date qty can be promised, or None (on request)."""
        return promise_date(self.timeline(variant_id, warehouse_id), qty)


TOTALS = """
SELECT s.variant_id, NULL::uuid, sum(s.on_hand), sum(s.reserved), sum(greatest(s.on_hand - s.reserved, 0))
FROM unnest($1::uuid[]) AS v(id)
JOIN stock_levels s ON s.tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid AND s.variant_id = v.id
WHERE $2::uuid[] IS NULL OR s.warehouse_id = ANY($2::uuid[])
GROUP BY s.variant_id
"""


async def atp(
    session: AsyncSession,
    variant_ids: Sequence[uuid.UUID],
    warehouse_ids: Sequence[uuid.UUID] | None = None,
    *,
    by_warehouse: bool = False,
    today: date | None = None,
    incoming: Iterable[Supply] | None = None,
    outgoing: Iterable[Supply] | None = None,
) -> Atp:
    """Figures now and dated supply and demand for the variants, over the warehouses (all when None) together or
    `by_warehouse`; `incoming` / `outgoing` replace the registered providers when given."""
    today = today or date.today()
    wanted = list(dict.fromkeys(variant_ids))
    if by_warehouse:
        rows = await availability(session, wanted, warehouse_ids)
    else:
        conn = await driver_connection(session)
        found = await conn.fetch(TOTALS, wanted, list(warehouse_ids) if warehouse_ids is not None else None)
        rows = [StockAvailability(*row) for row in found]
    levels = {(row.variant_id, row.warehouse_id): row for row in rows}
    if incoming is None:
        incoming = await _gather(session, {"transfers": transfers_in_transit, **_INCOMING}, wanted, warehouse_ids)
    if outgoing is None:
        outgoing = await _gather(session, _OUTGOING, wanted, warehouse_ids)
    dated = {"incoming": _dated(incoming, by_warehouse), "outgoing": _dated(outgoing, by_warehouse)}
    return Atp(today, levels, dated["incoming"], dated["outgoing"], by_warehouse=by_warehouse)


async def _gather(session, providers: Mapping[str, Provider], variant_ids, warehouse_ids) -> list[Supply]:
    found: list[Supply] = []
    if not variant_ids:
        return found
    for provider in providers.values():
        found.extend(await provider(session, variant_ids, warehouse_ids))
    return found


def _dated(supply: Iterable[Supply], by_warehouse: bool) -> dict[tuple[uuid.UUID, uuid.UUID | None], list[DatedQty]]:
    dated: dict[tuple[uuid.UUID, uuid.UUID | None], list[DatedQty]] = {}
    for each in supply:
        key = (each.variant_id, each.warehouse_id if by_warehouse else None)
        dated.setdefault(key, []).append(DatedQty(each.on, each.qty))
    return dated


KIT_COMPONENTS = """
SELECT k.kit_variant_id, k.component_variant_id, k.qty
FROM unnest($1::uuid[]) AS v(id)
JOIN kit_components k ON k.tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
  AND k.kit_variant_id = v.id
"""


async def kit_components(
    session: AsyncSession, variant_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[uuid.UUID, Decimal]]]:
    """Kit variant -> [(component variant, quantity per kit)] for those of the variants that are kits."""
    conn = await driver_connection(session)
    kits: dict[uuid.UUID, list[tuple[uuid.UUID, Decimal]]] = {}
    for kit, component, qty in await conn.fetch(KIT_COMPONENTS, list(dict.fromkeys(variant_ids))):
        kits.setdefault(kit, []).append((component, qty))
    return kits


async def storefront_availability(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    variant_ids: Sequence[uuid.UUID],
    *,
    requested: Mapping[uuid.UUID, Decimal] | None = None,
    today: date | None = None,
) -> dict[uuid.UUID, AvailabilityDisplay]:
    """What a shopper sees for each variant, over all warehouses, as the tenant's setting asks (domain rule
    `display_availability`): in stock / n available / available from <date> / on request. A kit is as available
    as its components make it (`kit_available`, `kit_promise_date`). Remembered per request by
    `shown_availability`, under the change topic `availability` (stock levels, reservations, these settings and
    the dated supply send it)."""
    from app.inventory.queries.places import inventory_settings

    rules = await inventory_settings(session, tenant_id)
    if rules.availability_mode == AvailabilityMode.HIDDEN:  # nothing to show: no figures to read
        return dict.fromkeys(variant_ids, AvailabilityDisplay(StockSignal.HIDDEN))
    kits = await kit_components(session, variant_ids) if variant_ids else {}
    parts = [component for lines in kits.values() for component, _qty in lines]
    figures = await atp(session, [*variant_ids, *parts], today=today)
    shown: dict[uuid.UUID, AvailabilityDisplay] = {}
    for variant_id in variant_ids:
        wanted = (requested or {}).get(variant_id, Decimal(1))
        lines = kits.get(variant_id)
        if lines:
            now = kit_available((figures.available_now(c), per) for c, per in lines)
            dates = (figures.promise_date(c, wanted * per) for c, per in lines) if now < wanted else ()
            later = kit_promise_date(dates)
        else:
            now = figures.available_now(variant_id)
            later = figures.promise_date(variant_id, wanted) if now < wanted else None
        shown[variant_id] = display_availability(
            rules.availability_mode, now, requested=wanted, low_stock_at=rules.low_stock_at, available_from=later
        )
    return shown


async def in_stock(session: AsyncSession, variant_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """The variants with something available now in some warehouse (the storefront's in-stock facet)."""
    return {a.variant_id for a in await availability(session, variant_ids) if a.available > 0}

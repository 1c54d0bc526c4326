"""The one posting function every kind of stock move goes through, and reversals.

`post_moves` posts a document's moves in one batch inside a savepoint: it locks the variants' valuation rows in
variant order (every posting of a variant waits there, so the checks below see each other's results), values
each move with the tenant's cost method (domain rules), inserts the moves, adds to quants and warehouse levels
in SQL, consumes the reservations the moves ship, and refuses the batch when a quant or a level goes short
(unless the tenant allows negative stock) or a serial number would be in stock twice. A deadlock or a
reservation changed underneath is retried once, so neither reaches the caller.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import TypeVar

import asyncpg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.base import new_id
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.inventory import repo
from app.inventory._valuing import Book, layer_changes, open_book, valuation_row, value_move
from app.inventory.domain import STOCK_KINDS, Direction, StockRuleError
from app.inventory.services._checks import quantity, text, unit_cost
from app.inventory.services._posting_context import Context, load_context
from app.inventory.values import MOVED_TOPIC, InsufficientStock, MoveLine, Posted, PostedMove, StockDocument
from app.outbox.services import emit

MAX_LINES = 5_000
RETRYABLE = {"40P01", "40001"}  # deadlock detected, serialization failure
T = TypeVar("T")


class ReservationChanged(Exception):
    """A reservation being shipped changed between reading and taking it: the posting is retried."""


async def post_moves(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    document: StockDocument,
    lines: Sequence[MoveLine],
    actor: Actor,
    *,
    today: date | None = None,
) -> Posted:
    """Post a document's moves (one batch, all or nothing) and announce them (`inventory.moved`)."""
    if not lines:
        raise ValidationFailed({"lines": _("Add at least one line.")})
    if len(lines) > MAX_LINES:
        raise ValidationFailed({"lines": _("At most %(n)s lines in one document.", n=MAX_LINES)})
    text(document.kind, "document_kind", 30, required=True)
    text(document.reference, "reference", 40, required=True)
    for line in lines:
        quantity(line.qty)
        if line.unit_cost is not None:
            unit_cost(line.unit_cost)
        if line.reason is not None:
            text(line.reason, "reason", 20)
    await session.flush()
    conn = await repo.connection(session)
    context = await load_context(conn, tenant_id, lines)
    posted = await retrying(session, lambda: _post(conn, tenant_id, document, lines, context, actor, today))
    await emit(session, tenant_id, MOVED_TOPIC, _event(document, lines, context))
    return posted


async def retrying(session: AsyncSession, work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` in a savepoint; on a deadlock, a serialization failure or a changed reservation, once more."""
    for attempt in (1, 2):
        try:
            async with session.begin_nested():
                return await work()
        except (asyncpg.PostgresError, DBAPIError, ReservationChanged) as exc:
            if attempt == 2 or not _retryable(exc):
                raise
    raise AssertionError("unreachable")


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, ReservationChanged):
        return True
    state = getattr(exc, "sqlstate", None) or getattr(getattr(exc, "orig", None), "sqlstate", None)
    return state in RETRYABLE


async def _post(
    conn: asyncpg.Connection,
    tenant_id: uuid.UUID,
    document: StockDocument,
    lines: Sequence[MoveLine],
    context: Context,
    actor: Actor,
    today: date | None,
) -> Posted:
    variants = sorted({line.variant_id for line in lines})
    books = await _open_books(conn, tenant_id, variants, context)
    today = today or date.today()
    moves = [_valued(line, books[line.variant_id], context, today) for line in lines]
    head = (document.kind, document.id, document.reference[:40], actor.label[:320])
    await repo.insert_moves(
        conn, tenant_id, head, [_move_row(line, move) for line, move in zip(lines, moves, strict=True)]
    )
    await _add_to_quants(conn, tenant_id, lines, context)
    await _add_to_levels(conn, tenant_id, lines, context)
    await repo.save_valuations(conn, tenant_id, [valuation_row(books[v]) for v in variants])
    await _save_layers(conn, tenant_id, books, moves)
    await _refuse_serials_twice(conn, tenant_id, lines, context)
    return Posted(document, tuple(moves))


async def _open_books(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, variants: list[uuid.UUID], context: Context
) -> dict[uuid.UUID, Book]:
    rows = await repo.lock_valuations(conn, tenant_id, variants, context.cost_method, context.currency)
    if len(rows) < len(variants):
        raise NotFound()
    fifo = [v for v, row in rows.items() if row["method"] == "fifo"]
    layers: dict[uuid.UUID, list] = {v: [] for v in fifo}
    for layer in await repo.open_layers(conn, tenant_id, fifo):
        layers[layer["variant_id"]].append(layer)
    return {v: open_book(row, layers.get(v, [])) for v, row in rows.items()}


def _valued(line: MoveLine, book: Book, context: Context, today: date) -> PostedMove:
    way = context.ways[(line.from_location_id, line.to_location_id)]
    try:
        value = value_move(book, way, line.qty, line.unit_cost, today)
    except StockRuleError as exc:
        raise ValidationFailed({exc.field: exc.reason}) from None
    return PostedMove(
        new_id(),
        line.variant_id,
        book.moves,
        line.from_location_id,
        line.to_location_id,
        line.lot_id,
        line.qty,
        value.unit_cost,
        value.value,
        value.adjustment,
    )


def _move_row(line: MoveLine, move: PostedMove) -> tuple:
    return (
        move.id,
        move.sequence,
        move.variant_id,
        move.from_location_id,
        move.to_location_id,
        move.lot_id,
        move.qty,
        move.unit_cost,
        move.value,
        move.adjustment,
        line.line_id,
        line.reason,
        line.reversal_of,
    )


def _stock_deltas(lines: Sequence[MoveLine], context: Context) -> dict[tuple, Decimal]:
    """What the document adds to each (variant, stock location, lot)."""
    deltas: dict[tuple, Decimal] = {}
    for line in lines:
        for location, sign in ((line.from_location_id, -1), (line.to_location_id, 1)):
            if context.places[location]["kind"] in STOCK_KINDS:
                key = (line.variant_id, location, line.lot_id)
                deltas[key] = deltas.get(key, Decimal(0)) + sign * line.qty
    return deltas


async def _add_to_quants(conn, tenant_id: uuid.UUID, lines: Sequence[MoveLine], context: Context) -> None:
    """Stock locations follow the moves; a place the document takes below zero refuses it (unless allowed)."""
    deltas = _stock_deltas(lines, context)
    ordered = sorted((k for k, d in deltas.items() if d), key=lambda k: (k[0], k[1], k[2] or uuid.UUID(int=0)))
    rows = await repo.add_to_quants(conn, tenant_id, [(new_id(), *key, deltas[key]) for key in ordered])
    if context.allow_negative:
        return
    for row in rows:
        key = (row["variant_id"], row["location_id"], row["lot_id"])
        if deltas[key] < 0 and row["on_hand"] < 0:
            place = context.places[key[1]]["code"]
            lot = context.lots.get(key[2])
            where = f"{place} ({_('lot')} {lot['code']})" if lot else place
            raise InsufficientStock(context.sku(key[0]), max(row["on_hand"] - deltas[key], Decimal(0)), place=where)


async def _add_to_levels(conn, tenant_id: uuid.UUID, lines: Sequence[MoveLine], context: Context) -> None:
    """Warehouse on hand follows the internal locations; reserved goes down by what shipping consumes."""
    deltas: dict[tuple, list[Decimal]] = {}
    for line in lines:
        for location, sign in ((line.from_location_id, -1), (line.to_location_id, 1)):
            warehouse = context.places[location]["warehouse_id"]
            if context.places[location]["kind"] == "internal":
                deltas.setdefault((line.variant_id, warehouse), [Decimal(0), Decimal(0)])[0] += sign * line.qty
    takes = await _consumption(conn, tenant_id, lines, context, deltas)
    changes = [(*key, d[0], d[1]) for key, d in sorted(deltas.items()) if d[0] or d[1]]
    rows = await repo.add_to_levels(conn, tenant_id, changes)
    if not context.allow_negative:
        for row in rows:
            key = (row["variant_id"], row["warehouse_id"])
            if deltas[key][0] < 0 and row["on_hand"] < row["reserved"]:
                before = row["on_hand"] - deltas[key][0] - (row["reserved"] + deltas[key][1])
                raise InsufficientStock(
                    context.sku(key[0]), max(before, Decimal(0)), place=context.warehouse_code(key[1])
                )
    if not await repo.take_reserved(conn, tenant_id, takes):
        raise ReservationChanged()


async def _consumption(conn, tenant_id, lines, context: Context, deltas: dict[tuple, list[Decimal]]) -> list[tuple]:
    """What each shipped line takes from its reservation: as much of the line as is still reserved for it."""
    wanted = {}
    for line in lines:
        if line.reservation is not None and context.places[line.from_location_id]["kind"] == "internal":
            warehouse = context.places[line.from_location_id]["warehouse_id"]
            wanted[(line.reservation.document_kind, line.reservation.document_line_id, warehouse)] = line.variant_id
    if not wanted:
        return []
    left = {}
    for row in await repo.reserved_for(conn, tenant_id, list(wanted)):
        key = (row["document_kind"], row["document_line_id"], row["warehouse_id"])
        if row["variant_id"] == wanted[key]:
            left[key] = row["qty"]
    taken: dict[tuple, Decimal] = {}
    for line in lines:
        if line.reservation is None or context.places[line.from_location_id]["kind"] != "internal":
            continue
        warehouse = context.places[line.from_location_id]["warehouse_id"]
        key = (line.reservation.document_kind, line.reservation.document_line_id, warehouse)
        take = min(left.get(key, Decimal(0)) - taken.get(key, Decimal(0)), line.qty)
        if take > 0:
            taken[key] = taken.get(key, Decimal(0)) + take
            deltas[(line.variant_id, warehouse)][1] += take
    return [(*key, qty) for key, qty in sorted(taken.items(), key=lambda item: (item[0][1], item[0][2]))]


async def _save_layers(conn, tenant_id: uuid.UUID, books: dict[uuid.UUID, Book], moves: list[PostedMove]) -> None:
    new: list[tuple] = []
    changed: list[tuple] = []
    by_variant: dict[uuid.UUID, dict[int, uuid.UUID]] = {}
    for move in moves:
        by_variant.setdefault(move.variant_id, {})[move.sequence] = move.id
    for variant, book in books.items():
        added, taken = layer_changes(book, by_variant.get(variant, {}), new_id)
        new += added
        changed += taken
    await repo.save_layers(conn, tenant_id, new, changed)


async def _refuse_serials_twice(conn, tenant_id: uuid.UUID, lines: Sequence[MoveLine], context: Context) -> None:
    """A serial number is one unit: it may be in stock at one place only."""
    serial_lots = [
        line.lot_id
        for line in lines
        if line.lot_id
        and context.items[line.variant_id]["tracking"] == "serial"
        and context.ways[(line.from_location_id, line.to_location_id)] is Direction.IN
    ]
    for row in await repo.serials_in_stock_twice(conn, tenant_id, serial_lots):
        raise ValidationFailed(
            {
                "serials": _(
                    "Serial number %(serial)s of %(sku)s is already in stock.", serial=row["code"], sku=row["sku"]
                )
            }
        )


def _event(document: StockDocument, lines: Sequence[MoveLine], context: Context) -> dict:
    warehouses = {
        str(context.places[loc]["warehouse_id"])
        for line in lines
        for loc in (line.from_location_id, line.to_location_id)
        if context.places[loc]["warehouse_id"]
    }
    return {
        "document_kind": document.kind,
        "document_id": str(document.id),
        "reference": document.reference,
        "variant_ids": sorted({str(line.variant_id) for line in lines}),
        "warehouse_ids": sorted(warehouses),
    }

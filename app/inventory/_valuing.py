"""Valuing a document's moves, pure: a variant's valuation row (and open FIFO layers) in, the rule applied move by
move, the row and the layer changes out. The rules themselves are the domain's (`AverageCost`, `FifoCost`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from app.inventory._errors import ZERO
from app.inventory._ledger_rules import Direction
from app.inventory._valuation import AverageCost, CostLayer, FifoCost, MoveValue, unit_cost_of


@dataclass(slots=True)
class Book:
    """One variant's valuation while a document is valued: the rule's state, and the number of its last move."""

    variant_id: uuid.UUID
    state: AverageCost | FifoCost
    moves: int
    layer_ids: dict[int, uuid.UUID] = field(default_factory=dict)  # loaded FIFO layers: sequence -> row id
    loaded: dict[int, CostLayer] = field(default_factory=dict)


def open_book(row: Any, layers: list[Any]) -> Book:
    """The book of a stock_valuations row and its open cost layers (FIFO only)."""
    if row["method"] == "average":
        state: AverageCost | FifoCost = AverageCost(row["currency"], row["qty"], row["value"], row["unit_cost"])
        return Book(row["variant_id"], state, row["moves"])
    loaded = {
        layer["sequence"]: CostLayer(
            layer["sequence"],
            layer["qty_received"],
            layer["qty_remaining"],
            layer["value_remaining"],
            layer["unit_cost"],
            layer["received_on"],
        )
        for layer in layers
    }
    state = FifoCost(row["currency"], tuple(loaded.values()), row["owed_qty"], row["owed_value"], row["unit_cost"])
    return Book(row["variant_id"], state, row["moves"], {layer["sequence"]: layer["id"] for layer in layers}, loaded)


def current_cost(state: AverageCost | FifoCost) -> Decimal:
    """What one unit is worth now: the average, or for FIFO the value in stock per unit (else the last cost)."""
    if isinstance(state, AverageCost):
        return state.unit_cost
    qty = state.qty_on_hand
    return unit_cost_of(state.total_value / qty) if qty > 0 else state.last_unit_cost


def value_move(book: Book, way: Direction, qty: Decimal, unit_cost: Decimal | None, today: date) -> MoveValue:
    """Value one move and advance the book: receipts at their cost (None: the current one), issues by the rule
    (short stock is left to the ledger's checks, which know the location and lot), internal moves at zero."""
    book.moves += 1
    state = book.state
    if way is Direction.INTERNAL:
        return MoveValue(qty, ZERO, current_cost(state))
    if way is Direction.OUT:
        book.state, move = state.issue(qty, allow_negative=True)
        return move
    cost = current_cost(state) if unit_cost is None else unit_cost
    if isinstance(state, FifoCost):
        book.state, move = state.receive(qty, cost, received_on=today, sequence=book.moves)
    else:
        book.state, move = state.receive(qty, cost)
    return move


def valuation_row(book: Book) -> tuple:
    """(variant, qty, value, unit cost, owed qty, owed value, moves) as stock_valuations stores them."""
    state = book.state
    if isinstance(state, AverageCost):
        return (book.variant_id, state.qty_on_hand, state.total_value, state.unit_cost, ZERO, ZERO, book.moves)
    return (
        book.variant_id,
        state.qty_on_hand,
        state.total_value,
        state.last_unit_cost,
        state.owed_qty,
        state.owed_value,
        book.moves,
    )


def layer_changes(book: Book, move_ids: dict[int, uuid.UUID], new_id) -> tuple[list[tuple], list[tuple]]:
    """FIFO layers to insert (received in this document) and to update (taken from by its issues)."""
    if not isinstance(book.state, FifoCost):
        return [], []
    new: list[tuple] = []
    changed: list[tuple] = []
    for layer in book.state.layers:
        before = book.loaded.get(layer.sequence)
        if before is None:
            new.append(
                (
                    new_id(),
                    book.variant_id,
                    layer.sequence,
                    move_ids[layer.sequence],
                    layer.received_on,
                    layer.qty_received,
                    layer.qty_remaining,
                    layer.value_remaining,
                    layer.unit_cost,
                )
            )
        elif before != layer:
            changed.append(
                (book.layer_ids[layer.sequence], layer.qty_remaining, layer.value_remaining, layer.unit_cost)
            )
    return new, changed

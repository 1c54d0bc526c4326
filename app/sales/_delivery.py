"""Delivery planning for an order: what to reserve now in which warehouse, what to backorder, and when each
line and the order can ship, for the buyer's choice of shipping what is there or waiting for everything.

Both choices reserve what is available now: a buyer who waits for the rest must still get the units that
are on the shelf today, so no other order takes them meanwhile. The choice changes the dates: shipping what
is available sends the reserved part at once and the rest when it comes; waiting ships everything on the
day the last line is complete.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from app.inventory.domain import AtpPoint, promise_date
from app.sales._errors import N_, ZERO, SalesRuleError, not_negative, positive


class DeliveryMode(StrEnum):
    """The buyer's choice at checkout; the value is what the order row stores."""

    SHIP_AVAILABLE = "ship_available"  # ship what is available now, backorder the rest
    SHIP_COMPLETE = "ship_complete"  # wait and ship everything together


class WarehouseStock(NamedTuple):
    """What one warehouse can still promise of a variant now (inventory's `available`: on hand less reserved)."""

    warehouse: Hashable
    available: Decimal


class PlanLine(NamedTuple):
    """An order line to plan: the variant and the quantity in its stock unit."""

    line_id: Hashable
    variant_id: Hashable
    qty: Decimal


class Reservation(NamedTuple):
    """Reserve qty of the line's variant in this warehouse now."""

    line_id: Hashable
    variant_id: Hashable
    warehouse: Hashable
    qty: Decimal


@dataclass(frozen=True, slots=True)
class LinePlan:
    """One line: the reservations, what is backordered, the day its first part ships and the day it is
    complete (None: the rest is not in any known supply, "on request")."""

    line_id: Hashable
    variant_id: Hashable
    qty: Decimal
    reservations: tuple[Reservation, ...]
    backordered: Decimal
    ships_on: date | None
    complete_on: date | None

    @property
    def reserved(self) -> Decimal:
        return sum((r.qty for r in self.reservations), ZERO)


class PlannedShipment(NamedTuple):
    """What leaves on one day (None: on request), as (line id, qty) pairs."""

    on: date | None
    lines: tuple[tuple[Hashable, Decimal], ...]


@dataclass(frozen=True, slots=True)
class DeliveryPlan:
    """The plan for the whole order: per line, the shipments in date order (on request last), the first ship
    day and the day it is complete (None when some line is on request)."""

    mode: DeliveryMode
    lines: tuple[LinePlan, ...]
    shipments: tuple[PlannedShipment, ...]
    first_ship_on: date | None
    complete_on: date | None

    @property
    def reservations(self) -> tuple[Reservation, ...]:
        return tuple(r for line in self.lines for r in line.reservations)

    @property
    def backordered(self) -> tuple[LinePlan, ...]:
        return tuple(line for line in self.lines if line.backordered > 0)


def _take(qty: Decimal, stock: list[list]) -> list[tuple[Hashable, Decimal]]:
    """Take qty from [warehouse, left] rows in preference order: all from the first one that holds it all
    (one parcel), else from each in turn. Rows are decremented in place."""
    whole = next((row for row in stock if row[1] >= qty), None)
    rows = [whole] if whole is not None else stock
    taken: list[tuple[Hashable, Decimal]] = []
    left = qty
    for row in rows:
        if left == 0:
            break
        take = min(left, row[1])
        if take > 0:
            row[1] -= take
            left -= take
            taken.append((row[0], take))
    return taken


def _stock_rows(stock: Mapping[Hashable, Sequence[WarehouseStock]]) -> dict[Hashable, list[list]]:
    rows: dict[Hashable, list[list]] = {}
    for variant_id, warehouses in stock.items():
        rows[variant_id] = [[w.warehouse, not_negative("available", w.available)] for w in warehouses]
    return rows


def _complete_on(
    backordered: Decimal, demand: Decimal, timeline: Sequence[AtpPoint] | None, ready: date, handling: timedelta
) -> date | None:
    """When the whole line can leave: at once when nothing is backordered, else when the ATP timeline covers
    the variant's demand so far in this order (earlier lines included), plus the handling days."""
    if backordered == 0:
        return ready
    if not timeline:
        return None
    promised = promise_date(timeline, demand)
    return None if promised is None else max(promised + handling, ready)


def _shipments(lines: Iterable[LinePlan], mode: DeliveryMode, complete_on: date | None) -> tuple[PlannedShipment, ...]:
    parts: dict[date | None, list[tuple[Hashable, Decimal]]] = {}
    for line in lines:
        if mode is DeliveryMode.SHIP_COMPLETE:
            parts.setdefault(complete_on, []).append((line.line_id, line.qty))
            continue
        if line.reserved > 0:
            parts.setdefault(line.ships_on, []).append((line.line_id, line.reserved))
        if line.backordered > 0:
            parts.setdefault(line.complete_on, []).append((line.line_id, line.backordered))
    ordered = sorted(parts, key=lambda day: (day is None, day or date.max))
    return tuple(PlannedShipment(day, tuple(parts[day])) for day in ordered)


def plan_delivery(
    lines: Sequence[PlanLine],
    *,
    stock: Mapping[Hashable, Sequence[WarehouseStock]],
    timelines: Mapping[Hashable, Sequence[AtpPoint]] | None = None,
    mode: DeliveryMode | str = DeliveryMode.SHIP_AVAILABLE,
    today: date,
    handling_days: int = 0,
) -> DeliveryPlan:
    """Plan the order's lines in order. `stock`: per variant, the warehouses that may ship it, preferred first
    (nearest to the address); `timelines`: per variant, inventory's `atp_timeline` over those warehouses, as
    read before this order reserves anything. Two lines of one variant share its stock and its timeline."""
    try:
        mode = DeliveryMode(mode)
    except ValueError:
        raise SalesRuleError("mode", N_("Choose to ship what is available or to wait for everything.")) from None
    if isinstance(handling_days, bool) or not isinstance(handling_days, int) or handling_days < 0:
        raise SalesRuleError("handling_days", "must be a whole number of days, zero or more")
    handling, rows, timelines = timedelta(days=handling_days), _stock_rows(stock), timelines or {}
    ready = today + handling
    demand: dict[Hashable, Decimal] = {}
    plans: list[LinePlan] = []
    for line in lines:
        qty = positive("qty", line.qty)
        taken = _take(qty, rows.setdefault(line.variant_id, []))
        reservations = tuple(Reservation(line.line_id, line.variant_id, w, q) for w, q in taken)
        backordered = qty - sum((q for _, q in taken), ZERO)
        demand[line.variant_id] = demand.get(line.variant_id, ZERO) + qty
        complete = _complete_on(backordered, demand[line.variant_id], timelines.get(line.variant_id), ready, handling)
        ships = ready if backordered < qty else complete
        plans.append(LinePlan(line.line_id, line.variant_id, qty, reservations, backordered, ships, complete))
    completes = [plan.complete_on for plan in plans]
    complete_on = None if None in completes or not plans else max(d for d in completes if d is not None)
    if mode is DeliveryMode.SHIP_COMPLETE:
        plans = [_waiting(plan, complete_on) for plan in plans]
    firsts = [plan.ships_on for plan in plans if plan.ships_on is not None]
    first = min(firsts) if firsts else None
    return DeliveryPlan(mode, tuple(plans), _shipments(plans, mode, complete_on), first, complete_on)


def _waiting(plan: LinePlan, complete_on: date | None) -> LinePlan:
    """Shipping complete: every line leaves on the order's complete day."""
    return LinePlan(
        plan.line_id, plan.variant_id, plan.qty, plan.reservations, plan.backordered, complete_on, plan.complete_on
    )

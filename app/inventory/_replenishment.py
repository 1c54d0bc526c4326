"""Supply and demand arithmetic: availability, available-to-promise by date, what to show, and what to reorder."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum
from typing import NamedTuple

from app.inventory._errors import ZERO, StockRuleError, decimal, not_negative, positive, whole_days

ONE = Decimal(1)


def available(on_hand: Decimal, reserved: Decimal) -> Decimal:
    """What can still be promised now: on hand less reserved, never below zero (even on negative stock)."""
    return max(decimal("on_hand", on_hand) - not_negative("reserved", reserved), ZERO)


class DatedQty(NamedTuple):
    """A quantity expected on a date: a purchase order or transfer coming in, an order or transfer going out."""

    on: date
    qty: Decimal


class AtpPoint(NamedTuple):
    """One date of the available-to-promise timeline.

    `projected` is on hand - reserved + incoming - outgoing up to and including the date; `atp` is the least
    projected figure from this date on: what can be promised for this date without starving a later order.
    """

    on: date
    incoming: Decimal
    outgoing: Decimal
    projected: Decimal
    atp: Decimal


def _by_date(field: str, moves: Iterable[DatedQty], today: date) -> dict[date, Decimal]:
    """Sum the quantities per date; overdue ones count today, as they are still expected."""
    totals: dict[date, Decimal] = {}
    for move in moves:
        day = max(move.on, today)
        totals[day] = totals.get(day, ZERO) + not_negative(field, move.qty)
    return totals


def atp_timeline(
    on_hand: Decimal,
    reserved: Decimal,
    *,
    today: date,
    incoming: Iterable[DatedQty] = (),
    outgoing: Iterable[DatedQty] = (),
) -> tuple[AtpPoint, ...]:
    """The ATP timeline from today: one point for today and for each date something comes in or goes out.

    `outgoing` is confirmed demand not yet reserved (reserved stock is already taken off on_hand).
    """
    ins = _by_date("incoming", incoming, today)
    outs = _by_date("outgoing", outgoing, today)
    projected = decimal("on_hand", on_hand) - not_negative("reserved", reserved)
    days = sorted({today, *ins, *outs})
    running: list[tuple[date, Decimal, Decimal, Decimal]] = []
    for day in days:
        projected += ins.get(day, ZERO) - outs.get(day, ZERO)
        running.append((day, ins.get(day, ZERO), outs.get(day, ZERO), projected))
    points: list[AtpPoint] = []
    least = running[-1][3]
    for day, came, went, level in reversed(running):
        least = min(least, level)
        points.append(AtpPoint(day, came, went, level, least))
    return tuple(reversed(points))


def promise_date(timeline: Sequence[AtpPoint], qty: Decimal) -> date | None:
    """The earliest date qty can be promised, or None: not within the known supply ("on request")."""
    qty = positive("qty", qty)
    return next((point.on for point in timeline if point.atp >= qty), None)


def kit_available(components: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Whole kits that can be put together now from each component's (available now, quantity per kit); a kit
    without components makes none."""
    kits = [
        (max(decimal("available", have), ZERO) / positive("qty", per)).to_integral_value(rounding=ROUND_FLOOR)
        for have, per in components
    ]
    return min(kits, default=ZERO)


def kit_promise_date(dates: Iterable[date | None]) -> date | None:
    """A kit can be promised on the day its last component can; None when one cannot be (or none are given)."""
    found = list(dates)
    if not found or any(day is None for day in found):
        return None
    return max(day for day in found if day is not None)


class AvailabilityMode(StrEnum):
    """How much availability a tenant shows its customers; the value is what the tenant settings store."""

    EXACT = "exact"
    LEVEL = "level"
    HIDDEN = "hidden"


class StockSignal(StrEnum):
    """What the storefront says about availability."""

    IN_STOCK = "in_stock"
    LOW_STOCK = "low_stock"
    OUT_OF_STOCK = "out_of_stock"
    AVAILABLE_FROM = "available_from"
    ON_REQUEST = "on_request"
    HIDDEN = "hidden"


@dataclass(frozen=True, slots=True)
class AvailabilityDisplay:
    """A figure turned into what a customer sees: a signal, the number (exact mode only) and a date."""

    signal: StockSignal
    qty: Decimal | None = None
    available_from: date | None = None


def display_availability(
    mode: AvailabilityMode | str,
    available_now: Decimal,
    *,
    requested: Decimal = ONE,
    low_stock_at: Decimal = ZERO,
    available_from: date | None = None,
) -> AvailabilityDisplay:
    """Turn the available figure into a display value as the tenant's setting asks.

    Enough for `requested`: exact shows "n available"; level shows "in stock", or "low stock" when the
    figure is at or under `low_stock_at`. Not enough: "available from <date>" given a promise date, else
    "on request" (exact) or "out of stock" (level); exact keeps the figure there when some are available
    ("only n now: the rest ..."). Hidden shows nothing, whatever the figure.
    """
    try:
        mode = AvailabilityMode(mode)
    except ValueError:
        raise StockRuleError("mode", f"unknown availability mode {mode!r}; use 'exact', 'level' or 'hidden'") from None
    available_now = max(decimal("available_now", available_now), ZERO)
    requested = positive("requested", requested)
    low_stock_at = not_negative("low_stock_at", low_stock_at)
    exact = mode is AvailabilityMode.EXACT
    if mode is AvailabilityMode.HIDDEN:
        return AvailabilityDisplay(StockSignal.HIDDEN)
    if available_now >= requested:
        if exact:
            return AvailabilityDisplay(StockSignal.IN_STOCK, qty=available_now)
        low = available_now <= low_stock_at
        return AvailabilityDisplay(StockSignal.LOW_STOCK if low else StockSignal.IN_STOCK)
    if available_from is not None:
        return AvailabilityDisplay(StockSignal.AVAILABLE_FROM, available_now if exact else None, available_from)
    if exact:
        return AvailabilityDisplay(StockSignal.ON_REQUEST, available_now if available_now > 0 else None)
    return AvailabilityDisplay(StockSignal.OUT_OF_STOCK)


class StockPosition(NamedTuple):
    """The figures of one product in one warehouse that replenishment looks at."""

    on_hand: Decimal
    reserved: Decimal = ZERO
    incoming: Decimal = ZERO

    @property
    def projected(self) -> Decimal:
        """On hand less reserved plus what is already on order."""
        return self.on_hand - self.reserved + self.incoming


class MinMaxRule(NamedTuple):
    """Below min_qty projected, order up to max_qty."""

    min_qty: Decimal
    max_qty: Decimal


class ReorderPointRule(NamedTuple):
    """At or below reorder_point projected, order reorder_qty (as many times as it takes to rise above it)."""

    reorder_point: Decimal
    reorder_qty: Decimal


class SupplyTerms(NamedTuple):
    """The chosen supplier's terms: minimum order quantity, pack size (None: any quantity), lead time."""

    min_order_qty: Decimal = ZERO
    pack_size: Decimal | None = None
    lead_time_days: int = 0


class PurchaseSuggestion(NamedTuple):
    """Order qty by order_by to have it on expected_on; late when that is after the date it is needed."""

    qty: Decimal
    order_by: date
    expected_on: date
    projected: Decimal
    late: bool


def _shortage(projected: Decimal, rule: MinMaxRule | ReorderPointRule) -> Decimal:
    """How much the rule asks to order for this projected stock; zero when it asks nothing."""
    if isinstance(rule, MinMaxRule):
        low = not_negative("min_qty", rule.min_qty)
        high = decimal("max_qty", rule.max_qty)
        if high < low or high <= 0:
            raise StockRuleError("max_qty", f"must be above zero and at least the minimum {low}, got {high}")
        return high - projected if projected < low else ZERO
    point = not_negative("reorder_point", rule.reorder_point)
    batch = positive("reorder_qty", rule.reorder_qty)
    if projected > point:
        return ZERO
    return ((point - projected) / batch).to_integral_value(rounding=ROUND_FLOOR) * batch + batch


def _order_qty(need: Decimal, terms: SupplyTerms) -> Decimal:
    """At least the minimum order quantity, rounded up to whole packs."""
    qty = max(need, not_negative("min_order_qty", terms.min_order_qty))
    if terms.pack_size is None:
        return qty
    pack = positive("pack_size", terms.pack_size)
    return (qty / pack).to_integral_value(rounding=ROUND_CEILING) * pack


def suggest_purchase(
    position: StockPosition,
    rule: MinMaxRule | ReorderPointRule,
    terms: SupplyTerms = SupplyTerms(),
    *,
    today: date,
    needed_on: date | None = None,
) -> PurchaseSuggestion | None:
    """A purchase suggestion when the rule triggers on the projected stock, else None.

    The order-by date is lead time before `needed_on` (e.g. the date the ATP timeline dips), never before
    today; without a date the need is now and the order is due today.
    """
    lead = whole_days("lead_time_days", terms.lead_time_days)
    need = _shortage(position.projected, rule)
    if need <= 0:
        return None
    qty = _order_qty(need, terms)
    order_by = today if needed_on is None else max(today, needed_on - timedelta(days=lead))
    expected_on = order_by + timedelta(days=lead)
    late = needed_on is not None and expected_on > needed_on
    return PurchaseSuggestion(qty, order_by, expected_on, position.projected, late)

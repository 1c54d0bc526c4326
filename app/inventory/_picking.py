"""Picking proposals: which lots at which locations to take a quantity from, FEFO or FIFO, in walking order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from app.inventory._errors import ZERO, StockRuleError, positive, whole_days


class PickStrategy(StrEnum):
    """Which stock goes first: earliest expiry (FEFO) or oldest receipt (FIFO); the tenant or product picks."""

    FEFO = "fefo"
    FIFO = "fifo"


class StockLot(NamedTuple):
    """Stock that can be picked at one location: one lot there, or the unlotted stock (lot and expiry None).

    `location` is the location code: walking order follows it. `qty_available` is on hand less reserved.
    """

    location: str
    lot: str | None
    expiry: date | None
    received_on: date
    qty_available: Decimal


class PickLine(NamedTuple):
    """Take qty of this lot from this location."""

    location: str
    lot: str | None
    expiry: date | None
    qty: Decimal


class Exclusion(StrEnum):
    """Why stock on the shelf was not proposed."""

    EXPIRED = "expired"
    SHORT_SHELF_LIFE = "short_shelf_life"


class ExcludedLot(NamedTuple):
    """Stock left out of a proposal, and why (to show the picker, or to plan a write-off)."""

    stock: StockLot
    reason: Exclusion


@dataclass(frozen=True, slots=True)
class PickProposal:
    """The lines to pick in walking order, what could not be found (shortfall) and the stock left out."""

    requested: Decimal
    lines: tuple[PickLine, ...]
    shortfall: Decimal
    excluded: tuple[ExcludedLot, ...]

    @property
    def proposed(self) -> Decimal:
        """The total of the lines: requested less the shortfall."""
        return sum((line.qty for line in self.lines), ZERO)

    @property
    def complete(self) -> bool:
        """True when the whole quantity can be picked."""
        return self.shortfall == 0


def _exclusion(stock: StockLot, today: date, min_shelf_life_days: int) -> Exclusion | None:
    """Expired (expiry before today) or expiring within the minimum remaining shelf life; else None."""
    if stock.expiry is None:
        return None
    if stock.expiry < today:
        return Exclusion.EXPIRED
    if (stock.expiry - today).days < min_shelf_life_days:
        return Exclusion.SHORT_SHELF_LIFE
    return None


def _partition(
    stock: Iterable[StockLot], today: date, min_shelf_life_days: int
) -> tuple[list[StockLot], tuple[ExcludedLot, ...]]:
    """The rows that may be picked, and those left out with the reason; empty rows are neither."""
    usable: list[StockLot] = []
    excluded: list[ExcludedLot] = []
    for row in stock:
        if row.qty_available <= 0:
            continue
        reason = _exclusion(row, today, min_shelf_life_days)
        if reason is None:
            usable.append(row)
        else:
            excluded.append(ExcludedLot(row, reason))
    return usable, tuple(excluded)


def _order_key(strategy: PickStrategy) -> Callable[[StockLot], tuple]:
    """Sort key: FEFO by expiry (undated lots last), then receipt; FIFO by receipt; ties by location, then lot."""
    if strategy is PickStrategy.FEFO:
        return lambda s: (s.expiry is None, s.expiry or date.max, s.received_on, s.location, s.lot or "")
    return lambda s: (s.received_on, s.location, s.lot or "")


def propose_picks(
    stock: Iterable[StockLot],
    qty: Decimal,
    *,
    today: date,
    strategy: PickStrategy | str = PickStrategy.FEFO,
    min_shelf_life_days: int = 0,
) -> PickProposal:
    """Propose lots and locations for qty: expired and short-dated lots never, each row at most what it has.

    A lot expiring today is still pickable; with min_shelf_life_days=30 a lot needs 30 days left.
    """
    qty = positive("qty", qty)
    whole_days("min_shelf_life_days", min_shelf_life_days)
    try:
        strategy = PickStrategy(strategy)
    except ValueError:
        raise StockRuleError("strategy", f"unknown picking strategy {strategy!r}; use 'fefo' or 'fifo'") from None
    usable, excluded = _partition(stock, today, min_shelf_life_days)
    lines: list[PickLine] = []
    left = qty
    for row in sorted(usable, key=_order_key(strategy)):
        if left == 0:
            break
        take = min(left, row.qty_available)
        lines.append(PickLine(row.location, row.lot, row.expiry, take))
        left -= take
    return PickProposal(qty, tuple(lines), left, excluded)

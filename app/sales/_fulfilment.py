"""Fulfilment: pick lists per order or batched per warehouse in walking order, the packing check, and recording
a shipment of whole or partial quantities, never more than is reserved (or picked)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from app.inventory.domain import ExcludedLot, PickProposal, PickStrategy, StockLot, propose_picks
from app.sales._errors import N_, ZERO, SalesRuleError, not_negative, positive
from app.sales._lifecycle import OrderState, OrderStatus, Transition, transition


class PickRequest(NamedTuple):
    """A line to pick in a warehouse: what was reserved there for it."""

    order_id: Hashable
    line_id: Hashable
    variant_id: Hashable
    sku: str
    warehouse: Hashable
    qty: Decimal


class PickStop(NamedTuple):
    """One stop on the walk: take qty of this SKU (and lot) at this location for this order line."""

    location: str
    sku: str
    lot: str | None
    expiry: date | None
    qty: Decimal
    order_id: Hashable
    line_id: Hashable


class PickShortfall(NamedTuple):
    """What the shelves could not give for a line (a count to check, or stock held back as expired)."""

    order_id: Hashable
    line_id: Hashable
    sku: str
    qty: Decimal


@dataclass(frozen=True, slots=True)
class PickList:
    """One picker's walk through one warehouse, for one order or a batch: stops by location code."""

    warehouse: Hashable
    orders: tuple[Hashable, ...]
    stops: tuple[PickStop, ...]
    shortfalls: tuple[PickShortfall, ...]
    excluded: tuple[ExcludedLot, ...]


def _less(lots: Sequence[StockLot], taken: Iterable) -> list[StockLot]:
    """The lots with what a proposal took removed, so the next request cannot be given the same units."""
    used: dict[tuple[str, str | None], Decimal] = {}
    for line in taken:
        used[(line.location, line.lot)] = used.get((line.location, line.lot), ZERO) + line.qty
    return [lot._replace(qty_available=lot.qty_available - used.pop((lot.location, lot.lot), ZERO)) for lot in lots]


def _walk(stops: Iterable[PickStop]) -> tuple[PickStop, ...]:
    return tuple(sorted(stops, key=lambda s: (s.location, s.sku, s.lot or "", str(s.order_id), str(s.line_id))))


@dataclass(slots=True)
class _Walk:
    """A pick list being built."""

    warehouse: Hashable
    orders: list[Hashable] = field(default_factory=list)
    stops: list[PickStop] = field(default_factory=list)
    short: list[PickShortfall] = field(default_factory=list)
    excluded: list[ExcludedLot] = field(default_factory=list)

    def add(self, request: PickRequest, proposal: PickProposal) -> None:
        if request.order_id not in self.orders:
            self.orders.append(request.order_id)
        self.stops.extend(
            PickStop(p.location, request.sku, p.lot, p.expiry, p.qty, request.order_id, request.line_id)
            for p in proposal.lines
        )
        if proposal.shortfall > 0:
            self.short.append(PickShortfall(request.order_id, request.line_id, request.sku, proposal.shortfall))
        self.excluded.extend(lot for lot in proposal.excluded if lot not in self.excluded)

    def done(self) -> PickList:
        return PickList(self.warehouse, tuple(self.orders), _walk(self.stops), tuple(self.short), tuple(self.excluded))


def pick_lists(
    requests: Sequence[PickRequest],
    *,
    stock: Mapping[tuple[Hashable, Hashable], Sequence[StockLot]],
    today: date,
    strategy: PickStrategy | str = PickStrategy.FEFO,
    min_shelf_life_days: int = 0,
    batch: bool = True,
) -> tuple[PickList, ...]:
    """Pick lists for the requests: one per warehouse (batch) or one per warehouse and order, each a walk by
    location code. `stock`: per (warehouse, variant), the lots on the shelves (qty_available: on hand at the
    location less what open pick lists hold). Lots go FEFO or FIFO (app.inventory.domain.propose_picks);
    requests are served in the order given, and lots are shared: two orders never get the same units."""
    lots = {key: list(rows) for key, rows in stock.items()}
    walks: dict[tuple, _Walk] = {}
    for request in requests:
        key = (request.warehouse,) if batch else (request.warehouse, request.order_id)
        shelf = (request.warehouse, request.variant_id)
        qty = positive("qty", request.qty)
        proposal = propose_picks(
            lots.get(shelf, ()), qty, today=today, strategy=strategy, min_shelf_life_days=min_shelf_life_days
        )
        lots[shelf] = _less(lots.get(shelf, []), proposal.lines)
        walks.setdefault(key, _Walk(request.warehouse)).add(request, proposal)
    return tuple(walk.done() for walk in walks.values())


class PackingInput(NamedTuple):
    """A line at the packing bench: what the order asks for now and what was picked for it."""

    line_id: Hashable
    sku: str
    ordered: Decimal
    picked: Decimal


class PackingLine(NamedTuple):
    """A line's packing figures: short_picked = ordered - picked; to_pack = picked - packed (over-packed if < 0)."""

    line_id: Hashable
    sku: str
    ordered: Decimal
    picked: Decimal
    packed: Decimal

    @property
    def short_picked(self) -> Decimal:
        return max(self.ordered - self.picked, ZERO)

    @property
    def to_pack(self) -> Decimal:
        return self.picked - self.packed


@dataclass(frozen=True, slots=True)
class PackingCheck:
    """The bench's answer: per line what is still to pack, the scans that match no line, and whether the
    parcel holds exactly what was picked (ready to ship)."""

    lines: tuple[PackingLine, ...]
    unexpected: tuple[tuple[str, Decimal], ...]

    @property
    def ready(self) -> bool:
        return (
            not self.unexpected
            and all(line.to_pack == 0 for line in self.lines)
            and any(line.packed > 0 for line in self.lines)
        )


def check_packing(lines: Sequence[PackingInput], scanned: Mapping[str, Decimal]) -> PackingCheck:
    """Compare the scanned (or typed) quantities per SKU with what was picked. A SKU on two lines fills them in
    order; anything beyond the last line of its SKU counts as over-packed on it."""
    left = {sku: not_negative("scanned", qty) for sku, qty in scanned.items()}
    by_sku: dict[str, list[PackingInput]] = {}
    for line in lines:
        by_sku.setdefault(line.sku, []).append(line)
    packed: dict[Hashable, Decimal] = {}
    for sku, group in by_sku.items():
        for index, line in enumerate(group):
            take = left.get(sku, ZERO) if index == len(group) - 1 else min(left.get(sku, ZERO), line.picked)
            packed[line.line_id] = take
            left[sku] = left.get(sku, ZERO) - take
    result = tuple(
        PackingLine(line.line_id, line.sku, line.ordered, line.picked, packed[line.line_id]) for line in lines
    )
    unexpected = tuple((sku, qty) for sku, qty in left.items() if sku not in by_sku and qty > 0)
    return PackingCheck(result, unexpected)


class FulfilmentLine(NamedTuple):
    """A line's figures before a shipment: ordered, shipped so far, reserved and not yet shipped, and picked
    and not yet shipped (None when the warehouse ships without a pick step)."""

    line_id: Hashable
    ordered: Decimal
    shipped: Decimal
    reserved: Decimal
    picked: Decimal | None = None


class ShippedLine(NamedTuple):
    """A line in the shipment: the quantity now, the total shipped after it, and what is still outstanding."""

    line_id: Hashable
    qty: Decimal
    shipped_total: Decimal
    outstanding: Decimal


@dataclass(frozen=True, slots=True)
class ShipmentRecord:
    """A shipment's lines and the order's move (partially shipped or shipped) to store with it."""

    lines: tuple[ShippedLine, ...]
    everything_shipped: bool
    transition: Transition

    @property
    def status(self) -> OrderStatus:
        return self.transition.after.status


def _shippable(line: FulfilmentLine, qty: Decimal) -> None:
    """Refuse shipping more than the line holds ready: picked when picking is used, else reserved."""
    reserved = not_negative("reserved", line.reserved)
    if line.picked is not None and qty > not_negative("picked", line.picked):
        raise SalesRuleError(
            "qty",
            N_("Shipping more than picked: line %(line)s has %(picked)s picked, %(qty)s to ship."),
            line=line.line_id,
            picked=line.picked,
            qty=qty,
        )
    if qty > reserved:
        raise SalesRuleError(
            "qty",
            N_("Shipping more than reserved: line %(line)s has %(reserved)s reserved, %(qty)s to ship."),
            line=line.line_id,
            reserved=reserved,
            qty=qty,
        )


def record_shipment(
    order_state: OrderState | OrderStatus | str, lines: Sequence[FulfilmentLine], shipping: Mapping[Hashable, Decimal]
) -> ShipmentRecord:
    """Record shipping `shipping` (line id -> qty) of the order: each quantity within what is reserved and picked
    for its line; the order becomes shipped when every line is shipped in full, else partially shipped."""
    state = order_state if isinstance(order_state, OrderState) else OrderState(OrderStatus(order_state))
    if state.status is OrderStatus.ON_HOLD:
        raise SalesRuleError("status", N_("This order is on hold: release it before shipping."))
    known = {line.line_id: line for line in lines}
    if not shipping:
        raise SalesRuleError("lines", N_("A shipment needs at least one line."))
    for line_id, qty in shipping.items():
        if line_id not in known:
            raise SalesRuleError("lines", N_("Line %(line)s is not on this order."), line=line_id)
        _shippable(known[line_id], positive("qty", qty))
    after = {line.line_id: not_negative("shipped", line.shipped) + shipping.get(line.line_id, ZERO) for line in lines}
    everything = all(after[line.line_id] >= line.ordered for line in lines)
    shipped = tuple(
        ShippedLine(
            line.line_id, shipping[line.line_id], after[line.line_id], max(line.ordered - after[line.line_id], ZERO)
        )
        for line in lines
        if line.line_id in shipping
    )
    target = OrderStatus.SHIPPED if everything else OrderStatus.PARTIALLY_SHIPPED
    move = transition(state, target, everything_shipped=everything)
    move.required()
    return ShipmentRecord(shipped, everything, move)

"""Stock valuation per product, incremental: moving average cost and FIFO cost layers behind one protocol.

Each state is immutable; `receive` and `issue` return the next state and the value of the move (`Valued`).
Signs follow the stock: a receipt carries +qty and +value, an issue -qty and -value, so the stock value is
always the sum of the moves' `stock_value_change` (value + adjustment) and of the revaluations' `to_stock`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Generic, NamedTuple, NoReturn, Protocol, Self, TypeVar

from app.inventory._errors import ZERO, StockRuleError, decimal, not_negative, positive
from app.money import to_minor_unit

COST_PLACES = Decimal("0.0001")


def unit_cost_of(amount: Decimal) -> Decimal:
    """A unit cost at the cost precision, 4 decimals half up: finer than money so that many units stay exact."""
    return amount.quantize(COST_PLACES, rounding=ROUND_HALF_UP)


class CostMethod(StrEnum):
    """How a tenant values its stock; the value is what the tenant settings store."""

    AVERAGE = "average"
    FIFO = "fifo"


@dataclass(frozen=True, slots=True)
class LayerSlice:
    """The part of one FIFO layer that an issue took: which receipt, how many units, at what value."""

    sequence: int
    qty: Decimal
    unit_cost: Decimal
    value: Decimal


@dataclass(frozen=True, slots=True)
class MoveValue:
    """The value one stock move carries, signed as the stock sees it (+ into stock, - out of it).

    `value` is the goods at the cost they moved at; `adjustment` settles issues made earlier on negative
    stock at the last known cost (it goes to cost of goods sold); the stock value changes by both.
    """

    qty: Decimal
    value: Decimal
    unit_cost: Decimal
    adjustment: Decimal = ZERO
    slices: tuple[LayerSlice, ...] = ()

    @property
    def stock_value_change(self) -> Decimal:
        """What the move adds to (or, negative, takes from) the stock value: value + adjustment."""
        return self.value + self.adjustment


@dataclass(frozen=True, slots=True)
class Revaluation:
    """A cost added to a receipt after the fact (landed cost): the part still in stock, the part already sold."""

    amount: Decimal
    to_stock: Decimal
    to_cogs: Decimal


V = TypeVar("V", bound="Valuation")


class Valued(NamedTuple, Generic[V]):
    """The state after a move and the value of that move."""

    state: V
    move: MoveValue


class Revalued(NamedTuple, Generic[V]):
    """The state after a revaluation and how the amount was split."""

    state: V
    revaluation: Revaluation


class Valuation(Protocol):
    """What a cost method offers the stock service, which keeps one state per product and tenant."""

    @property
    def currency(self) -> str:
        """The currency values are kept in (the tenant's)."""
        ...

    @property
    def qty_on_hand(self) -> Decimal:
        """Units in stock; below zero when the tenant allows negative stock."""
        ...

    @property
    def total_value(self) -> Decimal:
        """Value of the units in stock, in minor units of the currency."""
        ...

    def receive(self, qty: Decimal, unit_cost: Decimal) -> Valued[Self]:
        """The state after receiving qty at unit_cost, and the value of the receipt."""
        ...

    def issue(self, qty: Decimal, *, allow_negative: bool = False) -> Valued[Self]:
        """The state after issuing qty, and the value of the issue (negative: it leaves stock)."""
        ...


def _refuse_short(on_hand: Decimal, qty: Decimal) -> NoReturn:
    """Refuse an issue that would take the stock below zero where the tenant does not allow it."""
    raise StockRuleError("qty", f"only {on_hand} on hand, cannot issue {qty} (negative stock is not allowed)")


def _owed_share(owed_qty: Decimal, owed_value: Decimal, settled: Decimal, currency: str) -> Decimal:
    """The booked value of `settled` of the units owed: all of it when every owed unit is settled."""
    if settled == owed_qty:
        return owed_value
    return to_minor_unit(owed_value * settled / owed_qty, currency)


@dataclass(frozen=True, slots=True)
class AverageCost:
    """Moving average cost of one product: the three numbers a per-product valuation row stores.

    `unit_cost` is the current average (4 decimals). Issues keep it, so at zero or negative stock it is the last
    known cost (a receipt leaving the stock at or below zero sets it to the receipt's cost), which values
    issues on negative stock; seed it with the product's standard cost.
    """

    currency: str
    qty_on_hand: Decimal = ZERO
    total_value: Decimal = ZERO
    unit_cost: Decimal = ZERO

    def _money(self, amount: Decimal) -> Decimal:
        return to_minor_unit(amount, self.currency)

    def receive(self, qty: Decimal, unit_cost: Decimal) -> Valued[AverageCost]:
        """Add qty at unit_cost; on negative stock the owed units are settled first at this cost."""
        qty = positive("qty", qty)
        cost = unit_cost_of(not_negative("unit_cost", unit_cost))
        value = self._money(qty * cost)
        owed = max(-self.qty_on_hand, ZERO)
        settled = min(qty, owed)
        booked = _owed_share(owed, -self.total_value, settled, self.currency) if settled else ZERO
        actual = value if settled == qty else self._money(settled * cost)
        new_qty = self.qty_on_hand + qty
        new_value = self.total_value + booked + value - actual
        average = unit_cost_of(new_value / new_qty) if new_qty > 0 else cost  # at or below zero: the latest cost
        state = AverageCost(self.currency, new_qty, new_value, average)
        return Valued(state, MoveValue(qty, value, cost, booked - actual))

    def issue(self, qty: Decimal, *, allow_negative: bool = False) -> Valued[AverageCost]:
        """Take qty out at the current average; the last unit out takes whatever value remains."""
        qty = positive("qty", qty)
        on_hand = self.qty_on_hand
        if qty > on_hand and not allow_negative:
            _refuse_short(on_hand, qty)
        if on_hand > 0 and qty >= on_hand:
            value = self.total_value + self._money((qty - on_hand) * self.unit_cost)
        elif on_hand > 0:
            value = min(self._money(qty * self.unit_cost), self.total_value)
        else:
            value = self._money(qty * self.unit_cost)
        state = AverageCost(self.currency, on_hand - qty, self.total_value - value, self.unit_cost)
        return Valued(state, MoveValue(-qty, -value, self.unit_cost))

    def revalue(self, amount: Decimal, qty_received: Decimal) -> Revalued[AverageCost]:
        """Spread a landed cost for a receipt of qty_received: the share of units still on hand goes to stock."""
        amount = decimal("amount", amount)
        qty_received = positive("qty_received", qty_received)
        here = min(max(self.qty_on_hand, ZERO), qty_received)
        to_stock = amount if here == qty_received else self._money(amount * here / qty_received)
        new_value = self.total_value + to_stock
        if here > 0 and new_value < 0:
            raise StockRuleError("amount", f"would take the stock value below zero ({new_value})")
        average = unit_cost_of(new_value / self.qty_on_hand) if here > 0 else self.unit_cost
        state = AverageCost(self.currency, self.qty_on_hand, new_value, average)
        return Revalued(state, Revaluation(amount, to_stock, amount - to_stock))


@dataclass(frozen=True, slots=True)
class CostLayer:
    """One receipt at its cost: a row of the FIFO layer table, kept (empty) once consumed.

    `sequence` orders consumption (receipt order). `qty_received` stays as received so that a later landed
    cost splits between the units still here and those gone; `value_remaining` is exact money.
    """

    sequence: int
    qty_received: Decimal
    qty_remaining: Decimal
    value_remaining: Decimal
    unit_cost: Decimal
    received_on: date | None = None


@dataclass(frozen=True, slots=True)
class FifoCost:
    """FIFO cost of one product: its layers by sequence, and the units issued beyond them (negative stock).

    `owed_qty` / `owed_value` are those units and the value they left at (`last_unit_cost`, the latest
    receipt's cost, seeded with the standard cost); the next receipts settle them before making a layer.
    The service may load only the open layers, plus the one layer a revaluation names.
    """

    currency: str
    layers: tuple[CostLayer, ...] = ()
    owed_qty: Decimal = ZERO
    owed_value: Decimal = ZERO
    last_unit_cost: Decimal = ZERO

    @property
    def qty_on_hand(self) -> Decimal:
        """Units in the layers less the units owed."""
        return sum((layer.qty_remaining for layer in self.layers), ZERO) - self.owed_qty

    @property
    def total_value(self) -> Decimal:
        """Value of the layers less the value of the units owed."""
        return sum((layer.value_remaining for layer in self.layers), ZERO) - self.owed_value

    @property
    def open_layers(self) -> tuple[CostLayer, ...]:
        """The layers that still hold units, oldest first."""
        return tuple(layer for layer in self.layers if layer.qty_remaining > 0)

    def _money(self, amount: Decimal) -> Decimal:
        return to_minor_unit(amount, self.currency)

    def receive(
        self, qty: Decimal, unit_cost: Decimal, *, received_on: date | None = None, sequence: int | None = None
    ) -> Valued[FifoCost]:
        """Add a layer for the receipt (sequence defaults to the next one), after settling any owed units."""
        qty = positive("qty", qty)
        cost = unit_cost_of(not_negative("unit_cost", unit_cost))
        sequence = self._new_sequence(sequence)
        value = self._money(qty * cost)
        settled = min(qty, self.owed_qty)
        booked = _owed_share(self.owed_qty, self.owed_value, settled, self.currency) if settled else ZERO
        actual = value if settled == qty else self._money(settled * cost)
        layer = CostLayer(sequence, qty, qty - settled, value - actual, cost, received_on)
        layers = tuple(sorted((*self.layers, layer), key=lambda each: each.sequence))
        state = FifoCost(self.currency, layers, self.owed_qty - settled, self.owed_value - booked, cost)
        return Valued(state, MoveValue(qty, value, cost, booked - actual))

    def _new_sequence(self, sequence: int | None) -> int:
        """The given sequence if no layer has it yet, else the next after the highest."""
        taken = {layer.sequence for layer in self.layers}
        if sequence is None:
            return max(taken, default=0) + 1
        if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence in taken:
            raise StockRuleError("sequence", f"must be a whole number no layer has yet, got {sequence!r}")
        return sequence

    def issue(self, qty: Decimal, *, allow_negative: bool = False) -> Valued[FifoCost]:
        """Take qty from the oldest layers first; beyond them (if allowed) owe units at the last known cost."""
        qty = positive("qty", qty)
        if qty > self.qty_on_hand and not allow_negative:
            _refuse_short(self.qty_on_hand, qty)
        layers, slices, left = self._consume(qty)
        owed_value = self._money(left * self.last_unit_cost) if left else ZERO
        value = sum((piece.value for piece in slices), ZERO) + owed_value
        state = FifoCost(self.currency, layers, self.owed_qty + left, self.owed_value + owed_value, self.last_unit_cost)
        return Valued(state, MoveValue(-qty, -value, unit_cost_of(value / qty), slices=slices))

    def _consume(self, qty: Decimal) -> tuple[tuple[CostLayer, ...], tuple[LayerSlice, ...], Decimal]:
        """Walk the layers oldest first taking up to qty; an emptied layer gives up its exact remaining value."""
        layers: list[CostLayer] = []
        slices: list[LayerSlice] = []
        left = qty
        for layer in self.layers:
            if left == 0 or layer.qty_remaining <= 0:
                layers.append(layer)
                continue
            take = min(left, layer.qty_remaining)
            if take == layer.qty_remaining:
                value = layer.value_remaining
            else:
                value = min(self._money(take * layer.unit_cost), layer.value_remaining)
            slices.append(LayerSlice(layer.sequence, take, layer.unit_cost, value))
            layers.append(
                replace(layer, qty_remaining=layer.qty_remaining - take, value_remaining=layer.value_remaining - value)
            )
            left -= take
        return tuple(layers), tuple(slices), left

    def revalue(self, sequence: int, amount: Decimal) -> Revalued[FifoCost]:
        """Add a landed cost to one receipt's layer: the share of its units still here goes to stock, the rest
        (units already issued) to cost of goods sold; the layer's unit cost follows."""
        amount = decimal("amount", amount)
        layer = next((each for each in self.layers if each.sequence == sequence), None)
        if layer is None:
            raise StockRuleError("sequence", f"no cost layer {sequence} for this product")
        if layer.qty_remaining == layer.qty_received:
            to_stock = amount
        else:
            to_stock = self._money(amount * layer.qty_remaining / layer.qty_received)
        value = layer.value_remaining + to_stock
        if value < 0:
            raise StockRuleError("amount", f"would take the value of layer {sequence} below zero ({value})")
        cost = unit_cost_of(value / layer.qty_remaining) if layer.qty_remaining > 0 else layer.unit_cost
        changed = replace(layer, value_remaining=value, unit_cost=cost)
        layers = tuple(changed if each is layer else each for each in self.layers)
        state = replace(self, layers=layers)
        return Revalued(state, Revaluation(amount, to_stock, amount - to_stock))


def new_valuation(method: CostMethod | str, currency: str, *, unit_cost: Decimal = ZERO) -> AverageCost | FifoCost:
    """The valuation state of a product with no stock yet, by the tenant's method, seeded with a standard cost."""
    cost = unit_cost_of(not_negative("unit_cost", unit_cost))
    try:
        method = CostMethod(method)
    except ValueError:
        raise StockRuleError("method", f"unknown cost method {method!r}; use 'average' or 'fifo'") from None
    if method is CostMethod.AVERAGE:
        return AverageCost(currency, unit_cost=cost)
    return FifoCost(currency, last_unit_cost=cost)


def receive(state: V, qty: Decimal, unit_cost: Decimal) -> Valued[V]:
    """Value a receipt of qty at unit_cost with whichever cost method the state uses."""
    return state.receive(qty, unit_cost)


def issue(state: V, qty: Decimal, *, allow_negative: bool = False) -> Valued[V]:
    """Value an issue of qty with whichever cost method the state uses."""
    return state.issue(qty, allow_negative=allow_negative)

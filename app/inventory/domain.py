"""Inventory rules, pure: valuation, picking, availability, replenishment, counts, barcodes and receipts.

No database or web here: the service loads the rows a rule needs, calls it with plain values and stores what
comes back. Quantities are Decimal in the product's stock unit; money is Decimal in the state's currency,
rounded half up to its minor unit (`app.money.to_minor_unit`); unit costs keep 4 decimals. Bad input
raises StockRuleError(field, reason); an answer that is "no" (a shortfall, nothing to reorder, a receipt over
tolerance) is a value, not an error. The rules:

- Valuation (`AverageCost`, `FifoCost`, both `Valuation`): incremental per product and tenant. Moves are
  signed as the stock sees them (receipt +, issue -); the stock value always equals the sum of the moves'
  `stock_value_change` and the revaluations' `to_stock`. The last unit out takes the remaining value exactly.
  Negative stock (if the tenant allows it) is issued at the last known cost; the next receipt settles it and
  the difference is the move's `adjustment` (cost of goods sold). A landed cost on a receipt (`revalue`)
  goes to stock for the units still here and to cost of goods sold for those already issued.
- Picking (`propose_picks`): FEFO or FIFO, never expired or short-dated lots, ties by location code.
- Availability (`available`, `atp_timeline`, `promise_date`, `kit_available`, `kit_promise_date`,
  `display_availability`).
- Replenishment (`suggest_purchase`): min/max or reorder point, then the supplier's MOQ and pack size.
- Counts and adjustments (`count_adjustment`, `adjustment_move`): moves to or from the adjustment location.
- Barcodes (`parse_code`): GTINs by check digit, GS1 element strings, internal codes.
- Receipts against purchase orders (`check_receipt`): over/under delivery tolerance.
- The ledger (`direction`, `place_code`): which way a move goes for the stock's value; what a code may be.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from app.inventory._barcodes import BarcodeError, CodeKind, ScannedCode, gtin_check_digit, is_valid_gtin, parse_code
from app.inventory._errors import HUNDRED, ZERO, StockRuleError, decimal, not_negative, positive
from app.inventory._ledger_rules import STOCK_KINDS, VIRTUAL_KINDS, Direction, direction, place_code
from app.inventory._picking import ExcludedLot, Exclusion, PickLine, PickProposal, PickStrategy, StockLot, propose_picks
from app.inventory._replenishment import (
    AtpPoint,
    AvailabilityDisplay,
    AvailabilityMode,
    DatedQty,
    MinMaxRule,
    PurchaseSuggestion,
    ReorderPointRule,
    StockPosition,
    StockSignal,
    SupplyTerms,
    atp_timeline,
    available,
    display_availability,
    kit_available,
    kit_promise_date,
    promise_date,
    suggest_purchase,
)
from app.inventory._valuation import (
    COST_PLACES,
    AverageCost,
    CostLayer,
    CostMethod,
    FifoCost,
    LayerSlice,
    MoveValue,
    Revaluation,
    Revalued,
    Valuation,
    Valued,
    issue,
    new_valuation,
    receive,
    unit_cost_of,
)


class AdjustmentReason(StrEnum):
    """Why stock was adjusted: a closed set, the value is what the move row stores."""

    COUNT = "count"
    DAMAGE = "damage"
    LOSS = "loss"
    FOUND = "found"
    EXPIRY = "expiry"
    OTHER = "other"


# Damage, loss and expiry only ever take stock away; found only ever adds it; count and other go both ways.
LOSS_ONLY = frozenset({AdjustmentReason.DAMAGE, AdjustmentReason.LOSS, AdjustmentReason.EXPIRY})
GAIN_ONLY = frozenset({AdjustmentReason.FOUND})


class AdjustmentMove(NamedTuple):
    """A stock move between a stock location and the inventory-adjustment location, with its reason."""

    source: Hashable
    destination: Hashable
    qty: Decimal
    reason: AdjustmentReason


def _reason(reason: AdjustmentReason | str) -> AdjustmentReason:
    try:
        return AdjustmentReason(reason)
    except ValueError:
        codes = ", ".join(each.value for each in AdjustmentReason)
        raise StockRuleError("reason", f"unknown reason {reason!r}; use one of {codes}") from None


def adjustment_move(
    change: Decimal, *, location: Hashable, adjustment_location: Hashable, reason: AdjustmentReason | str
) -> AdjustmentMove:
    """The move for a signed change of stock at a location: + comes in from the adjustment location, - goes
    out to it. Refuses a reason that cannot explain the direction (damage that adds stock, found that takes)."""
    change = decimal("change", change)
    reason = _reason(reason)
    if change == 0:
        raise StockRuleError("change", "an adjustment must change the stock")
    if change > 0 and reason in LOSS_ONLY:
        raise StockRuleError("reason", f"'{reason}' can only take stock away, but the change adds {change}")
    if change < 0 and reason in GAIN_ONLY:
        raise StockRuleError("reason", f"'{reason}' can only add stock, but the change takes {-change}")
    if change > 0:
        return AdjustmentMove(adjustment_location, location, change, reason)
    return AdjustmentMove(location, adjustment_location, -change, reason)


def count_adjustment(
    counted: Decimal,
    system_qty: Decimal,
    *,
    location: Hashable,
    adjustment_location: Hashable,
    reason: AdjustmentReason | str = AdjustmentReason.COUNT,
) -> AdjustmentMove | None:
    """The move that brings the system quantity to the counted one, or None when they agree.

    A count is never negative; the system quantity may be (negative stock), and the move then covers it.
    """
    counted = not_negative("counted", counted)
    change = counted - decimal("system_qty", system_qty)
    if change == 0:
        return None
    return adjustment_move(change, location=location, adjustment_location=adjustment_location, reason=reason)


class ReceiptStatus(StrEnum):
    """What receiving against a purchase order line says."""

    ACCEPTED = "accepted"
    OVER_TOLERANCE = "over_tolerance"


class ReceiptCheck(NamedTuple):
    """The answer for one receipt line.

    `max_acceptable` is the most that may still be received on the line (over tolerance included);
    `line_complete` says the line is done: received at least ordered less the under tolerance, counting this
    receipt only when accepted. `reason` explains a refusal.
    """

    status: ReceiptStatus
    max_acceptable: Decimal
    received_total: Decimal
    line_complete: bool
    reason: str | None = None

    @property
    def accepted(self) -> bool:
        """True when the quantity may be received."""
        return self.status is ReceiptStatus.ACCEPTED


def check_receipt(
    ordered: Decimal,
    already_received: Decimal,
    receiving: Decimal,
    *,
    over_pct: Decimal = ZERO,
    under_pct: Decimal = ZERO,
) -> ReceiptCheck:
    """Accept or refuse receiving more on a purchase order line, and say whether the line is then complete.

    With ordered 100 and 5 % either way: up to 105 in total is accepted, and 95 or more closes the line.
    """
    ordered = positive("ordered", ordered)
    already = not_negative("already_received", already_received)
    receiving = positive("receiving", receiving)
    over, under = not_negative("over_pct", over_pct), not_negative("under_pct", under_pct)
    if under > HUNDRED:
        raise StockRuleError("under_pct", f"must be at most 100, got {under}")
    max_acceptable = max(ordered * (HUNDRED + over) / HUNDRED - already, ZERO)
    enough = ordered * (HUNDRED - under) / HUNDRED
    if receiving > max_acceptable:
        reason = f"receiving {receiving} is over tolerance: at most {max_acceptable} more may be received"
        return ReceiptCheck(ReceiptStatus.OVER_TOLERANCE, max_acceptable, already, already >= enough, reason)
    total = already + receiving
    return ReceiptCheck(ReceiptStatus.ACCEPTED, max_acceptable, total, total >= enough)


__all__ = [
    "COST_PLACES",
    "GAIN_ONLY",
    "LOSS_ONLY",
    "STOCK_KINDS",
    "VIRTUAL_KINDS",
    "AdjustmentMove",
    "AdjustmentReason",
    "AtpPoint",
    "AvailabilityDisplay",
    "AvailabilityMode",
    "AverageCost",
    "BarcodeError",
    "CodeKind",
    "CostLayer",
    "CostMethod",
    "DatedQty",
    "Direction",
    "ExcludedLot",
    "Exclusion",
    "FifoCost",
    "LayerSlice",
    "MinMaxRule",
    "MoveValue",
    "PickLine",
    "PickProposal",
    "PickStrategy",
    "PurchaseSuggestion",
    "ReceiptCheck",
    "ReceiptStatus",
    "ReorderPointRule",
    "Revaluation",
    "Revalued",
    "ScannedCode",
    "StockLot",
    "StockPosition",
    "StockRuleError",
    "StockSignal",
    "SupplyTerms",
    "Valuation",
    "Valued",
    "adjustment_move",
    "atp_timeline",
    "available",
    "check_receipt",
    "count_adjustment",
    "direction",
    "display_availability",
    "gtin_check_digit",
    "is_valid_gtin",
    "issue",
    "kit_available",
    "kit_promise_date",
    "new_valuation",
    "parse_code",
    "place_code",
    "promise_date",
    "propose_picks",
    "receive",
    "suggest_purchase",
    "unit_cost_of",
]

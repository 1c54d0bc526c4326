"""Three-way match: each supplier bill line against its order line and what was received, within tolerances."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from app.money import to_minor_unit
from app.purchasing._errors import HUNDRED, ZERO, Id, PurchasingRuleError, not_negative, positive


class OrderLine(NamedTuple):
    """A purchase order line as ordered."""

    line: Id
    product: Id
    qty: Decimal
    unit_price: Decimal


class BillLine(NamedTuple):
    """A supplier bill line; `order_line` None when the supplier billed something not on the order."""

    line: Id
    order_line: Id | None
    qty: Decimal
    unit_price: Decimal


class MatchTolerance(NamedTuple):
    """How far a bill may go above the order: qty over received in %, unit price over ordered in % and/or
    an absolute amount per unit (both given: the stricter applies; neither: the exact price)."""

    qty_pct: Decimal = ZERO
    price_pct: Decimal | None = None
    price_amount: Decimal | None = None


class HoldReason(StrEnum):
    """Why a bill line is held for a person to look at."""

    QTY_OVER_TOLERANCE = "qty_over_tolerance"
    PRICE_OVER_TOLERANCE = "price_over_tolerance"
    BILLED_BEFORE_RECEIPT = "billed_before_receipt"
    NOT_ON_ORDER = "not_on_order"


class Hold(NamedTuple):
    """One reason to hold a line, with a message for the accounts-payable clerk."""

    reason: HoldReason
    message: str


@dataclass(frozen=True, slots=True)
class LineMatch:
    """The result for one bill line: approved when nothing holds it."""

    bill_line: BillLine
    amount: Decimal
    holds: tuple[Hold, ...]

    @property
    def approved(self) -> bool:
        return not self.holds


@dataclass(frozen=True, slots=True)
class BillMatch:
    """The result for a whole bill: approved only when every line is; the held amount is what waits."""

    currency: str
    lines: tuple[LineMatch, ...]

    @property
    def approved(self) -> bool:
        return all(line.approved for line in self.lines)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def held_total(self) -> Decimal:
        return sum((line.amount for line in self.lines if not line.approved), ZERO)

    @property
    def reasons(self) -> frozenset[HoldReason]:
        """Every reason any line is held for."""
        return frozenset(hold.reason for line in self.lines for hold in line.holds)


def price_allowance(ordered_price: Decimal, tolerance: MatchTolerance) -> Decimal:
    """How much a billed unit price may exceed the ordered one: the stricter of the limits given, else zero."""
    limits = []
    if tolerance.price_pct is not None:
        limits.append(ordered_price * not_negative("price_pct", tolerance.price_pct) / HUNDRED)
    if tolerance.price_amount is not None:
        limits.append(not_negative("price_amount", tolerance.price_amount))
    return min(limits, default=ZERO)


def _holds(
    bill: BillLine, order: OrderLine, received: Decimal, billed_total: Decimal, tolerance: MatchTolerance
) -> tuple[Hold, ...]:
    """The reasons to hold a line that is on the order."""
    holds: list[Hold] = []
    if received <= 0:
        holds.append(Hold(HoldReason.BILLED_BEFORE_RECEIPT, f"nothing received yet on order line {order.line}"))
    else:
        most = received * (HUNDRED + not_negative("qty_pct", tolerance.qty_pct)) / HUNDRED
        if billed_total > most:
            message = f"billed {billed_total} in all, received {received}: at most {most} may be billed"
            holds.append(Hold(HoldReason.QTY_OVER_TOLERANCE, message))
    allowed = price_allowance(order.unit_price, tolerance)
    if bill.unit_price - order.unit_price > allowed:
        message = f"billed {bill.unit_price} a unit, ordered at {order.unit_price}: at most {allowed} more allowed"
        holds.append(Hold(HoldReason.PRICE_OVER_TOLERANCE, message))
    return tuple(holds)


def match_bill(
    bill_lines: Iterable[BillLine],
    order_lines: Iterable[OrderLine],
    received: Mapping[Id, Decimal],
    *,
    currency: str,
    tolerance: MatchTolerance = MatchTolerance(),
    billed_before: Mapping[Id, Decimal] | None = None,
) -> BillMatch:
    """Match each bill line with its order line and the quantity received on it (by order line id).

    Quantities billed on earlier bills (`billed_before`) and on earlier lines of this bill count against
    what was received. Billing below the ordered price never holds a line.
    """
    orders = {line.line: line for line in order_lines}
    billed = {key: not_negative("billed_before", qty) for key, qty in (billed_before or {}).items()}
    results: list[LineMatch] = []
    for bill in bill_lines:
        qty, price = positive("qty", bill.qty), not_negative("unit_price", bill.unit_price)
        amount = to_minor_unit(qty * price, currency)
        order = orders.get(bill.order_line) if bill.order_line is not None else None
        if order is None:
            hold = Hold(HoldReason.NOT_ON_ORDER, f"bill line {bill.line} is not on the purchase order")
            results.append(LineMatch(bill, amount, (hold,)))
            continue
        billed[order.line] = billed.get(order.line, ZERO) + qty
        got = not_negative("received", received.get(order.line, ZERO))
        results.append(LineMatch(bill, amount, _holds(bill, order, got, billed[order.line], tolerance)))
    if not results:
        raise PurchasingRuleError("bill_lines", "a bill needs at least one line")
    return BillMatch(currency, tuple(results))

"""Returns (RMA): what a buyer may still return, the return's states, and receiving goods back into stock or
to scrap with a reason."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from app.sales._errors import (
    N_,
    YES,
    ZERO,
    Decision,
    Reason,
    SalesRuleError,
    decimal,
    not_negative,
    positive,
    reason,
    refuse,
)


class ReturnStatus(StrEnum):
    """A return's status; the value is what the return row stores."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    RECEIVED = "received"


R = ReturnStatus
# Staff approve or reject a request; approved goods are received (in one or several deliveries). Final:
# rejected and received.
RETURN_TRANSITIONS = MappingProxyType(
    {
        R.REQUESTED: frozenset({R.APPROVED, R.REJECTED}),
        R.APPROVED: frozenset({R.RECEIVED}),
        R.REJECTED: frozenset(),
        R.RECEIVED: frozenset(),
    }
)
# What counts against what a line may still return: every return not rejected.
COUNTING = frozenset({R.REQUESTED, R.APPROVED, R.RECEIVED})


def _status(value: ReturnStatus | str) -> ReturnStatus:
    try:
        return ReturnStatus(value)
    except ValueError:
        raise SalesRuleError("status", "unknown return status %(value)r", value=value) from None


def return_transition(status: ReturnStatus | str, target: ReturnStatus | str) -> Decision:
    """May a return go from `status` to `target`?"""
    current, wanted = _status(status), _status(target)
    if wanted in RETURN_TRANSITIONS[current]:
        return YES
    if not RETURN_TRANSITIONS[current]:
        return refuse("final", N_("This return is already %(status)s."), status=current)
    return refuse("not_allowed", N_("A %(status)s return cannot become %(target)s."), status=current, target=wanted)


class ReturnableLine(NamedTuple):
    """An order line as returns see it: shipped so far, and in returns that are not rejected."""

    line_id: Hashable
    sku: str
    shipped: Decimal
    returned: Decimal = ZERO

    @property
    def returnable(self) -> Decimal:
        return max(self.shipped - self.returned, ZERO)


class ReturnLineCheck(NamedTuple):
    """The answer for one requested line: the quantity, the most that may be returned, why not (None: fine)."""

    line_id: Hashable
    requested: Decimal
    returnable: Decimal
    reason: Reason | None = None


@dataclass(frozen=True, slots=True)
class ReturnRequestCheck:
    """Every requested line's answer; the request may be saved when all are fine and there is at least one."""

    lines: tuple[ReturnLineCheck, ...]

    @property
    def allowed(self) -> bool:
        return bool(self.lines) and all(line.reason is None for line in self.lines)


def _line_check(line: ReturnableLine | None, line_id: Hashable, qty: Decimal) -> ReturnLineCheck:
    if line is None or line.shipped <= 0:
        why = reason("not_shipped", N_("Nothing of this line has shipped, so there is nothing to return."))
        return ReturnLineCheck(line_id, qty, ZERO, why)
    returnable = line.returnable
    if qty <= 0:
        return ReturnLineCheck(line_id, qty, returnable, reason("positive", N_("Enter a quantity greater than zero.")))
    if qty > returnable:
        why = reason(
            "more_than_shipped",
            N_(
                "You can return at most %(returnable)s of %(sku)s: %(shipped)s shipped, %(returned)s already "
                "returned or being returned."
            ),
            returnable=returnable,
            sku=line.sku,
            shipped=line.shipped,
            returned=line.returned,
        )
        return ReturnLineCheck(line_id, qty, returnable, why)
    return ReturnLineCheck(line_id, qty, returnable)


def check_return_request(lines: Sequence[ReturnableLine], requested: Mapping[Hashable, Decimal]) -> ReturnRequestCheck:
    """Check a buyer's return request (line id -> qty) against what shipped and is not already being returned."""
    known = {line.line_id: line for line in lines}
    for line in lines:
        not_negative("shipped", line.shipped)
        not_negative("returned", line.returned)
    checks = tuple(_line_check(known.get(line_id), line_id, decimal("qty", qty)) for line_id, qty in requested.items())
    return ReturnRequestCheck(checks)


class Disposition(StrEnum):
    """Where received goods go."""

    RESTOCK = "restock"  # back on the shelf, sellable
    SCRAP = "scrap"  # to the scrap location, with a reason


class ApprovedLine(NamedTuple):
    """A line of an approved return: the approved quantity and what was received of it so far."""

    line_id: Hashable
    sku: str
    approved: Decimal
    received: Decimal = ZERO


class ReceivedGoods(NamedTuple):
    """Goods received for a line: a quantity, where it goes, and why (required for scrap)."""

    line_id: Hashable
    qty: Decimal
    disposition: Disposition | str
    reason: str = ""


class ReturnMove(NamedTuple):
    """A stock move to make: qty of the line's variant from the customer to stock or to scrap."""

    line_id: Hashable
    qty: Decimal
    disposition: Disposition
    reason: str


@dataclass(frozen=True, slots=True)
class ReturnReceipt:
    """The moves of one receipt and the return's status after it (received once everything approved is in)."""

    moves: tuple[ReturnMove, ...]
    status: ReturnStatus


def _move(goods: ReceivedGoods) -> ReturnMove:
    try:
        disposition = Disposition(goods.disposition)
    except ValueError:
        raise SalesRuleError("disposition", N_("Choose restock or scrap.")) from None
    text = goods.reason.strip()
    if disposition is Disposition.SCRAP and not text:
        raise SalesRuleError("reason", N_("Say why the goods are scrapped."))
    return ReturnMove(goods.line_id, positive("qty", goods.qty), disposition, text)


def receive_return(
    status: ReturnStatus | str, approved: Sequence[ApprovedLine], received: Sequence[ReceivedGoods]
) -> ReturnReceipt:
    """Receive goods against an approved return: never more than approved and not yet received per line."""
    if _status(status) is not ReturnStatus.APPROVED:
        raise SalesRuleError("status", N_("Only an approved return can be received."))
    lines = {line.line_id: line for line in approved}
    moves = tuple(_move(goods) for goods in received)
    if not moves:
        raise SalesRuleError("lines", N_("Enter what was received."))
    now: dict[Hashable, Decimal] = {}
    for move in moves:
        line = lines.get(move.line_id)
        if line is None:
            raise SalesRuleError("lines", N_("Line %(line)s is not in this return."), line=move.line_id)
        now[move.line_id] = now.get(move.line_id, ZERO) + move.qty
        left = not_negative("approved", line.approved) - not_negative("received", line.received)
        if now[move.line_id] > left:
            raise SalesRuleError(
                "qty",
                N_("Receiving more than approved: %(sku)s has %(left)s still expected, %(qty)s received."),
                sku=line.sku,
                left=left,
                qty=now[move.line_id],
            )
    done = all(line.received + now.get(line.line_id, ZERO) >= line.approved for line in approved)
    return ReturnReceipt(moves, ReturnStatus.RECEIVED if done else ReturnStatus.APPROVED)

"""Requests for quotation: the suppliers' answers side by side, best price and lead time marked per line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from app.money import to_minor_unit
from app.purchasing._errors import Id, PurchasingRuleError, not_negative, positive, whole_days


class RfqLine(NamedTuple):
    """One line of the request: a product and the quantity asked for."""

    line: Id
    product: Id
    qty: Decimal


class RfqResponse(NamedTuple):
    """One supplier's answer to one line, in the request's currency."""

    supplier: Id
    line: Id
    unit_price: Decimal
    lead_time_days: int


@dataclass(frozen=True, slots=True)
class RfqCell:
    """One supplier's answer to one line in the table: amount = qty x price; the best ones marked (ties too)."""

    supplier: Id
    unit_price: Decimal
    lead_time_days: int
    amount: Decimal
    best_price: bool
    best_lead_time: bool


@dataclass(frozen=True, slots=True)
class RfqRow:
    """One request line and the cells, one per supplier column (None where that supplier did not answer)."""

    line: RfqLine
    cells: tuple[RfqCell | None, ...]


@dataclass(frozen=True, slots=True)
class RfqColumn:
    """One supplier: how many lines it answered; a total only when it answered every line."""

    supplier: Id
    answered: int
    total: Decimal | None

    @property
    def partial(self) -> bool:
        """True when the supplier left lines unanswered (and so has no total)."""
        return self.total is None


@dataclass(frozen=True, slots=True)
class RfqComparison:
    """The side-by-side table: supplier columns in the order they first answered, one row per request line."""

    currency: str
    columns: tuple[RfqColumn, ...]
    rows: tuple[RfqRow, ...]

    @property
    def cheapest_complete(self) -> RfqColumn | None:
        """The complete answer with the lowest total (the first column on a tie); None without one."""
        complete = [column for column in self.columns if column.total is not None]
        return min(complete, key=lambda column: column.total, default=None)


def _answers(lines: Sequence[RfqLine], responses: Iterable[RfqResponse]) -> dict[tuple[Id, Id], RfqResponse]:
    """The responses by (supplier, line), each checked: a known line, answered once, sane figures."""
    known = {line.line for line in lines}
    answers: dict[tuple[Id, Id], RfqResponse] = {}
    for response in responses:
        if response.line not in known:
            raise PurchasingRuleError(
                "responses", f"supplier {response.supplier} answered unknown line {response.line}"
            )
        key = (response.supplier, response.line)
        if key in answers:
            raise PurchasingRuleError("responses", f"supplier {response.supplier} answered line {response.line} twice")
        not_negative("unit_price", response.unit_price)
        whole_days("lead_time_days", response.lead_time_days)
        answers[key] = response
    return answers


def _row(line: RfqLine, suppliers: Sequence[Id], answers: dict, currency: str) -> RfqRow:
    """One line's cells, with the lowest price and the shortest lead time marked."""
    given = [answers.get((supplier, line.line)) for supplier in suppliers]
    present = [answer for answer in given if answer is not None]
    low_price = min((answer.unit_price for answer in present), default=None)
    low_lead = min((answer.lead_time_days for answer in present), default=None)
    cells = tuple(
        None
        if answer is None
        else RfqCell(
            answer.supplier,
            answer.unit_price,
            answer.lead_time_days,
            to_minor_unit(line.qty * answer.unit_price, currency),
            answer.unit_price == low_price,
            answer.lead_time_days == low_lead,
        )
        for answer in given
    )
    return RfqRow(line, cells)


def compare_rfq(lines: Sequence[RfqLine], responses: Iterable[RfqResponse], currency: str) -> RfqComparison:
    """Lay the answers side by side; a supplier that answered every line gets a total, the others are partial."""
    if not lines:
        raise PurchasingRuleError("lines", "a request for quotation needs at least one line")
    if len({line.line for line in lines}) < len(lines):
        raise PurchasingRuleError("lines", "each request line must have its own id")
    for line in lines:
        positive("qty", line.qty)
    answers = _answers(lines, responses)
    suppliers = tuple(dict.fromkeys(supplier for supplier, _ in answers))
    rows = tuple(_row(line, suppliers, answers, currency) for line in lines)
    columns = []
    for index, supplier in enumerate(suppliers):
        cells = [row.cells[index] for row in rows if row.cells[index] is not None]
        total = sum(cell.amount for cell in cells) if len(cells) == len(rows) else None
        columns.append(RfqColumn(supplier, len(cells), total))
    return RfqComparison(currency, tuple(columns), rows)

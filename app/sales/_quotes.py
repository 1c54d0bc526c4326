"""Quotes: versions with their lines, prices, discounts and validity; the differences between two versions for
the buyer; and accepting one, which turns its lines into order lines at the quoted prices."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from app.money import to_minor_unit
from app.sales._errors import (
    HUNDRED,
    N_,
    YES,
    ZERO,
    Decision,
    SalesRuleError,
    currency_code,
    not_negative,
    percentage,
    positive,
    refuse,
)
from app.sales._taxes import TaxClass
from app.sales._totals import OrderLineInput


class QuoteStatus(StrEnum):
    """A quote's status (of its latest version); the value is what the quote row stores."""

    DRAFT = "draft"  # staff are writing this version
    SENT = "sent"  # the buyer can accept, reject or ask for a revision
    REVISION_REQUESTED = "revision_requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


Q = QuoteStatus
# Staff revise by writing a new version (back to draft); accepted and rejected are final. An expired quote
# keeps its status: expiry is a date, checked when accepting (`can_accept`), so no job has to flip it.
QUOTE_TRANSITIONS = MappingProxyType(
    {
        Q.DRAFT: frozenset({Q.SENT, Q.REJECTED}),
        Q.SENT: frozenset({Q.ACCEPTED, Q.REJECTED, Q.REVISION_REQUESTED, Q.DRAFT}),
        Q.REVISION_REQUESTED: frozenset({Q.DRAFT, Q.REJECTED}),
        Q.ACCEPTED: frozenset(),
        Q.REJECTED: frozenset(),
    }
)


class QuoteLine(NamedTuple):
    """A quoted line: the variant, its quantity, the quoted unit price and a discount in percent."""

    variant_id: Hashable
    sku: str
    qty: Decimal
    unit_price: Decimal
    discount_pct: Decimal = ZERO
    tax_class: TaxClass | str = TaxClass.STANDARD


@dataclass(frozen=True, slots=True)
class QuoteVersion:
    """One version of a quote (1, 2, ...): its lines, one per variant, and the last day it can be accepted."""

    number: int
    currency: str
    lines: tuple[QuoteLine, ...]
    valid_until: date

    def amount(self, line: QuoteLine) -> Decimal:
        """The line's amount before tax: qty x price less the discount, half up to the minor unit."""
        return to_minor_unit(line.qty * line.unit_price * (HUNDRED - line.discount_pct) / HUNDRED, self.currency)

    @property
    def total(self) -> Decimal:
        """The sum of the line amounts, before tax and delivery."""
        return sum((self.amount(line) for line in self.lines), ZERO)


def _checked_lines(lines: Iterable[QuoteLine]) -> tuple[QuoteLine, ...]:
    checked: list[QuoteLine] = []
    seen: set[Hashable] = set()
    for line in lines:
        if line.variant_id in seen:
            raise SalesRuleError("lines", N_("%(sku)s is quoted twice: one line per item"), sku=line.sku)
        seen.add(line.variant_id)
        positive("qty", line.qty)
        not_negative("unit_price", line.unit_price)
        percentage("discount_pct", line.discount_pct)
        checked.append(line)
    if not checked:
        raise SalesRuleError("lines", N_("A quote needs at least one line."))
    return tuple(checked)


def new_version(
    previous: QuoteVersion | None, lines: Iterable[QuoteLine], *, valid_until: date, today: date, currency: str
) -> QuoteVersion:
    """The next version of a quote (the first when `previous` is None), valid until a day not in the past."""
    if valid_until < today:
        raise SalesRuleError("valid_until", N_("A quote must be valid until today or later."))
    code = currency_code("currency", currency)
    if previous is not None and previous.currency != code:
        raise SalesRuleError(
            "currency", N_("A revision keeps the quote's currency %(currency)s."), currency=previous.currency
        )
    number = 1 if previous is None else previous.number + 1
    return QuoteVersion(number, code, _checked_lines(lines), valid_until)


class LineChange(NamedTuple):
    """A line in both versions whose quantity, price or discount changed, and how its amount moved."""

    variant_id: Hashable
    sku: str
    changes: Mapping[str, tuple[Decimal, Decimal]]  # field -> (before, after): qty, unit_price, discount_pct
    amount_before: Decimal
    amount_after: Decimal

    @property
    def price_changed(self) -> bool:
        """True when what the buyer pays per unit moved (the price or the discount)."""
        return "unit_price" in self.changes or "discount_pct" in self.changes


@dataclass(frozen=True, slots=True)
class QuoteDiff:
    """What changed from one version to the next, for the buyer to see before accepting."""

    previous: int
    current: int
    added: tuple[QuoteLine, ...]
    removed: tuple[QuoteLine, ...]
    changed: tuple[LineChange, ...]
    valid_until: tuple[date, date] | None
    total_before: Decimal
    total_after: Decimal

    @property
    def price_changes(self) -> tuple[LineChange, ...]:
        return tuple(change for change in self.changed if change.price_changed)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed or self.valid_until)


def _line_change(
    before: QuoteLine, after: QuoteLine, previous: QuoteVersion, current: QuoteVersion
) -> LineChange | None:
    fields = ("qty", "unit_price", "discount_pct")
    changes = {
        name: (getattr(before, name), getattr(after, name))
        for name in fields
        if getattr(before, name) != getattr(after, name)
    }
    if not changes:
        return None
    return LineChange(after.variant_id, after.sku, changes, previous.amount(before), current.amount(after))


def diff(previous: QuoteVersion, current: QuoteVersion) -> QuoteDiff:
    """Added, removed and changed lines (in the current version's order; removed ones in the previous order),
    a changed validity, and both totals."""
    old = {line.variant_id: line for line in previous.lines}
    new = {line.variant_id: line for line in current.lines}
    added = tuple(line for line in current.lines if line.variant_id not in old)
    removed = tuple(line for line in previous.lines if line.variant_id not in new)
    changed = tuple(
        change
        for line in current.lines
        if line.variant_id in old
        and (change := _line_change(old[line.variant_id], line, previous, current)) is not None
    )
    validity = None if previous.valid_until == current.valid_until else (previous.valid_until, current.valid_until)
    return QuoteDiff(previous.number, current.number, added, removed, changed, validity, previous.total, current.total)


def quote_transition(status: QuoteStatus | str, target: QuoteStatus | str) -> Decision:
    """May the quote go from `status` to `target`? (Accepting also needs `can_accept`.)"""
    try:
        current, wanted = QuoteStatus(status), QuoteStatus(target)
    except ValueError:
        raise SalesRuleError("status", "unknown quote status") from None
    if wanted in QUOTE_TRANSITIONS[current]:
        return YES
    if not QUOTE_TRANSITIONS[current]:
        return refuse("final", N_("This quote was already %(status)s."), status=current)
    return refuse("not_allowed", N_("A %(status)s quote cannot become %(target)s."), status=current, target=wanted)


def can_accept(version: QuoteVersion, *, status: QuoteStatus | str, latest_number: int, today: date) -> Decision:
    """May the buyer accept this version today? Only the latest version, once sent, up to its last valid day."""
    moving = quote_transition(status, QuoteStatus.ACCEPTED)
    if not moving:
        if QuoteStatus(status) is QuoteStatus.REVISION_REQUESTED:
            return refuse("revision_requested", N_("You asked for a revision: accept the new version when it comes."))
        return moving
    if version.number != latest_number:
        return refuse(
            "superseded",
            N_("Version %(latest)s of this quote replaces this one: accept that one."),
            latest=latest_number,
        )
    if today > version.valid_until:
        return refuse(
            "expired", N_("This quote expired on %(date)s: ask us for a new one."), date=version.valid_until.isoformat()
        )
    return YES


@dataclass(frozen=True, slots=True)
class QuoteAcceptance:
    """Accepting a version: yes with the order lines at the quoted prices (ids 1, 2, ... in quote order), or
    no with the reason."""

    decision: Decision
    lines: tuple[OrderLineInput, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.decision.allowed


def accept(version: QuoteVersion, *, status: QuoteStatus | str, latest_number: int, today: date) -> QuoteAcceptance:
    """The order lines to create from an accepted quote; the order is then placed like any other (`placed_status`),
    priced at these prices rather than by the engine."""
    decision = can_accept(version, status=status, latest_number=latest_number, today=today)
    if not decision:
        return QuoteAcceptance(decision)
    lines = tuple(
        OrderLineInput(number, line.variant_id, line.qty, line.unit_price, line.tax_class, line.discount_pct)
        for number, line in enumerate(version.lines, start=1)
    )
    return QuoteAcceptance(decision, lines)

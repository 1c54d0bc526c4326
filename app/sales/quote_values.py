"""Value types of quotes and saved lists: what the services take and give back, what the pages read, and the
quotes' outbox topic."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from app.sales._quotes import QuoteDiff

QUOTE_STATUS_TOPIC = "sales.quote_status_changed"
DEFAULT_VALIDITY_DAYS = 30  # a new quote is valid this many days; staff change it per version


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """The answer to a quote service: the quote, its number, status and current version."""

    quote_id: uuid.UUID
    number: str
    status: str
    version: int


@dataclass(frozen=True, slots=True)
class RevisedLine:
    """A line of a staff revision as typed: quantity, unit price and discount (percent) are parsed by the service."""

    variant_id: uuid.UUID
    qty: Decimal | int | str
    unit_price: Decimal | int | str
    discount_pct: Decimal | int | str = "0"


@dataclass(frozen=True, slots=True)
class QuoteRevision:
    """A new version written by staff: the kept lines, lines added by SKU (priced by the engine), the last day
    it can be accepted and a note to the buyer."""

    lines: tuple[RevisedLine, ...]
    valid_until: date | None
    note: str = ""
    added: tuple[tuple[str, Decimal | int | str], ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteLineView:
    variant_id: uuid.UUID
    sku: str
    name: str
    qty: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    tax_rate: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass(frozen=True, slots=True)
class QuoteVersionView:
    number: int
    valid_until: date
    net: Decimal
    tax: Decimal
    gross: Decimal
    note: str
    author_label: str
    at: datetime
    lines: tuple[QuoteLineView, ...]


@dataclass(frozen=True, slots=True)
class QuoteEventView:
    version: int
    from_status: str | None
    to_status: str
    actor_label: str
    note: str
    at: datetime


@dataclass(frozen=True, slots=True)
class QuoteSummary:
    """A quote in a list. `state` is what the buyer and staff see: the status, or 'expired' for a sent quote past
    its last valid day (expiry is a date, the stored status stays)."""

    id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str
    status: str
    state: str
    currency: str
    gross: Decimal
    valid_until: date
    version: int
    created_at: datetime
    order_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class QuoteDetail:
    """A quote with every version (newest first), the differences from each version to the next, the timeline,
    and whether the buyer may accept it today (else the reason)."""

    summary: QuoteSummary
    requested_by: uuid.UUID | None
    requested_by_name: str
    order_number: str
    versions: tuple[QuoteVersionView, ...]
    diffs: dict[int, QuoteDiff]  # version number -> its differences from the version before
    events: tuple[QuoteEventView, ...]
    acceptable: bool
    refusal: str

    @property
    def current(self) -> QuoteVersionView:
        return self.versions[0]


@dataclass(frozen=True, slots=True)
class QuotePage:
    quotes: tuple[QuoteSummary, ...]
    total: int
    page: int
    per_page: int


@dataclass(frozen=True, slots=True)
class CartFill:
    """Lines put into the cart from an order or a list: the SKUs added, and those skipped with the reason."""

    added: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class SavedListSummary:
    id: uuid.UUID
    name: str
    lines: int
    created_by_name: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class SavedListLineView:
    variant_id: uuid.UUID
    sku: str
    name: str
    qty: Decimal
    for_sale: bool


@dataclass(frozen=True, slots=True)
class SavedListDetail:
    summary: SavedListSummary
    lines: tuple[SavedListLineView, ...]

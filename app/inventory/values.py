"""Value types of the inventory interface: what callers pass to the stock services and what they get back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.errors import ValidationFailed
from app.i18n import gettext as _

MOVED_TOPIC = "inventory.moved"  # a document's moves were posted (finance posts their values)
REVALUED_TOPIC = "inventory.revalued"  # a receipt's value changed (landed costs)


def plain(number: Decimal) -> str:
    """A quantity as people read it in a message: 12.5, 10 (never 1E+1 or 10.0000)."""
    text = format(number.normalize(), "f")
    return "0" if text in {"-0", ""} else text


class InsufficientStock(ValidationFailed):
    """Not enough stock for a move or a reservation: names the SKU, the place and what is available there."""

    def __init__(self, sku: str, available: Decimal, *, place: str | None = None, field: str = "qty") -> None:
        if place is None:
            message = _("Only %(available)s of %(sku)s available.", available=plain(available), sku=sku)
        else:
            message = _(
                "Only %(available)s of %(sku)s available at %(place)s.",
                available=plain(available),
                sku=sku,
                place=place,
            )
        super().__init__({field: message})
        self.sku = sku
        self.available = available
        self.place = place


@dataclass(frozen=True, slots=True)
class StockDocument:
    """The business document a batch of moves belongs to: its kind, id and the number people read."""

    kind: str
    id: uuid.UUID
    reference: str


@dataclass(frozen=True, slots=True)
class ReservationKey:
    """The document line a reservation is held for (with the warehouse the stock leaves, it names one)."""

    document_kind: str
    document_line_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class MoveLine:
    """One move to post. `unit_cost` values goods coming into stock (None: the current cost); `reservation`
    is consumed as the goods leave the warehouse (shipping what was reserved for the line)."""

    variant_id: uuid.UUID
    from_location_id: uuid.UUID
    to_location_id: uuid.UUID
    qty: Decimal
    unit_cost: Decimal | None = None
    lot_id: uuid.UUID | None = None
    line_id: uuid.UUID | None = None
    reason: str | None = None
    reversal_of: uuid.UUID | None = None
    reservation: ReservationKey | None = None


@dataclass(frozen=True, slots=True)
class PostedMove:
    """A move as posted: its number in the variant's ledger and the value it added to (+) or took from (-) stock."""

    id: uuid.UUID
    variant_id: uuid.UUID
    sequence: int
    from_location_id: uuid.UUID
    to_location_id: uuid.UUID
    lot_id: uuid.UUID | None
    qty: Decimal
    unit_cost: Decimal
    value: Decimal
    adjustment: Decimal


@dataclass(frozen=True, slots=True)
class Posted:
    """What one posting did: the document and its moves."""

    document: StockDocument
    moves: tuple[PostedMove, ...]


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """Goods received: a variant, a quantity and its unit cost (None: the standard cost), where they go (None: the
    warehouse's receipt location), a lot with its expiry, or one serial number per unit; `line_id` is the caller's
    line (a purchase order line)."""

    variant_id: uuid.UUID
    qty: Decimal
    unit_cost: Decimal | None = None
    location_id: uuid.UUID | None = None
    lot_code: str | None = None
    expiry: date | None = None
    serials: tuple[str, ...] = ()
    line_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class Receipt:
    """A receipt into one warehouse. Without `document_id` it is a receipt of its own, numbered GR-...; purchasing
    passes its order's kind, id and number instead."""

    warehouse_id: uuid.UUID
    lines: tuple[ReceiptLine, ...]
    document_kind: str = "receipt"
    document_id: uuid.UUID | None = None
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class IssueLine:
    """Goods leaving a stock location (to a customer, to production): from which lot, for which reserved line."""

    variant_id: uuid.UUID
    location_id: uuid.UUID
    qty: Decimal
    lot_id: uuid.UUID | None = None
    line_id: uuid.UUID | None = None
    reservation: ReservationKey | None = None


@dataclass(frozen=True, slots=True)
class ReserveRequest:
    """Hold qty of a variant in a warehouse for a document line."""

    warehouse_id: uuid.UUID
    variant_id: uuid.UUID
    qty: Decimal
    document_kind: str
    document_id: uuid.UUID
    line_id: uuid.UUID
    needed_on: date | None = None


@dataclass(frozen=True, slots=True)
class Supply:
    """A quantity expected into (incoming) or out of (outgoing) a warehouse on a date."""

    variant_id: uuid.UUID
    warehouse_id: uuid.UUID
    on: date
    qty: Decimal


@dataclass(frozen=True, slots=True)
class WarehouseInput:
    """A warehouse as its form gives it."""

    code: str
    name: str
    country: str | None = None
    postcode: str | None = None
    city: str | None = None
    is_active: bool = True
    receipt_location_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class LocationInput:
    """A zone or bin of a warehouse, under `parent_id` (None: right under the warehouse)."""

    code: str
    name: str
    parent_id: uuid.UUID | None = None
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class TransferInput:
    """A transfer between two warehouses, with (variant id, qty) lines."""

    from_warehouse_id: uuid.UUID
    to_warehouse_id: uuid.UUID
    lines: tuple[tuple[uuid.UUID, Decimal], ...] = ()
    expected_on: date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A signed change of stock at a location with its reason (damage, loss, found, ...); scrap when `scrap`."""

    location_id: uuid.UUID
    variant_id: uuid.UUID
    change: Decimal
    reason: str
    lot_code: str | None = None
    expiry: date | None = None
    scrap: bool = False


@dataclass(frozen=True, slots=True)
class InventorySettingsInput:
    """The tenant's stock rules."""

    cost_method: str = "average"
    allow_negative: bool = False
    availability_mode: str = "level"
    low_stock_at: Decimal = Decimal(5)
    pick_strategy: str = "fefo"


@dataclass(frozen=True, slots=True)
class ReorderRuleInput:
    """Min/max (below min, order up to max) or reorder point (at or below the point, order the quantity)."""

    variant_id: uuid.UUID
    warehouse_id: uuid.UUID
    kind: str
    min_qty: Decimal
    max_qty: Decimal


@dataclass(frozen=True, slots=True)
class CountEntry:
    """What was counted at a place: a variant (and lot) at a location."""

    variant_id: uuid.UUID
    location_id: uuid.UUID
    counted: Decimal
    lot_code: str | None = None
    expiry: date | None = None


@dataclass(slots=True)
class PageOf:
    """A page of rows and how many there are in all."""

    rows: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 50

    @property
    def pages(self) -> int:
        """Number of pages (at least one)."""
        return max(1, -(-self.total // self.per_page))

"""The sales domain's value types: what placing an order takes and gives back, and its outbox topics."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

ORDER_PLACED_TOPIC = "sales.order_placed"
ORDER_STATUS_TOPIC = "sales.order_status_changed"
DOCUMENT_KIND = "sales_order"  # the reservations' document kind


@dataclass(frozen=True, slots=True)
class OrderLineRequest:
    """A line to order: a variant and a quantity. No price: the server prices every line."""

    variant_id: uuid.UUID
    qty: Decimal | int | str


@dataclass(frozen=True, slots=True)
class PlaceOrder:
    """Placing an order for a customer company: the lines (None: the user's cart), the key that makes it
    idempotent, and the buyer's choices."""

    customer_id: uuid.UUID
    user_id: uuid.UUID
    idempotency_key: str
    lines: tuple[OrderLineRequest, ...] | None = None
    po_number: str = ""
    requested_date: date | None = None
    payment: str = "account"  # 'account' | 'card'
    delivery_mode: str = "ship_available"  # 'ship_available' | 'ship_complete'
    ship_address_id: uuid.UUID | None = None
    bill_address_id: uuid.UUID | None = None
    warehouse_id: uuid.UUID | None = None  # None: the tenant's first warehouse
    delivery_service_id: uuid.UUID | None = None  # the carrier service; None: the cheapest (when there are carriers)


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    """The answer to place_order: the order and whether this call made it (False: the key was seen before)."""

    order_id: uuid.UUID
    number: str
    status: str
    gross: Decimal
    created: bool


@dataclass(frozen=True, slots=True)
class CartLineView:
    """A cart line priced now for its customer (unit_price None: not purchasable)."""

    variant_id: uuid.UUID
    sku: str
    name: str
    qty: Decimal
    unit_price: Decimal | None
    amount: Decimal | None
    min_qty: Decimal | None = None  # the variant's quantity rule, for the cart's hints
    multiple: Decimal | None = None
    max_qty: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CartView:
    """A cart with its lines priced for the customer, the sum of the priced lines (without tax), and the tax and
    gross for the company's default ship-to address (None when they cannot be worked out yet)."""

    cart_id: uuid.UUID | None
    currency: str
    lines: tuple[CartLineView, ...]
    subtotal: Decimal
    tax: Decimal | None = None
    gross: Decimal | None = None


@dataclass(frozen=True, slots=True)
class OrderLineView:
    id: uuid.UUID
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
    reserved_qty: Decimal
    shipped_qty: Decimal


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    from_status: str | None
    to_status: str
    actor_label: str
    note: str
    at: datetime


@dataclass(frozen=True, slots=True)
class OrderSummary:
    id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str
    status: str
    currency: str
    gross: Decimal
    po_number: str
    placed_at: datetime


@dataclass(frozen=True, slots=True)
class OrderDetail:
    summary: OrderSummary
    placed_by: uuid.UUID | None
    net: Decimal
    tax: Decimal
    payment_method: str
    delivery_mode: str
    requested_date: date | None
    approval_reason: str
    held_from: str | None
    lines: tuple[OrderLineView, ...]
    timeline: tuple[TimelineEntry, ...]
    delivery_label: str = ""  # the carrier service as sold ('' without carriers)
    shipping_net: Decimal = Decimal(0)  # part of net; its tax is part of tax
    shipping_tax: Decimal = Decimal(0)
    promised_date: date | None = None


@dataclass(frozen=True, slots=True)
class OrderPage:
    orders: tuple[OrderSummary, ...]
    total: int
    page: int
    per_page: int

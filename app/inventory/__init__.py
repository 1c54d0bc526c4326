"""Inventory: warehouses and locations, the stock ledger, reservations, availability, valuation, warehouse work.

The public interface other domains and the faces use:

- services (writes, one use case each, in the caller's transaction): `receive` (goods in; purchasing passes its
  order lines), `reserve` / `reserve_many` / `release` / `release_line`, `ship` and `issue` (goods out, consuming
  reservations), `post_moves` (the one posting function every move goes through), `reverse_moves`,
  `revalue_receipt` (landed costs into valuation), `adjust_stock` (adjustments and scrap with reasons),
  transfers, counts, reorder rules, warehouses and locations;
- queries (reads): `availability`, `atp` (with `register_incoming` / `register_outgoing` for other domains'
  dated supply and demand), `storefront_availability` and, remembered under the `availability` change token,
  `shown_availability` / `availability_mode` / `in_stock_products` (the storefront's, with
  `availability_token`, the generation they are kept under), `in_stock`, `plan_picks`
  (where to pick: FEFO/FIFO),
  `purchase_suggestions`, the stock overview, ledgers and values;
- value types (`values`) and the pure rules (`domain`).
"""

from app.inventory import domain, queries, services
from app.inventory.queries import (
    Atp,
    PickPlan,
    StockAvailability,
    Suggestion,
    atp,
    availability,
    availability_mode,
    availability_token,
    in_stock,
    in_stock_products,
    plan_picks,
    purchase_suggestions,
    register_incoming,
    register_outgoing,
    shown_availability,
    storefront_availability,
)
from app.inventory.services import (
    adjust_stock,
    issue,
    post_moves,
    receive,
    release,
    release_line,
    reserve,
    reserve_many,
    revalue_receipt,
    reverse_moves,
    ship,
)
from app.inventory.values import (
    MOVED_TOPIC,
    REVALUED_TOPIC,
    Adjustment,
    InsufficientStock,
    IssueLine,
    MoveLine,
    Posted,
    PostedMove,
    Receipt,
    ReceiptLine,
    ReservationKey,
    ReserveRequest,
    StockDocument,
    Supply,
)

__all__ = [
    "MOVED_TOPIC",
    "REVALUED_TOPIC",
    "Adjustment",
    "Atp",
    "InsufficientStock",
    "IssueLine",
    "MoveLine",
    "PickPlan",
    "Posted",
    "PostedMove",
    "Receipt",
    "ReceiptLine",
    "ReservationKey",
    "ReserveRequest",
    "StockAvailability",
    "StockDocument",
    "Suggestion",
    "Supply",
    "adjust_stock",
    "atp",
    "availability",
    "availability_mode",
    "availability_token",
    "domain",
    "in_stock",
    "in_stock_products",
    "issue",
    "plan_picks",
    "post_moves",
    "purchase_suggestions",
    "queries",
    "receive",
    "register_incoming",
    "register_outgoing",
    "release",
    "release_line",
    "reserve",
    "reserve_many",
    "revalue_receipt",
    "reverse_moves",
    "services",
    "ship",
    "shown_availability",
    "storefront_availability",
]

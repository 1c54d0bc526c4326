"""Sales: orders, quick order, buyer approvals, credit control, taxes, quotes, delivery planning and fulfilment.

The public interface other domains and the faces use:

- services (writes, one use case each, in the caller's transaction, never committing): the cart
  (`add_to_cart`, `set_cart_qty`, `remove_from_cart`, `clear_cart`, read with `cart` and `cart_count`), quick
  order (`check_quick_order_text`, `add_quick_order`), `place_order`
  (idempotent on its key, priced and taxed on the server, stock reserved in the same transaction),
  `approve_order` / `reject_order` (a company approver), `cancel_order`, `hold_order` / `release_hold`,
  `set_spending_limits`;
- queries: `order_detail`, `orders_for_customer`, `orders`;
- value types (`values`), the outbox topics `ORDER_PLACED_TOPIC` and `ORDER_STATUS_TOPIC`, and the pure rules
  (`domain`).
"""

from app.sales import domain, services
from app.sales.queries import order_detail, orders, orders_for_customer
from app.sales.services import (
    QuickOrderAdded,
    add_quick_order,
    add_to_cart,
    approve_order,
    cancel_order,
    cart,
    cart_count,
    check_quick_order_text,
    clear_cart,
    hold_order,
    place_order,
    reject_order,
    release_hold,
    remove_from_cart,
    set_cart_qty,
    set_spending_limits,
)
from app.sales.values import (
    ORDER_PLACED_TOPIC,
    ORDER_STATUS_TOPIC,
    CartLineView,
    CartView,
    OrderDetail,
    OrderLineRequest,
    OrderLineView,
    OrderPage,
    OrderSummary,
    PlacedOrder,
    PlaceOrder,
    TimelineEntry,
)

__all__ = [
    "ORDER_PLACED_TOPIC",
    "ORDER_STATUS_TOPIC",
    "CartLineView",
    "CartView",
    "OrderDetail",
    "OrderLineRequest",
    "OrderLineView",
    "OrderPage",
    "OrderSummary",
    "PlaceOrder",
    "PlacedOrder",
    "QuickOrderAdded",
    "TimelineEntry",
    "add_quick_order",
    "add_to_cart",
    "approve_order",
    "cancel_order",
    "cart",
    "cart_count",
    "check_quick_order_text",
    "clear_cart",
    "domain",
    "hold_order",
    "order_detail",
    "orders",
    "orders_for_customer",
    "place_order",
    "reject_order",
    "release_hold",
    "remove_from_cart",
    "services",
    "set_cart_qty",
    "set_spending_limits",
]

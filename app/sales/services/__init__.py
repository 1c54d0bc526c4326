"""Sales use cases, one per function, each in the caller's transaction (services never commit)."""

from app.sales.services._buyers import set_spending_limits
from app.sales.services.carts import add_to_cart, cart, cart_count, clear_cart, remove_from_cart, set_cart_qty
from app.sales.services.order_flow import approve_order, cancel_order, hold_order, reject_order, release_hold
from app.sales.services.ordering import place_order
from app.sales.services.quick import QuickOrderAdded, add_quick_order, check_quick_order_text

__all__ = [
    "QuickOrderAdded",
    "add_quick_order",
    "add_to_cart",
    "approve_order",
    "cancel_order",
    "cart",
    "cart_count",
    "check_quick_order_text",
    "clear_cart",
    "hold_order",
    "place_order",
    "reject_order",
    "release_hold",
    "remove_from_cart",
    "set_cart_qty",
    "set_spending_limits",
]

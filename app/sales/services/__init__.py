"""Sales use cases, one per function, each in the caller's transaction (services never commit)."""

from app.sales.services._buyers import set_spending_limits
from app.sales.services.carts import add_to_cart, cart, cart_count, clear_cart, remove_from_cart, set_cart_qty
from app.sales.services.order_editing import (
    ORDER_CHANGED_TOPIC,
    EditedOrder,
    LinePreview,
    OrderEdit,
    edit_order,
    preview_lines,
)
from app.sales.services.order_flow import approve_order, cancel_order, hold_order, reject_order, release_hold
from app.sales.services.ordering import place_order
from app.sales.services.payment_flow import PaymentApplied, confirm_paid, payment_failed
from app.sales.services.quick import QuickOrderAdded, QuickOrderUpload, add_quick_order, check_quick_order_text
from app.sales.services.stock_policy import backorders_allowed, set_backorders_allowed

__all__ = [
    "ORDER_CHANGED_TOPIC",
    "EditedOrder",
    "LinePreview",
    "OrderEdit",
    "PaymentApplied",
    "QuickOrderAdded",
    "QuickOrderUpload",
    "add_quick_order",
    "add_to_cart",
    "approve_order",
    "backorders_allowed",
    "cancel_order",
    "cart",
    "cart_count",
    "check_quick_order_text",
    "clear_cart",
    "confirm_paid",
    "edit_order",
    "hold_order",
    "payment_failed",
    "place_order",
    "preview_lines",
    "reject_order",
    "release_hold",
    "remove_from_cart",
    "set_backorders_allowed",
    "set_cart_qty",
    "set_spending_limits",
]

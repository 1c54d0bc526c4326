"""Purchasing use cases, one per function, each in the caller's transaction (services never commit)."""

from app.purchasing.bills import BillInput, BillLineInput, approve_bill, record_bill, rematch_bill, rematch_open_bills
from app.purchasing.landed import LandedCostInput, add_landed_cost
from app.purchasing.order_flow import (
    approve_order,
    cancel_order,
    close_order,
    reject_order,
    reopen_order,
    send_order,
    submit_order,
)
from app.purchasing.orders import OrderInput, OrderLineInput, add_order_line, create_order, remove_order_line
from app.purchasing.price_lists import (
    SupplierPriceInput,
    add_supplier_price,
    add_supplier_prices,
    remove_supplier_price,
    update_supplier_price,
)
from app.purchasing.receiving import ReceiveLineInput, receive_order
from app.purchasing.replenishment import order_suggestions
from app.purchasing.rfqs import (
    AnswerInput,
    RfqInput,
    RfqLineInput,
    cancel_rfq,
    create_rfq,
    order_from_rfq,
    record_answer,
)
from app.purchasing.rules import RulesInput, set_buying_rules

__all__ = [
    "AnswerInput",
    "BillInput",
    "BillLineInput",
    "LandedCostInput",
    "OrderInput",
    "OrderLineInput",
    "ReceiveLineInput",
    "RfqInput",
    "RfqLineInput",
    "RulesInput",
    "SupplierPriceInput",
    "add_landed_cost",
    "add_order_line",
    "add_supplier_price",
    "add_supplier_prices",
    "approve_bill",
    "approve_order",
    "cancel_order",
    "cancel_rfq",
    "close_order",
    "create_order",
    "create_rfq",
    "order_from_rfq",
    "order_suggestions",
    "receive_order",
    "record_answer",
    "record_bill",
    "reject_order",
    "rematch_bill",
    "rematch_open_bills",
    "remove_order_line",
    "remove_supplier_price",
    "reopen_order",
    "send_order",
    "set_buying_rules",
    "submit_order",
    "update_supplier_price",
]

"""Inventory use cases, one per function, each in the caller's transaction (services never commit)."""

from app.inventory.services.counts import cancel_count, record_count, set_counted, start_count, validate_count
from app.inventory.services.ledger import post_moves
from app.inventory.services.movements import adjust_stock, issue, receive, reverse_moves, ship
from app.inventory.services.replenishment import delete_reorder_rule, set_reorder_rule
from app.inventory.services.reservations import release, release_line, reserve, reserve_many
from app.inventory.services.setup import (
    create_location,
    create_warehouse,
    seed_tenant,
    set_inventory_settings,
    set_tracking,
    update_location,
    update_warehouse,
)
from app.inventory.services.transfers import (
    cancel_transfer,
    create_transfer,
    receive_transfer,
    remove_transfer_line,
    set_transfer_line,
    ship_transfer,
)
from app.inventory.services.valuation import revalue_receipt
from app.inventory.values import ReserveRequest

__all__ = [
    "ReserveRequest",
    "adjust_stock",
    "cancel_count",
    "cancel_transfer",
    "create_location",
    "create_transfer",
    "create_warehouse",
    "delete_reorder_rule",
    "issue",
    "post_moves",
    "receive",
    "receive_transfer",
    "record_count",
    "release",
    "release_line",
    "remove_transfer_line",
    "reserve",
    "reserve_many",
    "revalue_receipt",
    "reverse_moves",
    "seed_tenant",
    "set_counted",
    "set_inventory_settings",
    "set_reorder_rule",
    "set_tracking",
    "set_transfer_line",
    "ship",
    "ship_transfer",
    "start_count",
    "update_location",
    "update_warehouse",
    "validate_count",
]

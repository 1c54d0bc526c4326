"""Back-office inventory screens, mounted under /admin/inventory: stock, warehouses, receiving, transfers, counts."""

from __future__ import annotations

from litestar import Router

from backoffice.catalog._web import EXCEPTION_HANDLERS
from backoffice.inventory import counts, moves, places, replenishment, stock, transfers

ROUTER = Router(
    path="/",
    route_handlers=[
        *stock.HANDLERS,
        *places.HANDLERS,
        *moves.HANDLERS,
        *transfers.HANDLERS,
        *counts.HANDLERS,
        *replenishment.HANDLERS,
    ],
    exception_handlers=EXCEPTION_HANDLERS,
)

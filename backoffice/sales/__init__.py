"""Back-office sales screens, mounted under /admin/sales: the sales order list with its filters, and an order's
page (lines, reservations, status timeline) with the steps staff take: cancel, hold, release the hold; and quotes
(backoffice.sales.quotes)."""

from __future__ import annotations

from litestar import Router

from backoffice.catalog._web import EXCEPTION_HANDLERS
from backoffice.sales import fulfilment, order_entry, orders, payments, quotes, returns

ROUTER = Router(
    path="/",
    route_handlers=[
        *orders.HANDLERS,
        *order_entry.HANDLERS,
        *payments.HANDLERS,
        *quotes.HANDLERS,
        *fulfilment.HANDLERS,
        *returns.HANDLERS,
    ],
    exception_handlers=EXCEPTION_HANDLERS,
)

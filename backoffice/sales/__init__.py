"""Back-office sales screens, mounted under /admin/sales: the sales order list with its filters, and an order's
page (lines, reservations, status timeline) with the steps staff take: cancel, hold, release the hold."""

from __future__ import annotations

from litestar import Router

from backoffice.catalog._web import EXCEPTION_HANDLERS
from backoffice.sales import orders

ROUTER = Router(path="/", route_handlers=[*orders.HANDLERS], exception_handlers=EXCEPTION_HANDLERS)

"""Back-office purchasing screens, mounted under /admin/purchasing: suppliers and their price lists, requests for
quotation, purchase orders (approval, PDF, e-mail), receiving on a phone, supplier bills, landed costs,
replenishment and the supply cost analysis. Buyers, the warehouse (receiving) and accounting (bills) use them."""

from __future__ import annotations

from litestar import Router

from backoffice.catalog._web import EXCEPTION_HANDLERS
from backoffice.purchasing import analysis, bills, orders, receipts, receive, replenishment, rfqs, settings, suppliers

ROUTER = Router(
    path="/",
    route_handlers=[
        *suppliers.HANDLERS,
        *orders.HANDLERS,
        *receive.HANDLERS,
        *receipts.HANDLERS,
        *bills.HANDLERS,
        *rfqs.HANDLERS,
        *replenishment.HANDLERS,
        *analysis.HANDLERS,
        *settings.HANDLERS,
    ],
    exception_handlers=EXCEPTION_HANDLERS,
)

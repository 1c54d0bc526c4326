"""Back-office shipping screens, mounted under /admin/shipping: carriers, their services, zones and rates, and
the quote of a shipment. Owners and the warehouse use them."""

from __future__ import annotations

from litestar import Router

from backoffice.catalog._web import EXCEPTION_HANDLERS
from backoffice.shipping import carrier_services, carriers, quote, zones

ROUTER = Router(
    path="/",
    route_handlers=[*carriers.HANDLERS, *carrier_services.HANDLERS, *zones.HANDLERS, *quote.HANDLERS],
    exception_handlers=EXCEPTION_HANDLERS,
)

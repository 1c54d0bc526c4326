"""Back-office routes, mounted at /admin on a tenant's host."""

from __future__ import annotations

from backoffice.auth import HANDLERS as AUTH
from backoffice.catalog import ROUTER as CATALOG
from backoffice.dashboard import dashboard
from backoffice.imports import HANDLERS as IMPORTS
from backoffice.inventory import ROUTER as INVENTORY
from backoffice.mail import MailViewerController
from backoffice.purchasing import ROUTER as PURCHASING
from backoffice.sales import ROUTER as SALES
from backoffice.shipping import ROUTER as SHIPPING
from backoffice.users import HANDLERS as USERS

HANDLERS: list = [
    dashboard,
    *AUTH,
    *USERS,
    MailViewerController,
    CATALOG,
    *IMPORTS,
    SHIPPING,
    INVENTORY,
    PURCHASING,
    SALES,
]

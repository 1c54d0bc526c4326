"""What the purchasing screens share: who may use which, and the suppliers and warehouses the forms offer (the
article or location a scanned code names is the warehouse screens' `scanned` / `place`)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory import queries as stock
from app.parties import queries as parties
from app.purchasing import states
from app.web.auth import requires_staff
from backoffice.catalog._web import page, plain

BASE = "/admin/purchasing"
BUYERS = [requires_staff("purchasing")]  # owners pass every staff guard
APPROVERS = [requires_staff("owner")]  # approval is the owner's: a buyer does not approve their own order
RECEIVERS = [requires_staff("purchasing", "warehouse")]
READERS = [requires_staff("purchasing", "warehouse", "accounting")]  # orders, receipts and their PDF
BILL_CLERKS = [requires_staff("purchasing", "accounting")]
BILL_APPROVERS = [requires_staff("accounting")]


def render(request: Request, template: str, context: dict[str, Any], *, status: int = 200, block: str | None = None):
    """A purchasing page with the helpers its templates use."""
    helpers = {"plain": plain, "states": states, "label": states.label, "state_label": states.state_label}
    return page(request, f"backoffice/purchasing/{template}", helpers | context, status=status, block=block)


async def choices(db: AsyncSession) -> dict[str, list]:
    """The active suppliers and warehouses the forms offer."""
    return {
        "supplier_choices": await parties.supplier_choices(db),
        "warehouses": await stock.warehouses(db, active_only=True),
    }

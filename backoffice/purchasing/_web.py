"""What the purchasing screens share: who may use which, the article a SKU or barcode field names, and the
suppliers and warehouses the forms offer."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request
from litestar.datastructures import FormMultiDict
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory import queries as stock
from app.parties import queries as parties
from app.purchasing import states
from app.web.auth import requires_staff
from backoffice.catalog._web import form_text, page, plain

BASE = "/admin/purchasing"
BUYERS = [requires_staff("purchasing")]  # owners pass every staff guard
APPROVERS = [requires_staff("owner")]  # approval is the owner's: a buyer does not approve their own order
RECEIVERS = [requires_staff("purchasing", "warehouse")]
READERS = [requires_staff("purchasing", "warehouse", "accounting")]  # orders, receipts and their PDF
BILL_CLERKS = [requires_staff("purchasing", "accounting")]
BILL_APPROVERS = [requires_staff("accounting")]
CODE_LENGTH = 256


def render(request: Request, template: str, context: dict[str, Any], *, status: int = 200, block: str | None = None):
    """A purchasing page with the helpers its templates use."""
    helpers = {"plain": plain, "states": states, "label": states.label, "state_label": states.state_label}
    return page(request, f"backoffice/purchasing/{template}", helpers | context, status=status, block=block)


async def scanned_article(db: AsyncSession, form: FormMultiDict, name: str, errors: dict[str, str]):
    """The article a SKU or barcode field names (a GS1 code brings its lot and expiry); problems go to `errors`."""
    raw = form_text(form, name, CODE_LENGTH)
    if not raw:
        errors[name] = _("Scan or type a SKU or barcode.")
        return None
    try:
        found = await stock.scan(db, raw, name)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None
    if found.variant_id is None:
        errors[name] = _("%(code)s is a location, not an article.", code=found.location_code)
        return None
    return found


async def scanned_place(db: AsyncSession, form: FormMultiDict, name: str, errors: dict[str, str]) -> uuid.UUID | None:
    """The location a code field names (blank: None, the warehouse's receiving location)."""
    raw = form_text(form, name, CODE_LENGTH)
    if not raw:
        return None
    try:
        found = await stock.scan(db, raw, name)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None
    if found.location_id is None:
        errors[name] = _("%(code)s is not a location.", code=raw[:60])
    return found.location_id


async def choices(db: AsyncSession) -> dict[str, list]:
    """The active suppliers and warehouses the forms offer."""
    return {
        "supplier_choices": await parties.supplier_choices(db),
        "warehouses": await stock.warehouses(db, active_only=True),
    }

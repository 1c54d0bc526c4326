"""What the inventory screens share: who may use them, reading their forms, and the SKU or barcode field."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from litestar.datastructures import FormMultiDict, MultiDict
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory import queries
from app.numbers import parse_decimal
from app.web.auth import requires_staff
from backoffice.catalog._web import form_text

WAREHOUSE = [requires_staff("warehouse")]  # owners pass every staff guard
OWNER = [requires_staff("owner")]
MAX_QTY = Decimal(1_000_000_000)
CODE_LENGTH = 256
Form = FormMultiDict | MultiDict


def quantity(form: Form, name: str, errors: dict[str, str], *, default: Decimal | None = None, zero: bool = False):
    """A quantity typed in a form ("2,5" too), 4 decimals at most; blank gives `default`."""
    raw = form_text(form, name, 60)
    if not raw:
        if default is None:
            errors[name] = _("Enter a quantity.")
        return default
    try:
        return parse_decimal(raw, name, minimum=Decimal(0) if zero else Decimal("0.0001"), maximum=MAX_QTY, places=4)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return default


def money(form: Form, name: str, errors: dict[str, str]) -> Decimal | None:
    """A unit cost (blank: none given)."""
    raw = form_text(form, name, 60)
    if not raw:
        return None
    try:
        return parse_decimal(raw, name, minimum=Decimal(0), maximum=MAX_QTY, places=4)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None


def a_date(form: Form, name: str, errors: dict[str, str]) -> date | None:
    """A date from a date input (YYYY-MM-DD); blank gives None."""
    raw = form_text(form, name, 20)
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Enter a date.")
        return None
    if not 2000 <= value.year <= 2199:
        errors[name] = _("Enter a date.")
        return None
    return value


def an_id(raw: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw).strip()) if raw else None
    except ValueError:
        return None


async def scanned(db: AsyncSession, form: Form, name: str, errors: dict[str, str]) -> queries.Scanned | None:
    """The article a SKU or barcode field names (a GS1 code brings its lot and expiry); problems go to `errors`."""
    raw = form_text(form, name, CODE_LENGTH)
    if not raw:
        errors[name] = _("Scan or type a SKU or barcode.")
        return None
    try:
        found = await queries.scan(db, raw, name)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None
    if found.variant_id is None:
        errors[name] = _("%(code)s is a location, not an article.", code=found.location_code)
        return None
    return found


async def place(db: AsyncSession, form: Form, name: str, errors: dict[str, str]) -> uuid.UUID | None:
    """The location a code field names (blank: None, the warehouse's own choice)."""
    raw = form_text(form, name, CODE_LENGTH)
    if not raw:
        return None
    try:
        found = await queries.scan(db, raw, name)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None
    if found.location_id is None:
        errors[name] = _("%(code)s is not a location.", code=raw[:60])
    return found.location_id

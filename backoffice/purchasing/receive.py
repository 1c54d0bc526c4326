"""Receiving a purchase order on a phone: scan or type the article (Enter submits), the quantity, its lot and
expiry or serial numbers; each submit is a partial receipt, and an over-delivery is refused with the reason."""

from __future__ import annotations

import uuid
from decimal import Decimal

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import purchasing
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.numbers import MAX_QUANTITY, parse_decimal
from app.purchasing.services import ReceiveLineInput
from backoffice.catalog._web import form_text, plain, redirect_with_flash, tenant_and_actor
from backoffice.inventory._web import place as scanned_place
from backoffice.inventory._web import scanned as scanned_article
from backoffice.purchasing._web import BASE, RECEIVERS, render

FIELDS = ("code", "qty", "lot", "expiry", "serials", "location")


async def _page(request: Request, db: AsyncSession, order_id: uuid.UUID, typed=None, errors=None, status: int = 200):
    context = {
        "detail": await purchasing.queries.order_detail(db, order_id),
        "typed": typed or dict.fromkeys(FIELDS, "") | {"qty": "1"},
        "errors": errors or {},
    }
    return render(request, "orders/receive.html.j2", context, status=status)


@get("/purchasing/orders/{order_id:uuid}/receive", name="backoffice:purchase_order_receive", guards=RECEIVERS)
async def receive_form(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await _page(request, db, order_id)


def _units(raw: str, pack: Decimal, errors: dict[str, str]) -> str | Decimal:
    """The quantity typed, in units: a box barcode counts its units per scan."""
    if pack == 1 or not raw:
        return raw
    try:
        return parse_decimal(raw, "qty", minimum=Decimal("0.0001"), maximum=MAX_QUANTITY, places=4) * pack
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return raw


async def _line(db: AsyncSession, form: FormMultiDict, typed: dict[str, str]) -> tuple[ReceiveLineInput, str]:
    """The receipt line a form asks for; a GS1 code fills the lot and expiry left blank."""
    errors: dict[str, str] = {}
    found = await scanned_article(db, form, "code", errors)
    location_id = await scanned_place(db, form, "location", errors)
    if found is None or errors:
        raise ValidationFailed(errors)
    qty = _units(typed["qty"], found.pack, errors)
    serials = tuple(s for s in (x.strip() for x in typed["serials"].splitlines()) if s)
    if found.serial and not serials:
        serials = (found.serial,)
    expiry = typed["expiry"] or (found.expiry.isoformat() if found.expiry else "")
    if errors:
        raise ValidationFailed(errors)
    line = ReceiveLineInput(
        qty,
        variant_id=found.variant_id,
        lot_code=typed["lot"] or found.lot or "",
        expiry=expiry,
        serials=serials,
        location_id=location_id,
    )
    return line, found.sku or ""


@post("/purchasing/orders/{order_id:uuid}/receive", name="backoffice:purchase_order_receive_post", guards=RECEIVERS)
async def receive(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    typed = {name: form_text(form, name, 4000 if name == "serials" else 256) for name in FIELDS}
    tenant_id, actor = tenant_and_actor(request)
    try:
        line, sku = await _line(db, form, typed)
        receipt = await purchasing.services.receive_order(db, tenant_id, order_id, (line,), actor)
    except ValidationFailed as exc:
        return await _page(request, db, order_id, typed, exc.errors, 400)
    qty = line.qty if isinstance(line.qty, str) else plain(line.qty)
    message = _(
        "Received %(qty)s × %(sku)s (%(number)s). Scan the next article.", qty=qty, sku=sku, number=receipt.number
    )
    return redirect_with_flash(request, f"{BASE}/orders/{order_id}/receive", message)


HANDLERS = [receive_form, receive]

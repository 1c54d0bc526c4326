"""Returns in the buyer's account: the company's returns, asking to return goods of a shipped order (at most what
shipped less what other returns claim, with a reason), a return's page, and the delivery notes of the company's
shipments as PDF. Another company's order, return or shipment is a 404, as is another tenant's."""

from __future__ import annotations

import uuid
from decimal import Decimal

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from app import sales
from app.errors import NotFound, ValidationFailed
from app.i18n import current_locale
from app.i18n import gettext as _
from app.inventory.values import plain
from app.numbers import parse_decimal
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.links import tenant_link
from app.web.session import request_actor
from app.web.templating import render
from storefront.cart import BUYERS, form_value
from storefront.orders import _me

MAX_QTY = Decimal(1_000_000)


def _id(raw: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw)) if raw else None
    except ValueError:
        return None


@get("/account/returns", name="storefront:returns", guards=BUYERS)
async def my_returns(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    me = _me(request)
    context = {
        "found": await sales.fulfilment_queries.returns(db, customer_id=me.customer_id),
        "orders": await sales.fulfilment_queries.returnable_orders(db, me.customer_id),
    }
    return render(request, "storefront/account/returns.html.j2", context)


async def _form(request: Request, db: AsyncSession, order_id: uuid.UUID | None, *, errors=None, typed=None) -> Response:
    me = _me(request)
    try:
        detail = await sales.order_detail(db, order_id, customer_id=me.customer_id) if order_id else None
    except NotFound:
        raise NotFoundException() from None
    lines = await sales.fulfilment_queries.returnable_lines(db, order_id) if detail else []
    context = {"order": detail, "lines": lines, "errors": errors or {}, "typed": typed or {}, "plain": plain}
    context["orders"] = await sales.fulfilment_queries.returnable_orders(db, me.customer_id)
    return render(request, "storefront/account/return_new.html.j2", context, status_code=400 if errors else 200)


@get("/account/returns/new", name="storefront:return_new", guards=BUYERS)
async def new_return(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _form(request, db, _id(request.query_params.get("order")))


@post("/account/returns", name="storefront:return_request", guards=BUYERS)
async def request_return(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    me = _me(request)
    form = await request.form()
    order_id = _id(form_value(form, "order", 40))
    if order_id is None:
        raise NotFoundException()
    typed = {k: form_value(form, k, 1000) for k in form}
    errors: dict[str, str] = {}
    lines: dict[uuid.UUID, object] = {}
    reasons: dict[uuid.UUID, str] = {}
    for name, raw in typed.items():
        line_id = _id(name.removeprefix("qty_")) if name.startswith("qty_") else None
        if line_id is None or not raw:
            continue
        try:
            lines[line_id] = parse_decimal(raw, name, minimum=Decimal(0), maximum=MAX_QTY, places=4)
        except ValidationFailed as exc:
            errors.update(exc.errors)
        reasons[line_id] = typed.get(f"reason_{line_id}", "")
    data = sales.ReturnRequest(order_id, me.customer_id, me.id, lines, reasons, typed.get("note", ""))
    try:
        if errors:
            raise ValidationFailed(errors)
        made = await sales.request_return(
            db, current_tenant(request).id, data, request_actor(request), back_office=tenant_link(request, "/admin")
        )
    except NotFound:
        raise NotFoundException() from None
    except ValidationFailed as exc:
        return await _form(request, db, order_id, errors=exc.errors, typed=typed)
    flash(request, _("Return %(number)s requested: we will tell you when it is approved.", number=made.number))
    return Redirect(f"/account/returns/{made.id}", status_code=303)


@get("/account/returns/{return_id:uuid}", name="storefront:return", guards=BUYERS)
async def my_return(request: Request, db: NamedDependency[AsyncSession], return_id: FromPath[uuid.UUID]) -> Response:
    me = _me(request)
    try:
        detail = await sales.fulfilment_queries.return_detail(db, return_id, customer_id=me.customer_id)
    except NotFound:
        raise NotFoundException() from None
    return render(request, "storefront/account/return.html.j2", {"r": detail})


@get("/account/shipments/{shipment_id:uuid}/delivery-note.pdf", name="storefront:delivery_note", guards=BUYERS)
async def delivery_note(
    request: Request, db: NamedDependency[AsyncSession], shipment_id: FromPath[uuid.UUID]
) -> Response:
    me = _me(request)
    tenant = current_tenant(request)
    try:
        note = await sales.fulfilment_queries.delivery_note(db, tenant.id, shipment_id, customer_id=me.customer_id)
    except NotFound:
        raise NotFoundException() from None
    body = sales.render_delivery_note(note, current_locale.get())
    headers = {"content-disposition": f'inline; filename="{note.number}.pdf"'}
    return Response(body, media_type="application/pdf", headers=headers)


HANDLERS = [my_returns, new_return, request_return, my_return, delivery_note]

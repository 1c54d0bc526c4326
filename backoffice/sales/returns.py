"""Returns (RMA) in the back office: the list by status, a return's page, approve or reject it, and receive the
goods back into stock or to scrap with a reason (phone first: the location is typed or scanned)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import sales
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory.values import plain
from app.web.auth import requires_staff
from backoffice.catalog._web import form_text, page, redirect_with_flash, tenant_and_actor
from backoffice.inventory._web import place, quantity

STAFF = [requires_staff("warehouse", "sales")]  # owners pass every staff guard
STATUSES = ("requested", "approved", "rejected", "received")


def _render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    helpers = {"statuses": STATUSES, "scrap_reasons": sales.SCRAP_REASONS, "plain": plain}
    return page(request, f"backoffice/sales/{template}", helpers | context, status=status)


@get("/sales/returns", name="backoffice:returns", guards=STAFF)
async def return_list(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    status = request.query_params.get("status", "")
    status = status if status in STATUSES else ""
    found = await sales.fulfilment_queries.returns(db, status=status)
    return _render(request, "returns.html.j2", {"found": found, "status": status})


async def return_page(request, db, return_id: uuid.UUID, *, errors=None, typed=None, status: int = 200) -> Response:
    detail = await sales.fulfilment_queries.return_detail(db, return_id)  # NotFound: the 404 page
    context = {"r": detail, "errors": errors or {}, "typed": typed or {}}
    return _render(request, "return.html.j2", context, status=status)


@get("/sales/returns/{return_id:uuid}", name="backoffice:return", guards=STAFF)
async def return_detail(
    request: Request, db: NamedDependency[AsyncSession], return_id: FromPath[uuid.UUID]
) -> Response:
    return await return_page(request, db, return_id)


async def _decide(request: Request, db: AsyncSession, return_id: uuid.UUID, approving: bool) -> Response:
    note = form_text(await request.form(), "note", 1000)
    tenant_id, actor = tenant_and_actor(request)
    try:
        if approving:
            await sales.approve_return(db, tenant_id, return_id, actor, note)
        else:
            await sales.reject_return(db, tenant_id, return_id, actor, note)
    except ValidationFailed as exc:
        return await return_page(request, db, return_id, errors=exc.errors, typed={"note": note}, status=400)
    text = _("Return approved: the customer can send the goods.") if approving else _("Return rejected.")
    return redirect_with_flash(request, f"/admin/sales/returns/{return_id}", text)


@post("/sales/returns/{return_id:uuid}/approve", name="backoffice:return_approve", guards=STAFF)
async def approve(request: Request, db: NamedDependency[AsyncSession], return_id: FromPath[uuid.UUID]) -> Response:
    return await _decide(request, db, return_id, True)


@post("/sales/returns/{return_id:uuid}/reject", name="backoffice:return_reject", guards=STAFF)
async def reject(request: Request, db: NamedDependency[AsyncSession], return_id: FromPath[uuid.UUID]) -> Response:
    return await _decide(request, db, return_id, False)


@post("/sales/returns/{return_id:uuid}/receive", name="backoffice:return_receive", guards=STAFF)
async def receive(request: Request, db: NamedDependency[AsyncSession], return_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    detail = await sales.fulfilment_queries.return_detail(db, return_id)
    typed = {k: form_text(form, k, 500) for k in form}
    errors: dict[str, str] = {}
    goods = []
    for line in detail.lines:
        for disposition in ("restock", "scrap"):
            name = f"{disposition}_{line.id}"
            if not form_text(form, name, 60):
                continue
            qty = quantity(form, name, errors, default=None, zero=True)
            if qty:
                reason = form_text(form, f"reason_{line.id}", 20) if disposition == "scrap" else ""
                note = form_text(form, f"note_{line.id}", 500) if disposition == "scrap" else ""
                goods.append(sales.ReturnedGoods(line.id, qty, disposition, reason, note))
    location = await place(db, form, "location", errors)
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        await sales.receive_goods(db, tenant_id, return_id, goods, actor, location_id=location)
    except ValidationFailed as exc:
        return await return_page(request, db, return_id, errors=exc.errors, typed=typed, status=400)
    return redirect_with_flash(request, f"/admin/sales/returns/{return_id}", _("Goods received."))


HANDLERS = [return_list, return_detail, approve, reject, receive]

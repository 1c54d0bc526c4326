"""A purchase receipt: what came in at what cost, and its landed costs (freight, duties) spread over its lines."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import purchasing
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.purchasing.services import LandedCostInput
from backoffice.catalog._web import form_text, redirect_with_flash, tenant_and_actor
from backoffice.purchasing._web import BASE, BILL_CLERKS, READERS, render

FIELDS = ("kind", "amount", "basis", "description")


async def _page(request: Request, db: AsyncSession, receipt_id: uuid.UUID, typed=None, errors=None, status: int = 200):
    context = {
        "detail": await purchasing.queries.receipt_detail(db, receipt_id),
        "typed": typed or {"kind": "freight", "amount": "", "basis": "value", "description": ""},
        "errors": errors or {},
    }
    return render(request, "receipts/detail.html.j2", context, status=status)


@get("/purchasing/receipts/{receipt_id:uuid}", name="backoffice:purchase_receipt", guards=READERS)
async def detail(request: Request, db: NamedDependency[AsyncSession], receipt_id: FromPath[uuid.UUID]) -> Response:
    return await _page(request, db, receipt_id)


@post("/purchasing/receipts/{receipt_id:uuid}/landed-costs", name="backoffice:landed_cost_add", guards=BILL_CLERKS)
async def add(request: Request, db: NamedDependency[AsyncSession], receipt_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    typed = {name: form_text(form, name, 200) for name in FIELDS}
    tenant_id, actor = tenant_and_actor(request)
    data = LandedCostInput(receipt_id, typed["kind"], typed["amount"], typed["basis"], typed["description"])
    try:
        await purchasing.services.add_landed_cost(db, tenant_id, data, actor)
    except ValidationFailed as exc:
        return await _page(request, db, receipt_id, typed, exc.errors, 400)
    message = _("Landed cost spread over the receipt and added to the stock's value.")
    return redirect_with_flash(request, f"{BASE}/receipts/{receipt_id}", message)


HANDLERS = [detail, add]

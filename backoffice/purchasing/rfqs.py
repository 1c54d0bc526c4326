"""Requests for quotation: the list with a new request (suppliers to ask, articles and quantities), a request's
page with each supplier's answers entered and compared side by side, and orders made from the answers chosen."""

from __future__ import annotations

import re
import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import purchasing
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory import queries as stock
from app.purchasing.rfq_queries import total_of
from app.purchasing.services import AnswerInput, RfqInput, RfqLineInput
from backoffice.catalog._web import an_id, form_text, ids, redirect_with_flash, tenant_and_actor
from backoffice.purchasing._web import BASE, BUYERS, choices, render

MAX_TYPED_LINES = 200


async def _list(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    context = {
        "rows": await purchasing.rfq_queries.rfqs(db),
        "typed": typed or {"warehouse_id": "", "supplier_ids": [], "lines": "", "needed_by": "", "note": ""},
        "errors": errors or {},
        **await choices(db),
    }
    return render(request, "rfqs/list.html.j2", context, status=status)


@get("/purchasing/rfqs", name="backoffice:rfqs", guards=BUYERS)
async def rfqs(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _list(request, db)


async def _lines(db: AsyncSession, text: str) -> tuple[RfqLineInput, ...]:
    """Lines typed as "SKU quantity", one per line; each problem names its line."""
    rows = [row.strip() for row in text.splitlines() if row.strip()]
    if len(rows) > MAX_TYPED_LINES:
        raise ValidationFailed({"lines": _("Ask for between 1 and %(n)s articles.", n=MAX_TYPED_LINES)})
    lines = []
    for number, row in enumerate(rows, 1):
        cells = [cell for cell in re.split(r"[\s;,]+", row) if cell]
        if len(cells) != 2:
            raise ValidationFailed({"lines": _("Line %(n)s: write the SKU and the quantity.", n=number)})
        try:
            found = await stock.scan(db, cells[0], "lines")
        except ValidationFailed as exc:
            raise ValidationFailed(
                {"lines": _("Line %(n)s: %(problem)s", n=number, problem=exc.errors["lines"])}
            ) from None
        lines.append(RfqLineInput(found.variant_id, cells[1]))
    return tuple(lines)


def _typed(form: FormMultiDict) -> dict[str, Any]:
    return {
        "warehouse_id": form_text(form, "warehouse_id", 40),
        "supplier_ids": [str(i) for i in ids(form, "supplier_ids")][:50],
        "lines": form_text(form, "lines", 8000),
        "needed_by": form_text(form, "needed_by", 20),
        "note": form_text(form, "note", 1000),
    }


@post("/purchasing/rfqs", name="backoffice:rfq_create", guards=BUYERS)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    typed = _typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        lines = await _lines(db, typed["lines"])
        suppliers = tuple(uuid.UUID(i) for i in typed["supplier_ids"])
        data = RfqInput(an_id(typed["warehouse_id"]), suppliers, lines, typed["needed_by"], typed["note"])
        rfq = await purchasing.services.create_rfq(db, tenant_id, data, actor)
    except ValidationFailed as exc:
        return await _list(request, db, typed, exc.errors, 400)
    message = _("Request %(number)s created: enter the answers as they come.", number=rfq.number)
    return redirect_with_flash(request, f"{BASE}/rfqs/{rfq.id}", message)


async def rfq_page(request: Request, db: AsyncSession, rfq_id: uuid.UUID, status: int = 200, **forms: Any):
    detail = await purchasing.rfq_queries.rfq_detail(db, rfq_id)
    context = {"detail": detail, "total_of": total_of, "typed": {}, "errors": {}, "answering": None, **forms}
    return render(request, "rfqs/detail.html.j2", context, status=status)


@get("/purchasing/rfqs/{rfq_id:uuid}", name="backoffice:rfq", guards=BUYERS)
async def detail(request: Request, db: NamedDependency[AsyncSession], rfq_id: FromPath[uuid.UUID]) -> Response:
    return await rfq_page(request, db, rfq_id)


@post("/purchasing/rfqs/{rfq_id:uuid}/answers/{supplier_id:uuid}", name="backoffice:rfq_answer", guards=BUYERS)
async def answer(
    request: Request, db: NamedDependency[AsyncSession], rfq_id: FromPath[uuid.UUID], supplier_id: FromPath[uuid.UUID]
) -> Response:
    form = await request.form()
    detail = await purchasing.rfq_queries.rfq_detail(db, rfq_id)
    typed = {}
    answers = []
    for row in detail.lines:
        price, days = f"price_{row.line.id}", f"days_{row.line.id}"
        typed |= {price: form_text(form, price, 40), days: form_text(form, days, 10)}
        answers.append(AnswerInput(row.line.id, typed[price], typed[days]))
    tenant_id, actor = tenant_and_actor(request)
    try:
        count = await purchasing.services.record_answer(db, tenant_id, rfq_id, supplier_id, tuple(answers), actor)
    except ValidationFailed as exc:
        return await rfq_page(request, db, rfq_id, 400, typed=typed, errors=exc.errors, answering=supplier_id)
    message = _("Answer saved: %(n)s lines priced.", n=count)
    return redirect_with_flash(request, f"{BASE}/rfqs/{rfq_id}", message)


@post("/purchasing/rfqs/{rfq_id:uuid}/order", name="backoffice:rfq_order", guards=BUYERS)
async def order(request: Request, db: NamedDependency[AsyncSession], rfq_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    detail = await purchasing.rfq_queries.rfq_detail(db, rfq_id)
    chosen = {row.line.id: an_id(form_text(form, f"choice_{row.line.id}", 40)) for row in detail.lines}
    tenant_id, actor = tenant_and_actor(request)
    try:
        picks = {line: supplier for line, supplier in chosen.items() if supplier is not None}
        orders = await purchasing.services.order_from_rfq(db, tenant_id, rfq_id, picks, actor)
    except ValidationFailed as exc:
        return await rfq_page(request, db, rfq_id, 400, errors=exc.errors)
    numbers = ", ".join(o.number for o in orders)
    message = _("Draft purchase orders %(numbers)s created from the chosen answers.", numbers=numbers)
    return redirect_with_flash(request, f"{BASE}/orders", message)


@post("/purchasing/rfqs/{rfq_id:uuid}/cancel", name="backoffice:rfq_cancel", guards=BUYERS)
async def cancel(request: Request, db: NamedDependency[AsyncSession], rfq_id: FromPath[uuid.UUID]) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    try:
        await purchasing.services.cancel_rfq(db, tenant_id, rfq_id, actor)
    except ValidationFailed as exc:
        return await rfq_page(request, db, rfq_id, 400, errors=exc.errors)
    return redirect_with_flash(request, f"{BASE}/rfqs/{rfq_id}", _("Request cancelled."))


HANDLERS = [rfqs, create, detail, answer, order, cancel]

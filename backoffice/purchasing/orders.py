"""Purchase orders: the list with a new-order form, an order's page (lines, status timeline, the steps its state
allows: submit, approve or reject, send, cancel, close), its PDF, and the supplier's copy opened from the e-mail."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import purchasing
from app.errors import ValidationFailed
from app.i18n import current_locale
from app.i18n import gettext as _
from app.purchasing.services import OrderInput, OrderLineInput
from app.web.guards import current_tenant
from app.web.links import tenant_link
from backoffice.catalog._web import an_id, form_text, redirect_with_flash, tenant_and_actor
from backoffice.inventory._web import scanned as scanned_article
from backoffice.purchasing._web import APPROVERS, BASE, BUYERS, READERS, choices, render

HEADER_FIELDS = ("supplier_id", "warehouse_id", "currency", "exchange_rate", "note")
LINE_FIELDS = ("code", "qty", "unit_price", "expected_on")
STATUSES = ("draft", "to_approve", "approved", "sent", "partially_received", "received", "closed", "cancelled")


async def _list(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    params = request.query_params
    state = params.get("status", "")[:20]
    state = state if state in STATUSES else ""
    supplier_id = an_id(params.get("supplier", ""))
    context = {
        "rows": await purchasing.queries.orders(db, status=state, supplier_id=supplier_id),
        "chosen_status": state,
        "statuses": STATUSES,
        "typed": typed or dict.fromkeys(HEADER_FIELDS, "") | {"supplier_id": str(supplier_id or "")},
        "errors": errors or {},
        **await choices(db),
    }
    return render(request, "orders/list.html.j2", context, status=status)


@get("/purchasing/orders", name="backoffice:purchase_orders", guards=READERS)
async def orders(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _list(request, db)


@post("/purchasing/orders", name="backoffice:purchase_order_create", guards=BUYERS)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    typed = {name: form_text(form, name, 1000 if name == "note" else 60) for name in HEADER_FIELDS}
    tenant_id, actor = tenant_and_actor(request)
    data = OrderInput(
        an_id(typed["supplier_id"]),
        an_id(typed["warehouse_id"]),
        currency=typed["currency"],
        exchange_rate=typed["exchange_rate"],
        note=typed["note"],
    )
    try:
        order = await purchasing.services.create_order(db, tenant_id, data, actor)
    except ValidationFailed as exc:
        return await _list(request, db, typed, exc.errors, 400)
    message = _("Purchase order %(number)s created: add its lines.", number=order.number)
    return redirect_with_flash(request, f"{BASE}/orders/{order.id}", message)


async def order_page(request: Request, db: AsyncSession, order_id: uuid.UUID, status: int = 200, **forms: Any):
    """The order's page; `forms` holds what one of its forms was given back with (typed, errors)."""
    context = {
        "detail": await purchasing.queries.order_detail(db, order_id),
        "typed": dict.fromkeys(LINE_FIELDS, "") | {"qty": "1"},
        "errors": {},
        **forms,
    }
    return render(request, "orders/detail.html.j2", context, status=status)


@get("/purchasing/orders/{order_id:uuid}", name="backoffice:purchase_order", guards=READERS)
async def detail(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await order_page(request, db, order_id)


@post("/purchasing/orders/{order_id:uuid}/lines", name="backoffice:purchase_order_line_add", guards=BUYERS)
async def add_line(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    typed = {name: form_text(form, name, 256 if name == "code" else 40) for name in LINE_FIELDS}
    tenant_id, actor = tenant_and_actor(request)
    errors: dict[str, str] = {}
    try:
        found = await scanned_article(db, form, "code", errors)
        if found is None:
            raise ValidationFailed(errors)
        line = OrderLineInput(found.variant_id, typed["qty"], typed["unit_price"], typed["expected_on"])
        await purchasing.services.add_order_line(db, tenant_id, order_id, line, actor)
    except ValidationFailed as exc:
        return await order_page(request, db, order_id, 400, typed=typed, errors=exc.errors)
    return redirect_with_flash(request, f"{BASE}/orders/{order_id}#lines", _("Line added."))


@post(
    "/purchasing/orders/{order_id:uuid}/lines/{line_id:uuid}/delete",
    name="backoffice:purchase_order_line_remove",
    guards=BUYERS,
)
async def remove_line(
    request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID], line_id: FromPath[uuid.UUID]
) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    try:
        await purchasing.services.remove_order_line(db, tenant_id, order_id, line_id, actor)
    except ValidationFailed as exc:
        return await order_page(request, db, order_id, 400, errors=exc.errors)
    return redirect_with_flash(request, f"{BASE}/orders/{order_id}#lines", _("Line removed."))


async def _step(request: Request, db: AsyncSession, order_id: uuid.UUID, work) -> Response:
    """Run one state change of the order (`work` returns the message to flash); a refusal comes back on the page."""
    tenant_id, actor = tenant_and_actor(request)
    try:
        message = await work(tenant_id, actor)
    except ValidationFailed as exc:
        return await order_page(request, db, order_id, 400, errors=exc.errors)
    return redirect_with_flash(request, f"{BASE}/orders/{order_id}", message)


@post("/purchasing/orders/{order_id:uuid}/submit", name="backoffice:purchase_order_submit", guards=BUYERS)
async def submit(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    async def work(tenant_id, actor) -> str:
        order = await purchasing.services.submit_order(db, tenant_id, order_id, actor)
        return _("Sent for approval.") if order.status == "to_approve" else _("Approved: send it to the supplier.")

    return await _step(request, db, order_id, work)


@post("/purchasing/orders/{order_id:uuid}/approve", name="backoffice:purchase_order_approve", guards=APPROVERS)
async def approve(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    async def work(tenant_id, actor) -> str:
        await purchasing.services.approve_order(db, tenant_id, order_id, actor)
        return _("Order approved.")

    return await _step(request, db, order_id, work)


@post("/purchasing/orders/{order_id:uuid}/reject", name="backoffice:purchase_order_reject", guards=APPROVERS)
async def reject(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    reason = form_text(await request.form(), "reason", 500)

    async def work(tenant_id, actor) -> str:
        await purchasing.services.reject_order(db, tenant_id, order_id, reason, actor)
        return _("Order sent back to its buyer.")

    return await _step(request, db, order_id, work)


@post("/purchasing/orders/{order_id:uuid}/reopen", name="backoffice:purchase_order_reopen", guards=BUYERS)
async def reopen(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    async def work(tenant_id, actor) -> str:
        await purchasing.services.reopen_order(db, tenant_id, order_id, actor)
        return _("The order is a draft again.")

    return await _step(request, db, order_id, work)


@post("/purchasing/orders/{order_id:uuid}/send", name="backoffice:purchase_order_send", guards=BUYERS)
async def send(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    link = tenant_link(request, f"{BASE}/po/{{token}}")

    async def work(tenant_id, actor) -> str:
        await purchasing.services.send_order(db, tenant_id, order_id, actor, link=link)
        return _("Order e-mailed to the supplier.")

    return await _step(request, db, order_id, work)


@post("/purchasing/orders/{order_id:uuid}/cancel", name="backoffice:purchase_order_cancel", guards=BUYERS)
async def cancel(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    async def work(tenant_id, actor) -> str:
        await purchasing.services.cancel_order(db, tenant_id, order_id, actor)
        return _("Order cancelled.")

    return await _step(request, db, order_id, work)


@post("/purchasing/orders/{order_id:uuid}/close", name="backoffice:purchase_order_close", guards=BUYERS)
async def close(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    async def work(tenant_id, actor) -> str:
        await purchasing.services.close_order(db, tenant_id, order_id, actor)
        return _("Order closed: what is missing is no longer expected.")

    return await _step(request, db, order_id, work)


def _pdf(body: bytes, number: str) -> Response:
    disposition = f'inline; filename="{number}.pdf"'
    return Response(body, media_type="application/pdf", headers={"content-disposition": disposition})


@get("/purchasing/orders/{order_id:uuid}/pdf", name="backoffice:purchase_order_pdf", guards=READERS)
async def pdf(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    locale = current_locale.get()
    document = await purchasing.queries.order_document(db, current_tenant(request).id, order_id, locale)
    return _pdf(purchasing.render_order(document, locale), document.number)


@get("/purchasing/po/{token:str}", name="backoffice:purchase_order_supplier_copy")
async def supplier_copy(request: Request, db: NamedDependency[AsyncSession], token: FromPath[str]) -> Response:
    """The supplier's copy, opened from the e-mail without signing in: the token is the order's secret."""
    tenant = current_tenant(request)
    order = await purchasing.queries.order_by_token(db, token)
    document = await purchasing.queries.order_document(db, tenant.id, order.id, tenant.locale)
    return _pdf(purchasing.render_order(document, tenant.locale), document.number)


HANDLERS = [
    orders,
    create,
    detail,
    add_line,
    remove_line,
    submit,
    approve,
    reject,
    reopen,
    send,
    cancel,
    close,
    pdf,
    supplier_copy,
]

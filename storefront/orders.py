"""The buyer's orders in the account: the company's order history (paged), an order's page (lines, totals,
status timeline, approval state), and for the company's approvers the orders waiting for them, approved or
rejected with a comment from the order's page. Another company's order is a 404, as is another tenant's."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from app import payments, sales
from app.errors import NotFound, ValidationFailed
from app.i18n import current_locale
from app.i18n import gettext as _
from app.identity.domain import CurrentUser
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.input import page_number
from app.web.session import current_user, request_actor
from app.web.templating import render
from storefront.cart import BUYERS, form_value

APPROVERS = ("approver", "customer_admin")
STATUSES = tuple(s.value for s in sales.domain.OrderStatus if s.value not in ("draft", "quote"))
PER_PAGE = 20
AWAITING = "awaiting_approval"


def _me(request: Request) -> CurrentUser:
    user = current_user(request)
    assert user is not None and user.customer_id is not None  # the route's guard
    return user


def payment_label(status: str) -> str:
    label = payments.STATUS_LABELS.get(status)
    return _(label) if label else status


def status_label(status: str) -> str:
    try:
        return _(sales.domain.STATUS_LABELS[sales.domain.OrderStatus(status)])
    except (KeyError, ValueError):
        return status


def _approver(user: CurrentUser) -> bool:
    return user.has_any(APPROVERS)


def _search(request: Request) -> dict[str, Any]:
    """The history's filters as typed: text (number or PO number), status and placing dates (bad ones ignored)."""
    params = request.query_params
    chosen: dict[str, Any] = {"q": params.get("q", "").strip()[:100], "status": params.get("status", "")[:30]}
    chosen["status"] = chosen["status"] if chosen["status"] in STATUSES else ""
    for name in ("from", "to"):
        try:
            chosen[name] = date.fromisoformat(params.get(name, "")[:10])
        except ValueError:
            chosen[name] = None
    return chosen


@get("/account/orders", name="storefront:orders", guards=BUYERS)
async def history(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    me, chosen = _me(request), _search(request)
    page = await sales.orders(
        db,
        customer_id=me.customer_id,
        status=chosen["status"] or None,
        search=chosen["q"],
        placed_from=chosen["from"],
        placed_to=chosen["to"],
        page=page_number(request.query_params.get("page")),
        per_page=PER_PAGE,
    )
    waiting = ()
    if _approver(me):
        found = await sales.orders(db, status=AWAITING, customer_id=me.customer_id, per_page=50)
        waiting = found.orders
    pages = max(1, -(-page.total // page.per_page))
    context = {"page": page, "pages": pages, "waiting": waiting, "status_label": status_label}
    context |= {"chosen": chosen, "statuses": STATUSES, "filters": urlencode(_filters(chosen))}
    return render(request, "storefront/account/orders.html.j2", context)


def _filters(chosen: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in chosen.items() if v}


async def order_page(
    request: Request, db: AsyncSession, order_id: uuid.UUID, *, errors: dict[str, str] | None = None, comment=""
) -> Response:
    me = _me(request)
    try:
        detail = await sales.order_detail(db, order_id, customer_id=me.customer_id)
    except NotFound:
        raise NotFoundException() from None
    may_decide = detail.summary.status == AWAITING and _approver(me) and detail.placed_by != me.id
    context = {
        "order": detail,
        "may_decide": may_decide,
        "errors": errors or {},
        "comment": comment,
        "status_label": status_label,
        "saved_lists": await sales.saved_lists(db, me.customer_id),  # "add to a list" (storefront.lists)
        "card_payments": await payments.payments_for_order(db, order_id),  # storefront.payments
        "payment_label": payment_label,
        "shipments": await sales.fulfilment_queries.shipments(db, order_id=order_id, customer_id=me.customer_id),
    }
    return render(request, "storefront/account/order.html.j2", context, status_code=400 if errors else 200)


@get("/account/orders/{order_id:uuid}", name="storefront:order", guards=BUYERS)
async def order(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await order_page(request, db, order_id)


async def _decide(request: Request, db: AsyncSession, order_id: uuid.UUID, approving: bool) -> Response:
    me = _me(request)
    comment = form_value(await request.form(), "comment", 500)
    tenant_id, actor = current_tenant(request).id, request_actor(request)
    try:
        if approving:
            await sales.approve_order(db, tenant_id, order_id, me.id, actor, comment)
        else:
            await sales.reject_order(db, tenant_id, order_id, me.id, actor, comment)
    except NotFound:
        raise NotFoundException() from None
    except ValidationFailed as exc:
        errors = {"decision": " ".join(exc.errors.values())}
        return await order_page(request, db, order_id, errors=errors, comment=comment)
    flash(request, _("Order approved.") if approving else _("Order rejected."))
    return Redirect(f"/account/orders/{order_id}", status_code=303)


@post("/account/orders/{order_id:uuid}/approve", name="storefront:order_approve", guards=BUYERS)
async def approve(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await _decide(request, db, order_id, True)


@post("/account/orders/{order_id:uuid}/reject", name="storefront:order_reject", guards=BUYERS)
async def reject(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await _decide(request, db, order_id, False)


@get("/account/orders/{order_id:uuid}/confirmation.pdf", name="storefront:order_pdf", guards=BUYERS)
async def confirmation_pdf(
    request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]
) -> Response:
    """The order confirmation as a PDF, in the reader's language; another company's order: 404."""
    try:
        sheet = await sales.order_sheet(db, current_tenant(request).id, order_id, customer_id=_me(request).customer_id)
    except NotFound:
        raise NotFoundException() from None
    body = sales.render_order_confirmation(sheet, current_locale.get())
    disposition = f'inline; filename="{sheet.number}.pdf"'
    return Response(body, media_type="application/pdf", headers={"content-disposition": disposition})


HANDLERS = [history, order, approve, reject, confirmation_pdf]

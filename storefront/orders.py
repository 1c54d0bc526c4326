"""The buyer's orders in the account: the company's order history (paged), an order's page (lines, totals,
status timeline, approval state), and for the company's approvers the orders waiting for them, approved or
rejected with a comment from the order's page. Another company's order is a 404, as is another tenant's."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from app import sales
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.identity.domain import CurrentUser
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.input import page_number
from app.web.session import current_user, request_actor
from app.web.templating import render
from storefront.cart import BUYERS, form_value

APPROVERS = ("approver", "customer_admin")
PER_PAGE = 20
AWAITING = "awaiting_approval"


def _me(request: Request) -> CurrentUser:
    user = current_user(request)
    assert user is not None and user.customer_id is not None  # the route's guard
    return user


def status_label(status: str) -> str:
    try:
        return _(sales.domain.STATUS_LABELS[sales.domain.OrderStatus(status)])
    except (KeyError, ValueError):
        return status


def _approver(user: CurrentUser) -> bool:
    return user.has_any(APPROVERS)


@get("/account/orders", name="storefront:orders", guards=BUYERS)
async def history(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    me = _me(request)
    page = await sales.orders_for_customer(
        db, me.customer_id, page=page_number(request.query_params.get("page")), per_page=PER_PAGE
    )
    waiting = ()
    if _approver(me):
        found = await sales.orders(db, status=AWAITING, customer_id=me.customer_id, per_page=50)
        waiting = found.orders
    pages = max(1, -(-page.total // page.per_page))
    context = {"page": page, "pages": pages, "waiting": waiting, "status_label": status_label}
    return render(request, "storefront/account/orders.html.j2", context)


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


HANDLERS = [history, order, approve, reject]

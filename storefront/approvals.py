"""Approvals in the customer portal: the approver's list of orders waiting for them (/account/approvals), and
the page an e-mailed approval link opens (/approval/<order>/<token>). The link works signed out (it names the
approver); GET only shows the order and asks to confirm, POST approves or rejects with an optional comment (a
rejection needs one). An unknown, used, expired or another order's link is a 404, as is another tenant's."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import sales
from app.actor import Actor
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.web.auth import requires_customer
from app.web.guards import current_tenant
from app.web.session import client_ip, current_user
from app.web.templating import render
from storefront.cart import form_value
from storefront.orders import APPROVERS, status_label

LINK_TEMPLATE = "storefront/approvals/link.html.j2"
TOKEN_CHARS = 200
DECISIONS = ("approve", "reject")


@get("/account/approvals", name="storefront:approvals", guards=[requires_customer(*APPROVERS)])
async def waiting(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """The orders of my company that wait for an approver, without the ones I placed myself."""
    me = current_user(request)
    assert me is not None and me.customer_id is not None  # the route's guard
    orders = await sales.approvals_waiting(db, me.customer_id, me.id)
    return render(request, "storefront/approvals/waiting.html.j2", {"orders": orders, "status_label": status_label})


async def _link_page(
    request: Request,
    db: AsyncSession,
    order_id: uuid.UUID,
    token: str,
    *,
    decision: str,
    comment: str = "",
    errors: dict[str, str] | None = None,
    done: bool = False,
) -> Response:
    holder = None if done else await sales.link_holder(db, order_id, token[:TOKEN_CHARS])
    if holder is None and not done:
        response = render(request, LINK_TEMPLATE, {"holder": None, "done": False}, status_code=404)
    else:
        detail = await sales.order_detail(db, order_id)
        context = {
            "holder": holder,
            "order": detail,
            "decision": decision if decision in DECISIONS else "approve",
            "comment": comment,
            "errors": errors or {},
            "done": done,
            "status_label": status_label,
        }
        response = render(request, LINK_TEMPLATE, context, status_code=400 if errors else 200)
    response.headers["Cache-Control"] = "no-store"
    return response


@get("/approval/{order_id:uuid}/{token:str}", name="storefront:approval_link")
async def approval_link(
    request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID], token: FromPath[str]
) -> Response:
    """The order and a confirmation form; nothing changes until it is sent."""
    decision = request.query_params.get("decision", "approve")[:10]
    return await _link_page(request, db, order_id, token, decision=decision)


@post("/approval/{order_id:uuid}/{token:str}", name="storefront:approval_link_decide")
async def decide(
    request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID], token: FromPath[str]
) -> Response:
    """Approve or reject as the link's approver; the link (and its siblings) are used up."""
    form = await request.form()
    decision, comment = form_value(form, "decision", 10), form_value(form, "comment", 500)
    holder = await sales.link_holder(db, order_id, token[:TOKEN_CHARS])
    if holder is None:
        return await _link_page(request, db, order_id, token, decision=decision)
    if decision not in DECISIONS:
        errors = {"decision": _("Choose to approve or to reject.")}
        return await _link_page(request, db, order_id, token, decision=decision, comment=comment, errors=errors)
    actor = Actor(
        "customer", holder.user_id, holder.email, client_ip(request), request.scope["state"].get("request_id")
    )
    try:
        await sales.decide_by_link(
            db,
            current_tenant(request).id,
            order_id,
            token[:TOKEN_CHARS],
            approving=decision == "approve",
            comment=comment,
            actor=actor,
        )
    except NotFound:
        return await _link_page(request, db, order_id, token, decision=decision)
    except ValidationFailed as exc:
        errors = {"decision": " ".join(exc.errors.values())}
        return await _link_page(request, db, order_id, token, decision=decision, comment=comment, errors=errors)
    return await _link_page(request, db, order_id, token, decision=decision, done=True)


HANDLERS = [waiting, approval_link, decide]

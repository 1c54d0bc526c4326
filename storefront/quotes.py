"""The buyer's quotes in the account: ask for one from the cart, the company's quotes, and a quote's page with
every version (newest first), what changed from one to the next, and the buyer's answers: accept (an order at
the quote's prices), reject, or ask for a revision with a comment. The accept form carries no price: the order
is made from the stored version. Another company's quote is a 404, as is another tenant's."""

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
from app.web.links import tenant_link
from app.web.session import current_user, request_actor
from app.web.templating import render
from storefront.cart import BUYERS, an_id, form_value

PER_PAGE = 20
COMMENT_CHARS = 2000


def state_label(state: str) -> str:
    """A quote's state in the buyer's words."""
    labels = {
        "draft": _("Being prepared"),
        "sent": _("Awaiting your answer"),
        "expired": _("Expired"),
        "revision_requested": _("Revision requested"),
        "accepted": _("Accepted"),
        "rejected": _("Rejected"),
    }
    return labels.get(state, state)


def change_label(field: str) -> str:
    return {"qty": _("Quantity"), "unit_price": _("Unit price"), "discount_pct": _("Discount %")}.get(field, field)


def _me(request: Request) -> CurrentUser:
    user = current_user(request)
    assert user is not None and user.customer_id is not None  # the route's guard
    return user


@get("/account/quotes", name="storefront:quotes", guards=BUYERS)
async def quote_list(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    me = _me(request)
    page = await sales.quotes_for_customer(
        db, me.customer_id, page=page_number(request.query_params.get("page")), per_page=PER_PAGE
    )
    pages = max(1, -(-page.total // page.per_page))
    context = {"page": page, "pages": pages, "state_label": state_label}
    return render(request, "storefront/quotes/quotes.html.j2", context)


def _admin(request: Request) -> str:
    """The back office on the tenant's own address: where the sales team's e-mails link to."""
    return tenant_link(request, "/admin")


@post("/account/quotes", name="storefront:quote_request", guards=BUYERS)
async def request_quote(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """The cart as a quote request, with the buyer's note for the sales team."""
    note = form_value(await request.form(), "note", COMMENT_CHARS + 1)
    try:
        ref = await sales.request_quote(
            db,
            current_tenant(request).id,
            _me(request).id,
            request_actor(request),
            note=note,
            back_office=_admin(request),
        )
    except ValidationFailed as exc:
        flash(request, " ".join(exc.errors.values()), "error")
        return Redirect("/cart", status_code=303)
    flash(request, _("Quote %(number)s requested: we will send you our offer.", number=ref.number))
    return Redirect(f"/account/quotes/{ref.quote_id}", status_code=303)


async def quote_page(
    request: Request,
    db: AsyncSession,
    quote_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    me = _me(request)
    try:
        detail = await sales.quote_detail(db, quote_id, customer_id=me.customer_id)
    except NotFound:
        raise NotFoundException() from None
    context = {
        "quote": detail,
        "delivery": await _delivery(request, db, detail, me) if detail.acceptable else None,
        "errors": errors or {},
        "typed": typed or {},
        "state_label": state_label,
        "change_label": change_label,
    }
    return render(request, "storefront/quotes/quote.html.j2", context, status_code=400 if errors else 200)


async def _delivery(request: Request, db: AsyncSession, detail, me: CurrentUser) -> sales.DeliveryOptions | None:
    """The delivery methods for the quote's lines to the company's default address (where its order goes)."""
    lines = [sales.OrderLineRequest(line.variant_id, line.qty) for line in detail.current.lines]
    try:
        return await sales.delivery_options(db, current_tenant(request).id, me.customer_id, me.id, lines=lines)
    except ValidationFailed:
        return None


@get("/account/quotes/{quote_id:uuid}", name="storefront:quote", guards=BUYERS)
async def quote(request: Request, db: NamedDependency[AsyncSession], quote_id: FromPath[uuid.UUID]) -> Response:
    return await quote_page(request, db, quote_id)


@post("/account/quotes/{quote_id:uuid}/accept", name="storefront:quote_accept", guards=BUYERS)
async def accept(request: Request, db: NamedDependency[AsyncSession], quote_id: FromPath[uuid.UUID]) -> Response:
    """Accept the current version: an order at its prices (any price in the form is never read)."""
    form = await request.form()
    po_number, service = form_value(form, "po_number", 100), form_value(form, "delivery_service_id", 40)
    try:
        placed = await sales.accept_quote(
            db,
            current_tenant(request).id,
            quote_id,
            _me(request).id,
            request_actor(request),
            po_number=po_number,
            delivery_service_id=an_id(service),
            back_office=_admin(request),
        )
    except NotFound:
        raise NotFoundException() from None
    except ValidationFailed as exc:
        typed = {"po_number": po_number, "delivery_service_id": service}
        return await quote_page(request, db, quote_id, errors=exc.errors, typed=typed)
    if placed.created:
        flash(request, _("Quote accepted: order %(number)s is placed.", number=placed.number))
    return Redirect(f"/account/orders/{placed.order_id}", status_code=303)


async def _answer(request: Request, db: AsyncSession, quote_id: uuid.UUID, revision: bool) -> Response:
    comment = form_value(await request.form(), "comment", COMMENT_CHARS + 1)
    tenant_id, me, actor = current_tenant(request).id, _me(request), request_actor(request)
    try:
        if revision:
            await sales.ask_revision(db, tenant_id, quote_id, me.id, actor, comment, back_office=_admin(request))
        else:
            await sales.reject_quote(db, tenant_id, quote_id, me.id, actor, comment, back_office=_admin(request))
    except NotFound:
        raise NotFoundException() from None
    except ValidationFailed as exc:
        return await quote_page(request, db, quote_id, errors=exc.errors, typed={"comment": comment})
    flash(request, _("We will send you a new version.") if revision else _("Quote rejected."))
    return Redirect(f"/account/quotes/{quote_id}", status_code=303)


@post("/account/quotes/{quote_id:uuid}/revision", name="storefront:quote_revision", guards=BUYERS)
async def ask_revision(request: Request, db: NamedDependency[AsyncSession], quote_id: FromPath[uuid.UUID]) -> Response:
    return await _answer(request, db, quote_id, True)


@post("/account/quotes/{quote_id:uuid}/reject", name="storefront:quote_reject", guards=BUYERS)
async def reject(request: Request, db: NamedDependency[AsyncSession], quote_id: FromPath[uuid.UUID]) -> Response:
    return await _answer(request, db, quote_id, False)


HANDLERS = [quote_list, request_quote, quote, accept, ask_revision, reject]

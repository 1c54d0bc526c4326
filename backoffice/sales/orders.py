"""Sales orders in the back office: the list (by status, customer, number / PO / customer name), an order's page
with its lines, what is reserved and shipped of each, the status timeline, and cancel / hold / release hold."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties, sales
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.web.auth import requires_staff
from app.web.input import page_number
from backoffice.catalog._web import form_text, page, redirect_with_flash, tenant_and_actor

BASE = "/admin/sales/orders"
STAFF = [requires_staff("sales")]  # owners pass every staff guard
STATUSES = tuple(s.value for s in sales.domain.OrderStatus if s.value not in ("draft", "quote"))
PER_PAGE = 50


def status_label(status: str) -> str:
    try:
        return _(sales.domain.STATUS_LABELS[sales.domain.OrderStatus(status)])
    except (KeyError, ValueError):
        return status


def _render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    helpers = {"status_label": status_label, "statuses": STATUSES}
    return page(request, f"backoffice/sales/{template}", helpers | context, status=status)


@get("/sales/orders", name="backoffice:sales_orders", guards=STAFF)
async def order_list(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    params = request.query_params
    status = params.get("status", "")[:30]
    status = status if status in STATUSES else ""
    code = params.get("customer", "").strip()[:40]
    customer = await parties.queries.customer_by_code(db, code) if code else None
    search = params.get("q", "").strip()[:100]
    if code and customer is None:
        found = sales.OrderPage((), 0, 1, PER_PAGE)
    else:
        found = await sales.orders(
            db,
            status=status or None,
            customer_id=customer.id if customer is not None else None,
            search=search,
            page=page_number(params.get("page")),
            per_page=PER_PAGE,
        )
    context = {
        "found": found,
        "pages": max(1, -(-found.total // found.per_page)),
        "chosen": {"status": status, "customer": code, "q": search},
        "customers": await parties.queries.customer_choices(db),
    }
    return _render(request, "orders.html.j2", context)


async def order_page(
    request: Request, db: AsyncSession, order_id: uuid.UUID, *, errors: dict[str, str] | None = None, note: str = ""
) -> Response:
    detail = await sales.order_detail(db, order_id)  # NotFound (another tenant's): the 404 page
    context = {"order": detail, "errors": errors or {}, "note": note, "steps": allowed_steps(detail)}
    return _render(request, "order.html.j2", context, status=400 if errors else 200)


@get("/sales/orders/{order_id:uuid}", name="backoffice:sales_order", guards=STAFF)
async def order(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await order_page(request, db, order_id)


def allowed_steps(detail: sales.OrderDetail) -> list[tuple[str, str, str]]:
    """The staff steps the lifecycle rules allow from the order's state: (path, button text, style)."""
    rules = sales.domain
    held = rules.OrderStatus(detail.held_from) if detail.held_from else None
    try:
        state = rules.OrderState(rules.OrderStatus(detail.summary.status), held)
    except ValueError:
        return []
    steps = []
    if rules.transition(state, rules.OrderStatus.CANCELLED).allowed:
        steps.append(("cancel", _("Cancel order"), "btn btn-danger"))
    if rules.hold(state).allowed:
        steps.append(("hold", _("Put on hold"), "btn"))
    if state.held_from is not None and rules.release(state).allowed:
        steps.append(("release", _("Release hold"), "btn btn-primary"))
    return steps


STEPS = {"cancel": sales.cancel_order, "hold": sales.hold_order, "release": sales.release_hold}


def _done(step: str) -> str:
    if step == "cancel":
        return _("Order cancelled: its reserved stock is released.")
    return _("Order put on hold.") if step == "hold" else _("Hold released.")


async def _step(request: Request, db: AsyncSession, order_id: uuid.UUID, step: str) -> Response:
    note = form_text(await request.form(), "note", 500)
    tenant_id, actor = tenant_and_actor(request)
    try:
        await STEPS[step](db, tenant_id, order_id, actor, note=note)
    except ValidationFailed as exc:
        return await order_page(request, db, order_id, errors={"status": " ".join(exc.errors.values())}, note=note)
    return redirect_with_flash(request, f"{BASE}/{order_id}", _done(step))


@post("/sales/orders/{order_id:uuid}/cancel", name="backoffice:sales_order_cancel", guards=STAFF)
async def cancel(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await _step(request, db, order_id, "cancel")


@post("/sales/orders/{order_id:uuid}/hold", name="backoffice:sales_order_hold", guards=STAFF)
async def hold(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await _step(request, db, order_id, "hold")


@post("/sales/orders/{order_id:uuid}/release", name="backoffice:sales_order_release", guards=STAFF)
async def release(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await _step(request, db, order_id, "release")


HANDLERS = [order_list, order, cancel, hold, release]

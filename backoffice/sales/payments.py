"""An order's card payments in the back office: each attempt with its status, card and refunds, and a refund
(all or part, with a reason) of a paid one. Shown on its own page and, through htmx, inside the order's page.
Refunds go to Stripe with a key numbered per payment, so a double click refunds once; another tenant's order or
payment is a 404."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import payments, sales
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.web.auth import requires_staff
from backoffice.catalog._web import form_text, page, redirect_with_flash, tenant_and_actor
from backoffice.sales.orders import BASE

REFUNDERS = [requires_staff("sales", "accounting")]  # owners pass every staff guard
TEMPLATE = "backoffice/sales/payments.html.j2"


def gateway(request: Request) -> payments.StripeGateway | None:
    """The app's Stripe gateway; None when Stripe is not configured (payments are shown, refunds are not)."""
    state = request.app.state
    if payments.card_mode(state.settings) is None:
        return None
    found = state.get("stripe_gateway")
    if found is None:
        found = state["stripe_gateway"] = payments.StripeGateway(state.settings)
    return found


def status_label(status: str) -> str:
    label = payments.STATUS_LABELS.get(status)
    return _(label) if label else status


async def _page(
    request: Request,
    db: AsyncSession,
    order_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    detail = await sales.order_detail(db, order_id)  # NotFound (another tenant's): the 404 page
    context: dict[str, Any] = {
        "order": detail,
        "payments": await payments.payments_for_order(db, order_id),
        "can_refund": gateway(request) is not None,
        "errors": errors or {},
        "typed": typed or {},
        "payment_status": status_label,
    }
    return page(request, TEMPLATE, context, block="payments", status=status)


@get("/sales/orders/{order_id:uuid}/payments", name="backoffice:sales_order_payments", guards=REFUNDERS)
async def order_payments(
    request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]
) -> Response:
    return await _page(request, db, order_id)


@post(
    "/sales/orders/{order_id:uuid}/payments/{payment_id:uuid}/refund",
    name="backoffice:sales_order_refund",
    guards=REFUNDERS,
)
async def refund(
    request: Request,
    db: NamedDependency[AsyncSession],
    order_id: FromPath[uuid.UUID],
    payment_id: FromPath[uuid.UUID],
) -> Response:
    """Refund the amount typed (blank: all that is left) with the reason; refusals come back beside the fields."""
    form = await request.form()
    typed = {
        "amount": form_text(form, "amount", 30),
        "reason": form_text(form, "reason", 600),
        "payment": str(payment_id),
    }
    if await payments.payment_order(db, payment_id) != order_id:
        raise NotFoundException()
    stripe = gateway(request)
    if stripe is None:
        errors = {"amount": _("Stripe is not configured: refunds cannot be made here.")}
        return await _page(request, db, order_id, errors=errors, typed=typed, status=400)
    tenant_id, actor = tenant_and_actor(request)
    try:
        amount = payments.parse_amount(typed["amount"])
        made = await payments.refund_payment(db, tenant_id, payment_id, amount, typed["reason"], actor, stripe)
    except NotFound:
        raise NotFoundException() from None
    except ValidationFailed as exc:
        return await _page(request, db, order_id, errors=exc.errors, typed=typed, status=400)
    except payments.PaymentUnavailable as exc:
        errors = {"amount": _("Stripe did not make the refund: %(reason)s", reason=str(exc))}
        return await _page(request, db, order_id, errors=errors, typed=typed, status=400)
    message = _("Refunded %(amount)s %(currency)s.", amount=made.amount, currency=made.currency)
    return redirect_with_flash(request, f"{BASE}/{order_id}", message)


HANDLERS = [order_payments, refund]

"""Card payments in the storefront: an order awaiting payment is paid (or paid again after a decline) from its
payment page, 3-D Secure is completed there, and Stripe's signed webhook confirms the order even when the buyer
never comes back. Payments and sales never import each other: this face hands each payment's outcome to sales
(confirm the order, or note the decline: the order keeps waiting and the cart is kept).

How the card gets in: against a fake Stripe (localstripe: tests, `bodega run`) the page has a card form and the
server turns the test number into a PaymentMethod (never stored, never logged); against Stripe itself the page
loads Stripe Elements from js.stripe.com, the browser confirms with the intent's client secret, and the server
believes only the intent it reads back from Stripe and the webhook.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession
from stripe import SignatureVerificationError

from app import payments, sales
from app.actor import Actor
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.payments.localstripe import TEST_CARDS
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.session import current_user, request_actor
from app.web.templating import render
from storefront.cart import BUYERS, form_value

TEMPLATE = "storefront/payments/pay.html.j2"
WEBHOOK_ACTOR = Actor(kind="system", id=None, label="Stripe")
ELEMENTS_CSP = (
    "default-src 'self'; script-src 'self' https://js.stripe.com; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https://*.stripe.com; frame-src https://js.stripe.com https://hooks.stripe.com; "
    "connect-src 'self' https://api.stripe.com; font-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)
CARD_FIELDS = ("card_number", "card_expiry", "card_cvc")
MAX_BODY = 256 * 1024


def gateway(request: Request) -> payments.StripeGateway:
    """The app's Stripe gateway, made on first use (Stripe must be configured: see `card_mode`)."""
    state = request.app.state
    found = state.get("stripe_gateway")
    if found is None:
        found = state["stripe_gateway"] = payments.StripeGateway(state.settings)
    return found


def card_mode(request: Request) -> str | None:
    return payments.card_mode(request.app.state.settings)


def unavailable_message() -> str:
    return _("Card payment is not available in this shop at the moment: choose to pay on account.")


def status_label(status: str) -> str:
    label = payments.STATUS_LABELS.get(status)
    return _(label) if label else status


def card_details(form: Any, errors: dict[str, str]) -> payments.CardDetails | None:
    """The test card typed in the form, checked for shape (Stripe checks the rest); errors by field."""
    number = re.sub(r"[\s-]", "", form_value(form, "card_number", 40))
    expiry = form_value(form, "card_expiry", 10).replace(" ", "")
    cvc = form_value(form, "card_cvc", 10)
    if not re.fullmatch(r"\d{16}", number):
        errors["card_number"] = _("Enter the card's 16 digits.")
    match = re.fullmatch(r"(\d{1,2})/(\d{2}|\d{4})", expiry)
    month = int(match.group(1)) if match else 0
    year = int(match.group(2)) if match else 0
    year = year + 2000 if year < 100 else year
    if not match or not 1 <= month <= 12:
        errors["card_expiry"] = _("Enter the expiry date as MM/YY.")
    elif (year, month) < (date.today().year, date.today().month):
        errors["card_expiry"] = _("This card has expired.")
    if not re.fullmatch(r"\d{3,4}", cvc):
        errors["card_cvc"] = _("Enter the 3 digits on the back of the card.")
    if any(field in errors for field in CARD_FIELDS):
        return None
    return payments.CardDetails(number, month, year, cvc)


async def settle(
    db: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID, action: payments.OrderAction, note: str, actor: Actor
) -> None:
    """Hand a payment's outcome to sales: confirm the order, or note the decline on its timeline."""
    if action is payments.OrderAction.CONFIRM:
        await sales.confirm_paid(db, tenant_id, order_id, actor, note=_("Paid by card."))
    elif action is payments.OrderAction.PAYMENT_FAILED:
        await sales.payment_failed(db, tenant_id, order_id, actor, note=note[:2000])


async def order_to_pay(db: AsyncSession, order_id: uuid.UUID, customer_id: uuid.UUID) -> sales.OrderDetail:
    try:
        return await sales.order_detail(db, order_id, customer_id=customer_id)
    except NotFound:
        raise NotFoundException() from None


def _to_pay(detail: sales.OrderDetail) -> payments.OrderToPay:
    s = detail.summary
    return payments.OrderToPay(s.id, s.number or "", s.currency, s.gross)


async def pay_with_card(
    request: Request, db: AsyncSession, detail: sales.OrderDetail, card: payments.CardDetails | None
) -> Response:
    """Pay the order (test card, or an intent for Elements) and answer with where the buyer goes next. A decline
    redirects to the payment page with the reason (the attempt is kept: 303 commits)."""
    tenant_id, order_id = current_tenant(request).id, detail.summary.id
    try:
        outcome = await payments.pay_order(db, tenant_id, _to_pay(detail), gateway(request), card)
    except payments.PaymentUnavailable:
        flash(request, _("We could not reach the card processor: nothing was charged. Try again in a moment."), "error")
        return Redirect(f"/account/orders/{order_id}/pay", status_code=303)
    await settle(db, tenant_id, order_id, outcome.order_action, outcome.message, request_actor(request))
    return _next(request, order_id, outcome, detail.summary.number)


def _next(request: Request, order_id: uuid.UUID, outcome, number: str | None) -> Response:
    pay_page = f"/account/orders/{order_id}/pay"
    if outcome.order_action is payments.OrderAction.CONFIRM:
        flash(request, _("Thank you: order %(number)s is paid and confirmed.", number=number))
        return Redirect(f"/account/orders/{order_id}", status_code=303)
    if outcome.message:
        flash(request, outcome.message, "error")
    elif outcome.next_step == "authenticate":
        flash(request, _("Your bank asks you to confirm this payment (3-D Secure)."), "info")
    return Redirect(pay_page, status_code=303)


async def pay_page(
    request: Request,
    db: AsyncSession,
    order_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    elements: payments.PaymentOutcome | None = None,
) -> Response:
    user = current_user(request)
    detail = await order_to_pay(db, order_id, user.customer_id)
    history = await payments.payments_for_order(db, order_id)
    mode = card_mode(request)
    latest = history[0] if history else None
    context = {
        "order": detail,
        "payments": history,
        "latest": latest,
        "mode": mode,
        "unavailable": unavailable_message(),
        "errors": errors or {},
        "test_cards": TEST_CARDS,
        "status_label": status_label,
        "publishable_key": request.app.state.settings.stripe_publishable_key,
        "elements": elements,
    }
    response = render(request, TEMPLATE, context, status_code=400 if errors else 200)
    if elements is not None:
        response.headers["content-security-policy"] = ELEMENTS_CSP
    return response


@get("/account/orders/{order_id:uuid}/pay", name="storefront:order_pay", guards=BUYERS)
async def pay_form(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    return await pay_page(request, db, order_id)


@post("/account/orders/{order_id:uuid}/pay", name="storefront:order_pay_post", guards=BUYERS)
async def pay(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    """Pay with the card typed (test mode), or start Stripe Elements (Stripe itself)."""
    user = current_user(request)
    detail = await order_to_pay(db, order_id, user.customer_id)
    mode = card_mode(request)
    if mode is None:
        return await pay_page(request, db, order_id, errors={"card": unavailable_message()})
    if detail.summary.status != "awaiting_payment":
        flash(request, _("This order is not waiting for a payment."), "info")
        return Redirect(f"/account/orders/{order_id}", status_code=303)
    errors: dict[str, str] = {}
    card = card_details(await request.form(), errors) if mode == "test" else None
    if errors:
        return await pay_page(request, db, order_id, errors=errors)
    if mode == "elements":
        return await _elements(request, db, detail)
    try:
        return await pay_with_card(request, db, detail, card)
    except ValidationFailed as exc:
        return await pay_page(request, db, order_id, errors=exc.errors)


async def _elements(request: Request, db: AsyncSession, detail: sales.OrderDetail) -> Response:
    """The Elements page: the browser confirms the intent with Stripe; the return address reads the result."""
    tenant_id = current_tenant(request).id
    try:
        outcome = await payments.pay_order(db, tenant_id, _to_pay(detail), gateway(request), None)
    except (payments.PaymentUnavailable, ValidationFailed):
        return await pay_page(request, db, detail.summary.id, errors={"card": unavailable_message()})
    if outcome.order_action is payments.OrderAction.CONFIRM:
        return _next(request, detail.summary.id, outcome, detail.summary.number)
    return await pay_page(request, db, detail.summary.id, elements=outcome)


@post(
    "/account/orders/{order_id:uuid}/pay/{payment_id:uuid}/authenticate",
    name="storefront:order_pay_authenticate",
    guards=BUYERS,
)
async def authenticate(
    request: Request,
    db: NamedDependency[AsyncSession],
    order_id: FromPath[uuid.UUID],
    payment_id: FromPath[uuid.UUID],
) -> Response:
    """The test bank's 3-D Secure step (test mode only): the buyer passes or fails it."""
    user = current_user(request)
    detail = await order_to_pay(db, order_id, user.customer_id)
    if card_mode(request) != "test":
        raise NotFoundException()
    passed = form_value(await request.form(), "result", 10) == "pass"
    try:
        outcome = await payments.authenticate(db, order_id, payment_id, gateway(request), success=passed)
    except NotFound:
        raise NotFoundException() from None
    except payments.PaymentUnavailable:
        flash(request, _("We could not reach the card processor: nothing was charged. Try again in a moment."), "error")
        return Redirect(f"/account/orders/{order_id}/pay", status_code=303)
    await settle(
        db, current_tenant(request).id, order_id, outcome.order_action, outcome.message, request_actor(request)
    )
    return _next(request, order_id, outcome, detail.summary.number)


@get(
    "/account/orders/{order_id:uuid}/pay/{payment_id:uuid}/return",
    name="storefront:order_pay_return",
    guards=BUYERS,
)
async def returned(
    request: Request,
    db: NamedDependency[AsyncSession],
    order_id: FromPath[uuid.UUID],
    payment_id: FromPath[uuid.UUID],
) -> Response:
    """Back from Stripe.js: read the intent from Stripe (the browser's word is not enough) and settle it."""
    user = current_user(request)
    detail = await order_to_pay(db, order_id, user.customer_id)
    if card_mode(request) is None:
        raise NotFoundException()
    try:
        outcome = await payments.refresh_payment(db, order_id, payment_id, gateway(request))
    except NotFound:
        raise NotFoundException() from None
    except payments.PaymentUnavailable:
        flash(request, _("We could not reach the card processor: try again in a moment."), "error")
        return Redirect(f"/account/orders/{order_id}/pay", status_code=303)
    await settle(
        db, current_tenant(request).id, order_id, outcome.order_action, outcome.message, request_actor(request)
    )
    return _next(request, order_id, outcome, detail.summary.number)


@post("/stripe/webhook", name="storefront:stripe_webhook")
async def webhook(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """Stripe's events for this tenant, verified by signature on the raw body and handled once per event id.
    A bad signature is a 400 (Stripe retries); a replay or an event for another tenant is a 200 that changes
    nothing."""
    if card_mode(request) is None:
        raise NotFoundException()
    body = await request.body()
    if len(body) > MAX_BODY:
        return Response({"error": "too large"}, status_code=413)
    try:
        event = gateway(request).verify(body, request.headers.get("stripe-signature"))
    except (SignatureVerificationError, ValueError):
        return Response({"error": "invalid signature"}, status_code=400)
    tenant_id = current_tenant(request).id
    expect_live = gateway(request).livemode
    outcome = await payments.handle_event(db, tenant_id, event, expect_livemode=expect_live)
    if outcome.order_id is not None:
        await settle(db, tenant_id, outcome.order_id, outcome.order_action, outcome.note, WEBHOOK_ACTOR)
    return Response({"received": True, "handled": outcome.handled, "outcome": outcome.code}, status_code=200)


HANDLERS = [pay_form, pay, authenticate, returned, webhook]

"""Checkout (/checkout): the buyer's cart placed as an order, on account or by card, with the ship-to address,
the delivery method (the tenant's carrier services priced for the cart and address, cheapest and fastest marked,
re-quoted with htmx from /checkout/delivery when the address or the method changes; the order re-quotes it
on the server), each line's available-to-promise date, their PO number, a requested delivery date and how to
deliver. The page carries an idempotency key made when it
is shown, so a double click or a resent form returns the order already placed (and a card is not charged again:
see app.payments); a refusal (credit limit, a line no longer orderable...) shows the page again with the
messages beside their fields and the cart kept. By card, the order waits for its payment: paid now, it is
confirmed; declined, the buyer lands on its payment page with the reason, and the cart is kept until it is paid.
Without Stripe configured, card payment is shown as unavailable and on account works as before."""

from __future__ import annotations

import uuid
from datetime import date

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties, sales
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.session import current_user, request_actor
from app.web.templating import render
from storefront import payments as card_payments
from storefront.cart import BUYERS, an_id, form_value

TEMPLATE = "storefront/cart/checkout.html.j2"
DELIVERY = "storefront/cart/_checkout_delivery.html.j2"
FIELDS = (
    "ship_address_id",
    "delivery_service_id",
    "po_number",
    "requested_date",
    "delivery_mode",
    "payment",
    "idempotency_key",
)


def _buyer(request: Request) -> tuple[uuid.UUID, uuid.UUID]:
    user = current_user(request)
    assert user is not None and user.customer_id is not None  # the route's guard
    return user.id, user.customer_id


async def _page(request: Request, db: AsyncSession, typed: dict[str, str], errors: dict[str, str]) -> Response:
    user_id, customer_id = _buyer(request)
    view = await sales.cart(db, current_tenant(request).id, user_id)
    addresses = await parties.queries.addresses(db, customer_id, "shipping")
    options = await _options(request, db, typed, addresses)
    line_errors = [message for key, message in errors.items() if key.startswith("lines")]
    shown = set(FIELDS) | {k for k in errors if k.startswith("lines")}
    others = [message for key, message in errors.items() if key not in shown]
    context = {
        "cart": view,
        "options": options,
        "addresses": addresses,
        "typed": typed,
        "errors": errors,
        "line_errors": line_errors,
        "other_errors": others,
        "today": date.today().isoformat(),
        "card_mode": card_payments.card_mode(request),
        "card_unavailable": card_payments.unavailable_message(),
        "test_cards": card_payments.TEST_CARDS,
        "awaiting_payment": (
            await sales.orders(db, status="awaiting_payment", customer_id=customer_id, per_page=5)
        ).orders,
    }
    return render(request, TEMPLATE, context, status_code=400 if errors else 200)


async def _options(request: Request, db: AsyncSession, typed: dict[str, str], addresses) -> sales.DeliveryOptions:
    """The delivery methods and line dates for the chosen address (the first listed when none is chosen, as the
    page checks it); an address that is not the company's is answered for the default one."""
    user_id, customer_id = _buyer(request)
    ship_to = an_id(typed.get("ship_address_id", ""))
    if ship_to is None and addresses:
        ship_to = addresses[0].id
    choices = {"service_id": an_id(typed.get("delivery_service_id", "")), "delivery_mode": typed.get("delivery_mode")}
    tenant_id = current_tenant(request).id
    try:
        return await sales.delivery_options(db, tenant_id, customer_id, user_id, ship_to, **choices)
    except ValidationFailed:
        return await sales.delivery_options(db, tenant_id, customer_id, user_id, None, **choices)


@get("/checkout/delivery", name="storefront:checkout_delivery", guards=BUYERS)
async def delivery(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """htmx: the delivery methods priced for the chosen address and method, and the order summary (out of band)."""
    if not request.headers.get("hx-request"):
        return Redirect("/checkout", status_code=303)
    typed = {name: str(request.query_params.get(name, ""))[:100] for name in FIELDS}
    _user, customer_id = _buyer(request)
    addresses = await parties.queries.addresses(db, customer_id, "shipping")
    options = await _options(request, db, typed, addresses)
    view = await sales.cart(db, current_tenant(request).id, _user)
    context = {"fragment": True, "options": options, "cart": view, "errors": {}}
    return render(request, DELIVERY, context)


@get("/checkout", name="storefront:checkout", guards=BUYERS)
async def checkout(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    user_id, _customer = _buyer(request)
    if not await sales.cart_count(db, user_id):
        flash(request, _("Your cart is empty."), "error")
        return Redirect("/cart", status_code=303)
    typed = dict.fromkeys(FIELDS, "") | {"delivery_mode": "ship_available", "payment": "account"}
    typed["idempotency_key"] = uuid.uuid4().hex  # one order per page shown, however often it is sent
    return await _page(request, db, typed, {})


def _requested(raw: str, errors: dict[str, str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors["requested_date"] = _("Enter a date.")
        return None


@post("/checkout", name="storefront:place_order", guards=BUYERS)
async def place(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """Place the cart as an order; the prices, taxes and totals are the server's, never the form's."""
    form = await request.form()
    typed = {name: form_value(form, name, 100) for name in FIELDS}
    user_id, customer_id = _buyer(request)
    errors: dict[str, str] = {}
    requested = _requested(typed["requested_date"], errors)
    ship_to = an_id(typed["ship_address_id"])
    if typed["ship_address_id"] and ship_to is None:
        errors["ship_address_id"] = _("Choose one of your addresses.")
    service_id = an_id(typed["delivery_service_id"])
    if typed["delivery_service_id"] and service_id is None:
        errors["delivery_service_id"] = _("Choose one of the delivery methods.")
    card = None
    if typed["payment"] == "card" and card_payments.card_mode(request) is None:
        errors["payment"] = card_payments.unavailable_message()
    elif typed["payment"] == "card" and card_payments.card_mode(request) == "test":
        card = card_payments.card_details(form, errors)
    try:
        if errors:
            raise ValidationFailed(errors)
        data = sales.PlaceOrder(
            customer_id,
            user_id,
            typed["idempotency_key"],
            None,  # the buyer's cart
            po_number=typed["po_number"],
            requested_date=requested,
            payment=typed["payment"],
            delivery_mode=typed["delivery_mode"],
            ship_address_id=ship_to,
            delivery_service_id=service_id,
        )
        placed = await sales.place_order(db, current_tenant(request).id, data, request_actor(request))
    except ValidationFailed as exc:
        return await _page(request, db, typed, exc.errors)
    if placed.status == "awaiting_payment":
        return await _pay(request, db, placed.order_id, card)
    if placed.created and placed.status == "awaiting_approval" and typed["payment"] == "card":
        flash(
            request, _("Order %(number)s placed: once your company approves it, pay it by card.", number=placed.number)
        )
    elif placed.created and placed.status == "awaiting_approval":
        flash(request, _("Order %(number)s placed: it now waits for your company's approval.", number=placed.number))
    elif placed.created:
        flash(request, _("Thank you: order %(number)s is placed.", number=placed.number))
    return Redirect(f"/account/orders/{placed.order_id}", status_code=303)


async def _pay(request: Request, db: AsyncSession, order_id: uuid.UUID, card) -> Response:
    """A card order: pay it now with the typed test card, or on its payment page (Stripe Elements)."""
    if card is None:
        return Redirect(f"/account/orders/{order_id}/pay", status_code=303)
    _user, customer_id = _buyer(request)
    detail = await card_payments.order_to_pay(db, order_id, customer_id)
    try:
        return await card_payments.pay_with_card(request, db, detail, card)
    except ValidationFailed as exc:  # below the card minimum: the order waits; pay it on its page
        flash(request, " ".join(exc.errors.values()), "error")
        return Redirect(f"/account/orders/{order_id}/pay", status_code=303)


HANDLERS = [checkout, delivery, place]

"""The signed-in buyer's cart (/cart): lines priced again on the server at every read, quantities changed with
htmx (the cart block re-rendered: the line, its price and the totals), lines removed; "add to cart" from the
product page; the header's cart badge, fetched on its own so that kept catalogue pages stay shared."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from app import sales
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory import shown_availability
from app.web.auth import requires_customer
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.session import current_user
from app.web.templating import render
from storefront.catalog_stock import stock_line

TEMPLATE = "storefront/cart/cart.html.j2"
BUYERS = [requires_customer()]
QTY_CHARS = 40


def me(request: Request) -> uuid.UUID:
    """The signed-in customer user's id (the route's guard made sure there is one)."""
    user = current_user(request)
    assert user is not None and user.customer_id is not None  # the route's guard
    return user.id


def form_value(form: Any, name: str, max_len: int) -> str:
    value = form.get(name, "")
    return value.strip()[:max_len] if isinstance(value, str) else ""


def an_id(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw and len(raw) <= 36 else None
    except ValueError:
        return None


def first_error(errors: dict[str, str]) -> str:
    return next(iter(errors.values()), _("Check the quantity."))


async def cart_page(
    request: Request, db: AsyncSession, *, errors: dict[str, str] | None = None, typed: dict[str, str] | None = None
) -> Response:
    """The cart (or, for htmx, its block) with each line's availability for its quantity; `errors` and `typed`
    are by variant id, so that a refused quantity shows beside its line with what was typed."""
    tenant_id = current_tenant(request).id
    view = await sales.cart(db, tenant_id, me(request))
    requested = {line.variant_id: line.qty for line in view.lines}
    shown = await shown_availability(db, tenant_id, requested, requested=requested) if requested else {}
    stock = {variant_id: stock_line(shown.get(variant_id)) for variant_id in requested}
    context = {"cart": view, "stock": stock, "errors": errors or {}, "typed": typed or {}}
    htmx = bool(request.headers.get("hx-request"))  # htmx swaps only a 2xx: a refusal comes back as the block
    response = render(request, TEMPLATE, context, block="cart", status_code=400 if errors and not htmx else 200)
    response.headers["HX-Trigger"] = "cart-changed"
    return response


@get("/cart", name="storefront:cart", guards=BUYERS)
async def show_cart(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await cart_page(request, db)


@post("/cart/lines/{variant_id:uuid}", name="storefront:cart_set_qty", guards=BUYERS)
async def set_qty(request: Request, db: NamedDependency[AsyncSession], variant_id: FromPath[uuid.UUID]) -> Response:
    qty = form_value(await request.form(), "qty", QTY_CHARS)
    try:
        await sales.set_cart_qty(db, current_tenant(request).id, me(request), variant_id, qty)
    except ValidationFailed as exc:
        key = str(variant_id)
        return await cart_page(request, db, errors={key: first_error(exc.errors)}, typed={key: qty})
    if request.headers.get("hx-request"):
        return await cart_page(request, db)
    flash(request, _("Quantity changed."))
    return Redirect("/cart", status_code=303)


@post("/cart/lines/{variant_id:uuid}/remove", name="storefront:cart_remove", guards=BUYERS)
async def remove(request: Request, db: NamedDependency[AsyncSession], variant_id: FromPath[uuid.UUID]) -> Response:
    await sales.remove_from_cart(db, current_tenant(request).id, me(request), variant_id)
    if request.headers.get("hx-request"):
        return await cart_page(request, db)
    flash(request, _("Removed from your cart."))
    return Redirect("/cart", status_code=303)


def _back(raw: str) -> str:
    """Where to return after adding: a product page of this shop, else the cart (never another site)."""
    if raw.startswith("/p/") and "//" not in raw and "\\" not in raw and len(raw) <= 500:
        return raw
    return "/cart"


@post("/cart/add", name="storefront:cart_add", guards=BUYERS)
async def add(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """Add a variant (the quantity is checked against its rules; a price in the form is never read)."""
    form = await request.form()
    variant_id = an_id(form_value(form, "variant", 40))
    qty = form_value(form, "qty", QTY_CHARS) or "1"
    back = _back(form_value(form, "back", 500))
    htmx = bool(request.headers.get("hx-request"))
    try:
        if variant_id is None:
            raise ValidationFailed({"variant": _("This item does not exist.")})
        view = await sales.add_to_cart(db, current_tenant(request).id, me(request), variant_id, qty)
    except ValidationFailed as exc:
        message = first_error(exc.errors)
        if htmx:
            context = {"ok": False, "message": message, "count": None}
            return render(request, "storefront/cart/_added.html.j2", context)
        flash(request, message, "error")
        return Redirect(back, status_code=303)
    message = _("Added to your cart.")
    if htmx:
        context = {"ok": True, "message": message, "count": len(view.lines)}
        response = render(request, "storefront/cart/_added.html.j2", context)
        response.headers["HX-Trigger"] = "cart-changed"
        return response
    flash(request, message)
    return Redirect(back, status_code=303)


@get("/cart/count", name="storefront:cart_count")
async def count(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """The header's badge: the number of lines in the signed-in buyer's cart (nothing for anyone else)."""
    user = current_user(request)
    lines = 0
    if user is not None and user.customer_id is not None:
        lines = await sales.cart_count(db, user.id)
    response = render(request, "storefront/cart/_count.html.j2", {"count": lines})
    response.headers["Cache-Control"] = "no-store"
    return response


HANDLERS = [show_cart, set_qty, remove, add, count]

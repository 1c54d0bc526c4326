"""Saved lists and reorder in the buyer's account. A list belongs to the buyer's company and every colleague sees
and uses it: make one, rename or delete it, change or remove its lines, save the cart into it, add a past order
to it, and put the whole list into the cart. Reorder puts a past order's lines into the cart at today's prices;
what can no longer be ordered is named in the message. Another company's list or order is a 404, as is another
tenant's."""

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
from app.web.session import current_user
from app.web.templating import render
from storefront.cart import BUYERS, QTY_CHARS, an_id, first_error, form_value

NAME_CHARS = 121  # one more than allowed, so that a longer name is refused rather than cut


def _me(request: Request) -> CurrentUser:
    user = current_user(request)
    assert user is not None and user.customer_id is not None  # the route's guard
    return user


def _fill_message(request: Request, filled: sales.CartFill) -> None:
    """One flash for what went into the cart, one per line that could not."""
    if filled.added:
        flash(request, _("%(n)s lines added to your cart at today's prices.", n=len(filled.added)))
    for sku, reason in filled.skipped:
        flash(request, _("%(sku)s was not added: %(reason)s", sku=sku, reason=reason), "error")


async def lists_page(
    request: Request, db: AsyncSession, *, errors: dict[str, str] | None = None, name: str = ""
) -> Response:
    me = _me(request)
    context = {"lists": await sales.saved_lists(db, me.customer_id), "errors": errors or {}, "name": name}
    return render(request, "storefront/lists/lists.html.j2", context, status_code=400 if errors else 200)


@get("/account/lists", name="storefront:lists", guards=BUYERS)
async def lists(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await lists_page(request, db)


@post("/account/lists", name="storefront:list_create", guards=BUYERS)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """A new list; with `from_cart`, the cart's lines saved into it."""
    form = await request.form()
    name = form_value(form, "name", NAME_CHARS)
    tenant_id, me = current_tenant(request).id, _me(request)
    from_cart = bool(form_value(form, "from_cart", 5))
    try:
        if from_cart and not await sales.cart_count(db, me.id):  # checked first: no empty list left behind
            raise ValidationFailed({"list_id": _("Your cart is empty: nothing to save.")})
        list_id = await sales.create_list(db, tenant_id, me.id, name)
        if from_cart:
            await sales.add_cart_to_list(db, tenant_id, me.id, list_id)
    except ValidationFailed as exc:
        if from_cart:
            flash(request, first_error(exc.errors), "error")
            return Redirect("/cart", status_code=303)
        return await lists_page(request, db, errors=exc.errors, name=name)
    flash(request, _("List “%(name)s” saved.", name=" ".join(name.split())))
    return Redirect(f"/account/lists/{list_id}", status_code=303)


async def list_page(
    request: Request, db: AsyncSession, list_id: uuid.UUID, *, errors: dict[str, str] | None = None, typed=None
) -> Response:
    me = _me(request)
    try:
        detail = await sales.saved_list(db, current_tenant(request).id, list_id, me.customer_id)
    except NotFound:
        raise NotFoundException() from None
    context = {"list": detail, "errors": errors or {}, "typed": typed or {}}
    return render(request, "storefront/lists/list.html.j2", context, status_code=400 if errors else 200)


@get("/account/lists/{list_id:uuid}", name="storefront:list", guards=BUYERS)
async def saved_list(request: Request, db: NamedDependency[AsyncSession], list_id: FromPath[uuid.UUID]) -> Response:
    return await list_page(request, db, list_id)


@post("/account/lists/{list_id:uuid}/rename", name="storefront:list_rename", guards=BUYERS)
async def rename(request: Request, db: NamedDependency[AsyncSession], list_id: FromPath[uuid.UUID]) -> Response:
    name = form_value(await request.form(), "name", NAME_CHARS)
    try:
        await sales.rename_list(db, current_tenant(request).id, _me(request).id, list_id, name)
    except NotFound:
        raise NotFoundException() from None
    except ValidationFailed as exc:
        return await list_page(request, db, list_id, errors=exc.errors, typed={"name": name})
    flash(request, _("List renamed."))
    return Redirect(f"/account/lists/{list_id}", status_code=303)


@post("/account/lists/{list_id:uuid}/delete", name="storefront:list_delete", guards=BUYERS)
async def delete(request: Request, db: NamedDependency[AsyncSession], list_id: FromPath[uuid.UUID]) -> Response:
    try:
        await sales.delete_list(db, current_tenant(request).id, _me(request).id, list_id)
    except NotFound:
        raise NotFoundException() from None
    flash(request, _("List deleted."))
    return Redirect("/account/lists", status_code=303)


@post("/account/lists/{list_id:uuid}/to-cart", name="storefront:list_to_cart", guards=BUYERS)
async def to_cart(request: Request, db: NamedDependency[AsyncSession], list_id: FromPath[uuid.UUID]) -> Response:
    try:
        filled = await sales.add_list_to_cart(db, current_tenant(request).id, _me(request).id, list_id)
    except NotFound:
        raise NotFoundException() from None
    except ValidationFailed as exc:
        flash(request, first_error(exc.errors), "error")
        return Redirect(f"/account/lists/{list_id}", status_code=303)
    _fill_message(request, filled)
    return Redirect("/cart", status_code=303)


@post("/account/lists/{list_id:uuid}/lines/{variant_id:uuid}", name="storefront:list_line", guards=BUYERS)
async def set_line(
    request: Request, db: NamedDependency[AsyncSession], list_id: FromPath[uuid.UUID], variant_id: FromPath[uuid.UUID]
) -> Response:
    qty = form_value(await request.form(), "qty", QTY_CHARS)
    try:
        await sales.set_list_qty(db, current_tenant(request).id, _me(request).id, list_id, variant_id, qty)
    except NotFound:
        raise NotFoundException() from None
    except ValidationFailed as exc:
        key = str(variant_id)
        return await list_page(request, db, list_id, errors={key: first_error(exc.errors)}, typed={key: qty})
    flash(request, _("Quantity changed."))
    return Redirect(f"/account/lists/{list_id}", status_code=303)


@post("/account/lists/{list_id:uuid}/lines/{variant_id:uuid}/remove", name="storefront:list_remove", guards=BUYERS)
async def remove_line(
    request: Request, db: NamedDependency[AsyncSession], list_id: FromPath[uuid.UUID], variant_id: FromPath[uuid.UUID]
) -> Response:
    try:
        await sales.remove_list_line(db, current_tenant(request).id, _me(request).id, list_id, variant_id)
    except NotFound:
        raise NotFoundException() from None
    flash(request, _("Removed from the list."))
    return Redirect(f"/account/lists/{list_id}", status_code=303)


@post("/account/lists/add-cart", name="storefront:list_add_cart", guards=BUYERS)
async def add_cart(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """The cart's lines saved into one of the company's lists (the cart stays as it is)."""
    list_id = an_id(form_value(await request.form(), "list_id", 40))
    try:
        if list_id is None:
            raise ValidationFailed({"list_id": _("Choose a list.")})
        added = await sales.add_cart_to_list(db, current_tenant(request).id, _me(request).id, list_id)
    except NotFound:
        raise NotFoundException() from None
    except ValidationFailed as exc:
        flash(request, first_error(exc.errors), "error")
        return Redirect("/cart", status_code=303)
    flash(request, _("%(n)s lines saved to the list.", n=added))
    return Redirect(f"/account/lists/{list_id}", status_code=303)


@post("/account/orders/{order_id:uuid}/reorder", name="storefront:reorder", guards=BUYERS)
async def reorder(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    """A past order's lines into the cart, priced today."""
    try:
        filled = await sales.reorder(db, current_tenant(request).id, _me(request).id, order_id)
    except NotFound:
        raise NotFoundException() from None
    _fill_message(request, filled)
    return Redirect("/cart", status_code=303)


@post("/account/orders/{order_id:uuid}/to-list", name="storefront:order_to_list", guards=BUYERS)
async def order_to_list(request: Request, db: NamedDependency[AsyncSession], order_id: FromPath[uuid.UUID]) -> Response:
    """A past order's lines saved into one of the company's lists."""
    list_id = an_id(form_value(await request.form(), "list_id", 40))
    tenant_id, me = current_tenant(request).id, _me(request)
    try:
        if list_id is None:
            raise ValidationFailed({"list_id": _("Choose a list.")})
        added = await sales.add_order_to_list(db, tenant_id, me.id, order_id, list_id)
    except NotFound:
        raise NotFoundException() from None
    except ValidationFailed as exc:
        flash(request, first_error(exc.errors), "error")
        return Redirect(f"/account/orders/{order_id}", status_code=303)
    flash(request, _("%(n)s lines saved to the list.", n=added))
    return Redirect(f"/account/lists/{list_id}", status_code=303)


HANDLERS = [lists, create, saved_list, rename, delete, to_cart, set_line, remove_line, add_cart, reorder, order_to_list]

"""The customer company, managed by its administrator in the portal: colleagues (list, invite through the
invitation e-mail, one role each — buyer, approver or administrator — with spending limits per order and per
month, deactivate and reactivate) and the company's addresses (several ship-to and bill-to, add, edit, choose
the defaults, archive), which checkout offers. Every id is looked up within the admin's own company: another
company's user or address is a 404, another tenant's too; a user who is not the company's admin gets 403."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties, sales
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.identity import services as identity
from app.identity import user_admin
from app.identity.domain import CUSTOMER_SUPERROLE, CurrentUser
from app.numbers import parse_decimal
from app.web.auth import requires_customer
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.links import tenant_link
from app.web.session import current_user, request_actor
from app.web.templating import render
from storefront.account import role_names
from storefront.cart import form_value

ADMINS = [requires_customer(CUSTOMER_SUPERROLE)]
ROLES = ("buyer", "approver", CUSTOMER_SUPERROLE)  # one role each; the strongest decides what they may do
MAX_LIMIT = Decimal("999999999999")
ADDRESS_FIELDS = ("label", "recipient", "line1", "line2", "postcode", "city", "region", "country", "phone", "usage")


def _me(request: Request) -> CurrentUser:
    user = current_user(request)
    assert user is not None and user.customer_id is not None  # the route's guard
    return user


def main_role(roles: tuple[str, ...] | list[str]) -> str:
    """The one role shown and edited: administrator over approver over buyer."""
    return next((r for r in reversed(ROLES) if r in roles), "buyer")


# --- colleagues -------------------------------------------------------------------------------------------


async def _users_page(request: Request, db: AsyncSession, form: dict[str, Any], errors: dict[str, str]) -> Response:
    me = _me(request)
    page = await user_admin.list_users(db, kind="customer", customer_id=me.customer_id, per_page=200)
    context = {
        "page": page,
        "limits": await sales.spending_limits(db, me.customer_id),
        "form": form,
        "errors": errors,
        "role_names": role_names(),
        "main_role": main_role,
    }
    return render(request, "storefront/company/users.html.j2", context, status_code=400 if errors else 200)


@get("/account/users", name="storefront:account_users", guards=ADMINS)
async def colleagues(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _users_page(request, db, {"name": "", "email": "", "roles": ["buyer"]}, {})


@post("/account/users", name="storefront:account_invite", guards=ADMINS)
async def invite_colleague(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """Invite a colleague into the admin's own company (whatever the form says) with the invitation e-mail."""
    me = _me(request)
    form = await request.form()
    values = {
        "name": form_value(form, "name", 300),
        "email": form_value(form, "email", 320),
        "roles": [str(r)[:40] for r in form.getall("roles", [])][:10],
    }
    data = identity.NewUser(
        kind="customer",
        email=values["email"],
        name=values["name"],
        roles=tuple(values["roles"]),
        customer_id=me.customer_id,
        locale=me.locale,
    )
    links = {"invite_url": tenant_link(request, "/invite/{token}"), "sign_in_url": tenant_link(request, "/sign-in")}
    try:
        await identity.invite_colleague(db, current_tenant(request).id, data, request_actor(request), **links)
    except ValidationFailed as exc:
        return await _users_page(request, db, values, exc.errors)
    flash(request, _("Invitation sent to %(email)s.", email=values["email"].lower()))
    return Redirect("/account/users", status_code=303)


async def _colleague(db: AsyncSession, me: CurrentUser, user_id: uuid.UUID) -> user_admin.UserRow:
    try:
        return await user_admin.get_user(db, user_id, kind="customer", customer_id=me.customer_id)
    except NotFound:
        raise NotFoundException() from None


async def _user_page(
    request: Request, db: AsyncSession, user_id: uuid.UUID, typed: dict[str, str] | None, errors: dict[str, str]
) -> Response:
    me = _me(request)
    colleague = await _colleague(db, me, user_id)
    limit = (await sales.spending_limits(db, me.customer_id)).get(colleague.id)
    if typed is None:
        typed = {
            "role": main_role(colleague.roles),
            "per_order": "" if limit is None or limit.per_order is None else f"{limit.per_order.normalize():f}",
            "per_month": "" if limit is None or limit.per_month is None else f"{limit.per_month.normalize():f}",
        }
    context = {
        "colleague": colleague,
        "typed": typed,
        "errors": errors,
        "roles": {code: role_names()[code] for code in ROLES},
        "currency": current_tenant(request).currency,
        "is_me": colleague.id == me.id,
    }
    return render(request, "storefront/company/user.html.j2", context, status_code=400 if errors else 200)


@get("/account/users/{user_id:uuid}", name="storefront:company_user", guards=ADMINS)
async def colleague(request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[uuid.UUID]) -> Response:
    return await _user_page(request, db, user_id, None, {})


def _limit(raw: str, field: str, errors: dict[str, str]) -> Decimal | None:
    if not raw:
        return None
    try:
        return parse_decimal(raw, field, minimum=Decimal(0), maximum=MAX_LIMIT, places=2)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None


@post("/account/users/{user_id:uuid}", name="storefront:company_user_save", guards=ADMINS)
async def save_colleague(request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[uuid.UUID]) -> Response:
    """One role and the spending limits (empty: no limit), in one transaction."""
    me = _me(request)
    form = await request.form()
    typed = {name: form_value(form, name, 40) for name in ("role", "per_order", "per_month")}
    colleague = await _colleague(db, me, user_id)
    errors: dict[str, str] = {}
    if typed["role"] not in ROLES:
        errors["role"] = _("Choose buyer, approver or administrator.")
    elif colleague.id == me.id and typed["role"] != CUSTOMER_SUPERROLE:
        errors["role"] = _("You cannot remove your own administrator role. Ask another administrator to do it.")
    per_order, per_month = (
        _limit(typed["per_order"], "per_order", errors),
        _limit(typed["per_month"], "per_month", errors),
    )
    tenant = current_tenant(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        actor = request_actor(request)
        await user_admin.set_roles(
            db, tenant.id, colleague.id, [typed["role"]], actor, kind="customer", customer_id=me.customer_id
        )
        await sales.set_spending_limits(db, tenant.id, colleague.id, tenant.currency, per_order, per_month)
    except ValidationFailed as exc:
        return await _user_page(request, db, user_id, typed, exc.errors)
    flash(request, _("%(name)s is saved.", name=colleague.name))
    return Redirect("/account/users", status_code=303)


async def _set_active(request: Request, db: AsyncSession, user_id: uuid.UUID, active: bool) -> Response:
    me = _me(request)
    colleague = await _colleague(db, me, user_id)
    try:
        await user_admin.set_active(
            db,
            current_tenant(request).id,
            colleague.id,
            active,
            request_actor(request),
            kind="customer",
            customer_id=me.customer_id,
        )
    except ValidationFailed as exc:
        return await _user_page(request, db, user_id, None, exc.errors)
    if active:
        flash(request, _("%(name)s can sign in again.", name=colleague.name))
    else:
        flash(request, _("%(name)s is deactivated and signed out.", name=colleague.name))
    return Redirect("/account/users", status_code=303)


@post("/account/users/{user_id:uuid}/deactivate", name="storefront:company_user_deactivate", guards=ADMINS)
async def deactivate(request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[uuid.UUID]) -> Response:
    return await _set_active(request, db, user_id, False)


@post("/account/users/{user_id:uuid}/reactivate", name="storefront:company_user_reactivate", guards=ADMINS)
async def reactivate(request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[uuid.UUID]) -> Response:
    return await _set_active(request, db, user_id, True)


# --- addresses --------------------------------------------------------------------------------------------


async def _own_address(db: AsyncSession, me: CurrentUser, address_id: uuid.UUID) -> parties.Address:
    found = next((a for a in await parties.queries.addresses(db, me.customer_id) if a.id == address_id), None)
    if found is None:
        raise NotFoundException()
    return found


def _typed_address(address: parties.Address | None) -> dict[str, Any]:
    if address is None:
        return dict.fromkeys(ADDRESS_FIELDS, "") | {
            "usage": "both",
            "country": "ES",
            "default_billing": False,
            "default_shipping": False,
        }
    typed = {name: getattr(address, name) or "" for name in ADDRESS_FIELDS}
    return typed | {"default_billing": address.is_default_billing, "default_shipping": address.is_default_shipping}


def _address_input(form: Any) -> tuple[dict[str, Any], parties.AddressInput]:
    typed: dict[str, Any] = {name: form_value(form, name, 300) for name in ADDRESS_FIELDS}
    typed["default_billing"] = form_value(form, "default_billing", 5) in {"1", "on", "true"}
    typed["default_shipping"] = form_value(form, "default_shipping", 5) in {"1", "on", "true"}
    return typed, parties.AddressInput(**typed)


async def _addresses_page(
    request: Request, db: AsyncSession, typed: dict[str, Any], errors: dict[str, str], editing: uuid.UUID | None = None
) -> Response:
    me = _me(request)
    context = {
        "addresses": await parties.queries.addresses(db, me.customer_id),
        "typed": typed,
        "errors": errors,
        "editing": editing,
    }
    template = "storefront/company/address.html.j2" if editing else "storefront/company/addresses.html.j2"
    return render(request, template, context, status_code=400 if errors else 200)


@get("/account/addresses", name="storefront:company_addresses", guards=ADMINS)
async def addresses(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _addresses_page(request, db, _typed_address(None), {})


@post("/account/addresses", name="storefront:company_address_add", guards=ADMINS)
async def add_address(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    me = _me(request)
    typed, data = _address_input(await request.form())
    try:
        await parties.add_address(db, current_tenant(request).id, me.customer_id, data, request_actor(request))
    except ValidationFailed as exc:
        return await _addresses_page(request, db, typed, exc.errors)
    flash(request, _("Address added."))
    return Redirect("/account/addresses", status_code=303)


@get("/account/addresses/{address_id:uuid}", name="storefront:company_address", guards=ADMINS)
async def address(request: Request, db: NamedDependency[AsyncSession], address_id: FromPath[uuid.UUID]) -> Response:
    found = await _own_address(db, _me(request), address_id)
    return await _addresses_page(request, db, _typed_address(found), {}, editing=found.id)


@post("/account/addresses/{address_id:uuid}", name="storefront:company_address_save", guards=ADMINS)
async def save_address(
    request: Request, db: NamedDependency[AsyncSession], address_id: FromPath[uuid.UUID]
) -> Response:
    found = await _own_address(db, _me(request), address_id)
    typed, data = _address_input(await request.form())
    try:
        await parties.update_address(db, current_tenant(request).id, found.id, data, request_actor(request))
    except ValidationFailed as exc:
        return await _addresses_page(request, db, typed, exc.errors, editing=found.id)
    flash(request, _("Address saved."))
    return Redirect("/account/addresses", status_code=303)


@post("/account/addresses/{address_id:uuid}/archive", name="storefront:company_address_archive", guards=ADMINS)
async def archive_address(
    request: Request, db: NamedDependency[AsyncSession], address_id: FromPath[uuid.UUID]
) -> Response:
    """Hide an address from new orders (orders placed with it keep it)."""
    found = await _own_address(db, _me(request), address_id)
    await parties.archive_address(db, current_tenant(request).id, found.id, request_actor(request))
    flash(request, _("Address removed: new orders no longer offer it."))
    return Redirect("/account/addresses", status_code=303)


HANDLERS = [
    colleagues,
    invite_colleague,
    colleague,
    save_colleague,
    deactivate,
    reactivate,
    addresses,
    add_address,
    address,
    save_address,
    archive_address,
]

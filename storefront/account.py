"""The customer's account: their company and themself; for customer admins, their colleagues."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.identity import services as identity
from app.identity import user_admin
from app.identity.domain import CUSTOMER_SUPERROLE, CurrentUser
from app.identity.roles import CUSTOMER_ROLES
from app.web.auth import requires_customer
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.links import tenant_link
from app.web.session import current_user, request_actor
from app.web.templating import render


def _me(request: Request) -> CurrentUser:
    user = current_user(request)
    assert user is not None and user.customer_id is not None  # the route's guard
    return user


def role_names() -> dict[str, str]:
    return {code: _(name) for code, name in CUSTOMER_ROLES.items()}


@get("/account", name="storefront:account", guards=[requires_customer()])
async def account(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    me = _me(request)
    customer = await parties.get_customer(db, me.customer_id)
    context = {"customer": customer, "role_names": role_names(), "is_admin": me.has_any([CUSTOMER_SUPERROLE])}
    return render(request, "storefront/account/overview.html.j2", context)


async def _colleagues(
    request: Request, db: NamedDependency[AsyncSession], form: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    me = _me(request)
    page = await user_admin.list_users(db, kind="customer", customer_id=me.customer_id, per_page=200)
    context = {"page": page, "form": form, "errors": errors, "role_names": role_names()}
    return render(request, "storefront/account/users.html.j2", context, status_code=status)


@get("/account/users", name="storefront:account_users", guards=[requires_customer(CUSTOMER_SUPERROLE)])
async def colleagues(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _colleagues(request, db, {"name": "", "email": "", "roles": ["buyer"]}, {})


@post("/account/users", name="storefront:account_invite", guards=[requires_customer(CUSTOMER_SUPERROLE)])
async def invite_colleague(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    me = _me(request)
    form = await request.form()
    values = {
        "name": str(form.get("name", "")).strip(),
        "email": str(form.get("email", "")).strip(),
        "roles": [str(r) for r in form.getall("roles", [])],
    }
    data = identity.NewUser(
        kind="customer",
        email=values["email"],
        name=values["name"],
        roles=tuple(values["roles"]),
        customer_id=me.customer_id,  # always the admin's own company, whatever the form says
        locale=me.locale,
    )
    links = {"invite_url": tenant_link(request, "/invite/{token}"), "sign_in_url": tenant_link(request, "/sign-in")}
    try:
        await identity.invite_colleague(db, current_tenant(request).id, data, request_actor(request), **links)
    except ValidationFailed as exc:
        return await _colleagues(request, db, values, exc.errors, 400)
    flash(request, _("Invitation sent to %(email)s.", email=values["email"].lower()))
    return Redirect("/account/users", status_code=303)


HANDLERS = [account, colleagues, invite_colleague]

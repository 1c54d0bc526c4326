"""Staff users, for owners: list and search, invite, change roles, deactivate, and the audit trail."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import services as audit
from app.errors import NotFound, ValidationFailed
from app.i18n import LOCALES
from app.i18n import gettext as _
from app.identity import user_admin
from app.identity.roles import STAFF_ROLES
from app.identity.services import NewUser, create_user
from app.web.auth import requires_staff
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.links import tenant_link
from app.web.session import request_actor
from app.web.templating import render

OWNERS = [requires_staff("owner")]


def _user_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFoundException() from None


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 100_000 else 1


def role_names() -> dict[str, str]:
    return {code: _(name) for code, name in STAFF_ROLES.items()}


def _invite_url(request: Request) -> str:
    return tenant_link(request, "/admin/invite/{token}")


@get("/users", name="backoffice:users", guards=OWNERS)
async def users(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    q = request.query_params.get("q", "")[:100]
    role = request.query_params.get("role", "")
    role = role if role in STAFF_ROLES else ""
    page = await user_admin.list_users(
        db, kind="staff", q=q, role=role, page=_page_number(request.query_params.get("page"))
    )
    context = {"page": page, "q": q, "role": role, "role_names": role_names()}
    return render(request, "backoffice/users/list.html.j2", context, block="results")


def _new_form(request: Request, values: dict[str, Any], errors: dict[str, str], status: int = 200) -> Response:
    context = {"form": values, "errors": errors, "role_names": role_names()}
    return render(request, "backoffice/users/new.html.j2", context, status_code=status)


@get("/users/new", name="backoffice:user_new", guards=OWNERS)
async def new_user(request: Request) -> Response:
    values = {"name": "", "email": "", "roles": [], "locale": current_tenant(request).locale}
    return _new_form(request, values, {})


@post("/users", name="backoffice:user_invite", guards=OWNERS)
async def invite_user(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    values = {
        "name": str(form.get("name", "")).strip(),
        "email": str(form.get("email", "")).strip(),
        "roles": [str(r) for r in form.getall("roles", [])],
        "locale": str(form.get("locale", "")),
    }
    data = NewUser(
        kind="staff",
        email=values["email"],
        name=values["name"],
        roles=tuple(values["roles"]),
        locale=values["locale"] if values["locale"] in LOCALES else None,
    )
    try:
        user = await create_user(
            db, current_tenant(request).id, data, request_actor(request), invite_url=_invite_url(request)
        )
    except ValidationFailed as exc:
        return _new_form(request, values, exc.errors, 400)
    flash(request, _("Invitation sent to %(email)s.", email=user.email))
    return Redirect(f"/admin/users/{user.id}", status_code=303)


async def _detail(
    request: Request,
    db: NamedDependency[AsyncSession],
    user_id: uuid.UUID,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    try:
        user = await user_admin.get_user(db, user_id, kind="staff")
    except NotFound:
        raise NotFoundException() from None
    context = {
        "user_row": user,
        "history": await audit.history(db, "user", user.id),
        "errors": errors or {},
        "role_names": role_names(),
    }
    return render(request, "backoffice/users/detail.html.j2", context, status_code=status)


@get("/users/{user_id:str}", name="backoffice:user", guards=OWNERS)
async def user_page(request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[str]) -> Response:
    return await _detail(request, db, _user_id(user_id))


async def _change(request: Request, db: NamedDependency[AsyncSession], user_id: str, change, done: str) -> Response:
    """Run one change on a user; a refusal re-renders the page with the reason, success redirects."""
    uid = _user_id(user_id)
    try:
        await change(uid)
    except NotFound:
        raise NotFoundException() from None
    except ValidationFailed as exc:
        return await _detail(request, db, uid, exc.errors, 400)
    flash(request, done)
    return Redirect(f"/admin/users/{uid}", status_code=303)


@post("/users/{user_id:str}/roles", name="backoffice:user_roles", guards=OWNERS)
async def change_roles(request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[str]) -> Response:
    roles = [str(r) for r in (await request.form()).getall("roles", [])]
    tenant_id, actor = current_tenant(request).id, request_actor(request)
    return await _change(
        request,
        db,
        user_id,
        lambda uid: user_admin.set_roles(db, tenant_id, uid, roles, actor),
        _("Roles saved."),
    )


@post("/users/{user_id:str}/deactivate", name="backoffice:user_deactivate", guards=OWNERS)
async def deactivate(request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[str]) -> Response:
    tenant_id, actor = current_tenant(request).id, request_actor(request)
    return await _change(
        request,
        db,
        user_id,
        lambda uid: user_admin.set_active(db, tenant_id, uid, False, actor),
        _("The user has been deactivated and signed out everywhere."),
    )


@post("/users/{user_id:str}/reactivate", name="backoffice:user_reactivate", guards=OWNERS)
async def reactivate(request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[str]) -> Response:
    tenant_id, actor = current_tenant(request).id, request_actor(request)
    return await _change(
        request,
        db,
        user_id,
        lambda uid: user_admin.set_active(db, tenant_id, uid, True, actor),
        _("The user can sign in again."),
    )


@post("/users/{user_id:str}/invitation", name="backoffice:user_reinvite", guards=OWNERS)
async def resend_invitation(request: Request, db: NamedDependency[AsyncSession], user_id: FromPath[str]) -> Response:
    tenant_id, actor, url = current_tenant(request).id, request_actor(request), _invite_url(request)
    return await _change(
        request,
        db,
        user_id,
        lambda uid: user_admin.resend_invitation(db, tenant_id, uid, actor, invite_url=url),
        _("A new invitation has been sent."),
    )


HANDLERS = [users, new_user, invite_user, user_page, change_roles, deactivate, reactivate, resend_invitation]

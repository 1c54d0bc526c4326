"""Customer groups: list, create, and which customers belong to each (assign by customer code, remove)."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties
from app.audit import services as audit
from app.catalog import repo
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.parties import CustomerGroup, create_customer_group, set_customer_group
from backoffice.catalog._web import STAFF, form_text, page, redirect_with_flash, tenant_and_actor

LIST = "backoffice/catalog/groups/list.html.j2"
DETAIL = "backoffice/catalog/groups/detail.html.j2"


async def _list(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    context = {
        "groups": await parties.queries.customer_groups(db),
        "typed": typed or {"code": "", "name": ""},
        "errors": errors or {},
    }
    return page(request, LIST, context, status=status)


@get("/catalog/customer-groups", name="backoffice:customer_groups", guards=STAFF)
async def groups(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _list(request, db)


@post("/catalog/customer-groups", name="backoffice:customer_group_create", guards=STAFF)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    typed = {"code": form_text(form, "code", 60), "name": form_text(form, "name", 300)}
    tenant_id, actor = tenant_and_actor(request)
    try:
        group = await create_customer_group(db, tenant_id, typed["code"], typed["name"], actor)
    except ValidationFailed as exc:
        return await _list(request, db, typed, exc.errors, 400)
    return redirect_with_flash(request, f"/admin/catalog/customer-groups/{group.id}", _("Customer group created."))


async def _detail(request: Request, db: AsyncSession, group_id: uuid.UUID, typed=None, errors=None, status=200):
    group = await repo.get(db, CustomerGroup, group_id)
    context = {
        "group": group,
        "members": await parties.queries.group_members(db, group.id),
        "customers": await parties.queries.customer_choices(db),
        "typed": typed or {"customer": ""},
        "errors": errors or {},
        "history": await audit.history(db, "customer_group", group.id),
    }
    return page(request, DETAIL, context, status=status)


@get("/catalog/customer-groups/{group_id:uuid}", name="backoffice:customer_group", guards=STAFF)
async def group_page(request: Request, db: NamedDependency[AsyncSession], group_id: FromPath[uuid.UUID]) -> Response:
    return await _detail(request, db, group_id)


@post("/catalog/customer-groups/{group_id:uuid}/members", name="backoffice:customer_group_add", guards=STAFF)
async def add_member(request: Request, db: NamedDependency[AsyncSession], group_id: FromPath[uuid.UUID]) -> Response:
    group = await repo.get(db, CustomerGroup, group_id)
    typed = {"customer": form_text(await request.form(), "customer", 40)}
    customer = await parties.queries.customer_by_code(db, typed["customer"])
    tenant_id, actor = tenant_and_actor(request)
    try:
        if customer is None:
            raise ValidationFailed({"customer": _("No customer has the code “%(code)s”.", code=typed["customer"])})
        await set_customer_group(db, tenant_id, customer.id, group.id, actor)
    except ValidationFailed as exc:
        return await _detail(request, db, group.id, typed, exc.errors, 400)
    message = _("%(customer)s is now in the group.", customer=customer.name)
    return redirect_with_flash(request, f"/admin/catalog/customer-groups/{group.id}", message)


@post(
    "/catalog/customer-groups/{group_id:uuid}/members/{customer_id:uuid}/remove",
    name="backoffice:customer_group_remove",
    guards=STAFF,
)
async def remove_member(
    request: Request,
    db: NamedDependency[AsyncSession],
    group_id: FromPath[uuid.UUID],
    customer_id: FromPath[uuid.UUID],
) -> Response:
    group = await repo.get(db, CustomerGroup, group_id)
    if customer_id not in {c.id for c in await parties.queries.group_members(db, group.id)}:
        raise NotFound()
    tenant_id, actor = tenant_and_actor(request)
    await set_customer_group(db, tenant_id, customer_id, None, actor)
    return redirect_with_flash(
        request, f"/admin/catalog/customer-groups/{group.id}", _("Customer removed from the group.")
    )


HANDLERS = [groups, create, group_page, add_member, remove_member]

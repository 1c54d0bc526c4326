"""Assortments (B2B catalogues): what each holds (category subtrees, single products) and who may see it."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties
from app.audit import services as audit
from app.catalog import queries, repo
from app.catalog.models import Catalog, CatalogAssignment
from app.catalog.services import (
    assign_catalog,
    create_catalog,
    delete_catalog,
    rename_catalog,
    set_catalog_contents,
    unassign_catalog,
)
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from backoffice.catalog._web import STAFF, an_id, form_text, ids, page, redirect_with_flash, tenant_and_actor

LIST = "backoffice/catalog/assortments/list.html.j2"
DETAIL = "backoffice/catalog/assortments/detail.html.j2"


async def _list(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    context = {
        "catalogs": await queries.catalogs(db),
        "typed": typed or {"code": "", "name": ""},
        "errors": errors or {},
    }
    return page(request, LIST, context, status=status)


@get("/catalog/assortments", name="backoffice:assortments", guards=STAFF)
async def assortments(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _list(request, db)


@post("/catalog/assortments", name="backoffice:assortment_create", guards=STAFF)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    typed = {"code": form_text(form, "code", 60), "name": form_text(form, "name", 300)}
    tenant_id, actor = tenant_and_actor(request)
    try:
        catalog = await create_catalog(db, tenant_id, typed["code"], typed["name"], actor)
    except ValidationFailed as exc:
        return await _list(request, db, typed, exc.errors, 400)
    return redirect_with_flash(
        request, f"/admin/catalog/assortments/{catalog.id}", _("Catalogue created: now choose what it holds.")
    )


async def _detail(request: Request, db: AsyncSession, catalog_id: uuid.UUID, **state: Any) -> Response:
    catalog = await repo.get(db, Catalog, catalog_id)
    product_ids, category_ids = await queries.catalog_contents(db, catalog.id)
    chosen = state.get("contents") or {"products": product_ids, "categories": category_ids}
    context = {
        "catalog": catalog,
        "tree": await queries.category_options(db),
        "chosen_categories": set(chosen["categories"]),
        "chosen_products": await queries.products_named(db, chosen["products"]),
        "assignments": await queries.catalog_assignments(db, catalog.id),
        "groups": [g for g, _n in await parties.queries.customer_groups(db)],
        "customers": await parties.queries.customer_choices(db),
        "typed": state.get("typed") or {"name": catalog.name, "group_id": "", "customer": ""},
        "errors": state.get("errors") or {},
        "history": await audit.history(db, "catalog", catalog.id),
    }
    return page(request, DETAIL, context, status=state.get("status", 200))


@get("/catalog/assortments/{catalog_id:uuid}", name="backoffice:assortment", guards=STAFF)
async def assortment(request: Request, db: NamedDependency[AsyncSession], catalog_id: FromPath[uuid.UUID]) -> Response:
    return await _detail(request, db, catalog_id)


@post("/catalog/assortments/{catalog_id:uuid}", name="backoffice:assortment_rename", guards=STAFF)
async def rename(request: Request, db: NamedDependency[AsyncSession], catalog_id: FromPath[uuid.UUID]) -> Response:
    name = form_text(await request.form(), "name", 300)
    tenant_id, actor = tenant_and_actor(request)
    try:
        await rename_catalog(db, tenant_id, catalog_id, name, actor)
    except ValidationFailed as exc:
        typed = {"name": name, "group_id": "", "customer": ""}
        return await _detail(request, db, catalog_id, typed=typed, errors=exc.errors, status=400)
    return redirect_with_flash(request, f"/admin/catalog/assortments/{catalog_id}", _("Catalogue saved."))


@post("/catalog/assortments/{catalog_id:uuid}/contents", name="backoffice:assortment_contents", guards=STAFF)
async def contents(request: Request, db: NamedDependency[AsyncSession], catalog_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    chosen = {"products": ids(form, "product_ids"), "categories": ids(form, "category_ids")}
    tenant_id, actor = tenant_and_actor(request)
    try:
        await set_catalog_contents(
            db, tenant_id, catalog_id, actor, product_ids=chosen["products"], category_ids=chosen["categories"]
        )
    except ValidationFailed as exc:
        errors = {"contents": " ".join(dict.fromkeys(exc.errors.values()))}
        return await _detail(request, db, catalog_id, contents=chosen, errors=errors, status=400)
    return redirect_with_flash(request, f"/admin/catalog/assortments/{catalog_id}#contents", _("Contents saved."))


@post("/catalog/assortments/{catalog_id:uuid}/assignments", name="backoffice:assortment_assign", guards=STAFF)
async def assign(request: Request, db: NamedDependency[AsyncSession], catalog_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    catalog = await repo.get(db, Catalog, catalog_id)
    typed = {"name": catalog.name, "group_id": form_text(form, "group_id"), "customer": form_text(form, "customer", 40)}
    customer = await parties.queries.customer_by_code(db, typed["customer"])
    tenant_id, actor = tenant_and_actor(request)
    try:
        if typed["customer"] and customer is None:
            raise ValidationFailed({"target": _("No customer has the code “%(code)s”.", code=typed["customer"])})
        await assign_catalog(
            db,
            tenant_id,
            catalog.id,
            actor,
            customer_group_id=an_id(typed["group_id"]),
            customer_id=customer.id if customer else None,
        )
    except ValidationFailed as exc:
        return await _detail(request, db, catalog.id, typed=typed, errors=exc.errors, status=400)
    return redirect_with_flash(
        request, f"/admin/catalog/assortments/{catalog.id}#assignments", _("Catalogue assigned.")
    )


@post(
    "/catalog/assortments/{catalog_id:uuid}/assignments/{assignment_id:uuid}/remove",
    name="backoffice:assortment_unassign",
    guards=STAFF,
)
async def unassign(
    request: Request,
    db: NamedDependency[AsyncSession],
    catalog_id: FromPath[uuid.UUID],
    assignment_id: FromPath[uuid.UUID],
) -> Response:
    assignment = await repo.get(db, CatalogAssignment, assignment_id)
    if assignment.catalog_id != catalog_id:
        raise NotFound()
    tenant_id, actor = tenant_and_actor(request)
    await unassign_catalog(db, tenant_id, assignment.id, actor)
    return redirect_with_flash(
        request, f"/admin/catalog/assortments/{catalog_id}#assignments", _("Assignment removed.")
    )


@post("/catalog/assortments/{catalog_id:uuid}/delete", name="backoffice:assortment_delete", guards=STAFF)
async def delete(request: Request, db: NamedDependency[AsyncSession], catalog_id: FromPath[uuid.UUID]) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    await delete_catalog(db, tenant_id, catalog_id, actor)
    return redirect_with_flash(request, "/admin/catalog/assortments", _("Catalogue deleted."))


HANDLERS = [assortments, create, assortment, rename, contents, assign, unassign, delete]

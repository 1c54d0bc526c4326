"""Categories: the tree (indented, with product counts), create, edit, move (never under itself) and delete."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import services as audit
from app.catalog import queries, repo
from app.catalog.models import Category
from app.catalog.services import CategoryInput, create_category, delete_category, update_category
from app.errors import ValidationFailed
from app.i18n import gettext as _
from backoffice.catalog._web import (
    STAFF,
    an_id,
    form_text,
    in_current_language,
    page,
    redirect_with_flash,
    tenant_and_actor,
    translations,
    whole,
)

LIST = "backoffice/catalog/categories/list.html.j2"
DETAIL = "backoffice/catalog/categories/detail.html.j2"


def _typed(form: FormMultiDict) -> dict[str, Any]:
    return {
        "name": translations(form, "name"),
        "description": translations(form, "description"),
        "slug": form_text(form, "slug", 120),
        "parent_id": form_text(form, "parent_id"),
        "position": form_text(form, "position", 6) or "0",
    }


def _input(typed: dict[str, Any]) -> CategoryInput:
    return CategoryInput(
        name=typed["name"],
        description=typed["description"],
        slug=typed["slug"],
        parent_id=an_id(typed["parent_id"]),
        position=whole(typed["position"]),
    )


async def _choices(db: AsyncSession) -> tuple[list, list]:
    tree = await queries.category_options(db)
    return tree, [(c.id, "— " * depth + in_current_language(c.name)) for c, depth in tree]


async def _list(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    tree, choices = await _choices(db)
    context = {
        "tree": tree,
        "choices": choices,
        "counts": await queries.product_counts_by_category(db),
        "typed": typed or {"name": {}, "description": {}, "slug": "", "parent_id": "", "position": "0"},
        "errors": errors or {},
    }
    return page(request, LIST, context, status=status)


@get("/catalog/categories", name="backoffice:categories", guards=STAFF)
async def categories(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _list(request, db)


@post("/catalog/categories", name="backoffice:category_create", guards=STAFF)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    typed = _typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        category = await create_category(db, tenant_id, _input(typed), actor)
    except ValidationFailed as exc:
        return await _list(request, db, typed, exc.errors, 400)
    return redirect_with_flash(
        request, "/admin/catalog/categories", _("Category “%(name)s” created.", name=in_current_language(category.name))
    )


async def _detail(request: Request, db: AsyncSession, category_id: uuid.UUID, typed=None, errors=None, status=200):
    category = await repo.get(db, Category, category_id)
    _tree, choices = await _choices(db)
    context = {
        "category": category,
        "choices": choices,
        "typed": typed
        or {
            "name": dict(category.name),
            "description": dict(category.description),
            "slug": category.slug,
            "parent_id": str(category.parent_id or ""),
            "position": str(category.position),
        },
        "errors": errors or {},
        "history": await audit.history(db, "category", category.id),
    }
    return page(request, DETAIL, context, status=status)


@get("/catalog/categories/{category_id:uuid}", name="backoffice:category", guards=STAFF)
async def category_page(
    request: Request, db: NamedDependency[AsyncSession], category_id: FromPath[uuid.UUID]
) -> Response:
    return await _detail(request, db, category_id)


@post("/catalog/categories/{category_id:uuid}", name="backoffice:category_update", guards=STAFF)
async def update(request: Request, db: NamedDependency[AsyncSession], category_id: FromPath[uuid.UUID]) -> Response:
    typed = _typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        await update_category(db, tenant_id, category_id, _input(typed), actor)
    except ValidationFailed as exc:
        return await _detail(request, db, category_id, typed, exc.errors, 400)
    return redirect_with_flash(request, f"/admin/catalog/categories/{category_id}", _("Category saved."))


@post("/catalog/categories/{category_id:uuid}/delete", name="backoffice:category_delete", guards=STAFF)
async def delete(request: Request, db: NamedDependency[AsyncSession], category_id: FromPath[uuid.UUID]) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    try:
        await delete_category(db, tenant_id, category_id, actor)
    except ValidationFailed as exc:
        return await _detail(request, db, category_id, errors=exc.errors, status=400)
    return redirect_with_flash(request, "/admin/catalog/categories", _("Category deleted."))


HANDLERS = [categories, create, category_page, update, delete]

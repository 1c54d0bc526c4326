"""Brands: the list with product counts, create, rename (with the audit trail)."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import services as audit
from app.catalog import queries, repo
from app.catalog.models import Brand
from app.catalog.services import create_brand, update_brand
from app.errors import ValidationFailed
from app.i18n import gettext as _
from backoffice.catalog._web import STAFF, form_text, page, redirect_with_flash, tenant_and_actor

LIST = "backoffice/catalog/brands/list.html.j2"
DETAIL = "backoffice/catalog/brands/detail.html.j2"


async def _list(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    context = {"brands": await queries.brands(db), "typed": typed or {"name": "", "slug": ""}, "errors": errors or {}}
    return page(request, LIST, context, status=status)


@get("/catalog/brands", name="backoffice:brands", guards=STAFF)
async def brands(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _list(request, db)


@post("/catalog/brands", name="backoffice:brand_create", guards=STAFF)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    typed = {"name": form_text(form, "name", 300), "slug": form_text(form, "slug", 120)}
    tenant_id, actor = tenant_and_actor(request)
    try:
        brand = await create_brand(db, tenant_id, typed["name"], actor, slug=typed["slug"])
    except ValidationFailed as exc:
        return await _list(request, db, typed, exc.errors, 400)
    return redirect_with_flash(request, "/admin/catalog/brands", _("Brand “%(name)s” created.", name=brand.name))


async def _detail(request: Request, db: AsyncSession, brand_id: uuid.UUID, typed=None, errors=None, status=200):
    brand = await repo.get(db, Brand, brand_id)
    context = {
        "brand": brand,
        "typed": typed or {"name": brand.name, "slug": brand.slug},
        "errors": errors or {},
        "history": await audit.history(db, "brand", brand.id),
    }
    return page(request, DETAIL, context, status=status)


@get("/catalog/brands/{brand_id:uuid}", name="backoffice:brand", guards=STAFF)
async def brand_page(request: Request, db: NamedDependency[AsyncSession], brand_id: FromPath[uuid.UUID]) -> Response:
    return await _detail(request, db, brand_id)


@post("/catalog/brands/{brand_id:uuid}", name="backoffice:brand_update", guards=STAFF)
async def update(request: Request, db: NamedDependency[AsyncSession], brand_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    typed = {"name": form_text(form, "name", 300), "slug": form_text(form, "slug", 120)}
    tenant_id, actor = tenant_and_actor(request)
    try:
        await update_brand(db, tenant_id, brand_id, typed["name"], actor, slug=typed["slug"])
    except ValidationFailed as exc:
        return await _detail(request, db, brand_id, typed, exc.errors, 400)
    return redirect_with_flash(request, f"/admin/catalog/brands/{brand_id}", _("Brand saved."))


HANDLERS = [brands, create, brand_page, update]

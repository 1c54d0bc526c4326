"""Attributes (variant axes and facets) and their values: list, create, rename, reorder."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import services as audit
from app.catalog import repo
from app.catalog.models import Attribute, AttributeValue
from app.catalog.services import (
    AttributeInput,
    ValueInput,
    add_attribute_value,
    attributes_with_values,
    create_attribute,
    update_attribute,
    update_attribute_value,
)
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from backoffice.catalog._web import (
    STAFF,
    flag,
    form_text,
    page,
    redirect_with_flash,
    tenant_and_actor,
    translations,
    whole,
)

LIST = "backoffice/catalog/attributes/list.html.j2"
DETAIL = "backoffice/catalog/attributes/detail.html.j2"


def _typed(form: FormMultiDict) -> dict[str, Any]:
    return {
        "code": form_text(form, "code", 60),
        "name": translations(form, "name"),
        "position": form_text(form, "position", 6) or "0",
        "is_facet": flag(form, "is_facet"),
    }


def _attribute_input(typed: dict[str, Any]) -> AttributeInput:
    return AttributeInput(typed["code"], typed["name"], whole(typed["position"]), typed["is_facet"])


async def _list(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    context = {
        "attributes": await attributes_with_values(db),
        "typed": typed or {"code": "", "name": {}, "position": "0", "is_facet": True},
        "errors": errors or {},
    }
    return page(request, LIST, context, status=status)


@get("/catalog/attributes", name="backoffice:attributes", guards=STAFF)
async def attributes(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _list(request, db)


@post("/catalog/attributes", name="backoffice:attribute_create", guards=STAFF)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    typed = _typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        attribute = await create_attribute(db, tenant_id, _attribute_input(typed), actor)
    except ValidationFailed as exc:
        return await _list(request, db, typed, exc.errors, 400)
    return redirect_with_flash(
        request, f"/admin/catalog/attributes/{attribute.id}", _("Attribute created: now add its values.")
    )


async def _detail(request: Request, db: AsyncSession, attribute_id: uuid.UUID, **state: Any) -> Response:
    attribute = await repo.get(db, Attribute, attribute_id)
    values = next((v for a, v in await attributes_with_values(db) if a.id == attribute.id), [])
    context = {
        "attribute": attribute,
        "values": values,
        "typed": state.get("typed")
        or {"code": attribute.code, "name": dict(attribute.name), "position": attribute.position},
        "value_typed": state.get("value_typed") or {"code": "", "name": {}, "position": str(len(values))},
        "edited": state.get("edited"),
        "errors": state.get("errors") or {},
        "history": await audit.history(db, "attribute", attribute.id),
    }
    context["typed"].setdefault("is_facet", attribute.is_facet)
    return page(request, DETAIL, context, status=state.get("status", 200))


@get("/catalog/attributes/{attribute_id:uuid}", name="backoffice:attribute", guards=STAFF)
async def attribute_page(
    request: Request, db: NamedDependency[AsyncSession], attribute_id: FromPath[uuid.UUID]
) -> Response:
    return await _detail(request, db, attribute_id)


@post("/catalog/attributes/{attribute_id:uuid}", name="backoffice:attribute_update", guards=STAFF)
async def update(request: Request, db: NamedDependency[AsyncSession], attribute_id: FromPath[uuid.UUID]) -> Response:
    typed = _typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        await update_attribute(db, tenant_id, attribute_id, _attribute_input(typed), actor)
    except ValidationFailed as exc:
        return await _detail(request, db, attribute_id, typed=typed, errors=exc.errors, status=400)
    return redirect_with_flash(request, f"/admin/catalog/attributes/{attribute_id}", _("Attribute saved."))


@post("/catalog/attributes/{attribute_id:uuid}/values", name="backoffice:attribute_value_add", guards=STAFF)
async def add_value(request: Request, db: NamedDependency[AsyncSession], attribute_id: FromPath[uuid.UUID]) -> Response:
    typed = _typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        data = ValueInput(typed["code"], typed["name"], whole(typed["position"]))
        await add_attribute_value(db, tenant_id, attribute_id, data, actor)
    except ValidationFailed as exc:
        errors = {f"value_{k}": v for k, v in exc.errors.items()}
        return await _detail(request, db, attribute_id, value_typed=typed, errors=errors, status=400)
    return redirect_with_flash(request, f"/admin/catalog/attributes/{attribute_id}#values", _("Value added."))


@post(
    "/catalog/attributes/{attribute_id:uuid}/values/{value_id:uuid}",
    name="backoffice:attribute_value_update",
    guards=STAFF,
)
async def update_value(
    request: Request,
    db: NamedDependency[AsyncSession],
    attribute_id: FromPath[uuid.UUID],
    value_id: FromPath[uuid.UUID],
) -> Response:
    attribute = await repo.get(db, Attribute, attribute_id)
    value = await repo.get(db, AttributeValue, value_id)
    if value.attribute_id != attribute.id:
        raise NotFound()  # a value of another attribute is not found under this one
    typed = _typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        data = ValueInput(value.code, typed["name"], whole(typed["position"]))
        await update_attribute_value(db, tenant_id, value.id, data, actor)
    except ValidationFailed as exc:
        edited = (value.id, typed, exc.errors)
        return await _detail(request, db, attribute_id, edited=edited, status=400)
    return redirect_with_flash(request, f"/admin/catalog/attributes/{attribute_id}#values", _("Value saved."))


HANDLERS = [attributes, create, attribute_page, update, add_value, update_value]

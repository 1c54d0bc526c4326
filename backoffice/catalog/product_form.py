"""The product form: a new product with its variants, the product page, template fields and status changes."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.services import change_product_status, create_product, update_product
from app.errors import ValidationFailed
from app.i18n import gettext as _
from backoffice.catalog._forms import (
    VariantRow,
    grid_errors,
    grid_inputs,
    product_input,
    product_values,
    variant_rows,
)
from backoffice.catalog._product_view import form_options, product_view
from backoffice.catalog._web import STAFF, form_text, page, redirect_with_flash, tenant_and_actor

NEW = "backoffice/catalog/products/new.html.j2"


def _blank_values() -> dict:
    return {
        "name": {},
        "description": {},
        "slug": "",
        "category_id": "",
        "brand_id": "",
        "tax_class": "standard",
        "stock_uom_id": "",
        "is_kit": False,
        "weight_kg": "",
        "length_cm": "",
        "width_cm": "",
        "height_cm": "",
    }


@get("/catalog/products/new", name="backoffice:product_new", guards=STAFF)
async def new_product(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    context = {**await form_options(db), "values": _blank_values(), "rows": [VariantRow()]}
    return page(request, NEW, context)


@get("/catalog/products/variant-row", name="backoffice:variant_row", guards=STAFF)
async def variant_row(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """One more blank row for the variants grid (htmx appends it)."""
    options = await form_options(db)
    context = {"row": VariantRow(), "attributes": options["attributes"]}
    return page(request, "backoffice/catalog/products/_variant_row.html.j2", context)


@post("/catalog/products", name="backoffice:product_create", guards=STAFF)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    options = await form_options(db)
    values = product_values(form)
    rows = variant_rows(form, [a for a, _v in options["attributes"]])
    errors: dict[str, str] = {}
    variants = grid_inputs(rows, errors)
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        product = await create_product(db, tenant_id, product_input(values), actor, variants)
    except ValidationFailed as exc:
        context = {**options, "values": values, "rows": rows or [VariantRow()], "errors": grid_errors(exc.errors, rows)}
        return page(request, NEW, context, status=400)
    return redirect_with_flash(request, f"/admin/catalog/products/{product.id}", _("Product created as a draft."))


@get("/catalog/products/{product_id:uuid}", name="backoffice:product", guards=STAFF)
async def product_page(
    request: Request, db: NamedDependency[AsyncSession], product_id: FromPath[uuid.UUID]
) -> Response:
    return await product_view(request, db, product_id)


@post("/catalog/products/{product_id:uuid}", name="backoffice:product_update", guards=STAFF)
async def update(request: Request, db: NamedDependency[AsyncSession], product_id: FromPath[uuid.UUID]) -> Response:
    values = product_values(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        await update_product(db, tenant_id, product_id, product_input(values), actor)
    except ValidationFailed as exc:
        return await product_view(request, db, product_id, errors=exc.errors, typed={"product": values}, status=400)
    return redirect_with_flash(request, f"/admin/catalog/products/{product_id}", _("Product saved."))


@post("/catalog/products/{product_id:uuid}/status", name="backoffice:product_status", guards=STAFF)
async def change_status(
    request: Request, db: NamedDependency[AsyncSession], product_id: FromPath[uuid.UUID]
) -> Response:
    status = form_text(await request.form(), "status")
    tenant_id, actor = tenant_and_actor(request)
    try:
        await change_product_status(db, tenant_id, product_id, status, actor)
    except ValidationFailed as exc:
        return await product_view(request, db, product_id, errors=exc.errors, status=400)
    messages = {
        "active": _("The product is published."),
        "discontinued": _("The product is discontinued."),
        "draft": _("The product is back to draft."),
    }
    return redirect_with_flash(
        request, f"/admin/catalog/products/{product_id}", messages.get(status, _("Status changed."))
    )


HANDLERS = [new_product, variant_row, create, product_page, update, change_status]

"""The variants grid of a product: add rows, generate from attribute combinations, change one row in place."""

from __future__ import annotations

import uuid
from decimal import Decimal

from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import repo
from app.catalog.models import ProductVariant
from app.catalog.services import VariantInput, add_variants, attributes_with_values, generate_variants, update_variant
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.i18n import ngettext
from backoffice.catalog._forms import (
    VARIANT_FIELDS,
    grid_errors,
    grid_inputs,
    variant_input,
    variant_rows,
    variant_values,
)
from backoffice.catalog._product_view import product_view
from backoffice.catalog._web import STAFF, decimal, form_text, page, redirect_with_flash, tenant_and_actor, texts

ROW = "backoffice/catalog/products/_variant_edit_row.html.j2"


@post("/catalog/products/{product_id:uuid}/variants", name="backoffice:variants_add", guards=STAFF)
async def add(request: Request, db: NamedDependency[AsyncSession], product_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    attributes = [a for a, _v in await attributes_with_values(db)]
    rows = variant_rows(form, attributes)
    errors: dict[str, str] = {}
    variants = grid_inputs(rows, errors)
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        if not variants:
            raise ValidationFailed({"variants": _("Fill in at least one row.")})
        added = await add_variants(db, tenant_id, product_id, variants, actor)
    except ValidationFailed as exc:
        typed = {"rows": rows} if rows else None
        errors = grid_errors(exc.errors, rows)
        return await product_view(request, db, product_id, errors=errors, typed=typed, status=400)
    message = ngettext("%(num)s variant added.", "%(num)s variants added.", len(added))
    return redirect_with_flash(request, f"/admin/catalog/products/{product_id}#variants", message)


@post("/catalog/products/{product_id:uuid}/variants/generate", name="backoffice:variants_generate", guards=STAFF)
async def generate(request: Request, db: NamedDependency[AsyncSession], product_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    attributes = [a for a, _v in await attributes_with_values(db)]
    axes = [(a.code, texts(form, f"axis_{a.code}")) for a in attributes]
    axes = [(code, values) for code, values in axes if values]
    typed = {"base_sku": form_text(form, "base_sku", 64), "axes": {c: v for c, v in axes}}
    typed |= {f: form_text(form, f"g_{f}", 30) for f in ("min_qty", "order_multiple", "cost")}
    errors: dict[str, str] = {}
    template = VariantInput(
        sku="",
        min_qty=decimal(typed["min_qty"], "g_min_qty", errors, Decimal(1)) or Decimal(1),
        order_multiple=decimal(typed["order_multiple"], "g_order_multiple", errors, Decimal(1)) or Decimal(1),
        cost=decimal(typed["cost"], "g_cost", errors),
    )
    if not typed["base_sku"]:
        errors["base_sku"] = _("Enter the SKU the variants' SKUs start with.")
    if not axes:
        errors["axes"] = _("Choose the values of at least one attribute.")
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        made = await generate_variants(db, tenant_id, product_id, typed["base_sku"], axes, actor, template=template)
    except ValidationFailed as exc:
        shown = errors or {"generate": " ".join(dict.fromkeys(exc.errors.values()))}
        return await product_view(request, db, product_id, errors=shown, typed={"generate": typed}, status=400)
    if not made:
        return redirect_with_flash(
            request, f"/admin/catalog/products/{product_id}#variants", _("Every combination exists already.")
        )
    message = ngettext("%(num)s variant generated.", "%(num)s variants generated.", len(made))
    return redirect_with_flash(request, f"/admin/catalog/products/{product_id}#variants", message)


async def _row(request: Request, db: AsyncSession, variant: ProductVariant, typed: dict, errors: dict, status: int):
    context = {
        "v": variant,
        "typed": typed,
        "errors": errors,
        "attributes": await attributes_with_values(db),
    }
    return page(request, ROW, context, status=status)


@post("/catalog/variants/{variant_id:uuid}", name="backoffice:variant_update", guards=STAFF)
async def update(request: Request, db: NamedDependency[AsyncSession], variant_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    variant = await repo.get(db, ProductVariant, variant_id)
    attributes = [a for a, _v in await attributes_with_values(db)]
    typed = {f: form_text(form, f, 64) for f in VARIANT_FIELDS}
    chosen = {a.code: form_text(form, f"attr_{a.code}", 40) for a in attributes}
    typed["attributes"] = {k: v for k, v in chosen.items() if v}
    typed["status"] = form_text(form, "status") or "active"
    errors: dict[str, str] = {}
    data = variant_input(typed, typed["attributes"], "", errors, status=typed["status"], weight_kg=variant.weight_kg)
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        variant = await update_variant(db, tenant_id, variant_id, data, actor)
    except ValidationFailed as exc:
        mapped = {k.replace("attributes.", "attr_"): v for k, v in exc.errors.items()}
        if not request.headers.get("hx-request"):
            edited = {"edited": (variant.id, typed, mapped)}
            return await product_view(request, db, variant.product_id, typed=edited, status=400)
        return await _row(request, db, variant, typed, mapped, 400)
    if not request.headers.get("hx-request"):
        return redirect_with_flash(
            request, f"/admin/catalog/products/{variant.product_id}#variants", _("Variant saved.")
        )
    return await _row(request, db, variant, {**variant_values(variant, typed["attributes"]), "saved": True}, {}, 200)


HANDLERS = [add, generate, update]

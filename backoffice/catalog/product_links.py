"""What a product links to: related, substitute and accessory products, kit components, unit conversions."""

from __future__ import annotations

import uuid
from decimal import Decimal

from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import domain, queries, repo
from app.catalog.models import ProductVariant
from app.catalog.services import Component, UomConversion, set_kit_components, set_product_uoms, set_relations
from app.errors import ValidationFailed
from app.i18n import gettext as _
from backoffice.catalog._product_view import product_view
from backoffice.catalog._web import STAFF, an_id, decimal, ids, redirect_with_flash, tenant_and_actor, texts


@post("/catalog/products/{product_id:uuid}/relations/{kind:str}", name="backoffice:relations_set", guards=STAFF)
async def relations(
    request: Request, db: NamedDependency[AsyncSession], product_id: FromPath[uuid.UUID], kind: FromPath[str]
) -> Response:
    if kind not in domain.RELATION_KINDS:
        raise NotFoundException()
    chosen = ids(await request.form(), "related_ids")
    tenant_id, actor = tenant_and_actor(request)
    try:
        await set_relations(db, tenant_id, product_id, kind, chosen, actor)
    except ValidationFailed as exc:
        errors = {f"relations_{kind}": " ".join(dict.fromkeys(exc.errors.values()))}
        typed = {f"relations_{kind}": chosen}
        return await product_view(request, db, product_id, errors=errors, typed=typed, status=400)
    return redirect_with_flash(request, f"/admin/catalog/products/{product_id}#relations", _("Relations saved."))


@post("/catalog/variants/{variant_id:uuid}/components", name="backoffice:kit_set", guards=STAFF)
async def components(request: Request, db: NamedDependency[AsyncSession], variant_id: FromPath[uuid.UUID]) -> Response:
    """What one kit variant is made of: rows of component SKU and quantity (blank rows ignored)."""
    kit = await repo.get(db, ProductVariant, variant_id)
    form = await request.form()
    rows = [(s.upper(), q) for s, q in zip(texts(form, "c_sku"), texts(form, "c_qty"), strict=False) if s or q]
    found = await queries.variants_by_sku(db, [s for s, _q in rows])
    errors: dict[str, str] = {}
    wanted = []
    for n, (sku, raw_qty) in enumerate(rows):
        qty = decimal(raw_qty, f"components.{n}.qty", errors, Decimal(1))
        if sku not in found:
            errors[f"components.{n}.variant_id"] = _("No variant has the SKU “%(sku)s”.", sku=sku)
        else:
            wanted.append(Component(found[sku], qty or Decimal(0)))
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        await set_kit_components(db, tenant_id, kit.id, wanted, actor)
    except ValidationFailed as exc:
        kits = await queries.kit_components(db, kit.product_id)
        kits[kit.id] = rows
        errors = {f"kit_{kit.id}": " ".join(dict.fromkeys(exc.errors.values()))}
        return await product_view(request, db, kit.product_id, errors=errors, typed={"kits": kits}, status=400)
    return redirect_with_flash(request, f"/admin/catalog/products/{kit.product_id}#kit", _("Kit components saved."))


@post("/catalog/products/{product_id:uuid}/uoms", name="backoffice:uoms_set", guards=STAFF)
async def uoms(request: Request, db: NamedDependency[AsyncSession], product_id: FromPath[uuid.UUID]) -> Response:
    """The product's unit conversions as rows of unit, factor, barcode, variant and 'sold in this unit'."""
    form = await request.form()
    sold = set(texts(form, "u_for_sale"))
    columns = zip(
        texts(form, "u_row"),
        texts(form, "u_uom"),
        texts(form, "u_factor"),
        texts(form, "u_barcode"),
        texts(form, "u_variant"),
        strict=False,
    )
    typed = [
        {"uom_id": u, "factor": f, "barcode": b, "variant_id": v, "for_sale": row in sold}
        for row, u, f, b, v in columns
        if u or f or b
    ]
    errors: dict[str, str] = {}
    conversions = [
        UomConversion(
            uom_id=an_id(t["uom_id"]) or uuid.UUID(int=0),
            factor=decimal(t["factor"], f"conversions.{n}.factor", errors) or Decimal(0),
            for_sale=t["for_sale"],
            barcode=t["barcode"] or None,
            variant_id=an_id(t["variant_id"]),
        )
        for n, t in enumerate(typed)
    ]
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        await set_product_uoms(db, tenant_id, product_id, conversions, actor)
    except ValidationFailed as exc:
        errors = {k.replace("conversions.", "uom_").replace(".", "_"): v for k, v in exc.errors.items()}
        return await product_view(request, db, product_id, errors=errors, typed={"uoms": typed}, status=400)
    return redirect_with_flash(request, f"/admin/catalog/products/{product_id}#uoms", _("Unit conversions saved."))


HANDLERS = [relations, components, uoms]

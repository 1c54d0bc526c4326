"""The product page: everything its cards show, loaded once; a failed form re-renders it with the input kept."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties
from app.audit import services as audit
from app.catalog import domain, queries
from app.catalog.services import attributes_with_values, get_product, product_images, related_products
from app.i18n import gettext as _
from app.web.guards import current_tenant
from backoffice.catalog._forms import VariantRow, values_of, variant_values
from backoffice.catalog._web import in_current_language, page, plain

TEMPLATE = "backoffice/catalog/products/detail.html.j2"
STATUS_ACTIONS = {"created", "draft", "active", "discontinued"}


def tax_classes() -> list[tuple[str, str]]:
    names = {
        "standard": _("Standard"),
        "reduced": _("Reduced"),
        "super_reduced": _("Super-reduced"),
        "exempt": _("Exempt"),
    }
    return [(code, names[code]) for code in domain.TAX_CLASSES]


def relation_kinds() -> list[tuple[str, str]]:
    names = {"related": _("Related products"), "substitute": _("Substitutes"), "accessory": _("Accessories")}
    return [(kind, names[kind]) for kind in domain.RELATION_KINDS]


async def form_options(db: AsyncSession) -> dict[str, Any]:
    """The choices the template fields and the variants grid offer."""
    categories = await queries.category_options(db)
    brands = [b for b, _n in await queries.brands(db)]
    units = await queries.units(db)
    return {
        "categories": categories,
        "category_choices": [(c.id, "— " * depth + in_current_language(c.name)) for c, depth in categories],
        "brand_choices": [(b.id, b.name) for b in brands],
        "units": units,
        "unit_choices": [(u.id, f"{u.code} · {in_current_language(u.name)}") for u in units],
        "tax_classes": tax_classes(),
        "attributes": await attributes_with_values(db),
    }


async def product_view(
    request: Request,
    db: AsyncSession,
    product_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, Any] | None = None,
    status: int = 200,
) -> Template:
    """The whole product page; `typed` holds what the user sent in the form that failed, by card."""
    product, variants = await get_product(db, product_id)
    typed = typed or {}
    history = await audit.history(db, "product", product.id)
    attributes = await queries.variant_attributes(db, product.id)
    relations = {}
    for kind, _label in relation_kinds():
        chosen = typed.get(f"relations_{kind}") or await related_products(db, product.id, kind)
        relations[kind] = await queries.products_named(db, chosen)
    context = {
        **await form_options(db),
        "product": product,
        "variants": variants,
        "values": typed.get("product") or values_of(product),
        "errors": errors or {},
        "variant_values": {v.id: variant_values(v, attributes.get(v.id, {})) for v in variants},
        "new_rows": typed.get("rows") or [VariantRow()],
        "generate": typed.get("generate") or {"base_sku": variants[0].sku.rsplit("-", 1)[0] if variants else ""},
        "images": await product_images(db, product.id),
        "relation_kinds": relation_kinds(),
        "relations": relations,
        "kits": typed.get("kits") or await queries.kit_components(db, product.id),
        "uoms": typed.get("uoms") or _uom_rows(await queries.product_uoms(db, product.id)),
        "history": history,
        "timeline": [e for e in history if e.action.split(".")[-1] in STATUS_ACTIONS][::-1],
        "transitions": sorted(domain.STATUS_TRANSITIONS.get(product.status, ())),
        "customers": await parties.queries.customer_choices(db),
        "currency": current_tenant(request).currency,
        "check": typed.get("check") or {},
        "edited": typed.get("edited"),
        "show_kit": product.is_kit or any(k.startswith("kit_") for k in errors or {}),
    }
    return page(request, TEMPLATE, context, status=status)


def _uom_rows(rows: list) -> list[dict[str, str]]:
    return [
        {
            "uom_id": str(r.uom_id),
            "factor": plain(r.factor),
            "for_sale": r.for_sale,
            "barcode": r.barcode or "",
            "variant_id": str(r.variant_id or ""),
        }
        for r in rows
    ]

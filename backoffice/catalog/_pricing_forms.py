"""What the pricing forms share: the scope picker (all / category / product / variant), choices and labels."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from litestar.datastructures import FormMultiDict
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import queries
from app.i18n import gettext as _
from backoffice.catalog._web import an_id, form_text, in_current_language

SCOPES = ("all", "category", "product", "variant")


def level_names() -> dict[str, str]:
    return {
        "base": _("Base (everybody)"),
        "group": _("Customer group"),
        "customer": _("Customer"),
        "contract": _("Customer contract"),
    }


def method_names() -> dict[str, str]:
    return {
        "fixed": _("Fixed price"),
        "list_minus_pct": _("List price minus %"),
        "cost_plus_pct": _("Cost plus %"),
    }


def rounding_names() -> dict[str, str]:
    return {"cent": _("To the cent"), "99": _("Ending in .99"), "95": _("Ending in .95"), "90": _("Ending in .90")}


def scope_names() -> dict[str, str]:
    return {
        "all": _("All products"),
        "category": _("A category (with its subcategories)"),
        "product": _("A product"),
        "variant": _("A variant (SKU)"),
    }


@dataclass(frozen=True)
class Scope:
    """The scope as typed and as resolved: at most one of the three ids is set."""

    typed: dict[str, str]
    variant_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None


async def read_scope(db: AsyncSession, form: FormMultiDict, errors: dict[str, str]) -> Scope:
    """The scope fields of a rule or promotion form; a code that names nothing is an error on its field."""
    typed = {
        "scope": form_text(form, "scope") if form_text(form, "scope") in SCOPES else "all",
        "category_id": form_text(form, "category_id"),
        "product": form_text(form, "product", 120),
        "variant": form_text(form, "variant", 64),
    }
    kind = typed["scope"]
    if kind == "category":
        category_id = an_id(typed["category_id"])
        if category_id is None:
            errors["category_id"] = _("Choose a category.")
        return Scope(typed, category_id=category_id)
    if kind == "product":
        product_id = await queries.product_by_code(db, typed["product"])
        if product_id is None:
            errors["product_id"] = _("No product has this slug or SKU.")
        return Scope(typed, product_id=product_id)
    if kind == "variant":
        found = await queries.variants_by_sku(db, [typed["variant"]])
        variant_id = found.get(typed["variant"].upper())
        if variant_id is None:
            errors["variant_id"] = _("No variant has this SKU.")
        return Scope(typed, variant_id=variant_id)
    return Scope(typed)


async def scope_typed(db: AsyncSession, row: Any) -> dict[str, str]:
    """A saved rule's or promotion's scope as the form shows it."""
    typed = {"scope": "all", "category_id": "", "product": "", "variant": ""}
    if row.variant_id:
        typed |= {"scope": "variant", "variant": (await queries.variant_skus(db, [row.variant_id]))[row.variant_id]}
    elif row.product_id:
        typed |= {"scope": "product", "product": (await queries.product_slugs(db, [row.product_id]))[row.product_id]}
    elif row.category_id:
        typed |= {"scope": "category", "category_id": str(row.category_id)}
    return typed


async def scope_labels(db: AsyncSession, rows: Iterable[Any]) -> dict[uuid.UUID, str]:
    """row id -> what it covers in words ("All products", a category's name, a product's name, a SKU)."""
    rows = list(rows)
    categories = {c.id: in_current_language(c.name) for c, _depth in await queries.category_options(db)}
    products = dict(await queries.products_named(db, [r.product_id for r in rows if r.product_id]))
    skus = await queries.variant_skus(db, [r.variant_id for r in rows if r.variant_id])
    labels = {}
    for r in rows:
        if r.variant_id:
            labels[r.id] = _("Variant %(sku)s", sku=skus.get(r.variant_id, "?"))
        elif r.product_id:
            labels[r.id] = _("Product %(name)s", name=in_current_language(products.get(r.product_id)))
        elif r.category_id:
            labels[r.id] = _("Category %(name)s", name=categories.get(r.category_id, "?"))
        else:
            labels[r.id] = _("All products")
    return labels


async def scope_choices(db: AsyncSession) -> dict[str, Any]:
    """The options the scope fields offer."""
    return {
        "scope_names": scope_names(),
        "category_choices": [
            (c.id, "— " * depth + in_current_language(c.name)) for c, depth in await queries.category_options(db)
        ],
    }

"""Reading the product form: template fields and the variants grid (rows keyed by a token, not a position)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from litestar.datastructures import FormMultiDict

from app.catalog.models import Attribute, Product, ProductVariant
from app.catalog.services import ProductInput, VariantInput
from backoffice.catalog._web import an_id, decimal, flag, form_text, plain, texts, translations

VARIANT_FIELDS = ("sku", "gtin", "min_qty", "order_multiple", "max_qty", "cost")
MEASURES = ("weight_kg", "length_cm", "width_cm", "height_cm")


def new_token() -> str:
    return secrets.token_hex(4)


@dataclass
class VariantRow:
    """One row of the grid as typed: its token, its fields and its attribute value codes."""

    token: str = field(default_factory=new_token)
    values: dict[str, str] = field(default_factory=lambda: {"min_qty": "1", "order_multiple": "1"})
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def blank(self) -> bool:
        return not any(self.values.get(f) for f in ("sku", "gtin", "max_qty", "cost")) and not any(
            self.attributes.values()
        )


def product_values(form: FormMultiDict) -> dict[str, Any]:
    """The template fields as typed, for re-display."""
    values: dict[str, Any] = {
        "name": translations(form, "name"),
        "description": translations(form, "description"),
        "slug": form_text(form, "slug", 120),
        "category_id": form_text(form, "category_id"),
        "brand_id": form_text(form, "brand_id"),
        "tax_class": form_text(form, "tax_class") or "standard",
        "stock_uom_id": form_text(form, "stock_uom_id"),
        "is_kit": flag(form, "is_kit"),
    }
    values.update({m: form_text(form, m, 30) for m in MEASURES})
    return values


def product_input(values: dict[str, Any]) -> ProductInput:
    return ProductInput(
        name=values["name"],
        description=values["description"],
        slug=values["slug"],
        category_id=an_id(values["category_id"]),
        brand_id=an_id(values["brand_id"]),
        tax_class=values["tax_class"],
        stock_uom_id=an_id(values["stock_uom_id"]),
        is_kit=values["is_kit"],
        **{m: values[m] for m in MEASURES},
    )


def values_of(product: Product) -> dict[str, Any]:
    """A saved product as form values."""
    values: dict[str, Any] = {
        "name": dict(product.name),
        "description": dict(product.description),
        "slug": product.slug,
        "category_id": str(product.category_id or ""),
        "brand_id": str(product.brand_id or ""),
        "tax_class": product.tax_class,
        "stock_uom_id": str(product.stock_uom_id),
        "is_kit": product.is_kit,
    }
    values.update({m: plain(getattr(product, m)) for m in MEASURES})
    return values


def input_from(product: Product, **changes: Any) -> ProductInput:
    """The product as it is, with some fields changed (bulk 'set category')."""
    data = product_input(values_of(product))
    return ProductInput(**{**data.__dict__, **changes})


def variant_rows(form: FormMultiDict, attributes: list[Attribute]) -> list[VariantRow]:
    """The grid's rows in page order, blank rows left out."""
    rows = []
    for token in texts(form, "row"):
        if not token.isalnum() or len(token) > 16:
            continue
        values = {f: form_text(form, f"v_{token}_{f}", 64) for f in VARIANT_FIELDS}
        attrs = {a.code: form_text(form, f"v_{token}_attr_{a.code}", 40) for a in attributes}
        row = VariantRow(token, values, {k: v for k, v in attrs.items() if v})
        if not row.blank:
            rows.append(row)
    return rows


def variant_input(values: dict[str, str], attributes: dict[str, str], prefix: str, errors: dict[str, str], **extra):
    """A VariantInput from typed values; number problems are collected under `prefix + field`."""
    numbers = {
        "min_qty": decimal(values.get("min_qty", ""), f"{prefix}min_qty", errors, Decimal(1)),
        "order_multiple": decimal(values.get("order_multiple", ""), f"{prefix}order_multiple", errors, Decimal(1)),
        "max_qty": decimal(values.get("max_qty", ""), f"{prefix}max_qty", errors),
        "cost": decimal(values.get("cost", ""), f"{prefix}cost", errors),
    }
    return VariantInput(
        sku=values.get("sku", ""), attributes=attributes, gtin=values.get("gtin") or None, **numbers, **extra
    )


def grid_inputs(rows: list[VariantRow], errors: dict[str, str]) -> list[VariantInput]:
    return [variant_input(r.values, r.attributes, f"v_{r.token}_", errors) for r in rows]


def grid_errors(errors: dict[str, str], rows: list[VariantRow]) -> dict[str, str]:
    """The service's `variants.<n>.<field>` keys as the grid's `v_<token>_<field>` input names."""
    mapped: dict[str, str] = {}
    for key, message in errors.items():
        parts = key.split(".")
        if parts[0] == "variants" and len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(rows):
            token = rows[int(parts[1])].token
            name = f"attr_{parts[3]}" if parts[2] == "attributes" and len(parts) > 3 else parts[2]
            mapped[f"v_{token}_{name}"] = message
        else:
            mapped[key] = message
    return mapped


def variant_values(variant: ProductVariant, attributes: dict[str, str]) -> dict[str, Any]:
    """A saved variant as the grid's row values."""
    values: dict[str, Any] = {f: plain(getattr(variant, f)) for f in ("min_qty", "order_multiple", "max_qty", "cost")}
    return {
        **values,
        "sku": variant.sku,
        "gtin": variant.gtin or "",
        "status": variant.status,
        "attributes": attributes,
    }

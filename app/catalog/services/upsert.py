"""Create or update many products by SKU in a few set-based statements (the CSV import's engine).

A row is one variant. Rows with the same `product_key` are variants of one product (no key: each SKU is
its own product). A SKU already known updates its product; otherwise the product whose slug is the
slugified key is updated, or a new one created. Brands and attribute values are created when new;
categories (by slug) and attributes (by code) must exist. Running the same rows twice changes nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit.models import AuditEntry
from app.base import new_id
from app.catalog import domain, repo
from app.catalog.models import Attribute, Brand, Category, Product, ProductVariant
from app.catalog.services._support import measure
from app.catalog.services.uoms import default_stock_unit
from app.catalog.services.variants import value_index
from app.errors import ValidationFailed
from app.i18n import gettext as _

MAX_ROWS = 50_000
_NUMBERS = ("weight_kg", "length_cm", "width_cm", "height_cm", "min_qty", "order_multiple", "max_qty", "cost")


@dataclass(frozen=True)
class ProductRow:
    sku: str
    name_es: str = ""
    name_en: str = ""
    description_es: str = ""
    description_en: str = ""
    product_key: str = ""
    category: str = ""  # category slug
    brand: str = ""  # brand name
    gtin: str = ""
    tax_class: str = "standard"
    status: str = "active"  # the product's; an import may set any status
    attributes: Mapping[str, str] = field(default_factory=dict)  # attribute code -> value code or name
    weight_kg: Decimal | str | None = None
    length_cm: Decimal | str | None = None
    width_cm: Decimal | str | None = None
    height_cm: Decimal | str | None = None
    min_qty: Decimal | str | None = None
    order_multiple: Decimal | str | None = None
    max_qty: Decimal | str | None = None
    cost: Decimal | str | None = None


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int
    unchanged: int
    product_ids: list[uuid.UUID]


def _check_rows(rows: Sequence[ProductRow]) -> list[dict[str, Any]]:
    """Normalise every row; collect every problem as rows.<n>.<field>."""
    errors: dict[str, str] = {}
    if len(rows) > MAX_ROWS:
        raise ValidationFailed({"rows": _("Import at most %(n)s rows at a time.", n=MAX_ROWS)})
    seen: dict[str, int] = {}
    clean: list[dict[str, Any]] = []
    for n, row in enumerate(rows):
        key = f"rows.{n}"
        sku = domain.normalise_sku(row.sku)
        if not domain.valid_sku(sku):
            errors[f"{key}.sku"] = _("Enter a SKU of up to 64 letters, digits or . _ / - characters.")
        elif sku in seen:
            errors[f"{key}.sku"] = _("SKU %(sku)s is also on row %(row)s.", sku=sku, row=seen[sku] + 1)
        seen.setdefault(sku, n)
        name = {k: v.strip() for k, v in (("es", row.name_es), ("en", row.name_en)) if v and v.strip()}
        if not name:
            errors[f"{key}.name"] = _("Enter the name in Spanish or English.")
        gtin = row.gtin.strip() or None
        if gtin and not domain.gtin_valid(gtin):
            errors[f"{key}.gtin"] = _("Enter a valid EAN/GTIN (8, 12, 13 or 14 digits with its check digit).")
        if row.tax_class not in domain.TAX_CLASSES:
            errors[f"{key}.tax_class"] = _("Choose a tax class.")
        if row.status not in domain.PRODUCT_STATUSES:
            errors[f"{key}.status"] = _("Unknown status.")
        numbers = {f: measure(getattr(row, f), f"{key}.{f}", errors) for f in _NUMBERS}
        for f in ("min_qty", "order_multiple"):
            numbers[f] = numbers[f] or Decimal(1)
            if numbers[f] <= 0:
                errors[f"{key}.{f}"] = _("Enter a number of more than zero.")
        if numbers["max_qty"] is not None and numbers["max_qty"] < numbers["min_qty"]:
            errors[f"{key}.max_qty"] = _("The maximum cannot be below the minimum.")
        description = {k: v.strip() for k, v in (("es", row.description_es), ("en", row.description_en)) if v.strip()}
        attributes = {a.strip().lower(): v.strip() for a, v in row.attributes.items() if v and v.strip()}
        for attribute, value in attributes.items():
            if not domain.normalise_code(value):
                errors[f"{key}.attributes.{attribute}"] = _("Use letters or digits in “%(value)s”.", value=value)
        clean.append(
            dict(
                row=n,
                sku=sku,
                gtin=gtin,
                name=name,
                description=description,
                group=domain.slugify(row.product_key or sku),
                category=row.category.strip().lower(),
                brand=" ".join(row.brand.split()),
                tax_class=row.tax_class,
                status=row.status,
                attributes=attributes,
                **numbers,
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return clean


async def _resolve_references(session: AsyncSession, tenant_id: uuid.UUID, rows: list[dict[str, Any]]) -> None:
    """Category and brand ids, attribute values (new values created), or rows.<n> errors."""
    errors: dict[str, str] = {}
    slugs = {r["category"] for r in rows if r["category"]}
    categories = dict((await session.execute(select(Category.slug, Category.id).where(Category.slug.in_(slugs)))).all())
    brand_slugs = {domain.slugify(r["brand"]): r["brand"] for r in rows if r["brand"]}
    if brand_slugs:
        await session.execute(
            _NEW_BRANDS,
            {
                "tenant": tenant_id,
                "ids": [new_id() for _ in brand_slugs],
                "slugs": list(brand_slugs),
                "names": list(brand_slugs.values()),
            },
        )
    brands = dict((await session.execute(select(Brand.slug, Brand.id).where(Brand.slug.in_(brand_slugs)))).all())
    attributes = dict((await session.execute(select(Attribute.code, Attribute.id))).all())
    new_values: dict[tuple[str, str], str] = {}
    for r in rows:
        for attribute, raw in r["attributes"].items():
            if attribute not in attributes:
                errors[f"rows.{r['row']}.attributes.{attribute}"] = _("Unknown attribute “%(code)s”.", code=attribute)
            else:
                new_values[(attribute, domain.normalise_code(raw))] = raw
    if new_values:
        await session.execute(
            _NEW_VALUES,
            {
                "tenant": tenant_id,
                "ids": [new_id() for _ in new_values],
                "attributes": [attributes[a] for a, _v in new_values],
                "codes": [v for _a, v in new_values],
                "names": [json.dumps({"es": raw, "en": raw}) for raw in new_values.values()],
            },
        )
    index = await value_index(session)
    for r in rows:
        if r["category"] and r["category"] not in categories:
            errors[f"rows.{r['row']}.category"] = _("Unknown category “%(slug)s”.", slug=r["category"])
        r["category_id"] = categories.get(r["category"])
        r["brand_id"] = brands.get(domain.slugify(r["brand"])) if r["brand"] else None
        r["values"] = [
            index[(a, domain.normalise_code(v))]
            for a, v in r["attributes"].items()
            if (a, domain.normalise_code(v)) in index
        ]
    if errors:
        raise ValidationFailed(errors)


_NEW_BRANDS = text(
    "INSERT INTO brands (tenant_id, id, slug, name) "
    "SELECT :tenant, * FROM unnest(CAST(:ids AS uuid[]), CAST(:slugs AS text[]), CAST(:names AS text[])) "
    "ON CONFLICT (tenant_id, slug) DO NOTHING"
)
_NEW_VALUES = text(
    "INSERT INTO attribute_values (tenant_id, id, attribute_id, code, name, position) "
    "SELECT :tenant, u.id, u.attribute_id, u.code, CAST(u.name AS jsonb), 0 FROM unnest("
    "CAST(:ids AS uuid[]), CAST(:attributes AS uuid[]), CAST(:codes AS text[]), CAST(:names AS text[])"
    ") AS u(id, attribute_id, code, name) ON CONFLICT (tenant_id, attribute_id, code) DO NOTHING"
)
_VALUES_OF = text(
    "SELECT variant_id, attribute_id, value_id FROM variant_attribute_values "
    "WHERE variant_id = ANY (CAST(:ids AS uuid[]))"
)
_DROP_VALUES = text("DELETE FROM variant_attribute_values WHERE variant_id = ANY (CAST(:ids AS uuid[]))")
_ADD_VALUES = text(
    "INSERT INTO variant_attribute_values (tenant_id, variant_id, attribute_id, value_id) "
    "SELECT :tenant, * FROM unnest(CAST(:variants AS uuid[]), CAST(:attributes AS uuid[]), CAST(:values AS uuid[]))"
)


async def _product_ids(session: AsyncSession, rows: list[dict[str, Any]]) -> dict[str, tuple[uuid.UUID, str]]:
    """Group slug -> (product id, slug): the product of a known SKU, else of the slug, else a new one."""
    skus = [r["sku"] for r in rows]
    known = dict(
        (
            await session.execute(
                select(ProductVariant.sku, ProductVariant.product_id).where(ProductVariant.sku.in_(skus))
            )
        ).all()
    )
    owners = dict(
        (await session.execute(select(Product.id, Product.slug).where(Product.id.in_(set(known.values()))))).all()
    )
    groups = list(dict.fromkeys(r["group"] for r in rows))
    by_slug = dict((await session.execute(select(Product.slug, Product.id).where(Product.slug.in_(groups)))).all())
    result: dict[str, tuple[uuid.UUID, str]] = {}
    for r in rows:
        if r["group"] in result:
            continue
        if r["sku"] in known:
            pid = known[r["sku"]]
            result[r["group"]] = (pid, owners[pid])
        elif r["group"] in by_slug:
            result[r["group"]] = (by_slug[r["group"]], r["group"])
        else:
            result[r["group"]] = (new_id(), r["group"])
    return result


async def _check_gtins(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    gtins = {r["gtin"]: r for r in rows if r["gtin"]}
    errors: dict[str, str] = {}
    for n, r in enumerate(rows):
        if r["gtin"] and gtins[r["gtin"]] is not r:
            errors[f"rows.{n}.gtin"] = _("This barcode is already used.")
    owners = await session.execute(
        select(ProductVariant.gtin, ProductVariant.sku).where(ProductVariant.gtin.in_(gtins))
    )
    for gtin, sku in owners.all():
        if gtins[gtin]["sku"] != sku:
            errors[f"rows.{gtins[gtin]['row']}.gtin"] = _("This barcode is already used.")
    if errors:
        raise ValidationFailed(errors)


async def upsert_products(
    session: AsyncSession, tenant_id: uuid.UUID, rows: Sequence[ProductRow], actor: Actor
) -> UpsertResult:
    """Create or update the rows' products and variants; all rows are checked before anything is written."""
    clean = _check_rows(rows)
    if not clean:
        return UpsertResult(0, 0, 0, [])
    await _check_gtins(session, clean)
    await _resolve_references(session, tenant_id, clean)
    products = await _product_ids(session, clean)
    firsts = {r["group"]: r for r in reversed(clean)}  # the first row of a group describes the product
    heads = [firsts[g] for g in products]
    uom = (await default_stock_unit(session, tenant_id)).id
    params = _product_params(tenant_id, uom, heads, products)
    written = (await session.execute(repo.sql_statements("upsert_products")[0], params)).all()
    created = {pid for pid, inserted in written if inserted}
    changed = {pid for pid, _inserted in written}
    positions: dict[str, int] = {}
    for r in clean:
        r["position"] = positions[r["group"]] = positions.get(r["group"], -1) + 1
        r["product_id"] = products[r["group"]][0]
    changed |= set(await session.scalars(repo.sql_statements("upsert_variants")[0], _variant_params(tenant_id, clean)))
    changed |= await _sync_values(session, tenant_id, clean)
    await repo.refresh_search(session, changed)
    await _audit(session, tenant_id, actor, created, changed - created)
    return UpsertResult(
        len(created), len(changed - created), len(products) - len(changed), [p for p, _s in products.values()]
    )


def _product_params(tenant_id: uuid.UUID, uom: uuid.UUID, heads: list[dict], products: dict) -> dict[str, Any]:
    """One array per column, a product per position (sql/upsert_products.sql unnests them)."""
    return {
        "tenant": tenant_id,
        "uom": uom,
        "ids": [products[h["group"]][0] for h in heads],
        "slugs": [products[h["group"]][1] for h in heads],
        "names": [json.dumps(h["name"]) for h in heads],
        "descriptions": [json.dumps(h["description"]) for h in heads],
        "categories": [h["category_id"] for h in heads],
        "brands": [h["brand_id"] for h in heads],
        "tax": [h["tax_class"] for h in heads],
        "statuses": [h["status"] for h in heads],
        "weights": [h["weight_kg"] for h in heads],
        "lengths": [h["length_cm"] for h in heads],
        "widths": [h["width_cm"] for h in heads],
        "heights": [h["height_cm"] for h in heads],
    }


def _variant_params(tenant_id: uuid.UUID, rows: list[dict]) -> dict[str, Any]:
    return {
        "tenant": tenant_id,
        "ids": [new_id() for _r in rows],
        "products": [r["product_id"] for r in rows],
        "skus": [r["sku"] for r in rows],
        "gtins": [r["gtin"] for r in rows],
        "positions": [r["position"] for r in rows],
        "min_qty": [r["min_qty"] for r in rows],
        "multiple": [r["order_multiple"] for r in rows],
        "max_qty": [r["max_qty"] for r in rows],
        "cost": [r["cost"] for r in rows],
    }


async def _sync_values(session: AsyncSession, tenant_id: uuid.UUID, rows: list[dict[str, Any]]) -> set[uuid.UUID]:
    """Rewrite the attribute values of the variants whose values differ; their products are returned."""
    variant_ids = dict(
        (
            await session.execute(
                select(ProductVariant.sku, ProductVariant.id).where(ProductVariant.sku.in_([r["sku"] for r in rows]))
            )
        ).all()
    )
    current: dict[uuid.UUID, set[tuple[uuid.UUID, uuid.UUID]]] = {}
    for variant_id, attribute_id, value_id in (
        await session.execute(_VALUES_OF, {"ids": list(variant_ids.values())})
    ).all():
        current.setdefault(variant_id, set()).add((attribute_id, value_id))
    stale = [r for r in rows if current.get(variant_ids[r["sku"]], set()) != set(r["values"])]
    if not stale:
        return set()
    await session.execute(_DROP_VALUES, {"ids": [variant_ids[r["sku"]] for r in stale]})
    triples = [(variant_ids[r["sku"]], a, v) for r in stale for a, v in r["values"]]
    if triples:
        await session.execute(
            _ADD_VALUES,
            {
                "tenant": tenant_id,
                "variants": [t[0] for t in triples],
                "attributes": [t[1] for t in triples],
                "values": [t[2] for t in triples],
            },
        )
    return {r["product_id"] for r in stale}


async def _audit(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor, created: set, updated: set) -> None:
    entries = [
        dict(
            tenant_id=tenant_id,
            id=new_id(),
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_label=actor.label,
            action="product.imported",
            entity_type="product",
            entity_id=pid,
            changes={"import": [None, "created" if pid in created else "updated"]},
            ip=actor.ip,
            request_id=actor.request_id,
        )
        for pid in sorted(created | updated)
    ]
    if entries:
        await session.execute(insert(AuditEntry), entries)

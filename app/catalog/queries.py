"""Catalogue reads for both faces: the product list, pickers, option lists and a product's details.

Writes go through app.catalog.services; these only read what a screen shows (RLS keeps them to the tenant).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, String, and_, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.documents import ProductSearch
from app.catalog.domain import translated
from app.catalog.models import (
    Attribute,
    AttributeValue,
    Brand,
    Catalog,
    CatalogAssignment,
    CatalogCategory,
    CatalogProduct,
    Category,
    KitComponent,
    Product,
    ProductRelation,
    ProductUom,
    ProductVariant,
    UnitOfMeasure,
    VariantAttributeValue,
)
from app.catalog.services import category_tree
from app.i18n import LOCALES
from app.parties import Customer, CustomerGroup

SORTS = ("name", "-name", "updated", "-updated", "status", "-status")
STATUSES = ("draft", "active", "discontinued")


@dataclass(frozen=True)
class ProductFilters:
    q: str = ""
    category_id: uuid.UUID | None = None
    brand_id: uuid.UUID | None = None
    status: str = ""
    sort: str = "name"
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True)
class ProductRow:
    id: uuid.UUID
    name: dict
    slug: str
    status: str
    is_kit: bool
    category: dict | None
    brand: str | None
    variants: int
    first_sku: str | None
    updated_at: datetime


@dataclass(frozen=True)
class ProductPage:
    rows: list[ProductRow]
    total: int
    page: int
    per_page: int
    status_counts: dict[str, int]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_key(locale: str) -> Any:
    other = next(x for x in LOCALES if x != locale) if locale in LOCALES else LOCALES[0]
    return func.lower(func.coalesce(Product.name[locale].astext, Product.name[other].astext, Product.slug))


def _filtered(stmt: Select, f: ProductFilters, *, with_status: bool = True) -> Select:
    if f.q:
        pattern = f"%{_escape_like(f.q)}%"
        by_code = select(ProductVariant.product_id).where(
            or_(ProductVariant.sku.ilike(pattern, escape="\\"), ProductVariant.gtin == f.q)
        )
        stmt = stmt.where(
            or_(
                cast(Product.name, String).ilike(pattern, escape="\\"),
                Product.slug.ilike(pattern, escape="\\"),
                Product.id.in_(by_code),
            )
        )
    if f.category_id is not None:
        subtree = select(Category.id).where(Category.path.contains([f.category_id]))
        stmt = stmt.where(Product.category_id.in_(subtree))
    if f.brand_id is not None:
        stmt = stmt.where(Product.brand_id == f.brand_id)
    if with_status and f.status in STATUSES:
        stmt = stmt.where(Product.status == f.status)
    return stmt


async def product_page(session: AsyncSession, f: ProductFilters, locale: str) -> ProductPage:
    """One page of products for staff (every status), filtered, sorted, with counts per status."""
    variants = (
        select(func.count())
        .where(ProductVariant.tenant_id == Product.tenant_id, ProductVariant.product_id == Product.id)
        .scalar_subquery()
    )
    first_sku = (
        select(ProductVariant.sku)
        .where(ProductVariant.tenant_id == Product.tenant_id, ProductVariant.product_id == Product.id)
        .order_by(ProductVariant.position, ProductVariant.sku)
        .limit(1)
        .scalar_subquery()
    )
    stmt = (
        select(Product, Category.name, Brand.name, variants, first_sku, func.count().over())
        .outerjoin(Category, and_(Category.tenant_id == Product.tenant_id, Category.id == Product.category_id))
        .outerjoin(Brand, and_(Brand.tenant_id == Product.tenant_id, Brand.id == Product.brand_id))
    )
    stmt = _filtered(stmt, f)
    name = _name_key(locale)
    order = {
        "name": [name],
        "-name": [name.desc()],
        "updated": [Product.updated_at],
        "-updated": [Product.updated_at.desc()],
        "status": [Product.status, name],
        "-status": [Product.status.desc(), name],
    }[f.sort if f.sort in SORTS else "name"]
    stmt = stmt.order_by(*order, Product.id).limit(f.per_page).offset((max(f.page, 1) - 1) * f.per_page)
    result = (await session.execute(stmt)).all()
    rows = [
        ProductRow(p.id, p.name, p.slug, p.status, p.is_kit, cat, brand, n, sku, p.updated_at)
        for p, cat, brand, n, sku, _total in result
    ]
    counts_stmt = _filtered(select(Product.status, func.count()), f, with_status=False).group_by(Product.status)
    counts = {s: 0 for s in STATUSES} | dict((await session.execute(counts_stmt)).all())
    total = result[0][-1] if result else 0
    return ProductPage(rows, total, max(f.page, 1), f.per_page, counts)


async def category_options(session: AsyncSession) -> list[tuple[Category, int]]:
    """Every category in tree order (depth-first), each with its depth for indentation."""
    nodes = await category_tree(session)
    children: dict[uuid.UUID | None, list[Category]] = {}
    for c in nodes:
        children.setdefault(c.parent_id, []).append(c)
    ordered: list[tuple[Category, int]] = []

    def walk(parent: uuid.UUID | None, depth: int) -> None:
        for c in children.get(parent, []):
            ordered.append((c, depth))
            walk(c.id, depth + 1)

    walk(None, 0)
    return ordered


async def product_counts_by_category(session: AsyncSession) -> dict[uuid.UUID, int]:
    stmt = select(Product.category_id, func.count()).where(Product.category_id.is_not(None))
    return dict((await session.execute(stmt.group_by(Product.category_id))).all())


async def brands(session: AsyncSession) -> list[tuple[Brand, int]]:
    """Brands by name with their number of products."""
    products = (
        select(func.count()).where(Product.tenant_id == Brand.tenant_id, Product.brand_id == Brand.id).scalar_subquery()
    )
    rows = await session.execute(select(Brand, products).order_by(func.lower(Brand.name)))
    return [(b, n) for b, n in rows.all()]


async def units(session: AsyncSession) -> list[UnitOfMeasure]:
    return list(await session.scalars(select(UnitOfMeasure).order_by(UnitOfMeasure.code)))


async def catalogs(session: AsyncSession) -> list[tuple[Catalog, int, int]]:
    """Catalogues with how many products/categories they name and how many assignments they have."""
    named = (
        select(func.count())
        .where(CatalogProduct.tenant_id == Catalog.tenant_id, CatalogProduct.catalog_id == Catalog.id)
        .scalar_subquery()
    )
    assigned = (
        select(func.count())
        .where(CatalogAssignment.tenant_id == Catalog.tenant_id, CatalogAssignment.catalog_id == Catalog.id)
        .scalar_subquery()
    )
    rows = await session.execute(select(Catalog, named, assigned).order_by(Catalog.code))
    return [(c, p, a) for c, p, a in rows.all()]


async def catalog_contents(session: AsyncSession, catalog_id: uuid.UUID) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """The products and category subtrees a catalogue names directly."""
    products = await session.scalars(select(CatalogProduct.product_id).where(CatalogProduct.catalog_id == catalog_id))
    cats = await session.scalars(select(CatalogCategory.category_id).where(CatalogCategory.catalog_id == catalog_id))
    return list(products), list(cats)


async def catalog_assignments(session: AsyncSession, catalog_id: uuid.UUID) -> list[tuple[CatalogAssignment, str]]:
    """Who a catalogue is given to, with a label for each group or customer."""
    stmt = (
        select(CatalogAssignment, CustomerGroup.code, CustomerGroup.name, Customer.code, Customer.name)
        .outerjoin(
            CustomerGroup,
            and_(
                CustomerGroup.tenant_id == CatalogAssignment.tenant_id,
                CustomerGroup.id == CatalogAssignment.customer_group_id,
            ),
        )
        .outerjoin(
            Customer,
            and_(Customer.tenant_id == CatalogAssignment.tenant_id, Customer.id == CatalogAssignment.customer_id),
        )
        .where(CatalogAssignment.catalog_id == catalog_id)
        .order_by(CatalogAssignment.created_at)
    )
    rows = (await session.execute(stmt)).all()
    return [(a, f"{gc} · {gn}" if gc else f"{cc} · {cn}") for a, gc, gn, cc, cn in rows]


async def product_choices(
    session: AsyncSession, q: str, *, exclude: Iterable[uuid.UUID] = (), limit: int = 20
) -> list[tuple[uuid.UUID, dict, str | None]]:
    """Products matching a search (name, slug, SKU), for the pickers: (id, name, first SKU)."""
    f = ProductFilters(q=q.strip()[:100])
    first_sku = (
        select(ProductVariant.sku)
        .where(ProductVariant.tenant_id == Product.tenant_id, ProductVariant.product_id == Product.id)
        .order_by(ProductVariant.position, ProductVariant.sku)
        .limit(1)
        .scalar_subquery()
    )
    stmt = _filtered(select(Product.id, Product.name, first_sku), f)
    excluded = list(exclude)
    if excluded:
        stmt = stmt.where(Product.id.not_in(excluded))
    rows = await session.execute(stmt.order_by(Product.slug).limit(limit))
    return [(i, n, s) for i, n, s in rows.all()]


async def products_named(session: AsyncSession, product_ids: Sequence[uuid.UUID]) -> list[tuple[uuid.UUID, dict]]:
    """(id, name) for these products, in the order given."""
    if not product_ids:
        return []
    found = dict((await session.execute(select(Product.id, Product.name).where(Product.id.in_(product_ids)))).all())
    return [(i, found[i]) for i in product_ids if i in found]


async def variants_by_sku(session: AsyncSession, skus: Iterable[str]) -> dict[str, uuid.UUID]:
    wanted = list({s.strip().upper() for s in skus if s.strip()})
    if not wanted:
        return {}
    rows = await session.execute(select(ProductVariant.sku, ProductVariant.id).where(ProductVariant.sku.in_(wanted)))
    return dict(rows.all())


async def variant_skus(session: AsyncSession, variant_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    wanted = list(set(variant_ids))
    if not wanted:
        return {}
    rows = await session.execute(select(ProductVariant.id, ProductVariant.sku).where(ProductVariant.id.in_(wanted)))
    return dict(rows.all())


async def product_by_code(session: AsyncSession, code: str) -> uuid.UUID | None:
    """A product by its slug or by the SKU of one of its variants."""
    code = code.strip()
    if not code:
        return None
    found = await session.scalar(select(Product.id).where(Product.slug == code.lower()))
    if found is None:
        found = await session.scalar(select(ProductVariant.product_id).where(ProductVariant.sku == code.upper()))
    return found


async def product_slugs(session: AsyncSession, product_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    wanted = list(set(product_ids))
    if not wanted:
        return {}
    return dict((await session.execute(select(Product.id, Product.slug).where(Product.id.in_(wanted)))).all())


async def variant_attributes(session: AsyncSession, product_id: uuid.UUID) -> dict[uuid.UUID, dict[str, str]]:
    """variant id -> {attribute code: value code} for one product's variants."""
    stmt = (
        select(VariantAttributeValue.variant_id, Attribute.code, AttributeValue.code)
        .join(ProductVariant, ProductVariant.id == VariantAttributeValue.variant_id)
        .join(Attribute, Attribute.id == VariantAttributeValue.attribute_id)
        .join(AttributeValue, AttributeValue.id == VariantAttributeValue.value_id)
        .where(ProductVariant.product_id == product_id)
    )
    result: dict[uuid.UUID, dict[str, str]] = {}
    for variant_id, attribute, value in (await session.execute(stmt)).all():
        result.setdefault(variant_id, {})[attribute] = value
    return result


async def product_uoms(session: AsyncSession, product_id: uuid.UUID) -> list[ProductUom]:
    stmt = select(ProductUom).where(ProductUom.product_id == product_id).order_by(ProductUom.factor)
    return list(await session.scalars(stmt))


async def kit_components(session: AsyncSession, product_id: uuid.UUID) -> dict[uuid.UUID, list[tuple[str, str]]]:
    """kit variant id -> [(component SKU, quantity as typed)] for one product's variants."""
    component = select(ProductVariant.id, ProductVariant.sku).subquery()
    stmt = (
        select(KitComponent.kit_variant_id, component.c.sku, KitComponent.qty)
        .join(ProductVariant, ProductVariant.id == KitComponent.kit_variant_id)
        .join(component, component.c.id == KitComponent.component_variant_id)
        .where(ProductVariant.product_id == product_id)
        .order_by(component.c.sku)
    )
    result: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for kit_id, sku, qty in (await session.execute(stmt)).all():
        result.setdefault(kit_id, []).append((sku, format(qty.normalize(), "f")))
    return result


@dataclass(frozen=True, slots=True)
class Choice:
    """An attribute value a variant has (ids to match, code for URLs, label to show)."""

    attribute_id: uuid.UUID
    attribute_code: str
    attribute_label: str
    attribute_position: int
    value_id: uuid.UUID
    value_code: str
    value_label: str
    value_position: int


async def variant_choices(
    session: AsyncSession, variant_ids: list[uuid.UUID], locale: str
) -> dict[uuid.UUID, list[Choice]]:
    """Each variant's attribute values, labelled in `locale` (the product page's variant picker)."""
    vav = VariantAttributeValue
    stmt = (
        select(vav.variant_id, Attribute.id, Attribute.code, Attribute.name, Attribute.position)
        .add_columns(AttributeValue.id, AttributeValue.code, AttributeValue.name, AttributeValue.position)
        .join(Attribute, (Attribute.tenant_id == vav.tenant_id) & (Attribute.id == vav.attribute_id))
        .join(AttributeValue, (AttributeValue.tenant_id == vav.tenant_id) & (AttributeValue.id == vav.value_id))
        .where(vav.variant_id.in_(variant_ids))
    )
    found: dict[uuid.UUID, list[Choice]] = {}
    for variant_id, a_id, a_code, a_name, a_pos, v_id, v_code, v_name, v_pos in (await session.execute(stmt)).all():
        choice = Choice(
            a_id, a_code, translated(a_name, locale), a_pos, v_id, v_code, translated(v_name, locale), v_pos
        )
        found.setdefault(variant_id, []).append(choice)
    return found


async def kit_lines(
    session: AsyncSession, variant_ids: list[uuid.UUID]
) -> list[tuple[uuid.UUID, Decimal, str, ProductSearch]]:
    """(kit variant, quantity, component SKU, component's search document), kits and SKUs in order."""
    stmt = (
        select(KitComponent.kit_variant_id, KitComponent.qty, ProductVariant.sku, ProductSearch)
        .join(
            ProductVariant,
            (ProductVariant.tenant_id == KitComponent.tenant_id)
            & (ProductVariant.id == KitComponent.component_variant_id),
        )
        .join(
            ProductSearch,
            (ProductSearch.tenant_id == ProductVariant.tenant_id)
            & (ProductSearch.product_id == ProductVariant.product_id),
        )
        .where(KitComponent.kit_variant_id.in_(variant_ids))
        .order_by(KitComponent.kit_variant_id, ProductVariant.sku)
    )
    return [(kit, qty, sku, doc) for kit, qty, sku, doc in (await session.execute(stmt)).all()]


async def relations(session: AsyncSession, product_id: uuid.UUID) -> list[tuple[str, ProductSearch]]:
    """(kind, related product's search document) of a product's active relations, by kind and position."""
    stmt = (
        select(ProductRelation.kind, ProductSearch)
        .join(
            ProductSearch,
            (ProductSearch.tenant_id == ProductRelation.tenant_id)
            & (ProductSearch.product_id == ProductRelation.related_id),
        )
        .where(ProductRelation.product_id == product_id, ProductSearch.status == "active")
        .order_by(ProductRelation.kind, ProductRelation.position)
    )
    return [(kind, doc) for kind, doc in (await session.execute(stmt)).all()]


@dataclass(frozen=True, slots=True)
class VariantMeasures:
    """What shipping needs of a variant: its weight (the variant's, else its product's) and its product's sides."""

    sku: str
    weight_kg: Decimal | None
    length_cm: Decimal | None
    width_cm: Decimal | None
    height_cm: Decimal | None


async def variant_measures(session: AsyncSession, variant_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, VariantMeasures]:
    """variant id -> its weight and its product's dimensions (to build a shipment for a carrier quote)."""
    wanted = list(set(variant_ids))
    if not wanted:
        return {}
    stmt = (
        select(ProductVariant.id, ProductVariant.sku, func.coalesce(ProductVariant.weight_kg, Product.weight_kg))
        .add_columns(Product.length_cm, Product.width_cm, Product.height_cm)
        .join(Product, (Product.tenant_id == ProductVariant.tenant_id) & (Product.id == ProductVariant.product_id))
        .where(ProductVariant.id.in_(wanted))
    )
    return {row[0]: VariantMeasures(*row[1:]) for row in (await session.execute(stmt)).all()}

"""Write the planned demo catalogue through the catalog services (one transaction, the caller's)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.catalog import services as catalog
from app.catalog.models import Product, ProductVariant
from app.catalog.services import (
    AttributeInput,
    CategoryInput,
    Component,
    ProductInput,
    ProductRow,
    UomConversion,
    ValueInput,
)
from app.demo_data.catalogue import Catalogue, box_gtin
from app.demo_data.taxonomy import ATTRIBUTES, BRANDS, CATEGORIES

BOX_UNIT = ("BOX10", {"es": "Caja de 10", "en": "Box of 10"})


@dataclass
class SeededCatalogue:
    """Ids of what was written, by the plan's keys (category slug, product slug, SKU)."""

    categories: dict[str, uuid.UUID] = field(default_factory=dict)
    products: dict[str, uuid.UUID] = field(default_factory=dict)
    variants: dict[str, uuid.UUID] = field(default_factory=dict)


async def _taxonomy(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor, seeded: SeededCatalogue) -> None:
    """Categories, attributes with their Spanish and English value names, and brands."""
    for position, (slug, parent, es, en) in enumerate(CATEGORIES):
        data = CategoryInput(
            name={"es": es, "en": en},
            slug=slug,
            parent_id=seeded.categories[parent] if parent else None,
            position=position,
        )
        seeded.categories[slug] = (await catalog.create_category(session, tenant_id, data, actor)).id
    for position, (code, (es, en, values)) in enumerate(ATTRIBUTES.items()):
        attribute = await catalog.create_attribute(
            session, tenant_id, AttributeInput(code, {"es": es, "en": en}, position), actor
        )
        for n, (value, value_es, value_en, _sku) in enumerate(values):
            data = ValueInput(value, {"es": value_es, "en": value_en}, n)
            await catalog.add_attribute_value(session, tenant_id, attribute.id, data, actor)
    for brand in BRANDS:
        await catalog.create_brand(session, tenant_id, brand, actor)


def _rows(plan: Catalogue) -> list[ProductRow]:
    """One import row per variant; the first row of a product carries its texts and measures."""
    rows = []
    for p in plan.products:
        weight, length, width, height = p.measures
        for v in p.variants:
            rows.append(
                ProductRow(
                    sku=v.sku,
                    name_es=p.name["es"],
                    name_en=p.name["en"],
                    description_es=p.description["es"],
                    description_en=p.description["en"],
                    product_key=p.slug,
                    category=p.category,
                    brand=p.brand,
                    gtin=v.gtin,
                    status=p.status,
                    attributes=v.values,
                    weight_kg=weight,
                    length_cm=length,
                    width_cm=width,
                    height_cm=height,
                    min_qty=Decimal(p.min_qty),
                    order_multiple=Decimal(p.multiple),
                    cost=v.cost,
                )
            )
    return rows


async def _kits(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor, plan: Catalogue, seeded) -> None:
    for p in (p for p in plan.products if p.components):
        weight, length, width, height = p.measures
        data = ProductInput(
            name=p.name,
            description=p.description,
            category_id=seeded.categories[p.category],
            brand_id=await session.scalar(select(Product.brand_id).where(Product.id == seeded.products[p.slug])),
            weight_kg=weight,
            length_cm=length,
            width_cm=width,
            height_cm=height,
            is_kit=True,
        )
        await catalog.update_product(session, tenant_id, seeded.products[p.slug], data, actor)
        components = [Component(seeded.variants[sku], Decimal(qty)) for sku, qty in p.components]
        await catalog.set_kit_components(session, tenant_id, seeded.variants[p.variants[0].sku], components, actor)


async def _boxes(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor, plan: Catalogue, seeded) -> None:
    """Products sold by the box of 10: a conversion per variant, with the box's own GTIN-14."""
    unit = await catalog.create_unit(session, tenant_id, BOX_UNIT[0], BOX_UNIT[1], actor)
    for p in (p for p in plan.products if p.by_box):
        conversions = [
            UomConversion(unit.id, Decimal(10), barcode=box_gtin(v.gtin), variant_id=seeded.variants[v.sku])
            for v in p.variants
        ]
        await catalog.set_product_uoms(session, tenant_id, seeded.products[p.slug], conversions, actor)


async def seed_catalogue(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor, plan: Catalogue) -> SeededCatalogue:
    """Taxonomy, every product and variant (one batch upsert), kits, box units and relations."""
    seeded = SeededCatalogue()
    await _taxonomy(session, tenant_id, actor, seeded)
    await catalog.upsert_products(session, tenant_id, _rows(plan), actor)
    seeded.products = dict((await session.execute(select(Product.slug, Product.id))).all())
    seeded.variants = dict((await session.execute(select(ProductVariant.sku, ProductVariant.id))).all())
    await _kits(session, tenant_id, actor, plan, seeded)
    await _boxes(session, tenant_id, actor, plan, seeded)
    for slug, kind, related in plan.relations:
        await catalog.set_relations(
            session, tenant_id, seeded.products[slug], kind, [seeded.products[r] for r in related], actor
        )
    return seeded

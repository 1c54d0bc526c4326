"""A product page's data, read for the viewer in a handful of statements (no per-variant or per-card queries).

The product must be active and in the viewer's assortment (find_visible_product); related products and kit
components outside it are left out or shown without a link.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import queries
from app.catalog.documents import ProductSearch
from app.catalog.domain import translated
from app.catalog.models import ProductVariant
from app.catalog.queries import Choice
from app.catalog.search import ProductCard, find_visible_product
from app.catalog.services import get_product, product_images
from app.i18n import gettext as _
from app.pricing.domain import QuantityRule
from storefront.catalog import Viewer, media_url


@dataclass(frozen=True)
class Variant:
    id: uuid.UUID
    sku: str
    gtin: str | None
    weight_kg: Decimal | None
    rule: QuantityRule
    choices: dict[uuid.UUID, Choice] = field(default_factory=dict)  # attribute id -> its value


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    alt: str
    variant_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class KitLine:
    qty: Decimal
    sku: str
    name: str
    url: str | None  # None when the component's product is not visible to the viewer


@dataclass(frozen=True)
class ProductData:
    """The product, its active variants (display order), images, kit lines per variant, related cards."""

    product_id: uuid.UUID
    slug: str
    name: str
    brand_name: str | None
    description: list[str]
    weight_kg: Decimal | None
    dimensions: tuple[Decimal, Decimal, Decimal] | None
    is_kit: bool
    variants: list[Variant]
    images: list[Image]
    kits: dict[uuid.UUID, list[KitLine]]
    related: dict[str, list[ProductCard]]

    def variant(self, variant_id: uuid.UUID | None) -> Variant | None:
        return next((v for v in self.variants if v.id == variant_id), None)


RELATION_ORDER = ("substitute", "accessory", "related")  # the page shows them in this order


def relation_heading(kind: str) -> str:
    return {"substitute": _("Alternatives"), "accessory": _("Accessories"), "related": _("Related products")}[kind]


def visible(doc: ProductSearch, viewer: Viewer) -> bool:
    if doc.status != "active":
        return False
    return viewer.catalog_ids is None or bool(set(doc.catalog_ids or ()) & viewer.catalog_ids)


def card_of(doc: ProductSearch, locale: str) -> ProductCard:
    return ProductCard(
        product_id=doc.product_id,
        slug=doc.slug,
        name=translated(doc.name, locale),
        brand_name=doc.brand_name,
        image_key=doc.image_key,
        default_variant_id=doc.default_variant_id,
        default_sku=doc.default_sku,
        variant_count=doc.variant_count,
    )


def paragraphs(text: str) -> list[str]:
    """A description's paragraphs (blank lines separate them)."""
    return [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


async def _kits(session: AsyncSession, viewer: Viewer, variant_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[KitLine]]:
    kits: dict[uuid.UUID, list[KitLine]] = {}
    for kit_id, qty, sku, doc in await queries.kit_lines(session, variant_ids):
        url = f"/p/{doc.slug}" if visible(doc, viewer) else None
        kits.setdefault(kit_id, []).append(KitLine(qty, sku, translated(doc.name, viewer.locale), url))
    return kits


async def _related(session: AsyncSession, viewer: Viewer, product_id: uuid.UUID) -> dict[str, list[ProductCard]]:
    related: dict[str, list[ProductCard]] = {}
    for kind, doc in await queries.relations(session, product_id):
        if visible(doc, viewer):
            related.setdefault(kind, []).append(card_of(doc, viewer.locale))
    return {kind: related[kind] for kind in RELATION_ORDER if kind in related}


def _variants(rows: list[ProductVariant], choices: Mapping[uuid.UUID, list[Choice]]) -> list[Variant]:
    return [
        Variant(
            v.id,
            v.sku,
            v.gtin,
            v.weight_kg,
            QuantityRule(v.id, v.min_qty, v.order_multiple, v.max_qty),
            {c.attribute_id: c for c in choices.get(v.id, [])},
        )
        for v in rows
        if v.status == "active"
    ]


async def load_product(session: AsyncSession, viewer: Viewer, slug: str, *, related: bool = True) -> ProductData:
    """The visible product at `slug` with what its page shows (NotFound when the viewer may not see it)."""
    doc = await find_visible_product(session, slug, catalog_ids=viewer.catalog_ids)
    product, rows = await get_product(session, doc.product_id)
    ids = [v.id for v in rows if v.status == "active"]
    variants = _variants(rows, await queries.variant_choices(session, ids, viewer.locale) if ids else {})
    images = [
        Image(media_url(i.storage_key) or "", translated(i.alt, viewer.locale), i.variant_id)
        for i in await product_images(session, product.id)
    ]
    measures = (product.length_cm, product.width_cm, product.height_cm)
    return ProductData(
        product_id=product.id,
        slug=doc.slug,
        name=translated(doc.name, viewer.locale),
        brand_name=doc.brand_name,
        description=paragraphs(translated(product.description, viewer.locale)),
        weight_kg=product.weight_kg,
        dimensions=measures if all(m is not None for m in measures) else None,  # type: ignore[arg-type]
        is_kit=product.is_kit,
        variants=variants,
        images=images,
        kits=await _kits(session, viewer, ids) if product.is_kit and ids else {},
        related=await _related(session, viewer, product.id) if related else {},
    )

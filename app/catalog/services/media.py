"""Product images: store the file through the Storage interface, then order, label or drop them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.catalog import domain, repo
from app.catalog.models import Product, ProductImage, ProductVariant
from app.catalog.storage import Storage, check_image
from app.errors import ValidationFailed
from app.i18n import gettext as _

MAX_IMAGES = 20


@dataclass(frozen=True)
class ImagePlacement:
    """An image kept on the product, in list order, with its alt text and optional variant."""

    image_id: uuid.UUID
    alt: Mapping[str, str] = field(default_factory=dict)
    variant_id: uuid.UUID | None = None


async def _check_variant(session: AsyncSession, product_id: uuid.UUID, variant_id: uuid.UUID | None, key: str) -> None:
    if variant_id is None:
        return
    found = await session.scalar(
        select(ProductVariant.id).where(ProductVariant.id == variant_id, ProductVariant.product_id == product_id)
    )
    if found is None:
        raise ValidationFailed({key: _("Choose a variant of this product.")})


async def add_product_image(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    product_id: uuid.UUID,
    data: bytes,
    content_type: str,
    storage: Storage,
    actor: Actor,
    *,
    alt: Mapping[str, str] | None = None,
    variant_id: uuid.UUID | None = None,
) -> ProductImage:
    """Check the file (PNG/JPEG/WebP, size, real type), store it and append it to the product's images."""
    product = await repo.get(session, Product, product_id, for_update=True)
    actual_type = check_image(data, content_type)
    alt_text = domain.clean_translations(alt, "alt", required=False, max_len=200)
    await _check_variant(session, product.id, variant_id, "variant_id")
    count, last = (
        await session.execute(
            select(func.count(), func.max(ProductImage.position)).where(ProductImage.product_id == product.id)
        )
    ).one()
    if count >= MAX_IMAGES:
        raise ValidationFailed({"image": _("A product may have at most %(n)s images.", n=MAX_IMAGES)})
    key = storage.save(data, actual_type)
    image = ProductImage(
        tenant_id=tenant_id,
        product_id=product.id,
        variant_id=variant_id,
        storage_key=key,
        content_type=actual_type,
        byte_size=len(data),
        alt=alt_text,
        position=(last + 1) if last is not None else 0,
    )
    session.add(image)
    await session.flush()
    await audit.record(session, tenant_id, actor, "product.image_added", "product", product.id, {"image": [None, key]})
    await repo.refresh_search(session, [product.id])
    return image


async def set_product_images(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    product_id: uuid.UUID,
    images: Sequence[ImagePlacement],
    actor: Actor,
) -> list[ProductImage]:
    """Keep exactly these images in this order (the first is the card's); the others are removed.

    Files stay in storage: keys are content hashes another product may share.
    """
    product = await repo.get(session, Product, product_id, for_update=True)
    current = {
        i.id: i for i in await session.scalars(select(ProductImage).where(ProductImage.product_id == product.id))
    }
    errors: dict[str, str] = {}
    ids = [p.image_id for p in images]
    for n, placement in enumerate(images):
        if placement.image_id not in current or ids.count(placement.image_id) > 1:
            errors[f"images.{n}"] = _("Choose one of this product's images.")
    if errors:
        raise ValidationFailed(errors)
    for n, placement in enumerate(images):
        await _check_variant(session, product.id, placement.variant_id, f"images.{n}.variant_id")
        image = current[placement.image_id]
        image.position = n
        image.alt = domain.clean_translations(placement.alt, f"images.{n}.alt", required=False, max_len=200)
        image.variant_id = placement.variant_id
    removed = [key for key in current if key not in ids]
    if removed:
        await session.execute(delete(ProductImage).where(ProductImage.id.in_(removed)))
    await session.flush()
    await audit.record(
        session,
        tenant_id,
        actor,
        "product.images_set",
        "product",
        product.id,
        {"images": [sorted(str(i) for i in current), [str(i) for i in ids]]},
    )
    await repo.refresh_search(session, [product.id])
    return [current[i] for i in ids]


async def product_images(session: AsyncSession, product_id: uuid.UUID) -> list[ProductImage]:
    rows = await session.scalars(
        select(ProductImage).where(ProductImage.product_id == product_id).order_by(ProductImage.position)
    )
    return list(rows)

"""Create and change product templates, and move them through draft -> active -> discontinued."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.catalog import domain, repo
from app.catalog.models import Brand, Category, Product, ProductVariant, UnitOfMeasure
from app.catalog.services._support import choose_slug, measure
from app.catalog.services.uoms import default_stock_unit
from app.catalog.services.variants import VariantInput, insert_variants
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _

_AUDITED = (
    "slug",
    "name",
    "description",
    "category_id",
    "brand_id",
    "tax_class",
    "stock_uom_id",
    "weight_kg",
    "length_cm",
    "width_cm",
    "height_cm",
    "is_kit",
)
_MEASURES = ("weight_kg", "length_cm", "width_cm", "height_cm")


@dataclass(frozen=True)
class ProductInput:
    name: Mapping[str, str]
    description: Mapping[str, str] = field(default_factory=dict)
    slug: str = ""  # made from the name when blank
    category_id: uuid.UUID | None = None
    brand_id: uuid.UUID | None = None
    tax_class: str = "standard"
    stock_uom_id: uuid.UUID | None = None  # the tenant's piece unit when None
    weight_kg: Decimal | str | None = None
    length_cm: Decimal | str | None = None
    width_cm: Decimal | str | None = None
    height_cm: Decimal | str | None = None
    is_kit: bool = False


async def _exists(session: AsyncSession, model: Any, id_: uuid.UUID) -> bool:
    try:
        await repo.get(session, model, id_)
    except NotFound:
        return False
    return True


async def _validated(
    session: AsyncSession, tenant_id: uuid.UUID, data: ProductInput, *, exclude_id: uuid.UUID | None = None
) -> dict[str, Any]:
    """Every field checked (all problems at once), references resolved within the tenant."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key, run in (
        ("name", lambda: domain.clean_translations(data.name, "name", max_len=200)),
        (
            "description",
            lambda: domain.clean_translations(data.description, "description", required=False, max_len=20000),
        ),
    ):
        try:
            values[key] = run()
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if data.category_id is not None and not await _exists(session, Category, data.category_id):
        errors["category_id"] = _("Choose an existing category.")
    if data.brand_id is not None and not await _exists(session, Brand, data.brand_id):
        errors["brand_id"] = _("Choose an existing brand.")
    if data.tax_class not in domain.TAX_CLASSES:
        errors["tax_class"] = _("Choose a tax class.")
    if data.stock_uom_id is not None and not await _exists(session, UnitOfMeasure, data.stock_uom_id):
        errors["stock_uom_id"] = _("Choose an existing unit.")
    for name in _MEASURES:
        values[name] = measure(getattr(data, name), name, errors)
    if not errors.get("name"):
        try:
            values["slug"] = await choose_slug(session, Product, data.slug, values["name"], exclude_id=exclude_id)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    stock_uom_id = data.stock_uom_id or (await default_stock_unit(session, tenant_id)).id
    values.update(
        category_id=data.category_id,
        brand_id=data.brand_id,
        tax_class=data.tax_class,
        stock_uom_id=stock_uom_id,
        is_kit=data.is_kit,
    )
    return values


async def create_product(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    data: ProductInput,
    actor: Actor,
    variants: Sequence[VariantInput] = (),
) -> Product:
    """A new draft product, with its variants when given (publish it with change_product_status)."""
    values = await _validated(session, tenant_id, data)
    product = Product(tenant_id=tenant_id, status="draft", **values)
    session.add(product)
    await session.flush()
    created = audit.diff({}, audit.snapshot(product, _AUDITED))
    await audit.record(session, tenant_id, actor, "product.created", "product", product.id, created)
    if variants:
        await insert_variants(session, tenant_id, product, variants, actor)
    await repo.refresh_search(session, [product.id])
    await session.refresh(product)
    return product


async def update_product(
    session: AsyncSession, tenant_id: uuid.UUID, product_id: uuid.UUID, data: ProductInput, actor: Actor
) -> Product:
    product = await repo.get(session, Product, product_id, for_update=True)
    before = audit.snapshot(product, _AUDITED)
    values = await _validated(session, tenant_id, data, exclude_id=product.id)
    if data.slug == "":
        values["slug"] = product.slug  # a blank slug on edit keeps the address customers know
    for key, value in values.items():
        setattr(product, key, value)
    product.updated_at = func.now()
    await session.flush()
    changes = audit.diff(before, audit.snapshot(product, _AUDITED))
    if changes:
        await audit.record(session, tenant_id, actor, "product.updated", "product", product.id, changes)
    await repo.refresh_search(session, [product.id])
    await session.refresh(product)
    return product


async def change_product_status(
    session: AsyncSession, tenant_id: uuid.UUID, product_id: uuid.UUID, status: str, actor: Actor
) -> Product:
    """Publish, discontinue or return to draft; publishing needs at least one active variant."""
    product = await repo.get(session, Product, product_id, for_update=True)
    if status == product.status:
        return product
    if status not in domain.PRODUCT_STATUSES or not domain.can_change_status(product.status, status):
        raise ValidationFailed(
            {"status": _("A %(current)s product cannot become %(new)s.", current=product.status, new=status)}
        )
    if status == "active":
        active = await session.scalar(
            select(func.count())
            .select_from(ProductVariant)
            .where(ProductVariant.product_id == product.id, ProductVariant.status == "active")
        )
        if not active:
            raise ValidationFailed({"status": _("Add an active variant (with its SKU) before publishing.")})
    before = product.status
    product.status = status
    product.updated_at = func.now()
    await session.flush()
    await audit.record(
        session, tenant_id, actor, f"product.{status}", "product", product.id, {"status": [before, status]}
    )
    await repo.refresh_search(session, [product.id])
    await session.refresh(product)
    return product


async def get_product(session: AsyncSession, product_id: uuid.UUID) -> tuple[Product, list[ProductVariant]]:
    """A product with its variants in display order (back office; NotFound for other tenants' ids)."""
    product = await repo.get(session, Product, product_id)
    variants = await session.scalars(
        select(ProductVariant)
        .where(ProductVariant.product_id == product.id)
        .order_by(ProductVariant.position, ProductVariant.sku)
    )
    return product, list(variants)

"""What the purchasing services share: a row by id (NotFound for another tenant's), the tenant, articles' names."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import Product, ProductVariant
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.purchasing._errors import PurchasingRuleError
from tenants.models import Tenant

M = TypeVar("M")


async def get(session: AsyncSession, model: type[M], row_id: uuid.UUID | None, *, for_update: bool = False) -> M:
    """The tenant's row (RLS hides the others'), locked when asked; NotFound otherwise."""
    if row_id is None:
        raise NotFound()
    stmt = select(model).where(model.id == row_id)  # type: ignore[attr-defined]
    row = await session.scalar(stmt.with_for_update() if for_update else stmt)
    if row is None:
        raise NotFound()
    return row


async def tenant(session: AsyncSession, tenant_id: uuid.UUID) -> Tenant:
    """The tenant itself (its currency values the stock; its locale speaks to suppliers)."""
    row = await session.get(Tenant, tenant_id)
    if row is None:
        raise NotFound()
    return row


class Article(NamedTuple):
    """A variant as purchasing shows it: SKU, product name (translations), weight and volume of one unit."""

    id: uuid.UUID
    sku: str
    name: dict
    weight_kg: Any
    volume_m3: Any


async def articles(session: AsyncSession, variant_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Article]:
    """The tenant's variants among the ids (others' are missing), with their product's name and size."""
    wanted = list(dict.fromkeys(variant_ids))
    if not wanted:
        return {}
    stmt = (
        select(
            ProductVariant.id,
            ProductVariant.sku,
            Product.name,
            ProductVariant.weight_kg,
            Product.weight_kg,
            Product.length_cm * Product.width_cm * Product.height_cm / 1_000_000,
        )
        .join(Product, (Product.tenant_id == ProductVariant.tenant_id) & (Product.id == ProductVariant.product_id))
        .where(ProductVariant.id.in_(wanted))
    )
    found = {}
    for vid, sku, name, own_weight, product_weight, volume in (await session.execute(stmt)).all():
        found[vid] = Article(vid, sku, name or {}, own_weight if own_weight is not None else product_weight, volume)
    return found


async def article(session: AsyncSession, variant_id: uuid.UUID | None, field: str = "variant_id") -> Article:
    """One variant of the tenant's, or a message under `field`."""
    found = (await articles(session, [variant_id])).get(variant_id) if variant_id else None  # type: ignore[list-item]
    if found is None:
        raise ValidationFailed({field: _("Choose an article of the catalogue.")})
    return found


def rule_failed(exc: PurchasingRuleError, field: str | None = None) -> ValidationFailed:
    """A domain refusal the form could not have prevented, shown under its field."""
    return ValidationFailed({field or exc.field: _("This cannot be done: %(reason)s.", reason=exc.reason)})

"""The demo tenant's commerce: a ~300-product office-furniture catalogue with pictures, prices and promotions.

Everything is written through the catalog and pricing services in the caller's transaction; the plan is
deterministic, so every demo looks the same. `seed_demo_commerce` runs once, when the tenant has no
products; `commerce_summary` describes what is there for the console.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.catalog.models import Category, Product, ProductImage, ProductVariant
from app.catalog.storage import LocalStorage
from app.demo_data._seed import seed_catalogue
from app.demo_data.catalogue import plan_catalogue
from app.demo_data.images import attach_pictures
from app.demo_data.prices import seed_prices
from app.pricing.models import PriceList, PromotionRecord
from app.settings import Settings
from tenants.models import Tenant

__all__ = ["commerce_summary", "seed_demo_commerce"]


@dataclass(frozen=True)
class _TenantRef:
    id: uuid.UUID
    currency: str


async def seed_demo_commerce(
    session: AsyncSession, tenant_id: uuid.UUID, settings: Settings, actor: Actor, *, today: date | None = None
) -> list[str]:
    """Catalogue, pictures, customer groups, prices, promotions and an assortment; returns the summary lines."""
    currency = await session.scalar(select(Tenant.currency).where(Tenant.id == tenant_id)) or "EUR"
    plan = plan_catalogue()
    seeded = await seed_catalogue(session, tenant_id, actor, plan)
    storage = LocalStorage.for_tenant(settings, tenant_id)
    await attach_pictures(session, tenant_id, storage, actor, plan, seeded.products, seeded.variants)
    ids = (seeded.categories, seeded.products, seeded.variants)
    await seed_prices(session, _TenantRef(tenant_id, currency), actor, plan, ids, today or date.today())
    return await commerce_summary(session)


async def _count(session: AsyncSession, model, *where) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def commerce_summary(session: AsyncSession) -> list[str]:
    """Console lines describing the tenant's catalogue and prices (empty without products)."""
    products = await _count(session, Product)
    if not products:
        return []
    active = await _count(session, Product, Product.status == "active")
    kits = await _count(session, Product, Product.is_kit)
    skus = await _count(session, ProductVariant)
    categories = await _count(session, Category)
    pictures = await _count(session, ProductImage)
    currencies = sorted(set(await session.scalars(select(PriceList.currency).distinct())))
    lists = await _count(session, PriceList)
    coupons = sorted(await session.scalars(select(PromotionRecord.code).where(PromotionRecord.requires_coupon)))
    promotions = list(
        await session.execute(
            select(PromotionRecord.label, PromotionRecord.valid_to)
            .where(~PromotionRecord.requires_coupon)
            .order_by(PromotionRecord.code)
        )
    )
    lines = [
        "",
        f"  Catalogue:         {products} products ({active} active, {kits} kits), {skus} SKUs, "
        f"{categories} categories, {pictures} pictures",
        f"  Prices:            {' and '.join(currencies)}; {lists} price lists (base, customer groups with "
        "tiers, customer and contract lists)",
    ]
    for label, valid_to in promotions:
        until = f" (until {valid_to.isoformat()})" if valid_to else ""
        lines.append(f"  Promotion:         {label}{until}")
    if coupons:
        lines.append(f"  Coupons:           {', '.join(coupons)}")
    return lines

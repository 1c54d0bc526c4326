"""Create and rename brands (a rename refreshes the search documents of the brand's products)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.catalog import repo
from app.catalog.models import Brand
from app.catalog.services._support import choose_slug, ensure_unique
from app.errors import ValidationFailed
from app.i18n import gettext as _


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed({"name": _("Enter the brand name.")})
    if len(name) > 200:
        raise ValidationFailed({"name": _("Use at most %(n)s characters.", n=200)})
    return name


async def create_brand(
    session: AsyncSession, tenant_id: uuid.UUID, name: str, actor: Actor, *, slug: str = ""
) -> Brand:
    name = _clean_name(name)
    await ensure_unique(session, Brand, Brand.name, name, "name")
    brand = Brand(tenant_id=tenant_id, name=name, slug=await choose_slug(session, Brand, slug, {"es": name}))
    session.add(brand)
    await session.flush()
    await audit.record(session, tenant_id, actor, "brand.created", "brand", brand.id, {"name": [None, name]})
    return brand


async def update_brand(
    session: AsyncSession, tenant_id: uuid.UUID, brand_id: uuid.UUID, name: str, actor: Actor, *, slug: str = ""
) -> Brand:
    brand = await repo.get(session, Brand, brand_id, for_update=True)
    name = _clean_name(name)
    await ensure_unique(session, Brand, Brand.name, name, "name", exclude_id=brand.id)
    before = {"name": brand.name, "slug": brand.slug}
    brand.slug = await choose_slug(session, Brand, slug or brand.slug, {"es": name}, exclude_id=brand.id)
    brand.name = name
    changes = audit.diff(before, {"name": brand.name, "slug": brand.slug})
    if changes:
        await audit.record(session, tenant_id, actor, "brand.updated", "brand", brand.id, changes)
        await repo.refresh_search(session, await repo.products_with_brand(session, brand.id))
    return brand

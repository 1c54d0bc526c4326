"""Create, change (rename, move) and delete categories; a move rewrites the subtree's paths."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.base import new_id
from app.catalog import domain, repo
from app.catalog.models import Category, Product
from app.catalog.services._support import choose_slug
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _

_AUDITED = ("slug", "name", "description", "parent_id", "position")
_REBASE = text("UPDATE categories SET path = :prefix || path[:start :] WHERE id = ANY (:ids)").bindparams(
    bindparam("prefix", type_=repo.UUID_ARRAY), bindparam("ids", type_=repo.UUID_ARRAY)
)


@dataclass(frozen=True)
class CategoryInput:
    name: Mapping[str, str]
    parent_id: uuid.UUID | None = None
    slug: str = ""  # made from the name when blank
    description: Mapping[str, str] = field(default_factory=dict)
    position: int = 0


async def _parent(session: AsyncSession, parent_id: uuid.UUID | None) -> Category | None:
    if parent_id is None:
        return None
    try:
        return await repo.get(session, Category, parent_id)
    except NotFound:
        raise ValidationFailed({"parent_id": _("Choose an existing category.")}) from None


async def create_category(session: AsyncSession, tenant_id: uuid.UUID, data: CategoryInput, actor: Actor) -> Category:
    name = domain.clean_translations(data.name, "name", max_len=120)
    description = domain.clean_translations(data.description, "description", required=False, max_len=4000)
    parent = await _parent(session, data.parent_id)
    slug = await choose_slug(session, Category, data.slug, name)
    category_id = new_id()
    category = Category(
        tenant_id=tenant_id,
        id=category_id,
        parent_id=parent.id if parent else None,
        path=domain.child_path(parent.path if parent else None, category_id),
        slug=slug,
        name=name,
        description=description,
        position=data.position,
    )
    session.add(category)
    await session.flush()
    await audit.record(
        session,
        tenant_id,
        actor,
        "category.created",
        "category",
        category.id,
        audit.diff({}, audit.snapshot(category, _AUDITED)),
    )
    return category


async def update_category(
    session: AsyncSession, tenant_id: uuid.UUID, category_id: uuid.UUID, data: CategoryInput, actor: Actor
) -> Category:
    """Rename, re-slug, reorder or move a category; moving under itself or a descendant is refused."""
    category = await repo.get(session, Category, category_id, for_update=True)
    before = audit.snapshot(category, _AUDITED)
    name = domain.clean_translations(data.name, "name", max_len=120)
    description = domain.clean_translations(data.description, "description", required=False, max_len=4000)
    parent = await _parent(session, data.parent_id)
    if domain.creates_cycle(category.id, parent.path if parent else None):
        raise ValidationFailed({"parent_id": _("A category cannot be moved under itself or one of its subcategories.")})
    slug = await choose_slug(session, Category, data.slug or category.slug, name, exclude_id=category.id)
    old_path = list(category.path)
    new_path = domain.child_path(parent.path if parent else None, category.id)
    category.name, category.description, category.slug, category.position = name, description, slug, data.position
    category.parent_id = parent.id if parent else None
    await session.flush()
    subtree = [category.id]
    if new_path != old_path:
        subtree = await repo.subtree_ids(session, category.id)
        # rewrite every descendant's path: the old prefix becomes the new one, in one statement
        await session.execute(_REBASE, {"prefix": new_path, "start": len(old_path) + 1, "ids": subtree})
    changes = audit.diff(before, audit.snapshot(category, _AUDITED))
    if changes:
        await audit.record(session, tenant_id, actor, "category.updated", "category", category.id, changes)
    # names are searchable and catalogues may hold the subtree: its products' documents change
    await repo.refresh_search(session, await repo.products_in_categories(session, subtree))
    await session.refresh(category)
    return category


async def delete_category(session: AsyncSession, tenant_id: uuid.UUID, category_id: uuid.UUID, actor: Actor) -> None:
    """Only an empty leaf may go: move its subcategories and products first."""
    category = await repo.get(session, Category, category_id, for_update=True)
    children = await session.scalar(select(func.count()).select_from(Category).where(Category.parent_id == category.id))
    if children:
        raise ValidationFailed({"category": _("Move or delete its subcategories first.")})
    products = await session.scalar(select(func.count()).select_from(Product).where(Product.category_id == category.id))
    if products:
        raise ValidationFailed({"category": _("Move its %(n)s products to another category first.", n=products)})
    await session.delete(category)
    await session.flush()
    await audit.record(
        session, tenant_id, actor, "category.deleted", "category", category_id, {"slug": [category.slug, None]}
    )


async def category_tree(session: AsyncSession) -> list[Category]:
    """All categories of the tenant, parents before children, siblings by position then slug."""
    rows = await session.scalars(select(Category))
    return sorted(rows, key=lambda c: (len(c.path), c.position, c.slug))

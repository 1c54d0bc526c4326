"""Catalog SQL shared by the services: loading by id, subtrees, and rebuilding search documents."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TypeVar

from sqlalchemy import TextClause, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import (
    CatalogCategory,
    CatalogProduct,
    Category,
    Product,
    ProductVariant,
    VariantAttributeValue,
)
from app.errors import NotFound

SQL_DIR = Path(__file__).parent / "sql"
UUID_ARRAY = ARRAY(UUID(as_uuid=True))
T = TypeVar("T")


@cache
def sql_statements(name: str) -> tuple[TextClause, ...]:
    """The statements of sql/<name>.sql (separated by `;` at a line end), with uuid[] for :ids."""
    source = (SQL_DIR / f"{name}.sql").read_text()
    parts = [p.strip() for p in source.split(";\n") if p.strip() and not _only_comments(p)]
    return tuple(_typed(text(p.rstrip(";"))) for p in parts)


def _only_comments(sql: str) -> bool:
    return all(line.strip().startswith("--") or not line.strip() for line in sql.splitlines())


def _typed(clause: TextClause) -> TextClause:
    if ":ids" in clause.text:
        return clause.bindparams(bindparam("ids", type_=UUID_ARRAY))
    return clause


async def get(session: AsyncSession, model: type[T], id_: uuid.UUID | None, *, for_update: bool = False) -> T:
    """The row of this tenant with this id (RLS hides other tenants' rows, so theirs are NotFound too)."""
    if id_ is None:
        raise NotFound()
    stmt = select(model).where(model.id == id_)  # type: ignore[attr-defined]
    if for_update:
        stmt = stmt.with_for_update()
    row = await session.scalar(stmt)
    if row is None:
        raise NotFound()
    return row


async def refresh_search(session: AsyncSession, product_ids: Iterable[uuid.UUID]) -> None:
    """Rebuild these products' search documents and vocabulary, in the caller's transaction."""
    ids = sorted(set(product_ids))
    if not ids:
        return
    await session.flush()
    for statement in sql_statements("refresh_search"):
        await session.execute(statement, {"ids": ids})


async def subtree_ids(session: AsyncSession, category_id: uuid.UUID) -> list[uuid.UUID]:
    """The category and all its descendants."""
    rows = await session.scalars(select(Category.id).where(Category.path.contains([category_id])))
    return list(rows)


async def products_in_categories(session: AsyncSession, category_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    ids = list(category_ids)
    if not ids:
        return []
    return list(await session.scalars(select(Product.id).where(Product.category_id.in_(ids))))


async def products_with_brand(session: AsyncSession, brand_id: uuid.UUID) -> list[uuid.UUID]:
    return list(await session.scalars(select(Product.id).where(Product.brand_id == brand_id)))


async def products_with_values(session: AsyncSession, value_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    ids = list(value_ids)
    if not ids:
        return []
    stmt = (
        select(ProductVariant.product_id)
        .join(
            VariantAttributeValue,
            (VariantAttributeValue.tenant_id == ProductVariant.tenant_id)
            & (VariantAttributeValue.variant_id == ProductVariant.id),
        )
        .where(VariantAttributeValue.value_id.in_(ids))
        .distinct()
    )
    return list(await session.scalars(stmt))


async def products_in_catalog(session: AsyncSession, catalog_id: uuid.UUID) -> list[uuid.UUID]:
    """Every product a catalogue reaches, directly or through a category subtree."""
    direct = await session.scalars(select(CatalogProduct.product_id).where(CatalogProduct.catalog_id == catalog_id))
    roots = list(
        await session.scalars(select(CatalogCategory.category_id).where(CatalogCategory.catalog_id == catalog_id))
    )
    categories: set[uuid.UUID] = set()
    for root in roots:
        categories.update(await subtree_ids(session, root))
    return sorted(set(direct) | set(await products_in_categories(session, categories)))

"""Derived search tables, rebuilt from the catalog by repo.refresh_search (sql/refresh_search.sql): never edit."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, tenant_fk
from app.catalog.models import UUIDS, uuid_column


class ProductSearch(Base):
    """The denormalised search and listing document of a product, rebuilt by repo.refresh_search."""

    __tablename__ = "product_search"
    __table_args__ = (
        tenant_fk(["product_id"], "products", ondelete="CASCADE"),
        Index("ix_product_search_category", "tenant_id", "category_id"),
        Index("ix_product_search_vector", "tenant_id", "search_vector", postgresql_using="gin"),
        Index(
            "ix_product_search_trgm",
            "tenant_id",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    product_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    category_id: Mapped[uuid.UUID | None] = uuid_column()
    brand_id: Mapped[uuid.UUID | None] = uuid_column()
    brand_name: Mapped[str | None] = mapped_column(String(200))
    attr_values: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, server_default="{}")
    catalog_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, server_default="{}")
    slug: Mapped[str] = mapped_column(String(120))
    name: Mapped[dict] = mapped_column(JSONB)
    sort_es: Mapped[str] = mapped_column(Text(collation="C"))  # unaccented lower case: byte order is alphabetical
    sort_en: Mapped[str] = mapped_column(Text(collation="C"))
    image_key: Mapped[str | None] = mapped_column(String(200))
    default_variant_id: Mapped[uuid.UUID | None] = uuid_column()
    default_sku: Mapped[str | None] = mapped_column(String(64))
    variant_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    search_vector: Mapped[str] = mapped_column(TSVECTOR)
    search_text: Mapped[str] = mapped_column(Text)


class ProductListing(Base):
    """One row per active product and each category above it (and ALL_PRODUCTS): category pages read 24 rows
    of an index in display order instead of sorting the whole subtree."""

    __tablename__ = "product_listing"
    __table_args__ = (
        tenant_fk(["product_id"], "products", ondelete="CASCADE"),
        Index("ix_product_listing_product", "tenant_id", "product_id"),
        Index(
            "ix_product_listing_es",
            "tenant_id",
            "category_id",
            "sort_es",
            "product_id",
            postgresql_include=["catalog_ids"],
        ),
        Index(
            "ix_product_listing_en",
            "tenant_id",
            "category_id",
            "sort_en",
            "product_id",
            postgresql_include=["catalog_ids"],
        ),
        Index(
            "ix_product_listing_created",
            "tenant_id",
            "category_id",
            "created_at",
            "product_id",
            postgresql_include=["catalog_ids"],
        ),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    category_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)  # an ancestor (or itself), or ALL_PRODUCTS
    product_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    sort_es: Mapped[str] = mapped_column(Text(collation="C"))  # unaccented lower case: byte order is alphabetical
    sort_en: Mapped[str] = mapped_column(Text(collation="C"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    catalog_ids: Mapped[list[uuid.UUID]] = mapped_column(UUIDS, server_default="{}")


ALL_PRODUCTS = uuid.UUID(int=0)  # product_listing's category for the whole catalogue


class CatalogTerm(Base):
    """The tenant's search vocabulary (unaccented words of names, brands, values): misspellings are corrected to it."""

    __tablename__ = "catalog_terms"
    __table_args__ = (
        Index(
            "ix_catalog_terms_trgm",
            "tenant_id",
            "term",
            postgresql_using="gin",
            postgresql_ops={"term": "gin_trgm_ops"},
        ),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(60), primary_key=True)

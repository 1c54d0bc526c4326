"""Catalog tables: templates and variants, their taxonomy, media, units, kits and B2B catalogues.

Every table is tenant-owned: keyed by tenant_id first, foreign keys carry tenant_id.
Translatable texts are JSONB {"es": ..., "en": ...}.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped, tenant_fk

UUIDS = ARRAY(UUID(as_uuid=True))


def uuid_column(**kw) -> Mapped:
    return mapped_column(UUID(as_uuid=True), **kw)


class Category(TenantOwned, Timestamped, Base):
    """A node of the category tree; `path` lists ancestor ids from the root down to itself."""

    __tablename__ = "categories"
    __table_args__ = (
        UniqueConstraint("tenant_id", "slug"),
        tenant_fk(["parent_id"], "categories"),
        Index("ix_categories_parent", "tenant_id", "parent_id", "position"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    parent_id: Mapped[uuid.UUID | None] = uuid_column()
    path: Mapped[list[uuid.UUID]] = mapped_column(UUIDS)
    slug: Mapped[str] = mapped_column(String(120))
    name: Mapped[dict] = mapped_column(JSONB, default=dict)
    description: Mapped[dict] = mapped_column(JSONB, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Brand(TenantOwned, Timestamped, Base):
    __tablename__ = "brands"
    __table_args__ = (UniqueConstraint("tenant_id", "slug"),)

    slug: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200))


class UnitOfMeasure(TenantOwned, Base):
    __tablename__ = "units_of_measure"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[dict] = mapped_column(JSONB, default=dict)


class Attribute(TenantOwned, Base):
    """A variant axis or descriptive property (size, colour, material); `is_facet` shows it as a filter."""

    __tablename__ = "attributes"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[dict] = mapped_column(JSONB, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_facet: Mapped[bool] = mapped_column(default=True)


class AttributeValue(TenantOwned, Base):
    __tablename__ = "attribute_values"
    __table_args__ = (
        UniqueConstraint("tenant_id", "attribute_id", "code"),
        # lets variant_attribute_values prove a value belongs to the attribute it is filed under
        UniqueConstraint("tenant_id", "attribute_id", "id"),
        tenant_fk(["attribute_id"], "attributes", ondelete="CASCADE"),
    )

    attribute_id: Mapped[uuid.UUID] = uuid_column()
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[dict] = mapped_column(JSONB, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Product(TenantOwned, Timestamped, Base):
    """A product template: what the shop presents; its variants are what is sold and stocked."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("tenant_id", "slug"),
        CheckConstraint("status IN ('draft', 'active', 'discontinued')", name="status"),
        CheckConstraint(
            "coalesce(weight_kg, 0) >= 0 AND coalesce(length_cm, 0) >= 0 AND coalesce(width_cm, 0) >= 0 "
            "AND coalesce(height_cm, 0) >= 0",
            name="measures_positive",
        ),
        tenant_fk(["category_id"], "categories"),
        tenant_fk(["brand_id"], "brands"),
        tenant_fk(["stock_uom_id"], "units_of_measure"),
        Index("ix_products_category", "tenant_id", "category_id"),
        Index("ix_products_brand", "tenant_id", "brand_id"),
    )

    slug: Mapped[str] = mapped_column(String(120))
    name: Mapped[dict] = mapped_column(JSONB, default=dict)
    description: Mapped[dict] = mapped_column(JSONB, default=dict)
    category_id: Mapped[uuid.UUID | None] = uuid_column()
    brand_id: Mapped[uuid.UUID | None] = uuid_column()
    tax_class: Mapped[str] = mapped_column(String(20), default="standard")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    stock_uom_id: Mapped[uuid.UUID] = uuid_column()
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    length_cm: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    width_cm: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    height_cm: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    is_kit: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ProductVariant(TenantOwned, Timestamped, Base):
    """A sellable article: SKU, barcode, attribute values and the quantity rules of ordering it."""

    __tablename__ = "product_variants"
    __table_args__ = (
        UniqueConstraint("tenant_id", "sku"),
        CheckConstraint("status IN ('active', 'discontinued')", name="status"),
        CheckConstraint(
            "min_qty > 0 AND order_multiple > 0 AND (max_qty IS NULL OR max_qty >= min_qty)", name="qty_rules"
        ),
        tenant_fk(["product_id"], "products", ondelete="CASCADE"),
        Index("ix_product_variants_product", "tenant_id", "product_id", "position"),
        Index("uq_product_variants_gtin", "tenant_id", "gtin", unique=True, postgresql_where=text("gtin IS NOT NULL")),
    )

    product_id: Mapped[uuid.UUID] = uuid_column()
    sku: Mapped[str] = mapped_column(String(64))
    gtin: Mapped[str | None] = mapped_column(String(14))
    status: Mapped[str] = mapped_column(String(20), default="active")
    position: Mapped[int] = mapped_column(Integer, default=0)
    min_qty: Mapped[Decimal] = mapped_column(Numeric(14, 4), default=Decimal(1))
    order_multiple: Mapped[Decimal] = mapped_column(Numeric(14, 4), default=Decimal(1))
    max_qty: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))


class VariantAttributeValue(Base):
    """One attribute value of a variant (at most one value per attribute)."""

    __tablename__ = "variant_attribute_values"
    __table_args__ = (
        tenant_fk(["variant_id"], "product_variants", ondelete="CASCADE"),
        ForeignKeyConstraint(
            ["tenant_id", "attribute_id", "value_id"],
            ["attribute_values.tenant_id", "attribute_values.attribute_id", "attribute_values.id"],
            name="fk_variant_attribute_values_value",
        ),
        Index("ix_variant_attribute_values_value", "tenant_id", "value_id"),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    variant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    attribute_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    value_id: Mapped[uuid.UUID] = uuid_column()


class ProductUom(TenantOwned, Base):
    """A unit a product (or one variant) is also counted in: `factor` stock units make one of it."""

    __tablename__ = "product_uoms"
    __table_args__ = (
        UniqueConstraint("tenant_id", "product_id", "variant_id", "uom_id", postgresql_nulls_not_distinct=True),
        CheckConstraint("factor > 0", name="factor_positive"),
        tenant_fk(["product_id"], "products", ondelete="CASCADE"),
        tenant_fk(["variant_id"], "product_variants", ondelete="CASCADE"),
        tenant_fk(["uom_id"], "units_of_measure"),
        Index(
            "uq_product_uoms_barcode", "tenant_id", "barcode", unique=True, postgresql_where=text("barcode IS NOT NULL")
        ),
    )

    product_id: Mapped[uuid.UUID] = uuid_column()
    variant_id: Mapped[uuid.UUID | None] = uuid_column()
    uom_id: Mapped[uuid.UUID] = uuid_column()
    factor: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    for_sale: Mapped[bool] = mapped_column(default=True)
    barcode: Mapped[str | None] = mapped_column(String(32))


class ProductImage(TenantOwned, Timestamped, Base):
    __tablename__ = "product_images"
    __table_args__ = (
        tenant_fk(["product_id"], "products", ondelete="CASCADE"),
        tenant_fk(["variant_id"], "product_variants", ondelete="CASCADE"),
        Index("ix_product_images_product", "tenant_id", "product_id", "position"),
    )

    product_id: Mapped[uuid.UUID] = uuid_column()
    variant_id: Mapped[uuid.UUID | None] = uuid_column()
    storage_key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    byte_size: Mapped[int] = mapped_column(Integer)
    alt: Mapped[dict] = mapped_column(JSONB, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProductRelation(Base):
    """Related, substitute or accessory products, one direction per row."""

    __tablename__ = "product_relations"
    __table_args__ = (
        CheckConstraint("kind IN ('related', 'substitute', 'accessory')", name="kind"),
        CheckConstraint("product_id <> related_id", name="not_self"),
        tenant_fk(["product_id"], "products", ondelete="CASCADE"),
        tenant_fk(["related_id"], "products", ondelete="CASCADE"),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    product_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    related_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class KitComponent(Base):
    """A kit variant is sold as `qty` of each component variant."""

    __tablename__ = "kit_components"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("kit_variant_id <> component_variant_id", name="not_self"),
        tenant_fk(["kit_variant_id"], "product_variants", ondelete="CASCADE"),
        tenant_fk(["component_variant_id"], "product_variants"),
        Index("ix_kit_components_component", "tenant_id", "component_variant_id"),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    kit_variant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    component_variant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    qty: Mapped[Decimal] = mapped_column(Numeric(14, 4))


class Catalog(TenantOwned, Timestamped, Base):
    """A B2B catalogue: the products (directly or by category subtree) its assignees may see."""

    __tablename__ = "catalogs"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))


class CatalogProduct(Base):
    __tablename__ = "catalog_products"
    __table_args__ = (
        tenant_fk(["catalog_id"], "catalogs", ondelete="CASCADE"),
        tenant_fk(["product_id"], "products", ondelete="CASCADE"),
        Index("ix_catalog_products_product", "tenant_id", "product_id"),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    catalog_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    product_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)


class CatalogCategory(Base):
    """A whole category subtree in a catalogue, including products added to it later."""

    __tablename__ = "catalog_categories"
    __table_args__ = (
        tenant_fk(["catalog_id"], "catalogs", ondelete="CASCADE"),
        tenant_fk(["category_id"], "categories", ondelete="CASCADE"),
        Index("ix_catalog_categories_category", "tenant_id", "category_id"),
    )

    tenant_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    catalog_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)
    category_id: Mapped[uuid.UUID] = uuid_column(primary_key=True)


class CatalogAssignment(TenantOwned, Timestamped, Base):
    """A catalogue given to a customer group or to one customer (exactly one of the two)."""

    __tablename__ = "catalog_assignments"
    __table_args__ = (
        CheckConstraint("(customer_group_id IS NULL) <> (customer_id IS NULL)", name="one_target"),
        tenant_fk(["catalog_id"], "catalogs", ondelete="CASCADE"),
        tenant_fk(["customer_group_id"], "customer_groups", ondelete="CASCADE"),
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        Index(
            "uq_catalog_assignments_group",
            "tenant_id",
            "customer_group_id",
            "catalog_id",
            unique=True,
            postgresql_where=text("customer_group_id IS NOT NULL"),
        ),
        Index(
            "uq_catalog_assignments_customer",
            "tenant_id",
            "customer_id",
            "catalog_id",
            unique=True,
            postgresql_where=text("customer_id IS NOT NULL"),
        ),
    )

    catalog_id: Mapped[uuid.UUID] = uuid_column()
    customer_group_id: Mapped[uuid.UUID | None] = uuid_column()
    customer_id: Mapped[uuid.UUID | None] = uuid_column()

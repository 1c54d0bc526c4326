"""Catalog: products and variants, categories, brands, attributes, units, media, kits, B2B catalogues, search.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 12:00:00

Search runs on PostgreSQL alone: a per-product document (product_search) with a tsvector
(Spanish + English + simple, unaccented) and a trigram-indexed text, plus the tenant's
vocabulary (catalog_terms) that misspelt words are corrected against.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.rls import tenant_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = (
    "customer_groups",
    "categories",
    "brands",
    "units_of_measure",
    "attributes",
    "attribute_values",
    "products",
    "product_variants",
    "variant_attribute_values",
    "product_uoms",
    "product_images",
    "product_relations",
    "kit_components",
    "catalogs",
    "catalog_products",
    "catalog_categories",
    "catalog_assignments",
    "product_search",
    "product_listing",
    "catalog_terms",
)

# unaccent() is only STABLE (it reads its dictionary by name); pinning the dictionary makes it safe to index.
F_UNACCENT = """
CREATE OR REPLACE FUNCTION public.f_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""

# One group per query word: its alternatives (the word and its spelling corrections) are OR-ed in Spanish,
# English and simple forms; groups are AND-ed. A word the tenant's vocabulary knows must match whole; any
# other may be the start of a word (typed so far), so it matches as a prefix. A group whose word is a stop
# word in either language is skipped; NULL when nothing is left. STABLE: it reads catalog_terms (as the
# caller, under RLS), so call it once per statement, as a scalar subquery.
CATALOG_TSQUERY = """
CREATE OR REPLACE FUNCTION public.catalog_tsquery(groups text[]) RETURNS tsquery
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
  grp text;
  word text;
  suffix text;
  forms tsquery;
  part tsquery;
  result tsquery;
BEGIN
  FOREACH grp IN ARRAY coalesce(groups, '{}') LOOP
    part := NULL;
    FOREACH word IN ARRAY regexp_split_to_array(lower(public.f_unaccent(grp)), '[^a-z0-9]+') LOOP
      CONTINUE WHEN word = '' OR length(word) > 60;
      IF to_tsvector('spanish', word) = ''::tsvector OR to_tsvector('english', word) = ''::tsvector THEN
        EXIT WHEN part IS NULL;  -- the group's own word is a stop word: drop the whole group
        CONTINUE;
      END IF;
      suffix := CASE WHEN EXISTS (SELECT 1 FROM public.catalog_terms t WHERE t.term = word) THEN '' ELSE ':*' END;
      forms := to_tsquery('spanish', word || suffix) || to_tsquery('english', word || suffix)
               || to_tsquery('simple', word || suffix);
      part := CASE WHEN part IS NULL THEN forms ELSE part || forms END;
    END LOOP;
    CONTINUE WHEN part IS NULL;
    result := CASE WHEN result IS NULL THEN part ELSE result && part END;
  END LOOP;
  RETURN result;  -- NULL when no word is left: matches nothing
END
$$
"""

# Row-level security lets an index serve only LEAKPROOF operators (others are applied after the tenant
# filter, row by row). These three cannot reveal anything about a row but their boolean result; only a
# superuser may say so. Without it, search still works but scans the tenant's documents.
LEAKPROOF = """
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
    ALTER FUNCTION public.similarity_op(text, text) LEAKPROOF;
    ALTER FUNCTION public.word_similarity_commutator_op(text, text) LEAKPROOF;
  ELSE
    RAISE WARNING 'catalog search: not a superuser, so @@ and %% stay non-leakproof and '
                  'product search cannot use its indexes under row-level security';
  END IF;
END
$$
"""


def upgrade() -> None:
    for extension in ("pg_trgm", "unaccent", "btree_gin"):
        op.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    op.execute(F_UNACCENT)
    op.execute(CATALOG_TSQUERY)
    op.execute(LEAKPROOF)
    op.create_table(
        "attributes",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_facet", sa.Boolean(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_attributes")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_attributes_tenant_id_code")),
    )
    op.create_table(
        "brands",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_brands")),
        sa.UniqueConstraint("tenant_id", "slug", name=op.f("uq_brands_tenant_id_slug")),
    )
    op.create_table(
        "catalog_terms",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("term", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "term", name=op.f("pk_catalog_terms")),
    )
    op.create_index(
        "ix_catalog_terms_trgm",
        "catalog_terms",
        ["tenant_id", "term"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"term": "gin_trgm_ops"},
    )
    op.create_table(
        "catalogs",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_catalogs")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_catalogs_tenant_id_code")),
    )
    op.create_table(
        "categories",
        sa.Column("parent_id", sa.UUID(), nullable=True),
        sa.Column("path", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("description", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name=op.f("ck_categories_not_own_parent")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "parent_id"],
            ["categories.tenant_id", "categories.id"],
            name=op.f("fk_categories_tenant_id_parent_id_categories"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_categories")),
        sa.UniqueConstraint("tenant_id", "slug", name=op.f("uq_categories_tenant_id_slug")),
    )
    op.create_index("ix_categories_parent", "categories", ["tenant_id", "parent_id", "position"], unique=False)
    op.create_table(
        "customer_groups",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_customer_groups")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_customer_groups_tenant_id_code")),
    )
    op.create_table(
        "units_of_measure",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_units_of_measure")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_units_of_measure_tenant_id_code")),
    )
    op.create_table(
        "attribute_values",
        sa.Column("attribute_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "attribute_id"],
            ["attributes.tenant_id", "attributes.id"],
            name=op.f("fk_attribute_values_tenant_id_attribute_id_attributes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_attribute_values")),
        sa.UniqueConstraint(
            "tenant_id", "attribute_id", "code", name=op.f("uq_attribute_values_tenant_id_attribute_id_code")
        ),
        sa.UniqueConstraint(
            "tenant_id", "attribute_id", "id", name=op.f("uq_attribute_values_tenant_id_attribute_id_id")
        ),
    )
    op.create_table(
        "catalog_categories",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("catalog_id", sa.UUID(), nullable=False),
        sa.Column("category_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "catalog_id"],
            ["catalogs.tenant_id", "catalogs.id"],
            name=op.f("fk_catalog_categories_tenant_id_catalog_id_catalogs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "category_id"],
            ["categories.tenant_id", "categories.id"],
            name=op.f("fk_catalog_categories_tenant_id_category_id_categories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "catalog_id", "category_id", name=op.f("pk_catalog_categories")),
    )
    op.create_index("ix_catalog_categories_category", "catalog_categories", ["tenant_id", "category_id"], unique=False)
    op.create_table(
        "products",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("description", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("category_id", sa.UUID(), nullable=True),
        sa.Column("brand_id", sa.UUID(), nullable=True),
        sa.Column("tax_class", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("stock_uom_id", sa.UUID(), nullable=False),
        sa.Column("weight_kg", sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column("length_cm", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("width_cm", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("height_cm", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("is_kit", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'active', 'discontinued')", name=op.f("ck_products_status")),
        sa.CheckConstraint(
            "coalesce(weight_kg, 0) >= 0 AND coalesce(length_cm, 0) >= 0 AND coalesce(width_cm, 0) >= 0 "
            "AND coalesce(height_cm, 0) >= 0",
            name=op.f("ck_products_measures_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "brand_id"],
            ["brands.tenant_id", "brands.id"],
            name=op.f("fk_products_tenant_id_brand_id_brands"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "category_id"],
            ["categories.tenant_id", "categories.id"],
            name=op.f("fk_products_tenant_id_category_id_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "stock_uom_id"],
            ["units_of_measure.tenant_id", "units_of_measure.id"],
            name=op.f("fk_products_tenant_id_stock_uom_id_units_of_measure"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_products")),
        sa.UniqueConstraint("tenant_id", "slug", name=op.f("uq_products_tenant_id_slug")),
    )
    op.create_index("ix_products_brand", "products", ["tenant_id", "brand_id"], unique=False)
    op.create_index("ix_products_category", "products", ["tenant_id", "category_id"], unique=False)
    op.create_table(
        "catalog_assignments",
        sa.Column("catalog_id", sa.UUID(), nullable=False),
        sa.Column("customer_group_id", sa.UUID(), nullable=True),
        sa.Column("customer_id", sa.UUID(), nullable=True),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(customer_group_id IS NULL) <> (customer_id IS NULL)", name=op.f("ck_catalog_assignments_one_target")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "catalog_id"],
            ["catalogs.tenant_id", "catalogs.id"],
            name=op.f("fk_catalog_assignments_tenant_id_catalog_id_catalogs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_group_id"],
            ["customer_groups.tenant_id", "customer_groups.id"],
            name=op.f("fk_catalog_assignments_tenant_id_customer_group_id_customer_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_catalog_assignments_tenant_id_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_catalog_assignments")),
    )
    op.create_index(
        "uq_catalog_assignments_customer",
        "catalog_assignments",
        ["tenant_id", "customer_id", "catalog_id"],
        unique=True,
        postgresql_where=sa.text("customer_id IS NOT NULL"),
    )
    op.create_index(
        "uq_catalog_assignments_group",
        "catalog_assignments",
        ["tenant_id", "customer_group_id", "catalog_id"],
        unique=True,
        postgresql_where=sa.text("customer_group_id IS NOT NULL"),
    )
    op.create_table(
        "catalog_products",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("catalog_id", sa.UUID(), nullable=False),
        sa.Column("product_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "catalog_id"],
            ["catalogs.tenant_id", "catalogs.id"],
            name=op.f("fk_catalog_products_tenant_id_catalog_id_catalogs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "product_id"],
            ["products.tenant_id", "products.id"],
            name=op.f("fk_catalog_products_tenant_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "catalog_id", "product_id", name=op.f("pk_catalog_products")),
    )
    op.create_index("ix_catalog_products_product", "catalog_products", ["tenant_id", "product_id"], unique=False)
    op.create_table(
        "product_relations",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("product_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("related_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('related', 'substitute', 'accessory')", name=op.f("ck_product_relations_kind")),
        sa.CheckConstraint("product_id <> related_id", name=op.f("ck_product_relations_not_self")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "product_id"],
            ["products.tenant_id", "products.id"],
            name=op.f("fk_product_relations_tenant_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "related_id"],
            ["products.tenant_id", "products.id"],
            name=op.f("fk_product_relations_tenant_id_related_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "product_id", "kind", "related_id", name=op.f("pk_product_relations")),
    )
    op.create_table(
        "product_search",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("product_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("category_id", sa.UUID(), nullable=True),
        sa.Column("brand_id", sa.UUID(), nullable=True),
        sa.Column("brand_name", sa.String(length=200), nullable=True),
        sa.Column("attr_values", postgresql.ARRAY(sa.UUID()), server_default="{}", nullable=False),
        sa.Column("catalog_ids", postgresql.ARRAY(sa.UUID()), server_default="{}", nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("sort_es", sa.Text(collation="C"), nullable=False),
        sa.Column("sort_en", sa.Text(collation="C"), nullable=False),
        sa.Column("image_key", sa.String(length=200), nullable=True),
        sa.Column("default_variant_id", sa.UUID(), nullable=True),
        sa.Column("default_sku", sa.String(length=64), nullable=True),
        sa.Column("variant_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("search_vector", postgresql.TSVECTOR(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "product_id"],
            ["products.tenant_id", "products.id"],
            name=op.f("fk_product_search_tenant_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "product_id", name=op.f("pk_product_search")),
    )
    op.create_index("ix_product_search_category", "product_search", ["tenant_id", "category_id"], unique=False)
    op.create_index(
        "ix_product_search_trgm",
        "product_search",
        ["tenant_id", "search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_product_search_vector",
        "product_search",
        ["tenant_id", "search_vector"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_table(
        "product_variants",
        sa.Column("product_id", sa.UUID(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("min_qty", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("order_multiple", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("max_qty", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("cost", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("weight_kg", sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status IN ('active', 'discontinued')", name=op.f("ck_product_variants_status")),
        sa.CheckConstraint(
            "min_qty > 0 AND order_multiple > 0 AND (max_qty IS NULL OR max_qty >= min_qty)",
            name=op.f("ck_product_variants_qty_rules"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "product_id"],
            ["products.tenant_id", "products.id"],
            name=op.f("fk_product_variants_tenant_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_product_variants")),
        sa.UniqueConstraint("tenant_id", "sku", name=op.f("uq_product_variants_tenant_id_sku")),
    )
    op.create_index(
        "ix_product_variants_product", "product_variants", ["tenant_id", "product_id", "position"], unique=False
    )
    op.create_index(
        "uq_product_variants_gtin",
        "product_variants",
        ["tenant_id", "gtin"],
        unique=True,
        postgresql_where=sa.text("gtin IS NOT NULL"),
    )
    op.create_table(
        "kit_components",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("kit_variant_id", sa.UUID(), nullable=False),
        sa.Column("component_variant_id", sa.UUID(), nullable=False),
        sa.Column("qty", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.CheckConstraint("kit_variant_id <> component_variant_id", name=op.f("ck_kit_components_not_self")),
        sa.CheckConstraint("qty > 0", name=op.f("ck_kit_components_qty_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "component_variant_id"],
            ["product_variants.tenant_id", "product_variants.id"],
            name=op.f("fk_kit_components_tenant_id_component_variant_id_product_variants"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "kit_variant_id"],
            ["product_variants.tenant_id", "product_variants.id"],
            name=op.f("fk_kit_components_tenant_id_kit_variant_id_product_variants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "kit_variant_id", "component_variant_id", name=op.f("pk_kit_components")),
    )
    op.create_index(
        "ix_kit_components_component", "kit_components", ["tenant_id", "component_variant_id"], unique=False
    )
    op.create_table(
        "product_images",
        sa.Column("product_id", sa.UUID(), nullable=False),
        sa.Column("variant_id", sa.UUID(), nullable=True),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("alt", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "product_id"],
            ["products.tenant_id", "products.id"],
            name=op.f("fk_product_images_tenant_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "variant_id"],
            ["product_variants.tenant_id", "product_variants.id"],
            name=op.f("fk_product_images_tenant_id_variant_id_product_variants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_product_images")),
    )
    op.create_index(
        "ix_product_images_product", "product_images", ["tenant_id", "product_id", "position"], unique=False
    )
    op.create_table(
        "product_listing",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("category_id", sa.UUID(), nullable=False),
        sa.Column("product_id", sa.UUID(), nullable=False),
        sa.Column("sort_es", sa.Text(collation="C"), nullable=False),
        sa.Column("sort_en", sa.Text(collation="C"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("catalog_ids", postgresql.ARRAY(sa.UUID()), server_default="{}", nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "product_id"],
            ["products.tenant_id", "products.id"],
            name=op.f("fk_product_listing_tenant_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "category_id", "product_id", name=op.f("pk_product_listing")),
    )
    op.create_index("ix_product_listing_product", "product_listing", ["tenant_id", "product_id"], unique=False)
    for suffix, column in (("es", "sort_es"), ("en", "sort_en"), ("created", "created_at")):
        op.create_index(
            f"ix_product_listing_{suffix}",
            "product_listing",
            ["tenant_id", "category_id", column, "product_id"],
            unique=False,
            postgresql_include=["catalog_ids"],
        )
    op.create_table(
        "product_uoms",
        sa.Column("product_id", sa.UUID(), nullable=False),
        sa.Column("variant_id", sa.UUID(), nullable=True),
        sa.Column("uom_id", sa.UUID(), nullable=False),
        sa.Column("factor", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("for_sale", sa.Boolean(), nullable=False),
        sa.Column("barcode", sa.String(length=32), nullable=True),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.CheckConstraint("factor > 0", name=op.f("ck_product_uoms_factor_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "product_id"],
            ["products.tenant_id", "products.id"],
            name=op.f("fk_product_uoms_tenant_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "uom_id"],
            ["units_of_measure.tenant_id", "units_of_measure.id"],
            name=op.f("fk_product_uoms_tenant_id_uom_id_units_of_measure"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "variant_id"],
            ["product_variants.tenant_id", "product_variants.id"],
            name=op.f("fk_product_uoms_tenant_id_variant_id_product_variants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_product_uoms")),
        sa.UniqueConstraint(
            "tenant_id",
            "product_id",
            "variant_id",
            "uom_id",
            name=op.f("uq_product_uoms_tenant_id_product_id_variant_id_uom_id"),
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_index(
        "uq_product_uoms_barcode",
        "product_uoms",
        ["tenant_id", "barcode"],
        unique=True,
        postgresql_where=sa.text("barcode IS NOT NULL"),
    )
    op.create_table(
        "variant_attribute_values",
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("variant_id", sa.UUID(), nullable=False),
        sa.Column("attribute_id", sa.UUID(), nullable=False),
        sa.Column("value_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "attribute_id", "value_id"],
            ["attribute_values.tenant_id", "attribute_values.attribute_id", "attribute_values.id"],
            name="fk_variant_attribute_values_value",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "variant_id"],
            ["product_variants.tenant_id", "product_variants.id"],
            name=op.f("fk_variant_attribute_values_tenant_id_variant_id_product_variants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "variant_id", "attribute_id", name=op.f("pk_variant_attribute_values")),
    )
    op.create_index(
        "ix_variant_attribute_values_value", "variant_attribute_values", ["tenant_id", "value_id"], unique=False
    )
    op.add_column("customers", sa.Column("group_id", sa.UUID(), nullable=True))
    op.create_index("ix_customers_group", "customers", ["tenant_id", "group_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_customers_tenant_id_group_id_customer_groups"),
        "customers",
        "customer_groups",
        ["tenant_id", "group_id"],
        ["tenant_id", "id"],
    )
    for table in TABLES:
        tenant_table(table)


def downgrade() -> None:
    op.drop_constraint(op.f("fk_customers_tenant_id_group_id_customer_groups"), "customers", type_="foreignkey")
    op.drop_index("ix_customers_group", table_name="customers")
    op.drop_column("customers", "group_id")
    for table in reversed(TABLES):
        op.drop_table(table)
    op.execute("DROP FUNCTION IF EXISTS public.catalog_tsquery(text[])")
    op.execute("DROP FUNCTION IF EXISTS public.f_unaccent(text)")
    # the extensions stay: other schema objects may use them

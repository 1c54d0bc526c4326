"""Catalog use cases, one per function, each in the caller's transaction (services never commit)."""

from app.catalog.services.attributes import (
    AttributeInput,
    ValueInput,
    add_attribute_value,
    attributes_with_values,
    create_attribute,
    update_attribute,
    update_attribute_value,
)
from app.catalog.services.brands import create_brand, update_brand
from app.catalog.services.catalogs import (
    assign_catalog,
    create_catalog,
    delete_catalog,
    rename_catalog,
    set_catalog_contents,
    unassign_catalog,
    viewer_catalogs,
)
from app.catalog.services.categories import (
    CategoryInput,
    category_tree,
    create_category,
    delete_category,
    update_category,
)
from app.catalog.services.media import ImagePlacement, add_product_image, product_images, set_product_images
from app.catalog.services.products import (
    ProductInput,
    change_product_status,
    create_product,
    get_product,
    update_product,
)
from app.catalog.services.relations import Component, related_products, set_kit_components, set_relations
from app.catalog.services.storefront_settings import hide_prices_until_sign_in, set_hide_prices_until_sign_in
from app.catalog.services.uoms import UomConversion, create_unit, default_stock_unit, set_product_uoms, units_for
from app.catalog.services.upsert import ProductRow, UpsertResult, upsert_products
from app.catalog.services.variants import VariantInput, add_variants, generate_variants, update_variant

__all__ = [
    "AttributeInput",
    "CategoryInput",
    "Component",
    "ImagePlacement",
    "ProductInput",
    "ProductRow",
    "UomConversion",
    "UpsertResult",
    "ValueInput",
    "VariantInput",
    "add_attribute_value",
    "add_product_image",
    "add_variants",
    "assign_catalog",
    "attributes_with_values",
    "category_tree",
    "change_product_status",
    "create_attribute",
    "create_brand",
    "create_catalog",
    "create_category",
    "create_product",
    "create_unit",
    "default_stock_unit",
    "delete_catalog",
    "delete_category",
    "generate_variants",
    "get_product",
    "hide_prices_until_sign_in",
    "product_images",
    "related_products",
    "rename_catalog",
    "set_catalog_contents",
    "set_hide_prices_until_sign_in",
    "set_kit_components",
    "set_product_images",
    "set_product_uoms",
    "set_relations",
    "unassign_catalog",
    "units_for",
    "update_attribute",
    "update_attribute_value",
    "update_brand",
    "update_category",
    "update_product",
    "update_variant",
    "upsert_products",
    "viewer_catalogs",
]

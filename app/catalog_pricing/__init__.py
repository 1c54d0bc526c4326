"""The bridge between catalog and pricing (Tryton's `sale_price_list`): the product CSV, whose price column is a price.

Catalog knows no price lists and pricing stands above catalog, so what needs both lives here: the product
import (the catalogue's upsert, then pricing's service for the base prices) and the product export with its
base prices. It may import both domains; neither imports it.
"""

from app.catalog_pricing.product_export import export_products
from app.catalog_pricing.product_import import PRODUCT_IMPORT, TASK_KINDS, run_product_import

__all__ = ["PRODUCT_IMPORT", "TASK_KINDS", "export_products", "run_product_import"]

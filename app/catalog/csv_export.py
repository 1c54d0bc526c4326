"""Export products (with variants, attributes and base prices) and fixed prices as CSV the import reads back.

Exporting and importing the result again changes nothing: the columns, codes and number formats are the
import's own (product_key = the product's slug, attribute value codes, '.' decimals). Rows are streamed
from one read of the database in pages, so a large catalogue never sits in memory whole.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from sqlalchemy import select, text

from app.catalog import csv_prices, csv_products
from app.catalog.csv_domain import csv_text, format_number
from app.catalog.models import Attribute
from app.db import Database

PAGE = 2000
_BASE_LIST = text(
    "SELECT id FROM price_lists WHERE level = 'base' AND is_active AND currency = :currency "
    "ORDER BY is_base DESC, created_at LIMIT 1"
)
_PRODUCTS = text(
    """
    SELECT p.slug, v.sku, coalesce(p.name->>'es', ''), coalesce(p.name->>'en', ''),
           coalesce(p.description->>'es', ''), coalesce(p.description->>'en', ''), coalesce(c.slug, ''),
           coalesce(b.name, ''), p.tax_class, p.status, p.weight_kg, p.length_cm, p.width_cm, p.height_cm,
           coalesce(v.gtin, ''), v.min_qty, v.order_multiple, v.max_qty, v.cost,
           (SELECT r.value FROM price_rules r
             WHERE r.tenant_id = v.tenant_id AND r.price_list_id = CAST(:base AS uuid) AND r.variant_id = v.id
               AND r.method = 'fixed' AND r.min_qty = 1 AND r.valid_from IS NULL AND r.valid_to IS NULL
             LIMIT 1),
           (SELECT jsonb_object_agg(a.code, av.code) FROM variant_attribute_values x
              JOIN attributes a ON a.tenant_id = x.tenant_id AND a.id = x.attribute_id
              JOIN attribute_values av ON av.tenant_id = x.tenant_id AND av.id = x.value_id
             WHERE x.tenant_id = v.tenant_id AND x.variant_id = v.id)
    FROM products p
    JOIN product_variants v ON v.tenant_id = p.tenant_id AND v.product_id = p.id
    LEFT JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id
    LEFT JOIN brands b ON b.tenant_id = p.tenant_id AND b.id = p.brand_id
    ORDER BY p.slug, v.position, v.sku
    """
)
_PRICES = text(
    """
    SELECT l.code, v.sku, r.min_qty, r.value, r.valid_from, r.valid_to
    FROM price_rules r
    JOIN price_lists l ON l.tenant_id = r.tenant_id AND l.id = r.price_list_id
    JOIN product_variants v ON v.tenant_id = r.tenant_id AND v.id = r.variant_id
    WHERE r.method = 'fixed'
    ORDER BY l.code, v.sku, r.min_qty, r.valid_from NULLS FIRST, r.valid_to NULLS LAST
    """
)


async def export_products(db: Database, tenant_id: uuid.UUID, currency: str) -> AsyncIterator[bytes]:
    """The product CSV (UTF-8 with BOM), one line per variant, in chunks."""
    async with db.transaction(tenant_id) as session:
        codes = list(await session.scalars(select(Attribute.code).order_by(Attribute.position, Attribute.code)))
        base = await session.scalar(_BASE_LIST, {"currency": currency})
        header = [*csv_products.COLUMNS, *(csv_products.ATTRIBUTE_PREFIX + c for c in codes)]
        yield csv_text([header], bom=True).encode()
        result = await session.stream(_PRODUCTS, {"base": base})
        async for rows in result.partitions(PAGE):
            lines = []
            for row in rows:
                values = [v if isinstance(v, str) else format_number(v) for v in row[:20]]
                attributes = row[20] or {}
                lines.append([*values, *(attributes.get(c, "") for c in codes)])
            yield csv_text(lines).encode()


async def export_prices(db: Database, tenant_id: uuid.UUID) -> AsyncIterator[bytes]:
    """The fixed variant prices of every price list (UTF-8 with BOM), in chunks."""
    async with db.transaction(tenant_id) as session:
        yield csv_text([csv_prices.COLUMNS], bom=True).encode()
        result = await session.stream(_PRICES)
        async for rows in result.partitions(PAGE):
            yield csv_text(
                [
                    [code, sku, format_number(qty), format_number(value), start or "", end or ""]
                    for code, sku, qty, value, start, end in rows
                ]
            ).encode()

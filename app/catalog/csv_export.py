"""Export products (with variants, attributes and, from the caller, base prices) as CSV the import reads back.

Exporting and importing the result again changes nothing: the columns, codes and number formats are the
import's own (product_key = the product's slug, attribute value codes, '.' decimals). Rows are streamed
from one read of the database in pages, so a large catalogue never sits in memory whole. The price column
comes from pricing through the caller (app.catalog_pricing.product_export): the catalogue knows no prices.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import csv_products
from app.catalog.csv_domain import csv_text, format_number
from app.catalog.models import Attribute

PAGE = 2000
# variant ids -> their base prices (those without one left out)
BasePrices = Callable[[list[uuid.UUID]], Awaitable[Mapping[uuid.UUID, Decimal]]]
_PRODUCTS = text(
    """
    SELECT p.slug, v.sku, coalesce(p.name->>'es', ''), coalesce(p.name->>'en', ''),
           coalesce(p.description->>'es', ''), coalesce(p.description->>'en', ''), coalesce(c.slug, ''),
           coalesce(b.name, ''), p.tax_class, p.status, p.weight_kg, p.length_cm, p.width_cm, p.height_cm,
           coalesce(v.gtin, ''), v.min_qty, v.order_multiple, v.max_qty, v.cost, v.id,
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


async def export_products(session: AsyncSession, base_prices: BasePrices) -> AsyncIterator[bytes]:
    """The product CSV (UTF-8 with BOM), one line per variant, in chunks; prices from `base_prices`."""
    codes = list(await session.scalars(select(Attribute.code).order_by(Attribute.position, Attribute.code)))
    header = [*csv_products.COLUMNS, *(csv_products.ATTRIBUTE_PREFIX + c for c in codes)]
    yield csv_text([header], bom=True).encode()
    result = await session.stream(_PRODUCTS)
    async for rows in result.partitions(PAGE):
        prices = await base_prices([row[19] for row in rows])
        lines = []
        for row in rows:
            values = [v if isinstance(v, str) else format_number(v) for v in row[:19]]
            attributes = row[20] or {}
            lines.append([*values, format_number(prices.get(row[19])), *(attributes.get(c, "") for c in codes)])
        yield csv_text(lines).encode()

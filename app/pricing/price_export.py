"""Export the fixed variant prices of every price list as the CSV the price import reads back unchanged."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from sqlalchemy import text

from app.catalog.csv_domain import csv_text, format_number
from app.db import Database
from app.pricing import csv_prices

PAGE = 2000
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

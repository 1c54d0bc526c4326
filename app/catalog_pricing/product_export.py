"""The product CSV export with each variant's base price: the catalogue's rows, pricing's prices."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

from app.catalog import csv_export
from app.db import Database
from app.pricing.services.fixed_prices import base_prices, lists_by_code


async def export_products(db: Database, tenant_id: uuid.UUID, currency: str) -> AsyncIterator[bytes]:
    """The product CSV (UTF-8 with BOM) in chunks; price = the fixed price from one unit in the shop's base list."""
    async with db.transaction(tenant_id) as session:
        lists, _inactive = await lists_by_code(session, currency)
        base = lists.get("")

        async def prices(variant_ids: list[uuid.UUID]) -> dict[uuid.UUID, Decimal]:
            return await base_prices(session, base.list_id, variant_ids) if base is not None else {}

        async for chunk in csv_export.export_products(session, prices):
            yield chunk

"""What the storefront shows of the stock, remembered between requests: each variant's availability as the tenant
shows it, the tenant's setting of how much to show, and the products with something available now.

Each is kept (app.cache) under the tenant's `availability` change token, taken before the read: stock levels,
reservations, the inventory settings, the dated supply (open purchase orders, transfers) and kits' components
send it on commit (migrations 0009, 0013), so a stock move retires what it may change here and nothing else (the
catalogue's listings stay). Displays are kept per day too, since "available from" counts from today; the products
in stock also under the catalogue's token (which variants are active). While the change feed is not listening
nothing is kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app import changes
from app.cache import cache
from app.db import driver_connection
from app.inventory.domain import AvailabilityDisplay, AvailabilityMode
from app.inventory.queries.availability import storefront_availability
from app.inventory.queries.places import inventory_settings

ONE = Decimal(1)
TOPIC = "availability"
# (tenant, day, variant, quantity asked) -> AvailabilityDisplay
_SHOWN = cache("inventory.availability", size=200_000, ttl=600.0)
# (tenant, day, the variants of one page) -> their displays: a kept listing asks for the same cards again
_PAGES = cache("inventory.availability_pages", size=20_000, ttl=600.0)
_MODES = cache("inventory.availability_modes", size=10_000, ttl=600.0)  # tenant -> AvailabilityMode
# Equal displays kept as one object: a page's cards mostly say one of a few things, and a caller may then make
# each line once per object (storefront.catalog_stock) instead of hashing a display per card.
_ONE_OF_EACH: dict[AvailabilityDisplay, AvailabilityDisplay] = {}
_ONE_OF_EACH_MAX = 50_000
# tenant -> frozenset of product ids, weighed by their number
_IN_STOCK = cache("inventory.in_stock_products", size=1_000_000, ttl=600.0, weigh=lambda ids: max(len(ids), 1))

IN_STOCK_PRODUCTS = """
WITH here AS (
    SELECT s.variant_id, sum(greatest(s.on_hand - s.reserved, 0)) AS available
    FROM stock_levels s
    WHERE s.tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
    GROUP BY s.variant_id HAVING sum(greatest(s.on_hand - s.reserved, 0)) > 0
), kits AS (
    SELECT k.kit_variant_id AS variant_id
    FROM kit_components k LEFT JOIN here h ON h.variant_id = k.component_variant_id
    WHERE k.tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
    GROUP BY k.kit_variant_id HAVING bool_and(coalesce(h.available, 0) >= k.qty)
)
SELECT DISTINCT v.product_id
FROM (SELECT variant_id FROM here WHERE variant_id NOT IN (SELECT kit_variant_id FROM kit_components)
      UNION SELECT variant_id FROM kits) AS a
JOIN product_variants v ON v.tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
  AND v.id = a.variant_id AND v.status = 'active'
"""


def availability_token(tenant_id: uuid.UUID) -> changes.Token | None:
    """The generation of a tenant's stock as shown (None: not listening): what `shown_availability` answers is
    remembered under it, so an answer built from it may be kept under it too (taken before the read)."""
    return changes.token(tenant_id, TOPIC)


async def shown_availability(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    variant_ids: Iterable[uuid.UUID],
    *,
    requested: Mapping[uuid.UUID, Decimal] | None = None,
    today: date | None = None,
) -> dict[uuid.UUID, AvailabilityDisplay]:
    """`storefront_availability` remembered: what a shopper sees of each variant (for `requested` units of it,
    one by default); only the variants not remembered are read, in one round."""
    token = changes.token(tenant_id, TOPIC)  # before the read: see app.changes
    day = today or date.today()
    wanted = requested or {}
    page = None if wanted else (tenant_id, day, tuple(variant_ids))
    if page is not None and (known := _PAGES.get(token, page)) is not None:
        return dict(known)
    shown: dict[uuid.UUID, AvailabilityDisplay] = {}
    missing: list[uuid.UUID] = []
    for variant_id in dict.fromkeys(variant_ids):
        found = _SHOWN.get(token, (tenant_id, day, variant_id, wanted.get(variant_id, ONE)))
        if found is None:
            missing.append(variant_id)
        else:
            shown[variant_id] = found
    if missing:
        asked = {v: wanted[v] for v in missing if v in wanted}
        fresh = await storefront_availability(session, tenant_id, missing, requested=asked, today=day)
        for variant_id in missing:
            shown[variant_id] = display = _one_of_each(fresh[variant_id])
            _SHOWN.put(token, (tenant_id, day, variant_id, wanted.get(variant_id, ONE)), display)
    if page is not None:
        _PAGES.put(token, page, dict(shown))
    return shown


def _one_of_each(display: AvailabilityDisplay) -> AvailabilityDisplay:
    kept = _ONE_OF_EACH.get(display)
    if kept is None:
        if len(_ONE_OF_EACH) >= _ONE_OF_EACH_MAX:  # figures and dates vary without end: start again
            _ONE_OF_EACH.clear()
        kept = _ONE_OF_EACH[display] = display
    return kept


async def availability_mode(session: AsyncSession, tenant_id: uuid.UUID) -> AvailabilityMode:
    """How much availability the tenant shows its customers (exact figures, levels, or nothing)."""
    token = changes.token(tenant_id, TOPIC)
    mode = _MODES.get(token, tenant_id)
    if mode is None:
        mode = AvailabilityMode((await inventory_settings(session, tenant_id)).availability_mode)
        _MODES.put(token, tenant_id, mode)
    return mode


async def in_stock_products(session: AsyncSession, tenant_id: uuid.UUID) -> frozenset[uuid.UUID]:
    """The products with an active variant available now (on hand less reserved) in some warehouse, a kit
    when every component is (one kit's worth): the storefront's in-stock facet."""
    # which variants are active is the catalogue's: its token too
    token = (changes.token(tenant_id, TOPIC), changes.token(tenant_id, "catalog"))
    found = _IN_STOCK.get(token, tenant_id)
    if found is None:
        conn = await driver_connection(session)
        found = frozenset(row[0] for row in await conn.fetch(IN_STOCK_PRODUCTS))
        _IN_STOCK.put(token, tenant_id, found)
    return found

"""Unit prices at one unit for many variants at once (listing sorts and price facets), remembered per buyer.

The prices come from the one engine (price_variants), never from SQL of their own: what a listing sorts and
filters by is what the product card shows. They are kept in app.cache per tenant and pricing context
(currency, day, customer, groups, coupons, recorded promotion uses) under the tenant's pricing token, so
re-sorting or re-filtering a listing prices only variants not seen before, and a price change retires them at
once; while the change feed is not listening every listing is priced afresh.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Iterable
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app import changes
from app.cache import cache
from app.pricing.domain import PricingContext
from app.pricing.services.quotes import price_variants

CHUNK = 2_000  # variants per price_variants call: one statement and engine run each
# ~250 bytes a price: about 125 MB at most per process
PRICES = cache("pricing.unit_prices", size=500_000, ttl=300.0, weigh=len)


def context_key(session: AsyncSession, ctx: PricingContext) -> Hashable | None:
    """Whose prices these are: tenant and pricing context (None without a tenant)."""
    tenant_id = session.info.get("tenant_id")
    if tenant_id is None:
        return None
    uses = tuple(sorted(ctx.promotion_uses.items(), key=lambda kv: str(kv[0])))
    return (tenant_id, ctx.currency, ctx.on, ctx.customer_id, ctx.group_ids, ctx.coupon_codes, uses)


async def unit_prices(
    session: AsyncSession, ctx: PricingContext, variant_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Decimal]:
    """Each variant's unit price at one unit for `ctx` (variants without a price, or not the tenant's, are left out).

    Only variants not already priced for this context under the current pricing token are priced, CHUNK at a time.
    """
    wanted = list(dict.fromkeys(variant_ids))
    key = context_key(session, ctx)
    token = changes.token(key[0], "pricing") if key is not None else None  # before reading anything
    prices: dict[uuid.UUID, Decimal | None] = PRICES.get(token, key) or {}
    missing = [v for v in wanted if v not in prices]
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start : start + CHUNK]
        sheet = await price_variants(session, ctx, chunk, tiers=False)
        for variant_id in chunk:
            quote = sheet.quotes.get(variant_id)
            prices[variant_id] = quote.unit_price if quote is not None else None
    if missing:
        PRICES.put(token, key, prices)
    return {v: p for v in wanted if (p := prices.get(v)) is not None}

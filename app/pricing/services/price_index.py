"""Unit prices at one unit for many variants at once (listing sorts and price facets), remembered per buyer.

The prices come from the one engine (price_variants), never from SQL of their own: what a listing sorts and
filters by is what the product card shows. A process-local cache keeps them per tenant and pricing context
(currency, day, customer, groups, coupons, recorded promotion uses) and the caller's `generation` token, so
re-sorting or re-filtering a listing prices only variants not seen before. Staleness is bounded by TTL
seconds (a price change shows within that time unless the caller passes a new generation); memory by
CONTEXTS contexts and MAX_PRICES prices in all, least recently used out first.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.changes import Token
from app.pricing.domain import PricingContext
from app.pricing.services.quotes import price_variants

TTL = 300.0
CONTEXTS = 256
MAX_PRICES = 500_000  # ~250 bytes each: about 125 MB at most per process
CHUNK = 2_000  # variants per price_variants call: one statement and engine run each


class _Prices:
    """The prices of one context: variant -> unit price (None: priced, but has no price)."""

    __slots__ = ("by_variant", "expires")

    def __init__(self, ttl: float) -> None:
        self.expires = time.monotonic() + ttl
        self.by_variant: dict[uuid.UUID, Decimal | None] = {}


class PriceIndex:
    """The cache behind unit_prices; one per process (INDEX), its own in tests that need other limits."""

    def __init__(self, ttl: float = TTL, contexts: int = CONTEXTS, max_prices: int = MAX_PRICES) -> None:
        self.ttl, self.contexts, self.max_prices = ttl, contexts, max_prices
        self._entries: OrderedDict[Hashable, _Prices] = OrderedDict()
        self._size = 0
        self.priced = 0  # variants priced through the engine since start (how much the cache saved shows here)

    def entry(self, key: Hashable) -> _Prices:
        """The context's prices (fresh ones when missing or expired), marked as the most recently used."""
        found = self._entries.get(key)
        if found is None or found.expires < time.monotonic():
            if found is not None:
                self._size -= len(found.by_variant)
            found = self._entries[key] = _Prices(self.ttl)
        self._entries.move_to_end(key)
        return found

    def grew(self, key: Hashable, added: int) -> None:
        """Account for `added` prices under `key`; drop the least recently used contexts beyond the bounds."""
        self._size += added
        while len(self._entries) > self.contexts or (self._size > self.max_prices and len(self._entries) > 1):
            old_key, old = next(iter(self._entries.items()))
            if old_key == key:  # the context being filled stays, even when it alone exceeds max_prices
                self._entries.move_to_end(key)
                if len(self._entries) == 1:
                    break
                continue
            del self._entries[old_key]
            self._size -= len(old.by_variant)

    def clear(self) -> None:
        self._entries.clear()
        self._size = 0

    def __len__(self) -> int:
        return self._size


INDEX = PriceIndex()


def context_key(session: AsyncSession, ctx: PricingContext, generation: object = None) -> Hashable | None:
    """Whose prices these are: tenant, pricing context and the caller's generation (None without a tenant)."""
    tenant_id = session.info.get("tenant_id")
    if tenant_id is None:
        return None
    uses = tuple(sorted(ctx.promotion_uses.items(), key=lambda kv: str(kv[0])))
    return (tenant_id, ctx.currency, ctx.on, ctx.customer_id, ctx.group_ids, ctx.coupon_codes, uses, generation)


async def unit_prices(
    session: AsyncSession,
    ctx: PricingContext,
    variant_ids: Iterable[uuid.UUID],
    *,
    generation: object = None,
    index: PriceIndex | None = None,
    token: Token | None = None,
) -> dict[uuid.UUID, Decimal]:
    """Each variant's unit price at one unit for `ctx` (variants without a price, or not the tenant's, are left out).

    Only variants the cache does not hold for this context are priced, CHUNK at a time. `token`: the tenant's
    pricing generation (app.changes), for price_variants.
    """
    index = INDEX if index is None else index
    wanted = list(dict.fromkeys(variant_ids))
    key = context_key(session, ctx, generation)
    prices = index.entry(key).by_variant if key is not None else {}
    missing = [v for v in wanted if v not in prices]
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start : start + CHUNK]
        sheet = await price_variants(session, ctx, chunk, tiers=False, token=token)
        for variant_id in chunk:
            quote = sheet.quotes.get(variant_id)
            prices[variant_id] = quote.unit_price if quote is not None else None
        index.priced += len(chunk)
        if key is not None:
            index.grew(key, len(chunk))
    return {v: p for v in wanted if (p := prices.get(v)) is not None}

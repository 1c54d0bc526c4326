"""The price facet of a listing, pure: round-numbered price ranges with their counts, and ordering by price.

The prices are the viewer's (the caller's lookup prices each product's default variant through the pricing
engine); this module only filters, orders and counts them. Ranges are half-open [low, high) so that no
product counts twice; a range's link asks for low..(high - one minor unit), inclusive, which selects exactly
the products counted.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

NICE = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
CUTS = (0.2, 0.4, 0.6, 0.8)  # where the boundaries are sought: at most five ranges of similar size
PRICE_SORTS = ("price_asc", "price_desc")


@dataclass(frozen=True, slots=True)
class PriceBucket:
    """Products priced from `low` (inclusive) to `high` (exclusive); None: open at that end."""

    low: Decimal | None
    high: Decimal | None
    count: int
    price_min: Decimal | None  # what the range's link filters by (inclusive)
    price_max: Decimal | None


@dataclass(frozen=True, slots=True)
class PriceFacet:
    """The price facet: ranges with counts, and the lowest and highest price, of the products matching every
    other filter (the price filter itself does not narrow it)."""

    buckets: tuple[PriceBucket, ...]
    lowest: Decimal | None
    highest: Decimal | None
    priced: int  # how many of those products have a price


def nice(value: Decimal) -> Decimal:
    """The round number (1, 2, 2.5 or 5 times a power of ten) nearest to a positive value, by ratio."""
    exponent = value.adjusted()
    scale = Decimal(1).scaleb(exponent)
    mantissa = value / scale
    best = min(NICE, key=lambda n: max(n / mantissa, mantissa / n))
    return (best * scale).normalize() + Decimal(0)


def minor_unit(prices: Sequence[Decimal]) -> Decimal:
    """The smallest step the prices are written in (0.01 for euro prices), 0.01 when there are none.

    The engine rounds every price to the currency's minor unit, so a few hundred of them tell it.
    """
    sample = prices[:: max(1, len(prices) // 256)]
    exponent = min((p.as_tuple().exponent for p in sample if p.is_finite()), default=-2)
    return Decimal(1).scaleb(min(int(exponent), 0))


def boundaries(prices: Sequence[Decimal]) -> list[Decimal]:
    """Round boundaries near the quantiles of the sorted prices, each above the lowest and at most the highest."""
    if not prices:
        return []
    found: list[Decimal] = []
    lowest, highest = prices[0], prices[-1]
    for cut in CUTS:
        value = prices[min(len(prices) - 1, int(cut * len(prices)))]
        if value <= 0:
            continue
        bound = nice(value)
        if lowest < bound <= highest and bound not in found:
            found.append(bound)
    return sorted(found)


def price_facet(prices: Sequence[Decimal]) -> PriceFacet:
    """The facet from the prices of the matching products (any order; the unpriced already left out)."""
    rising = sorted(prices)
    if not rising:
        return PriceFacet((), None, None, 0)
    step = minor_unit(rising)
    edges: list[Decimal | None] = [None, *boundaries(rising), None]
    buckets: list[PriceBucket] = []
    position = 0
    for low, high in pairwise(edges):
        start = position
        while position < len(rising) and (high is None or rising[position] < high):
            position += 1
        if position > start:
            buckets.append(PriceBucket(low, high, position - start, low, None if high is None else high - step))
    return PriceFacet(tuple(buckets) if len(buckets) > 1 else (), rising[0], rising[-1], len(rising))


def in_range(price: Decimal | None, low: Decimal | None, high: Decimal | None) -> bool:
    """Inclusive at both ends; a product without a price is in no range."""
    return price is not None and (low is None or price >= low) and (high is None or price <= high)


def by_price(
    product_ids: Sequence[uuid.UUID], prices: Mapping[uuid.UUID, Decimal], *, descending: bool = False
) -> list[uuid.UUID]:
    """The products by price, those without one last. The sort is stable: equal prices, and the unpriced, keep
    the order given (the listing's by name), whichever the direction."""
    priced = [p for p in product_ids if p in prices]
    priced.sort(key=prices.__getitem__, reverse=descending)
    return priced + [p for p in product_ids if p not in prices]

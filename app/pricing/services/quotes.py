"""Prices for a page or basket in one query round, the context they are computed in, and why a price is what it is."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.parties import Customer
from app.pricing import repo
from app.pricing.domain import PriceQuote, PriceSheet, PricingContext, Tier, price_for, price_many


class TenantLike(Protocol):
    """What pricing needs of a tenant (tenants.directory.TenantInfo or the Tenant row)."""

    id: uuid.UUID
    currency: str


@dataclass(frozen=True, slots=True)
class PriceExplanation:
    """A price for staff: the quote and the reasons behind it, rendered in the current locale."""

    quote: PriceQuote
    lines: list[str]


async def pricing_context_for(
    session: AsyncSession,
    tenant: TenantLike,
    customer_id: uuid.UUID | None = None,
    currency: str | None = None,
    on: date | None = None,
    coupons: Iterable[str] = (),
) -> PricingContext:
    """Who buys (their groups resolved), in which currency (the tenant's by default), on which day (today).

    An anonymous visitor (customer_id None) gets the base prices. Another tenant's customer is NotFound.
    """
    group_ids: frozenset[Any] = frozenset()
    if customer_id is not None:
        row = (await session.execute(select(Customer.group_id).where(Customer.id == customer_id))).first()
        if row is None:
            raise NotFound()
        group_ids = frozenset([row[0]]) if row[0] is not None else frozenset()
    return PricingContext(
        currency=(currency or tenant.currency).upper(),
        on=on or date.today(),
        customer_id=customer_id,
        group_ids=group_ids,
        coupon_codes=tuple(c for c in coupons if c and c.strip()),
    )


def _with_uses(ctx: PricingContext, uses: Mapping[Any, int]) -> PricingContext:
    """The customer's recorded uses of each promotion, or the caller's count when it is higher."""
    if not uses:
        return ctx
    merged = dict(uses)
    for promotion_id, count in ctx.promotion_uses.items():
        merged[promotion_id] = max(count, merged.get(promotion_id, 0))
    return replace(ctx, promotion_uses=merged)


ONE = Decimal(1)


def _quantity(qty: Decimal | int) -> Decimal:
    return qty if isinstance(qty, Decimal) else Decimal(qty)


async def price_variants(
    session: AsyncSession,
    ctx: PricingContext,
    variant_ids: Iterable[uuid.UUID],
    qtys: Mapping[Any, Decimal | int] | None = None,
    *,
    tiers: bool = True,
) -> PriceSheet:
    """Price variants for one customer in one SQL statement: a quote per variant the tenant has (qty 1 unless given).

    Ids of variants the tenant does not have get no quote. `tiers=False` (a basket) skips the tier tables,
    and then loads no rule whose tier starts above the basket's largest quantity (it could not apply).
    The variants' products and categories are remembered under the tenant's pricing token (app.pricing.repo),
    so a page seen again reads only the rules.
    """
    if tiers:
        page = await repo.load_page(session, ctx, variant_ids)
    else:
        largest = max((_quantity(q) for q in (qtys or {}).values()), default=ONE)
        page = await repo.load_page(session, ctx, variant_ids, max(largest, ONE))
    return price_many(page.items, page.rules, page.promotions, qtys or {}, _with_uses(ctx, page.uses), tiers=tiers)


async def offered_tiers(session: AsyncSession, ctx: PricingContext, variant_id: uuid.UUID) -> tuple[Tier, ...]:
    """The variant's price breaks for this customer with the live offers applied, for a product page.

    A quote's `tiers` are the winning rules' prices before promotions, and an offer may start at a quantity of
    its own; so the quantities where the price can change (the tier starts and the offers' minimum quantities)
    are each priced exactly as a basket of that quantity is (price_many without tier tables, as the cart and
    the order price it), and runs of one price are merged. Empty when the variant is not the tenant's.
    """
    page = await repo.load_page(session, ctx, [variant_id])
    if not page.items:
        return ()
    ctx = _with_uses(ctx, page.uses)
    rules, promotions = page.rules, page.promotions
    base = price_many(page.items, rules, promotions, {variant_id: ONE}, ctx).quotes[variant_id]
    starts = {tier.min_qty for tier in base.tiers} | {p.min_qty for p in promotions if p.min_qty > ONE}
    table: list[Tier] = []
    for qty in sorted(starts):
        unit = price_many(page.items, rules, promotions, {variant_id: qty}, ctx, tiers=False).quotes[variant_id]
        if unit.unit_price is not None and (not table or table[-1].unit_price != unit.unit_price):
            table.append(Tier(qty, unit.unit_price))
    return tuple(table)


async def explain_price(
    session: AsyncSession, ctx: PricingContext, variant_id: uuid.UUID, qty: Decimal | int = 1
) -> PriceExplanation:
    """One variant's price at a quantity with its tier table and explanation lines (NotFound when not the tenant's)."""
    page = await repo.load_page(session, ctx, [variant_id])
    if not page.items:
        raise NotFound()
    quote = price_for(page.items[0], page.rules, page.promotions, qty, _with_uses(ctx, page.uses))
    return PriceExplanation(quote, [*quote.explanation, *(p.reason for p in quote.coupon_problems)])

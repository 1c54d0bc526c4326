"""The storefront's side of its catalogue pages: the viewer from the request, links, sign-in and media URLs.

What the pages read (tree, viewer facts, card prices, facet counts) is app.catalog_pricing.storefront's; what
cards say of the stock is app.inventory's (`shown_availability`), said as storefront.catalog_stock words it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from litestar import Request
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.search import ProductCard
from app.catalog_pricing.storefront import (
    CategoryNode,
    CategoryTree,
    PriceView,
    Viewer,
    badge,
    card_prices,
    category_for,
    facet_cache,
    money_text,
    number_text,
    price_view,
    prices_from,
    tree,
    viewer,
)
from app.inventory import shown_availability
from app.inventory.domain import AvailabilityDisplay
from app.web.guards import current_tenant
from app.web.session import current_user
from storefront.catalog_stock import card_stock_lines

__all__ = [
    "CardList",
    "CategoryNode",
    "CategoryTree",
    "PriceView",
    "Viewer",
    "badge",
    "card_availability",
    "card_prices",
    "category_for",
    "facet_cache",
    "here",
    "media_url",
    "money_text",
    "number_text",
    "price_view",
    "priced_cards",
    "prices_from",
    "sign_in_url",
    "tree",
    "viewer_for",
]


async def viewer_for(request: Request, session: AsyncSession) -> Viewer:
    """Resolve the visitor once per request: the tenant, the language and the signed-in customer, if any."""
    tenant = current_tenant(request)
    locale = request.scope["state"].get("locale", tenant.locale)
    user = current_user(request)
    customer_id = user.customer_id if user is not None and user.is_customer else None
    return await viewer(session, tenant, locale, customer_id)


@dataclass(frozen=True)
class CardList:
    """Cards with what their template needs: prices by product, whether prices show, where to sign in, and the
    availability of each card's default variant (by variant id; not kept with a listing, see catalog_stock)."""

    cards: list[ProductCard]
    prices: dict[uuid.UUID, PriceView] = field(default_factory=dict)
    show_prices: bool = True
    sign_in_url: str = "/sign-in"
    availability: dict[uuid.UUID, AvailabilityDisplay] = field(default_factory=dict)

    @cached_property
    def stock_lines(self) -> list[Markup]:
        """Each card's availability line, in the cards' order, between the markers a kept listing is filled in by
        (made in one pass: a call per card from the template cost a few per cent of rendering a page)."""
        return card_stock_lines([card.default_variant_id for card in self.cards], self.availability)

    @property
    def rows(self) -> list[tuple[ProductCard, PriceView | None, Markup]]:
        """Each card with its price and its availability line, for the template's loop to unpack (a loop that
        asks for `loop.index0` and looks the price up costs a loop object and four lookups per card)."""
        prices = self.prices
        return [
            (card, prices.get(card.product_id), line) for card, line in zip(self.cards, self.stock_lines, strict=True)
        ]


async def card_availability(
    session: AsyncSession, viewer: Viewer, cards: list[ProductCard]
) -> dict[uuid.UUID, AvailabilityDisplay]:
    """What each card's default variant shows of the stock, in at most one round (remembered by inventory)."""
    variants = [c.default_variant_id for c in cards if c.default_variant_id is not None]
    return await shown_availability(session, viewer.tenant_id, variants) if variants else {}


async def priced_cards(session: AsyncSession, viewer: Viewer, cards: list[ProductCard], here: str) -> CardList:
    """Cards priced for the viewer in one round, with their availability."""
    prices = await card_prices(session, viewer, cards)
    stock = await card_availability(session, viewer, cards)
    return CardList(cards, prices, viewer.pricing is not None, sign_in_url(here), stock)


def sign_in_url(here: str) -> str:
    return "/sign-in?" + urlencode({"next": here})


def here(request: Request) -> str:
    """This page's path and query, as a `next` for sign-in."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def media_url(key: str | None) -> str | None:
    return f"/media/{key}" if key else None

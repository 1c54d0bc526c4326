"""The storefront's side of its catalogue pages: the viewer from the request, links, sign-in and media URLs.

What the pages read (tree, viewer facts, card prices, facet counts) is app.catalog_pricing.storefront's.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

from litestar import Request
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
from app.web.guards import current_tenant
from app.web.session import current_user

__all__ = [
    "CardList",
    "CategoryNode",
    "CategoryTree",
    "PriceView",
    "Viewer",
    "badge",
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
    """Cards with what their template needs: prices by product, whether prices show, where to sign in."""

    cards: list[ProductCard]
    prices: dict[uuid.UUID, PriceView] = field(default_factory=dict)
    show_prices: bool = True
    sign_in_url: str = "/sign-in"


async def priced_cards(session: AsyncSession, viewer: Viewer, cards: list[ProductCard], here: str) -> CardList:
    """Cards priced for the viewer in one round."""
    prices = await card_prices(session, viewer, cards)
    return CardList(cards, prices, viewer.pricing is not None, sign_in_url(here))


def sign_in_url(here: str) -> str:
    return "/sign-in?" + urlencode({"next": here})


def here(request: Request) -> str:
    """This page's path and query, as a `next` for sign-in."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def media_url(key: str | None) -> str | None:
    return f"/media/{key}" if key else None

"""The storefront home page's catalogue parts: the top categories and the newest products, priced."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.search import CatalogQuery, browse
from storefront.catalog import CardList, CategoryNode, Viewer, priced_cards, tree

FEATURED = 8


@dataclass(frozen=True)
class HomeView:
    categories: list[CategoryNode]
    featured: CardList
    locale: str


async def home_view(session: AsyncSession, viewer: Viewer, here: str = "/") -> HomeView:
    """Top categories and the newest active products the viewer may see, with their prices."""
    categories = await tree(session, viewer.tenant_id, token=viewer.catalog_token)
    query = CatalogQuery(sort="newest", per_page=FEATURED, locale=viewer.locale)
    page = await browse(session, query, catalog_ids=viewer.catalog_ids, facets=False)
    return HomeView(categories.roots(), await priced_cards(session, viewer, page.items, here), viewer.locale)

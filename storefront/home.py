"""The storefront home page."""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from storefront.catalog import viewer_for
from storefront.catalog_home import home_view
from storefront.listing_cache import listing_response

TEMPLATE = "storefront/home.html.j2"


@get("/", name="storefront:home")
async def home(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """The welcome, and the catalogue part (categories, newest products priced for the viewer) kept between
    visits like a listing (storefront.listing_cache)."""
    viewer = await viewer_for(request, db)

    async def build() -> tuple[str, str, dict]:
        return "", "", {"home": await home_view(db, viewer)}

    return await listing_response(request, db, viewer, TEMPLATE, build, block="catalogue")

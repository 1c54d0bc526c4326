"""The storefront home page."""

from __future__ import annotations

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from app.web.templating import render
from storefront.catalog import viewer_for
from storefront.catalog_home import home_view


@get("/", name="storefront:home")
async def home(request: Request, db: NamedDependency[AsyncSession]) -> Template:
    viewer = await viewer_for(request, db)
    return render(request, "storefront/home.html.j2", {"home": await home_view(db, viewer)})

"""The storefront home page."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from app.web.templating import render


@get("/", name="storefront:home")
async def home(request: Request) -> Template:
    return render(request, "storefront/home.html.j2")

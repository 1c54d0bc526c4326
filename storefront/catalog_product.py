"""The product page (/p/{slug}) and its offer fragment (/p/{slug}/offer), re-priced as the customer picks.

Without JavaScript the offer form reloads the page with ?variant=&qty=; with htmx it fetches only the offer
block and replaces the address with the page's, so a reload shows the same choice.
"""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.web.templating import render
from storefront.catalog import Viewer, here, viewer_for
from storefront.catalog_detail import load_product
from storefront.catalog_offer import Offer, offer_for

TEMPLATE = "storefront/catalog/product.html.j2"


async def product_offer(
    session: AsyncSession, viewer: Viewer, slug: str, query: dict[str, str], here: str, *, related: bool
) -> Offer:
    """The visible product at `slug` with the offer the query asks for (NotFound when not visible)."""
    data = await load_product(session, viewer, slug, related=related)
    return await offer_for(session, viewer, data, query, here)


@get("/p/{slug:str}", name="storefront:product")
async def product_page(request: Request, db: NamedDependency[AsyncSession], slug: FromPath[str]) -> Response:
    viewer = await viewer_for(request, db)
    try:
        offer = await product_offer(db, viewer, slug, dict(request.query_params), here(request), related=True)
    except NotFound:
        raise NotFoundException() from None
    return render(request, TEMPLATE, {"offer": offer})


@get("/p/{slug:str}/offer", name="storefront:product_offer")
async def offer_fragment(request: Request, db: NamedDependency[AsyncSession], slug: FromPath[str]) -> Response:
    query = request.url.query
    if not request.headers.get("hx-request"):  # a browser without htmx gets the whole page
        return Redirect(f"/p/{slug}" + (f"?{query}" if query else ""), status_code=303)
    viewer = await viewer_for(request, db)
    try:
        offer = await product_offer(db, viewer, slug, dict(request.query_params), f"/p/{slug}", related=False)
    except NotFound:
        raise NotFoundException() from None
    response = render(request, TEMPLATE, {"offer": offer}, block="offer")
    response.headers["HX-Replace-Url"] = offer.url()
    response.headers["Vary"] = "HX-Request"
    return response


HANDLERS = [product_page, offer_fragment]

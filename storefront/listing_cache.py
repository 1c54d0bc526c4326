"""Rendered listings, remembered: a category or search page seen again costs no catalogue query, no pricing
round and no card rendering until the catalogue or the prices change.

The listing block of a page (breadcrumb, facets, cards with prices, pager) depends only on the URL, the
language, who is looking (their catalogues and pricing context) and the tenant's catalogue and pricing data.
It is kept under the tenant's change tokens (app.changes), so a committed change to a product, a category,
an assortment, a price, a rule, a promotion or a cost retires every page rendered before it, in every
process. The rest of the page (header with the signed-in user, CSRF token, language switch) is rendered
per request around it. Without a change feed (tokens None) nothing is kept.

Availability is not kept with it: the block is kept cut at its cards' availability lines (storefront.
catalog_stock), filled in from inventory's own remembered reads, so a stock move changes the lines and no
listing is rebuilt. The block as last filled is kept beside it under inventory's availability token and the
day ("available from" counts from today): a page asked for again before any stock moves is served as it is.
How much the tenant shows (exact, levels, hidden) is part of the key; a listing narrowed to what is in stock
depends on the stock itself and is not kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date

from jinja2_fragments import render_block
from litestar import Request, Response
from litestar.response import Template
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from app.cache import cache
from app.inventory import availability_mode, availability_token, shown_availability
from app.inventory.domain import AvailabilityDisplay, AvailabilityMode
from storefront.catalog import Viewer
from storefront.catalog_stock import Slotted, filled, slotted

LISTINGS = cache("storefront.listings", size=2_000, ttl=900.0)  # a listing block is ~20 kB of HTML


@dataclass(frozen=True, slots=True)
class Query:
    """What the layout reads of a listing around the block: the search box's text."""

    q: str = ""


@dataclass(slots=True)
class RenderedListing:
    """A listing block as rendered, with the little the page around it needs (the title, the search text).

    Cut at its cards' availability lines (`block`) the first time it is read back from the cache: a listing
    asked for once (a rare filter, a one-off search) never pays for the cut; `html` is let go once cut.
    `stocked` is the block as last filled in, with the availability generation and the day it was filled in
    for.
    """

    title: str
    html: str
    params: Query = field(default_factory=Query)
    _cut: Slotted | None = None
    stocked: tuple[Hashable, Markup] | None = None

    @property
    def block(self) -> Slotted:
        if self._cut is None:
            self._cut, self.html = slotted(self.html), ""  # the parts hold it all: a kept block is held once
        return self._cut


def listing_key(request: Request, viewer: Viewer, shown: AvailabilityMode | None = None) -> Hashable:
    """The key of this request's listing block (kept under the viewer's catalogue and pricing tokens)."""
    ctx = viewer.pricing
    pricing = None if ctx is None else (ctx.currency, ctx.on, ctx.customer_id, ctx.group_ids, ctx.coupon_codes)
    return (
        viewer.tenant_id,
        viewer.locale,
        viewer.catalog_ids,
        pricing,
        shown,  # how much availability the tenant shows (the in-stock facet is offered unless hidden)
        request.url.path,
        request.url.query,
        request.headers.get("hx-trigger") == "filters",  # the filter panel opens on the phone
    )


async def listing_response(
    request: Request,
    session: AsyncSession,
    viewer: Viewer,
    template: str,
    build: Callable[[], Awaitable[tuple[str, str, dict]]],
    block: str = "listing",
    *,
    keep: bool = True,
) -> Response:
    """The listing page, or only its block for htmx, from the cache when it holds this key (and `keep`).

    `build` computes the listing on a miss: (title, search text, the block's template context). The
    template's `block` shows `listing_html` when it is defined (the kept HTML), else renders itself. A kept
    block gets its cards' availability of the moment.
    """
    shown = await availability_mode(session, viewer.tenant_id)
    key, tokens = listing_key(request, viewer, shown), (viewer.catalog_token, viewer.pricing_token)
    rendered = LISTINGS.get(tokens, key) if keep else None
    if rendered is None:
        title, q, context = await build()
        environment = request.app.template_engine.engine  # type: ignore[attr-defined]
        # Markup: the block is our autoescaped template's output, already safe HTML
        html = Markup(render_block(environment, template, block, **context))  # noqa: S704
        rendered = RenderedListing(title, html, Query(q))
        if keep:
            LISTINGS.put(tokens, key, rendered)
    else:
        html = await _with_stock(session, viewer.tenant_id, rendered, shown)
    headers = request.headers
    if headers.get("hx-request") and not headers.get("hx-boosted") and not headers.get("hx-history-restore-request"):
        response: Response = Response(html, media_type="text/html")
    else:
        response = Template(template_name=template, context={"listing": rendered, "listing_html": html})
    response.headers["Vary"] = "HX-Request"
    return response


async def _with_stock(
    session: AsyncSession, tenant_id: uuid.UUID, rendered: RenderedListing, shown: AvailabilityMode
) -> Markup:
    """A kept block with its cards' availability of the moment: filled in again only when the stock shown may
    have changed since it last was (a new availability generation, or a new day)."""
    token = availability_token(tenant_id)  # before the read, as app.changes says
    stamp = None if token is None else (token, date.today())
    if stamp is not None and rendered.stocked is not None and rendered.stocked[0] == stamp:
        return rendered.stocked[1]
    cut = rendered.block
    stock: Mapping[uuid.UUID, AvailabilityDisplay] = {}
    if cut.variant_ids and shown is not AvailabilityMode.HIDDEN:
        stock = await shown_availability(session, tenant_id, cut.variant_ids)
    html = filled(cut, stock)
    if stamp is not None:
        rendered.stocked = (stamp, html)
    return html

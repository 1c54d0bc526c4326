"""Category pages (/c/{slug}) and search (/search?q=): one listing with facets, sort and pages.

Filters, sort and page live in the query string, so every state is a shareable link that works without
JavaScript; with htmx the form and the pager fetch only the listing block and push the URL (Back works).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.datastructures import MultiDict
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.search import PER_PAGE, SEARCH_CAP, CatalogPage, CatalogQuery, browse
from app.errors import NotFound
from app.i18n import gettext as _
from app.web.templating import render
from storefront.catalog import (
    FACETS,
    CardList,
    CategoryNode,
    CategoryTree,
    Viewer,
    category_for,
    here,
    price_join,
    priced_cards,
    tree,
    viewer_for,
)

TEMPLATE = "storefront/catalog/listing.html.j2"
MAX_PAGE = SEARCH_CAP // PER_PAGE
MAX_FILTERS = 40


@dataclass(frozen=True)
class ListingParams:
    """A listing's state as its URL carries it (parsed leniently: what does not parse is left out)."""

    q: str = ""
    sort: str = ""
    page: int = 1
    brand_ids: tuple[uuid.UUID, ...] = ()
    value_ids: tuple[uuid.UUID, ...] = ()
    category: str = ""  # search only: the category slug the search is narrowed to
    price_min: Decimal | None = None
    price_max: Decimal | None = None

    @property
    def filtered(self) -> bool:
        return bool(self.brand_ids or self.value_ids or self.price_min is not None or self.price_max is not None)

    def pairs(self) -> list[tuple[str, str]]:
        """The query-string pairs in a stable order (defaults left out)."""
        pairs = [("q", self.q)] if self.q else []
        if self.category:
            pairs.append(("category", self.category))
        pairs += [("brand", str(b)) for b in self.brand_ids] + [("value", str(v)) for v in self.value_ids]
        if self.price_min is not None:
            pairs.append(("min", str(self.price_min)))
        if self.price_max is not None:
            pairs.append(("max", str(self.price_max)))
        if self.sort:
            pairs.append(("sort", self.sort))
        if self.page > 1:
            pairs.append(("page", str(self.page)))
        return pairs


def _uuids(values: list[str]) -> tuple[uuid.UUID, ...]:
    found: list[uuid.UUID] = []
    for value in values[:MAX_FILTERS]:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return tuple(dict.fromkeys(found))


def _amount(value: str | None) -> Decimal | None:
    try:
        amount = Decimal((value or "").strip().replace(",", "."))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def parse_params(query: MultiDict, sorts: dict[str, str], *, searching: bool) -> ListingParams:
    """The listing's state from its query string; an unknown sort or page falls back to the default."""
    try:
        page = min(max(int(query.get("page") or 1), 1), MAX_PAGE)
    except ValueError:
        page = 1
    sort = query.get("sort") or ""
    return ListingParams(
        q=" ".join((query.get("q") or "").split())[:200] if searching else "",
        sort=sort if sort in sorts else "",
        page=page,
        brand_ids=_uuids(query.getall("brand", [])),
        value_ids=_uuids(query.getall("value", [])),
        category=(query.get("category") or "")[:120] if searching else "",
        price_min=_amount(query.get("min")) if "price_asc" in sorts else None,
        price_max=_amount(query.get("max")) if "price_asc" in sorts else None,
    )


def sort_options(viewer: Viewer, *, searching: bool) -> dict[str, str]:
    """The sorts this listing offers, in menu order (by price only when prices can be joined)."""
    options = {"relevance": _("Best match")} if searching else {}
    options |= {"name": _("Name (A–Z)"), "newest": _("Newest first")}
    if price_join(viewer) is not None:
        options |= {"price_asc": _("Price: low to high"), "price_desc": _("Price: high to low")}
    return options


@dataclass(frozen=True)
class Listing:
    """Everything the listing template shows."""

    path: str
    title: str
    params: ListingParams
    sorts: dict[str, str]
    page: CatalogPage
    cards: CardList
    tree: CategoryTree
    locale: str
    trail: list[CategoryNode] = field(default_factory=list)
    category: CategoryNode | None = None
    searching: bool = False

    @property
    def sort(self) -> str:
        return self.params.sort or next(iter(self.sorts))

    def url(self, **changes: object) -> str:
        """This listing's URL with some state changed (filters or sort changes go back to page 1)."""
        params = replace(self.params, **{"page": 1, **changes})  # type: ignore[arg-type]
        pairs = params.pairs()
        return self.path + ("?" + urlencode(pairs) if pairs else "")

    def page_url(self, number: int) -> str:
        return self.url(page=number)

    def cleared(self) -> str:
        return self.url(brand_ids=(), value_ids=(), price_min=None, price_max=None)


async def _run(
    session: AsyncSession,
    viewer: Viewer,
    params: ListingParams,
    category_id: uuid.UUID | None,
    here: str,
) -> tuple[CatalogPage, CardList]:
    query = CatalogQuery(
        text=params.q,
        category_id=category_id,
        brand_ids=params.brand_ids,
        value_ids=params.value_ids,
        price_min=params.price_min,
        price_max=params.price_max,
        sort=params.sort,
        page=params.page,
        locale=viewer.locale,
    )
    page = await browse(
        session, query, catalog_ids=viewer.catalog_ids, price=price_join(viewer), facets=True, cache=FACETS
    )
    return page, await priced_cards(session, viewer, page.items, here)


async def category_listing(session: AsyncSession, viewer: Viewer, slug: str, query: MultiDict, here: str) -> Listing:
    """A category page: its products and its subcategories' (NotFound for an unknown slug)."""
    try:
        categories, node = await category_for(session, viewer.tenant_id, slug)
    except LookupError:
        raise NotFound() from None
    sorts = sort_options(viewer, searching=False)
    params = parse_params(query, sorts, searching=False)
    page, cards = await _run(session, viewer, params, node.id, here)
    trail = categories.trail(node)
    title = node.label(viewer.locale)
    return Listing(f"/c/{slug}", title, params, sorts, page, cards, categories, viewer.locale, trail, node)


async def search_listing(session: AsyncSession, viewer: Viewer, query: MultiDict, here: str) -> Listing:
    """Search results (every product when the query is empty), optionally narrowed to a category."""
    sorts = sort_options(viewer, searching=True)
    params = parse_params(query, sorts, searching=True)
    categories, node = await tree(session, viewer.tenant_id), None
    if params.category:
        try:
            categories, node = await category_for(session, viewer.tenant_id, params.category)
        except LookupError:  # a category since removed: search everywhere
            params = replace(params, category="")
    page, cards = await _run(session, viewer, params, node.id if node else None, here)
    title = _("Results for “%(q)s”", q=params.q) if params.q else _("All products")
    trail = categories.trail(node) if node else []
    return Listing("/search", title, params, sorts, page, cards, categories, viewer.locale, trail, node, True)


def _respond(request: Request, listing: Listing) -> Response:
    """The page, or only its listing block for htmx (but the whole page when htmx restores history)."""
    restoring = bool(request.headers.get("hx-history-restore-request"))
    context = {"listing": listing, "filters_open": request.headers.get("hx-trigger") == "filters"}
    response = render(request, TEMPLATE, context, block=None if restoring else "listing")
    response.headers["Vary"] = "HX-Request"
    return response


@get("/c/{slug:str}", name="storefront:category")
async def category_page(request: Request, db: NamedDependency[AsyncSession], slug: FromPath[str]) -> Response:
    viewer = await viewer_for(request, db)
    try:
        listing = await category_listing(db, viewer, slug, request.query_params, here(request))
    except NotFound:
        raise NotFoundException() from None
    return _respond(request, listing)


@get("/search", name="storefront:search")
async def search_page(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    viewer = await viewer_for(request, db)
    return _respond(request, await search_listing(db, viewer, request.query_params, here(request)))


HANDLERS = [category_page, search_page]

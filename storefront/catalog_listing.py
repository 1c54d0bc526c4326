"""Category pages (/c/{slug}) and search (/search?q=): one listing with facets, sort and pages.

Filters, sort and page live in the query string, so every state is a shareable link that works without
JavaScript; with htmx the form and the pager fetch only the listing block and push the URL (Back works).

Prices: sorting by price and the price facet (ranges with counts, and a from/to pair: price_min, price_max)
use the unit price each card shows, priced by the engine through app.pricing.services.price_index (cached
per pricing context under the tenant's pricing generation; not cached while the change feed is not
listening). When prices are hidden until sign-in they are not offered, and price parameters in a URL are
ignored; a price that does not parse, is negative or has the range upside down is not applied and the facet
says why.

Availability: each card says what its default variant shows of the stock (storefront.catalog_stock), and
`stock=1` narrows the listing to the products with something available now (app.inventory's
`in_stock_products`, given to the catalogue query as a plain restriction); neither is offered when the tenant
hides availability.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.datastructures import MultiDict
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.search import PER_PAGE, SEARCH_CAP, CatalogPage, CatalogQuery, PriceBucket, browse
from app.changes import Token
from app.errors import NotFound
from app.i18n import gettext as _
from app.inventory import availability_mode, in_stock_products
from app.inventory.domain import AvailabilityMode
from app.pricing.domain import PricingContext
from app.pricing.services.price_index import context_key, unit_prices
from storefront.catalog import (
    CardList,
    CategoryNode,
    CategoryTree,
    Viewer,
    category_for,
    facet_cache,
    here,
    money_text,
    priced_cards,
    tree,
    viewer_for,
)
from storefront.listing_cache import listing_response

TEMPLATE = "storefront/catalog/listing.html.j2"
MAX_PAGE = SEARCH_CAP // PER_PAGE
MAX_FILTERS = 40
MAX_PRICE = Decimal("1e12")


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
    price_problem: str = ""  # why (part of) the price range given is not applied
    in_stock: bool = False  # only products with something available now

    @property
    def priced(self) -> bool:
        """A price range is asked for and applies (not when it is upside down)."""
        low, high = self.price_min, self.price_max
        return (low is not None or high is not None) and not (low is not None and high is not None and low > high)

    @property
    def filtered(self) -> bool:
        priced = self.price_min is not None or self.price_max is not None
        return bool(self.brand_ids or self.value_ids or priced or self.in_stock)

    def pairs(self) -> list[tuple[str, str]]:
        """The query-string pairs in a stable order (defaults left out)."""
        pairs = [("q", self.q)] if self.q else []
        if self.category:
            pairs.append(("category", self.category))
        pairs += [("brand", str(b)) for b in self.brand_ids] + [("value", str(v)) for v in self.value_ids]
        if self.in_stock:
            pairs.append(("stock", "1"))
        if self.price_min is not None:
            pairs.append(("price_min", str(self.price_min)))
        if self.price_max is not None:
            pairs.append(("price_max", str(self.price_max)))
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


def _amount(value: str | None) -> tuple[Decimal | None, bool]:
    """A price from the query string, and whether the text was usable (blank is: no price)."""
    text = (value or "").strip().replace(",", ".")
    if not text:
        return None, True
    try:
        amount = Decimal(text[:40])
    except InvalidOperation:
        return None, False
    if not amount.is_finite() or amount < 0 or amount > MAX_PRICE:
        return None, False
    return amount.normalize() + 0, True  # 50.00 and 50 are the same filter (and URL)


def _price_range(query: MultiDict) -> tuple[Decimal | None, Decimal | None, str]:
    low, low_ok = _amount(query.get("price_min"))
    high, high_ok = _amount(query.get("price_max"))
    if not (low_ok and high_ok):  # the price that parses still applies
        return low, high, _("Enter prices as numbers of 0 or more.")
    if low is not None and high is not None and low > high:
        return low, high, _("The “from” price is above the “to” price: the price filter is not applied.")
    return low, high, ""


def wants_in_stock(query: MultiDict) -> bool:
    """The in-stock facet is on (`stock=1`; any other value is off)."""
    return query.get("stock") == "1"


def parse_params(query: MultiDict, sorts: dict[str, str], *, searching: bool) -> ListingParams:
    """The listing's state from its query string; an unknown sort or page falls back to the default."""
    try:
        page = min(max(int(query.get("page") or 1), 1), MAX_PAGE)
    except ValueError:
        page = 1
    sort = query.get("sort") or ""
    low, high, problem = _price_range(query) if "price_asc" in sorts else (None, None, "")
    return ListingParams(
        q=" ".join((query.get("q") or "").split())[:200] if searching else "",
        sort=sort if sort in sorts else "",
        page=page,
        brand_ids=_uuids(query.getall("brand", [])),
        value_ids=_uuids(query.getall("value", [])),
        category=(query.get("category") or "")[:120] if searching else "",
        price_min=low,
        price_max=high,
        price_problem=problem,
        in_stock=wants_in_stock(query),
    )


def sort_options(viewer: Viewer, *, searching: bool) -> dict[str, str]:
    """The sorts this listing offers, in menu order (by price only when the viewer sees prices)."""
    options = {"relevance": _("Best match")} if searching else {}
    options |= {"name": _("Name (A–Z)"), "newest": _("Newest first")}
    if viewer.pricing is not None:
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
    currency: str = ""
    stock_facet: bool = False  # the in-stock facet is offered (the tenant shows availability)

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
        return self.url(brand_ids=(), value_ids=(), price_min=None, price_max=None, price_problem="", in_stock=False)

    def price_url(self, bucket: PriceBucket) -> str:
        """This listing narrowed to a price range of the facet (or widened back when it is the one chosen)."""
        if self.price_chosen(bucket):
            return self.url(price_min=None, price_max=None, price_problem="")
        return self.url(price_min=bucket.price_min, price_max=bucket.price_max, price_problem="")

    def price_chosen(self, bucket: PriceBucket) -> bool:
        p = self.params
        return p.priced and (p.price_min, p.price_max) == (bucket.price_min, bucket.price_max)

    def price_label(self, bucket: PriceBucket) -> str:
        """A range as the facet names it: "Under €50.00", "€50.00 – €100.00", "€500.00 and above"."""
        if bucket.low is None:
            return _("Under %(price)s", price=money_text(bucket.high, self.currency))
        if bucket.high is None:
            return _("%(price)s and above", price=money_text(bucket.low, self.currency))
        return _(
            "%(low)s – %(high)s", low=money_text(bucket.low, self.currency), high=money_text(bucket.high, self.currency)
        )


@dataclass(frozen=True)
class ViewerPrices:
    """The viewer's unit prices for listings (browse's PriceLookup): each product's default variant at one
    unit, as its card shows it, from the engine through the price index, kept under the tenant's pricing
    token. Without one (the change feed is not listening) prices are computed afresh and nothing is kept."""

    session: AsyncSession
    pricing: PricingContext
    token: Token | None  # the tenant's pricing generation (app.changes)

    @property
    def key(self) -> Hashable | None:
        """Whose prices these are, for browse's price facet cache (kept under the pricing token itself)."""
        return None if self.token is None else (context_key(self.session, self.pricing), self.token)

    async def __call__(self, products: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> Mapping[uuid.UUID, Decimal]:
        found = await unit_prices(self.session, self.pricing, [v for _p, v in products])
        return {p: found[v] for p, v in products if v in found}


def viewer_prices(session: AsyncSession, viewer: Viewer) -> ViewerPrices | None:
    """None when the viewer may not see prices (hidden until sign-in)."""
    if viewer.pricing is None:
        return None
    return ViewerPrices(session, viewer.pricing, viewer.pricing_token)


async def stock_facet(session: AsyncSession, viewer: Viewer, params: ListingParams) -> tuple[bool, ListingParams]:
    """Whether the in-stock facet is offered (not when the tenant hides availability), and the params without
    it when it is not."""
    offered = await availability_mode(session, viewer.tenant_id) is not AvailabilityMode.HIDDEN
    return offered, params if offered or not params.in_stock else replace(params, in_stock=False)


async def _run(
    session: AsyncSession,
    viewer: Viewer,
    params: ListingParams,
    category_id: uuid.UUID | None,
    here: str,
) -> tuple[CatalogPage, CardList]:
    in_stock = await in_stock_products(session, viewer.tenant_id) if params.in_stock else None
    query = CatalogQuery(
        text=params.q,
        category_id=category_id,
        brand_ids=params.brand_ids,
        value_ids=params.value_ids,
        price_min=params.price_min if params.priced else None,
        price_max=params.price_max if params.priced else None,
        sort=params.sort,
        page=params.page,
        locale=viewer.locale,
        only_product_ids=in_stock,
    )
    prices = viewer_prices(session, viewer)
    facets = facet_cache(viewer)
    page = await browse(session, query, catalog_ids=viewer.catalog_ids, prices=prices, facets=True, cache=facets)
    return page, await priced_cards(session, viewer, page.items, here)


async def category_listing(session: AsyncSession, viewer: Viewer, slug: str, query: MultiDict, here: str) -> Listing:
    """A category page: its products and its subcategories' (NotFound for an unknown slug)."""
    try:
        categories, node = await category_for(session, viewer.tenant_id, slug, token=viewer.catalog_token)
    except LookupError:
        raise NotFound() from None
    sorts = sort_options(viewer, searching=False)
    offered, params = await stock_facet(session, viewer, parse_params(query, sorts, searching=False))
    page, cards = await _run(session, viewer, params, node.id, here)
    trail = categories.trail(node)
    title = node.label(viewer.locale)
    path, currency = f"/c/{slug}", _currency(viewer)
    return Listing(
        path, title, params, sorts, page, cards, categories, viewer.locale, trail, node,
        currency=currency, stock_facet=offered,
    )  # fmt: skip


async def search_listing(session: AsyncSession, viewer: Viewer, query: MultiDict, here: str) -> Listing:
    """Search results (every product when the query is empty), optionally narrowed to a category."""
    sorts = sort_options(viewer, searching=True)
    offered, params = await stock_facet(session, viewer, parse_params(query, sorts, searching=True))
    categories, node = await tree(session, viewer.tenant_id, token=viewer.catalog_token), None
    if params.category:
        try:
            categories, node = await category_for(
                session, viewer.tenant_id, params.category, token=viewer.catalog_token
            )
        except LookupError:  # a category since removed: search everywhere
            params = replace(params, category="")
    page, cards = await _run(session, viewer, params, node.id if node else None, here)
    title = _("Results for “%(q)s”", q=params.q) if params.q else _("All products")
    trail = categories.trail(node) if node else []
    return Listing(
        "/search", title, params, sorts, page, cards, categories, viewer.locale, trail, node, True, _currency(viewer),
        offered,
    )  # fmt: skip


def _currency(viewer: Viewer) -> str:
    return viewer.pricing.currency if viewer.pricing is not None else viewer.currency


def _block(request: Request, listing: Listing) -> tuple[str, str, dict]:
    """What storefront.listing_cache renders and keeps: the title, the search text, the block's context."""
    context = {"listing": listing, "filters_open": request.headers.get("hx-trigger") == "filters"}
    return listing.title, listing.params.q, context


@get("/c/{slug:str}", name="storefront:category")
async def category_page(request: Request, db: NamedDependency[AsyncSession], slug: FromPath[str]) -> Response:
    """A category page; the page, or only its listing block for htmx (the whole page when htmx restores history)."""
    viewer = await viewer_for(request, db)

    async def build() -> tuple[str, str, dict]:
        try:
            return _block(request, await category_listing(db, viewer, slug, request.query_params, here(request)))
        except NotFound:
            raise NotFoundException() from None

    return await listing_response(request, db, viewer, TEMPLATE, build, keep=not wants_in_stock(request.query_params))


@get("/search", name="storefront:search")
async def search_page(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    viewer = await viewer_for(request, db)

    async def build() -> tuple[str, str, dict]:
        return _block(request, await search_listing(db, viewer, request.query_params, here(request)))

    return await listing_response(request, db, viewer, TEMPLATE, build, keep=not wants_in_stock(request.query_params))


HANDLERS = [category_page, search_page]

"""Storefront listing and search: one page of products with facet counts.

Matching: full-text search over the product documents (Spanish + English stems, unaccented; a word the
tenant's vocabulary does not know matches as a prefix), plus the products whose SKU/GTIN/barcode is the
query. With no match, words unknown to the vocabulary are widened to their nearest known words (pg_trgm
candidates, fewest edits first) and "did you mean" is set; still nothing, a trigram match on the
documents' text (word_similarity) is the fallback. Ranking: exact code, then ts_rank, then name; a search
ranks and counts at most SEARCH_CAP matches (total_exact is then False).

Cost: a search or a filtered listing is one statement (matches, page, facet counts). A plain category
page (no text, no filters, sorted by name or newest) with its counts in a FacetCache is one index range
of product_listing: the storefront should keep one FacetCache per process and pass it.

Assortment: see app.catalog.services.catalogs (catalogue union, or everything when none is assigned).

Prices: pass `prices`, the viewer's PriceLookup (the unit price each product card shows, from the pricing
engine: never recomputed in SQL). Then the price sorts, the price range (inclusive) and the price facet work.
A price sort or range reads every match without a page (listing_sql.matches, one statement), prices them
through the lookup, filters, orders (ties by name, the unpriced last) and pages in Python, then loads the
page's cards with the facet counts (narrowed by the range; none when cached). Other listings price their
hits for the price facet only, up to PRICE_FACET_CAP, and a FacetCache keeps that facet per lookup `key`.
Without `prices`, asking for a price sort or range is a ValidationFailed.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import domain
from app.catalog.documents import ALL_PRODUCTS, ProductSearch
from app.catalog.facets import AttributeFacet, FacetCache, Facets, FacetValue, parsed_facets
from app.catalog.listing_sql import Filters, cards, category_page
from app.catalog.models import Category
from app.catalog.price_facet import PRICE_SORTS, PriceBucket, PriceFacet, by_price, in_range, price_facet
from app.catalog.search_steps import (
    SEARCH_CAP,
    Matches,
    ProductCard,
    Search,
    card,
    group_values,
    matched_rows,
    run_listing,
    searched,
)
from app.catalog.services.catalogs import viewer_catalogs
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _

__all__ = [
    "AttributeFacet",
    "CatalogPage",
    "CatalogQuery",
    "FacetCache",
    "FacetValue",
    "Facets",
    "PriceBucket",
    "PriceFacet",
    "PriceLookup",
    "ProductCard",
    "browse",
    "category_by_slug",
    "find_visible_product",
]
SORTS = ("relevance", "name", "newest", *PRICE_SORTS)
PER_PAGE = 24
MAX_PER_PAGE = 96
PRICE_FACET_CAP = 10_000  # a listing not by price prices at most this many matches for its price facet
UNRESOLVED: Any = object()


class PriceLookup(Protocol):
    """The viewer's unit prices by product, for (product id, default variant id) pairs; products without a
    price are left out. An optional attribute `key` (hashable) says whose prices these are: listings then keep
    their price facet in the FacetCache under it."""

    def __call__(self, products: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> Awaitable[Mapping[uuid.UUID, Decimal]]: ...


@dataclass(frozen=True)
class CatalogQuery:
    text: str = ""
    category_id: uuid.UUID | None = None
    brand_ids: tuple[uuid.UUID, ...] = ()
    value_ids: tuple[uuid.UUID, ...] = ()  # attribute values: any of one attribute, all attributes
    price_min: Decimal | None = None  # the viewer's unit price, inclusive (needs `prices`)
    price_max: Decimal | None = None
    sort: str = ""  # relevance when searching, name otherwise
    page: int = 1
    per_page: int = PER_PAGE
    locale: str = "es"
    # a restriction another domain works out (e.g. the products in stock): only these, and every count with them
    only_product_ids: frozenset[uuid.UUID] | None = None

    @property
    def ranged(self) -> bool:
        return self.price_min is not None or self.price_max is not None


@dataclass(frozen=True)
class CatalogPage:
    items: list[ProductCard]
    total: int
    total_exact: bool
    page: int
    per_page: int
    facets: Facets | None
    did_you_mean: str | None = None  # the corrected words, when misspellings were widened
    price_facet: PriceFacet | None = None  # with facets, when the viewer's prices were given

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _cache_key(session: AsyncSession, query: CatalogQuery, filters: Filters) -> tuple | None:
    """Where a listing's counts are kept; None (not kept) when the products are restricted from outside, since
    the restriction changes with data the catalogue's change token does not follow."""
    tenant_id = session.info.get("tenant_id")
    if tenant_id is None or filters.product_ids is not None:
        return None
    return (
        tenant_id,
        query.category_id,
        tuple(sorted(query.brand_ids)),
        tuple(sorted(query.value_ids)),
        tuple(filters.catalog_ids) if filters.catalog_ids is not None else None,
    )


def _checked(query: CatalogQuery, prices: PriceLookup | None) -> tuple[str, str]:
    errors: dict[str, str] = {}
    words = " ".join(query.text.split())[:200]
    sort = query.sort or ("relevance" if words else "name")
    if sort not in SORTS:
        errors["sort"] = _("Unknown sort order.")
    elif sort in PRICE_SORTS and prices is None:
        errors["sort"] = _("Prices are not available here.")
    if query.ranged and prices is None:
        errors["price"] = _("Prices are not available here.")
    for name, value in (("price_min", query.price_min), ("price_max", query.price_max)):
        if value is not None and not (value.is_finite() and value >= 0):
            errors[name] = _("Enter a price of 0 or more.")
    low, high = query.price_min, query.price_max
    if low is not None and high is not None and not errors.keys() & {"price_min", "price_max"} and low > high:
        errors["price_max"] = _("The highest price is below the lowest.")
    if query.page < 1 or (query.page - 1) * query.per_page >= SEARCH_CAP:
        errors["page"] = _("There is no such page.")
    if not 1 <= query.per_page <= MAX_PER_PAGE:
        errors["per_page"] = _("Show between 1 and %(n)s products per page.", n=MAX_PER_PAGE)
    if errors:
        raise ValidationFailed(errors)
    return words, sort


async def browse(
    session: AsyncSession,
    query: CatalogQuery,
    *,
    customer_id: uuid.UUID | None = None,
    catalog_ids: frozenset[uuid.UUID] | None = UNRESOLVED,
    prices: PriceLookup | None = None,
    facets: bool = True,
    cache: FacetCache | None = None,
) -> CatalogPage:
    """One page of the active products the viewer may see, matching `query`, with facet counts.

    Pass `catalog_ids` when already resolved for the request (None = no restriction); otherwise the
    customer's catalogues are looked up. With `cache`, listings reuse recent totals and facet counts (not
    those restricted by `query.only_product_ids`). With `prices` (the viewer's), price sorts and ranges work
    and the page has its price facet.
    """
    words, sort = _checked(query, prices)
    if catalog_ids is UNRESOLVED:
        catalog_ids = await viewer_catalogs(session, customer_id)
    filters = Filters(
        category_id=query.category_id,
        catalog_ids=sorted(catalog_ids) if catalog_ids is not None else None,
        brand_ids=list(query.brand_ids),
        value_groups=await group_values(session, query.value_ids),
        product_ids=list(query.only_product_ids) if query.only_product_ids is not None else None,
    )
    tokens = domain.search_words(words)
    key = _cache_key(session, query, filters) if cache is not None and not tokens else None
    cached = cache.get(key) if cache is not None and key is not None else None
    if prices is not None and (sort in PRICE_SORTS or query.ranged):
        return await _priced(session, query, sort, filters, tokens, words, prices, facets, cache, key, cached)
    price_key = _price_key(key, prices) if facets else None
    known_facet = cache.get(price_key) if cache is not None and price_key is not None else None
    priced = facets and prices is not None and known_facet is None  # a price facet to work out now
    plain = not (tokens or filters.brand_ids or filters.value_groups or filters.product_ids is not None)
    if plain and sort in ("name", "newest") and (cached is not None or not facets):
        page = await _category_page(session, query, sort, filters, cached, facets)
        row: dict[str, Any] = {}
        search = Search("browse", [], "")
    else:
        wanted = facets and cached is None  # facet counts to compute now (else from the cache, or none)
        pairs = PRICE_FACET_CAP if priced else 0

        async def attempt(search: Search) -> tuple[dict[str, Any], int]:
            row = await run_listing(session, search, sort, query, filters, wanted, pairs=pairs)
            return row, row["total"]

        search, row = await searched(session, tokens, words, attempt)
        if key is not None and wanted:
            cache.put(key, {k: v for k, v in row.items() if k not in ("items", "hit_products", "hit_variants")})
        facet_row = row if wanted else cached
        page = CatalogPage(
            items=[card(item, query.locale) for item in row["items"]],
            total=row["total"],
            total_exact=search.mode == "browse" or row["total"] < search.cap,
            page=query.page,
            per_page=query.per_page,
            facets=_facets(facet_row, query, filters) if facets and facet_row is not None else None,
            did_you_mean=search.did_you_mean,
        )
    if priced and prices is not None:
        known_facet = {"price_facet": await _price_facet(session, search, query, filters, page, row, prices)}
        if cache is not None and price_key is not None:
            cache.put(price_key, known_facet)
    return replace(page, price_facet=known_facet["price_facet"]) if known_facet is not None else page


def _price_key(key: tuple | None, prices: PriceLookup | None) -> tuple | None:
    """Where a listing's price facet is cached: the listing's key and whose prices they are."""
    whose = getattr(prices, "key", None)
    return None if key is None or whose is None else (*key, "prices", whose)


async def _price_facet(
    session: AsyncSession,
    search: Search,
    query: CatalogQuery,
    filters: Filters,
    page: CatalogPage,
    row: Mapping[str, Any],
    prices: PriceLookup,
) -> PriceFacet:
    """The price facet of a listing not by price: its hits priced (from the listing statement when it brought
    them, else one more statement); none beyond PRICE_FACET_CAP matches."""
    if page.total > PRICE_FACET_CAP:
        return PriceFacet((), None, None, 0)
    if row.get("hit_products") is not None:
        pairs = [(p, v) for p, v in zip(row["hit_products"], row["hit_variants"], strict=True) if v is not None]
    else:
        pairs = (await matched_rows(session, search, "name", query, filters, every=False)).pairs()
    found = await prices(pairs) if pairs else {}
    return price_facet([found[p] for p, _v in pairs if p in found])


async def _priced(
    session: AsyncSession,
    query: CatalogQuery,
    sort: str,
    filters: Filters,
    tokens: list[str],
    words: str,
    prices: PriceLookup,
    facets: bool,
    cache: FacetCache | None,
    key: tuple | None,
    cached: dict[str, Any] | None,
) -> CatalogPage:
    """A listing by price or within a price range: every match priced, then filtered, ordered and paged here."""
    low, high = query.price_min, query.price_max
    # a range narrows the brand and attribute counts, whose own selections do not: price those rows too
    every = query.ranged and facets and bool(filters.brand_ids or filters.value_groups)

    async def attempt(search: Search) -> tuple[Matches, int]:
        matched = await matched_rows(session, search, sort, query, filters, every=every)
        return matched, len(matched.hit_ids())

    search, matched = await searched(session, tokens, words, attempt)
    pairs = matched.pairs()
    found = await prices(pairs) if pairs else {}
    hits = matched.hit_ids()
    kept = [p for p in hits if in_range(found.get(p), low, high)] if query.ranged else hits
    if sort in PRICE_SORTS:
        kept = by_price(kept, found, descending=sort == "price_desc")
    start = (query.page - 1) * query.per_page
    page_ids = kept[start : start + query.per_page]
    facet_row = cached if facets else None
    if facets and (query.ranged or cached is None):
        only = [p for p in matched.product_ids if in_range(found.get(p), low, high)] if query.ranged else None
        row = await run_listing(session, search, sort, query, filters, True, only_ids=only, page_ids=page_ids)
        items, facet_row = row["items"], row
        if cache is not None and key is not None and not query.ranged:  # the counts of the unpriced listing
            cache.put(key, {k: v for k, v in row.items() if k != "items"})
    else:
        statement, params = cards(query.locale, page_ids)
        items = (await session.execute(statement, params)).mappings().all() if page_ids else []
    return CatalogPage(
        items=[card(item, query.locale, found) for item in items],
        total=len(kept),
        total_exact=search.mode == "browse" or len(hits) < search.cap,
        page=query.page,
        per_page=query.per_page,
        facets=_facets(facet_row, query, filters) if facet_row is not None else None,
        did_you_mean=search.did_you_mean,
        price_facet=price_facet([found[p] for p in hits if p in found]) if facets else None,
    )


async def _category_page(
    session: AsyncSession,
    query: CatalogQuery,
    sort: str,
    filters: Filters,
    cached: dict[str, Any] | None,
    facets: bool,
) -> CatalogPage:
    """The cheap path: the page's products straight from the product_listing index, one statement."""
    listing_id = query.category_id or ALL_PRODUCTS
    offset = (query.page - 1) * query.per_page
    statement, params = category_page(
        sort, query.locale, listing_id, filters.catalog_ids, with_total=cached is None, limit=query.per_page,
        offset=offset,
    )  # fmt: skip
    rows = (await session.execute(statement, params)).mappings().all()
    if cached is not None:
        total = cached["total"]
    elif rows:
        total = rows[0]["total"]
    else:  # past the last page: count alone
        statement, params = category_page(
            sort, query.locale, listing_id, filters.catalog_ids, with_total=True, limit=1, offset=0
        )
        first = (await session.execute(statement, params)).mappings().first()
        total = first["total"] if first else 0
    return CatalogPage(
        items=[card(row, query.locale) for row in rows],
        total=total,
        total_exact=True,
        page=query.page,
        per_page=query.per_page,
        facets=_facets(cached, query, filters) if facets and cached is not None else None,
    )


def _facets(row: dict[str, Any], query: CatalogQuery, filters: Filters) -> Facets:
    return parsed_facets(row, query.locale, query.value_ids, query.brand_ids, len(filters.value_groups))


async def find_visible_product(
    session: AsyncSession, slug: str, *, catalog_ids: frozenset[uuid.UUID] | None
) -> ProductSearch:
    """The active product at this slug if the viewer's assortment includes it (storefront detail pages)."""
    document = await session.scalar(select(ProductSearch).where(ProductSearch.slug == slug))
    if document is None or document.status != "active":
        raise NotFound()
    if catalog_ids is not None and not (set(document.catalog_ids) & catalog_ids):
        raise NotFound()
    return document


async def category_by_slug(session: AsyncSession, slug: str) -> tuple[Category, list[Category]]:
    """A category page's category and its breadcrumb (ancestors from the root, itself last)."""
    category = await session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise NotFound()
    ancestors = {c.id: c for c in await session.scalars(select(Category).where(Category.id.in_(category.path)))}
    return category, [ancestors[i] for i in category.path if i in ancestors]

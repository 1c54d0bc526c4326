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

Prices (the seam for the pricing layer): pass `price=PriceJoin(...)`, SQL that joins each document row
`d` to the viewer's unit price as `price.amount`; then the price range filter, the price facet and the
price sorts work (and cards carry the price). Without it, asking for them is a ValidationFailed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import domain
from app.catalog.documents import ALL_PRODUCTS, ProductSearch
from app.catalog.facets import AttributeFacet, FacetCache, Facets, FacetValue, parsed_facets
from app.catalog.listing_sql import Filters, category_page, listing
from app.catalog.models import Category
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
    "PriceJoin",
    "ProductCard",
    "browse",
    "category_by_slug",
    "find_visible_product",
]
SORTS = ("relevance", "name", "newest", "price_asc", "price_desc")
PER_PAGE = 24
MAX_PER_PAGE = 96
SEARCH_CAP = 5_000  # a search ranks and counts at most this many matches (the total then reads "5000+")
FUZZY_CAP = 200
UNRESOLVED: Any = object()

# Spelling candidates for the query's words the vocabulary does not know (pg_trgm similarity, loose on
# purpose: transposed letters score low; domain.corrections keeps only the near ones).
_LOOSE = text("SELECT set_config('pg_trgm.similarity_threshold', '0.15', true)")
_CANDIDATES = text(
    """
    SELECT w.word, ARRAY(SELECT t.term FROM catalog_terms t WHERE t.term % w.word
                         ORDER BY similarity(t.term, w.word) DESC, t.term LIMIT 8)
    FROM unnest(CAST(:words AS text[])) AS w(word)
    WHERE w.word ~ '^[a-z]{3,}$' AND NOT EXISTS (SELECT 1 FROM catalog_terms t WHERE t.term = w.word)
    """
)


@dataclass(frozen=True)
class CatalogQuery:
    text: str = ""
    category_id: uuid.UUID | None = None
    brand_ids: tuple[uuid.UUID, ...] = ()
    value_ids: tuple[uuid.UUID, ...] = ()  # attribute values: any of one attribute, all attributes
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    sort: str = ""  # relevance when searching, name otherwise
    page: int = 1
    per_page: int = PER_PAGE
    locale: str = "es"


@dataclass(frozen=True)
class PriceJoin:
    """From the pricing layer: e.g. "LEFT JOIN LATERAL (SELECT ... AS amount ... WHERE ... = d.default_variant_id)
    AS price ON true", with its bind parameters (named so they cannot clash: prefix them `price_`)."""

    sql: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProductCard:
    product_id: uuid.UUID
    slug: str
    name: str
    brand_name: str | None
    image_key: str | None
    default_variant_id: uuid.UUID | None
    default_sku: str | None
    variant_count: int
    price: Decimal | None = None


@dataclass(frozen=True)
class CatalogPage:
    items: list[ProductCard]
    total: int
    total_exact: bool
    page: int
    per_page: int
    facets: Facets | None
    did_you_mean: str | None = None  # the corrected words, when misspellings were widened

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _cache_key(session: AsyncSession, query: CatalogQuery, filters: Filters, price: PriceJoin | None) -> tuple | None:
    tenant_id = session.info.get("tenant_id")
    if tenant_id is None:
        return None
    priced = (price.sql, repr(sorted(price.params.items()))) if price else None
    return (
        tenant_id,
        query.category_id,
        tuple(sorted(query.brand_ids)),
        tuple(sorted(query.value_ids)),
        query.price_min,
        query.price_max,
        tuple(filters.catalog_ids) if filters.catalog_ids is not None else None,
        priced,
    )


def _checked(query: CatalogQuery, price: PriceJoin | None) -> tuple[str, str]:
    errors: dict[str, str] = {}
    words = " ".join(query.text.split())[:200]
    sort = query.sort or ("relevance" if words else "name")
    if sort not in SORTS:
        errors["sort"] = _("Unknown sort order.")
    elif sort.startswith("price") and price is None:
        errors["sort"] = _("Prices are not available here.")
    if (query.price_min is not None or query.price_max is not None) and price is None:
        errors["price"] = _("Prices are not available here.")
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
    price: PriceJoin | None = None,
    facets: bool = True,
    cache: FacetCache | None = None,
) -> CatalogPage:
    """One page of the active products the viewer may see, matching `query`, with facet counts.

    Pass `catalog_ids` when already resolved for the request (None = no restriction); otherwise the
    customer's catalogues are looked up. With `cache`, listings reuse recent totals and facet counts.
    """
    words, sort = _checked(query, price)
    if catalog_ids is UNRESOLVED:
        catalog_ids = await viewer_catalogs(session, customer_id)
    values_by_attribute = await _group_values(session, query.value_ids)
    filters = Filters(
        category_id=query.category_id,
        catalog_ids=sorted(catalog_ids) if catalog_ids is not None else None,
        brand_ids=list(query.brand_ids),
        value_groups=values_by_attribute,
        price_min=query.price_min,
        price_max=query.price_max,
    )
    tokens = domain.search_words(words)
    key = _cache_key(session, query, filters, price) if cache is not None and not tokens else None
    cached = cache.get(key) if cache is not None and key is not None else None
    plain = not (tokens or filters.brand_ids or filters.value_groups or query.price_min or query.price_max)
    if plain and sort in ("name", "newest") and (cached is not None or not facets):
        return await _category_page(session, query, sort, filters, price, cached, facets)
    wanted = facets and cached is None  # facet counts to compute now (else from the cache, or none)
    mode, did_you_mean = ("text" if tokens else "browse"), None
    row = await _run(session, mode, sort, query, filters, price, wanted, groups=tokens, q=words)
    if tokens and row["total"] == 0:
        alternatives = await _alternatives(session, tokens)
        if alternatives:
            groups = [" ".join([w, *alternatives.get(w, [])]) for w in tokens]
            did_you_mean = " ".join(alternatives[w][0] if w in alternatives else w for w in tokens)
            row = await _run(session, mode, sort, query, filters, price, wanted, groups=groups, q=words)
        if row["total"] == 0:
            mode, did_you_mean = "fuzzy", None
            row = await _run(session, mode, sort, query, filters, price, wanted, q=" ".join(tokens))
    if key is not None and wanted:
        cache.put(key, {k: v for k, v in row.items() if k != "items"})
    facet_row = row if wanted else cached
    cap = FUZZY_CAP if mode == "fuzzy" else SEARCH_CAP
    return CatalogPage(
        items=[_card(item, query.locale) for item in row["items"]],
        total=row["total"],
        total_exact=mode == "browse" or row["total"] < cap,
        page=query.page,
        per_page=query.per_page,
        facets=_facets(facet_row, query, filters) if facets and facet_row is not None else None,
        did_you_mean=did_you_mean,
    )


async def _category_page(
    session: AsyncSession,
    query: CatalogQuery,
    sort: str,
    filters: Filters,
    price: PriceJoin | None,
    cached: dict[str, Any] | None,
    facets: bool,
) -> CatalogPage:
    """The cheap path: the page's products straight from the product_listing index, one statement."""
    listing_id = query.category_id or ALL_PRODUCTS
    offset = (query.page - 1) * query.per_page
    statement, params = category_page(
        sort, query.locale, listing_id, filters.catalog_ids, price,
        with_total=cached is None, limit=query.per_page, offset=offset,
    )  # fmt: skip
    rows = (await session.execute(statement, params)).mappings().all()
    if cached is not None:
        total = cached["total"]
    elif rows:
        total = rows[0]["total"]
    else:  # past the last page: count alone
        statement, params = category_page(
            sort, query.locale, listing_id, filters.catalog_ids, None, with_total=True, limit=1, offset=0
        )
        first = (await session.execute(statement, params)).mappings().first()
        total = first["total"] if first else 0
    return CatalogPage(
        items=[_card(row, query.locale) for row in rows],
        total=total,
        total_exact=True,
        page=query.page,
        per_page=query.per_page,
        facets=_facets(cached, query, filters) if facets and cached is not None else None,
    )


async def _alternatives(session: AsyncSession, tokens: list[str]) -> dict[str, list[str]]:
    """Unknown words -> the vocabulary words they were probably meant to be (closest first)."""
    await session.execute(_LOOSE)
    rows = (await session.execute(_CANDIDATES, {"words": tokens})).all()
    found = {word: domain.corrections(word, candidates) for word, candidates in rows}
    return {word: near for word, near in found.items() if near}


async def _group_values(session: AsyncSession, value_ids: tuple[uuid.UUID, ...]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Selected attribute values by attribute (unknown ids are ignored)."""
    if not value_ids:
        return {}
    rows = await session.execute(
        text("SELECT attribute_id, id FROM attribute_values WHERE id = ANY (CAST(:ids AS uuid[])) ORDER BY 1, 2"),
        {"ids": list(value_ids)},
    )
    groups: dict[uuid.UUID, list[uuid.UUID]] = {}
    for attribute_id, value_id in rows.all():
        groups.setdefault(attribute_id, []).append(value_id)
    return groups


async def _run(
    session: AsyncSession,
    mode: str,
    sort: str,
    query: CatalogQuery,
    filters: Filters,
    price: PriceJoin | None,
    facets: bool,
    *,
    groups: list[str] | None = None,
    q: str = "",
) -> dict[str, Any]:
    statement, params = listing(
        mode,
        sort,
        query.locale,
        filters,
        price,
        facets,
        groups=groups or [],
        q=q,
        limit=query.per_page,
        offset=(query.page - 1) * query.per_page,
        cap=FUZZY_CAP if mode == "fuzzy" else SEARCH_CAP,
    )
    row = (await session.execute(statement, params)).mappings().one()
    return {k: _json(v) if isinstance(v, str) else v for k, v in row.items()}


def _json(value: str) -> Any:
    return json.loads(value, parse_float=Decimal)


def _uuid(value: Any) -> uuid.UUID | None:
    return value if value is None or isinstance(value, uuid.UUID) else uuid.UUID(value)


def _card(item: Mapping[str, Any], locale: str) -> ProductCard:
    """A card from a row, or from the JSON object the facet statement aggregates (ids as text, names as dicts)."""
    name = item["name"]
    price = item["price"]
    return ProductCard(
        product_id=_uuid(item["product_id"]),
        slug=item["slug"],
        name=name if isinstance(name, str) else domain.translated(name, locale),
        brand_name=item["brand_name"],
        image_key=item["image_key"],
        default_variant_id=_uuid(item["default_variant_id"]),
        default_sku=item["default_sku"],
        variant_count=item["variant_count"],
        price=price if price is None or isinstance(price, Decimal) else Decimal(str(price)),
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

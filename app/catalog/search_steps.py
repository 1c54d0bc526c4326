"""How a listing's statements run: matching as typed, then with misspellings widened, then fuzzy; the listing
and matches statements (listing_sql); rows into product cards. Private to app.catalog.search."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import domain
from app.catalog.listing_sql import Filters, listing, matches

if TYPE_CHECKING:
    from app.catalog.search import CatalogQuery

SEARCH_CAP = 5_000  # a search ranks and counts at most this many matches (the total then reads "5000+")
FUZZY_CAP = 200

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
class ProductCard:
    product_id: uuid.UUID
    slug: str
    name: str
    brand_name: str | None
    image_key: str | None
    default_variant_id: uuid.UUID | None
    default_sku: str | None
    variant_count: int
    price: Decimal | None = None  # the viewer's unit price, on listings by price or price range


@dataclass(frozen=True)
class Search:
    """What a listing's matching settled on: the mode (browse, text, fuzzy), word groups, text, suggestion."""

    mode: str
    groups: list[str]
    q: str
    did_you_mean: str | None = None

    @property
    def cap(self) -> int:
        return FUZZY_CAP if self.mode == "fuzzy" else SEARCH_CAP


async def searched(
    session: AsyncSession, tokens: list[str], words: str, attempt: Callable[[Search], Awaitable[tuple[Any, int]]]
) -> tuple[Search, Any]:
    """Run `attempt` (its result and its count of hits) as typed, then with misspellings widened, then fuzzy."""
    search = Search("text" if tokens else "browse", tokens, words)
    result, total = await attempt(search)
    if tokens and total == 0:
        alternatives = await corrections(session, tokens)
        if alternatives:
            groups = [" ".join([w, *alternatives.get(w, [])]) for w in tokens]
            did_you_mean = " ".join(alternatives[w][0] if w in alternatives else w for w in tokens)
            search = Search("text", groups, words, did_you_mean)
            result, total = await attempt(search)
        if total == 0:
            search = Search("fuzzy", [], " ".join(tokens))
            result, total = await attempt(search)
    return search, result


async def corrections(session: AsyncSession, tokens: list[str]) -> dict[str, list[str]]:
    """Unknown words -> the vocabulary words they were probably meant to be (closest first)."""
    await session.execute(_LOOSE)
    rows = (await session.execute(_CANDIDATES, {"words": tokens})).all()
    found = {word: domain.corrections(word, candidates) for word, candidates in rows}
    return {word: near for word, near in found.items() if near}


async def group_values(session: AsyncSession, value_ids: tuple[uuid.UUID, ...]) -> dict[uuid.UUID, list[uuid.UUID]]:
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


async def run_listing(
    session: AsyncSession,
    search: Search,
    sort: str,
    query: CatalogQuery,
    filters: Filters,
    facets: bool,
    *,
    pairs: int = 0,
    only_ids: list[uuid.UUID] | None = None,
    page_ids: list[uuid.UUID] | None = None,
) -> dict[str, Any]:
    """The listing statement: a page (of `page_ids`, in their order, when given), its total, facet counts."""
    statement, params = listing(
        search.mode,
        sort,
        query.locale,
        filters,
        facets,
        groups=search.groups,
        q=search.q,
        limit=query.per_page,
        offset=(query.page - 1) * query.per_page,
        cap=search.cap,
        only_ids=only_ids,
        page_ids=page_ids,
        pairs=pairs,
    )
    row = (await session.execute(statement, params)).mappings().one()
    return {k: _json(v) if isinstance(v, str) else v for k, v in row.items()}


@dataclass(frozen=True)
class Matches:
    """Every match of a listing, in its order (by name for a price sort), with each one's default variant."""

    product_ids: list[uuid.UUID]
    variant_ids: list[uuid.UUID | None]
    hits: list[bool] | None  # whether the facet filters keep each one (None: they all are hits)

    def pairs(self) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """(product, default variant) of every match that has one: what a price lookup takes."""
        return [(p, v) for p, v in zip(self.product_ids, self.variant_ids, strict=True) if v is not None]

    def hit_ids(self) -> list[uuid.UUID]:
        if self.hits is None:
            return self.product_ids
        return [p for p, hit in zip(self.product_ids, self.hits, strict=True) if hit]


async def matched_rows(
    session: AsyncSession, search: Search, sort: str, query: CatalogQuery, filters: Filters, *, every: bool
) -> Matches:
    """Every match of the listing without a page (listing_sql.matches, one statement)."""
    statement, params = matches(
        search.mode, sort, query.locale, filters, groups=search.groups, q=search.q, cap=search.cap, every=every
    )
    row = (await session.execute(statement, params)).one()
    return Matches(list(row.product_ids), list(row.variant_ids), list(row.hits) if row.hits is not None else None)


def _json(value: str) -> Any:
    return json.loads(value, parse_float=Decimal)


def _uuid(value: Any) -> uuid.UUID | None:
    return value if value is None or isinstance(value, uuid.UUID) else uuid.UUID(value)


def card(item: Mapping[str, Any], locale: str, prices: Mapping[uuid.UUID, Decimal] | None = None) -> ProductCard:
    """A card from a row, or from the JSON object the facet statement aggregates (ids as text, names as dicts)."""
    name = item["name"]
    product_id = _uuid(item["product_id"])
    return ProductCard(
        product_id=product_id,
        slug=item["slug"],
        name=name if isinstance(name, str) else domain.translated(name, locale),
        brand_name=item["brand_name"],
        image_key=item["image_key"],
        default_variant_id=_uuid(item["default_variant_id"]),
        default_sku=item["default_sku"],
        variant_count=item["variant_count"],
        price=prices.get(product_id) if prices is not None else None,
    )

"""The listing statement: matched documents (`base`), the filtered page (`hits`) and facet counts, in one query.

Facets are disjunctive: a facet's own selection does not narrow its counts (choosing "black" still shows
how many are "white"), every other selection does. Only bind parameters reach the SQL text.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import TextClause, text

if TYPE_CHECKING:
    from app.catalog.search import PriceJoin

_ORDER = {
    "relevance": "h.exact DESC, h.rank DESC, h.sort_key, h.product_id",
    "name": "h.sort_key, h.product_id",
    "newest": "h.created_at DESC, h.product_id DESC",
    "price_asc": "h.price ASC NULLS LAST, h.sort_key, h.product_id",
    "price_desc": "h.price DESC NULLS LAST, h.sort_key, h.product_id",
}
_BIND = re.compile(r"(?<![:\w]):(\w+)(?!:)")
_TSQUERY = "(SELECT public.catalog_tsquery(CAST(:groups AS text[])))"  # once per statement (init plan)
# the products whose SKU, GTIN or unit barcode is the query itself (an init plan: its ids probe the primary key)
_EXACT = (
    "d.product_id = ANY (ARRAY(SELECT v.product_id FROM product_variants v "
    "WHERE v.sku = upper(CAST(:code AS text)) OR v.gtin = CAST(:code AS text) "
    "UNION SELECT u.product_id FROM product_uoms u WHERE u.barcode = CAST(:code AS text)))"
)
_CARD = (
    "json_build_object('product_id', d.product_id, 'slug', d.slug, 'name', d.name, 'brand_name', d.brand_name, "
    "'image_key', d.image_key, 'default_variant_id', d.default_variant_id, 'default_sku', d.default_sku, "
    "'variant_count', d.variant_count, 'price', {price})"
)
_LISTING_ORDER = {
    ("name", "es"): "l.sort_es, l.product_id",
    ("name", "en"): "l.sort_en, l.product_id",
    ("newest", "es"): "l.created_at DESC, l.product_id DESC",
    ("newest", "en"): "l.created_at DESC, l.product_id DESC",
}
_VALUE = (
    "json_build_object('attribute_id', a.id, 'code', a.code, 'name', a.name, 'position', a.position, "
    "'value_id', v.id, 'value_name', v.name, 'value_position', v.position, 'count', x.n)"
)


@dataclass(frozen=True)
class Filters:
    category_id: uuid.UUID | None = None
    catalog_ids: list[uuid.UUID] | None = None  # None: no assortment restriction
    brand_ids: list[uuid.UUID] = field(default_factory=list)
    value_groups: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)  # attribute id -> values
    price_min: Decimal | None = None
    price_max: Decimal | None = None


def _facet_filters(f: Filters, priced: bool) -> dict[Any, str]:
    """Each facet's condition on `b` (a base row), keyed so one can be left out."""
    conds: dict[Any, str] = {}
    if f.brand_ids:
        conds["brand"] = "b.brand_id = ANY (CAST(:brands AS uuid[]))"
    for i, _attribute in enumerate(f.value_groups):
        conds[("attr", i)] = f"b.attr_values && CAST(:values_{i} AS uuid[])"
    if priced and f.price_min is not None:
        conds["price_min"] = "b.price >= CAST(:price_min AS numeric)"
    if priced and f.price_max is not None:
        conds["price_max"] = "b.price <= CAST(:price_max AS numeric)"
    return conds


def _where(conds: dict[Any, str], *exclude: Any) -> str:
    kept = [c for k, c in conds.items() if k not in exclude]
    return " AND ".join(kept) or "true"


def listing(
    mode: str,
    sort: str,
    locale: str,
    f: Filters,
    price: PriceJoin | None,
    facets: bool,
    *,
    groups: list[str],
    q: str,
    limit: int,
    offset: int,
    cap: int,
) -> tuple[TextClause, dict[str, Any]]:
    """The statement and its parameters; `mode` is browse (no text), text (full-text) or fuzzy (trigram)."""
    where = ["d.status = 'active'"]
    if f.category_id is not None:
        where.append("d.category_id IN (SELECT c.id FROM categories c WHERE c.path @> ARRAY[CAST(:category AS uuid)])")
    if f.catalog_ids is not None:
        where.append("d.catalog_ids && CAST(:catalogs AS uuid[])")
    rank, exact = "0", "false"
    if mode == "text":
        where.append(f"(d.search_vector @@ {_TSQUERY} OR {_EXACT})")
        rank = f"ts_rank(d.search_vector, {_TSQUERY})" if sort == "relevance" else "0"
        exact = _EXACT
    elif mode == "fuzzy":
        where.append("d.search_text %> CAST(:q AS text)")
        rank = "word_similarity(CAST(:q AS text), d.search_text)"
    priced = price is not None
    conds = _facet_filters(f, priced)
    hits = "hits" if conds else "base"  # without filters the matches are the hits: no second copy
    sql = f"""
    WITH base AS MATERIALIZED (
        SELECT d.product_id, d.category_id, d.brand_id, d.brand_name, d.attr_values, d.created_at,
               {"d.sort_en" if locale == "en" else "d.sort_es"} AS sort_key, {rank} AS rank, {exact} AS exact,
               {"price.amount" if priced else "CAST(NULL AS numeric)"} AS price
        FROM product_search d {price.sql if price else ""}
        WHERE {" AND ".join(where)}
        {"LIMIT :cap" if mode != "browse" else ""}
    ){f", hits AS (SELECT * FROM base b WHERE {_where(conds)})" if conds else ""}
    SELECT (SELECT count(*) FROM {hits}) AS total,
           (SELECT coalesce(json_agg({_CARD.format(price="p.price")} ORDER BY p.ord), '[]')
            FROM (SELECT h.product_id, h.price, row_number() OVER (ORDER BY {_ORDER[sort]}) AS ord
                  FROM {hits} h ORDER BY {_ORDER[sort]} LIMIT :limit OFFSET :offset) p
            JOIN product_search d ON d.product_id = p.product_id) AS items
    """
    if facets:
        sql += _facet_columns(f, conds, priced, hits)
    params: dict[str, Any] = {
        "category": f.category_id,
        "limit": limit,
        "offset": offset,
        "cap": cap,
        "groups": groups,
        "code": q.strip(),
        "q": q,
        "brands": f.brand_ids,
        "catalogs": f.catalog_ids,
        "price_min": f.price_min,
        "price_max": f.price_max,
        "selected_attributes": list(f.value_groups),
    }
    for i, (attribute_id, values) in enumerate(f.value_groups.items()):
        params[f"values_{i}"] = values
        params[f"attribute_{i}"] = attribute_id
    if price:
        params.update(price.params)
    names = set(_BIND.findall(sql))  # only what the statement uses
    return text(sql), {k: v for k, v in params.items() if k in names}


def _facet_columns(f: Filters, conds: dict[Any, str], priced: bool, hits: str) -> str:
    depth = "coalesce((SELECT cardinality(c.path) FROM categories c WHERE c.id = CAST(:category AS uuid)), 0)"
    columns = [
        f"""(SELECT coalesce(json_agg(json_build_object('id', c.id, 'slug', c.slug, 'name', c.name, 'count', x.n)
                                      ORDER BY c.position, c.slug), '[]')
             FROM (SELECT leaf.path[k.depth + 1] AS child, sum(h.n) AS n
                   FROM (SELECT category_id, count(*) AS n FROM {hits} WHERE category_id IS NOT NULL
                         GROUP BY category_id) h
                   JOIN categories leaf ON leaf.id = h.category_id
                   CROSS JOIN (SELECT {depth} AS depth) k
                   WHERE cardinality(leaf.path) > k.depth
                   GROUP BY 1) x
             JOIN categories c ON c.id = x.child) AS categories""",
        f"""(SELECT coalesce(json_agg(json_build_object('id', x.brand_id, 'name', x.brand_name, 'count', x.n)
                                      ORDER BY x.brand_name), '[]')
             FROM (SELECT b.brand_id, b.brand_name, count(*) AS n FROM base b
                   WHERE b.brand_id IS NOT NULL AND {_where(conds, "brand")} GROUP BY 1, 2) x) AS brands""",
        f"""(SELECT coalesce(json_agg({_VALUE}), '[]')
             FROM (SELECT u.v, count(*) AS n FROM {hits} h, unnest(h.attr_values) AS u(v) GROUP BY u.v) x
             JOIN attribute_values v ON v.id = x.v JOIN attributes a ON a.id = v.attribute_id
             WHERE a.is_facet AND a.id <> ALL (CAST(:selected_attributes AS uuid[]))) AS attribute_values""",
    ]
    for i, _attribute in enumerate(f.value_groups):
        columns.append(
            f"""(SELECT coalesce(json_agg({_VALUE}), '[]')
                 FROM (SELECT u.v, count(*) AS n FROM base b, unnest(b.attr_values) AS u(v)
                       WHERE {_where(conds, ("attr", i))} GROUP BY u.v) x
                 JOIN attribute_values v ON v.id = x.v AND v.attribute_id = CAST(:attribute_{i} AS uuid)
                 JOIN attributes a ON a.id = v.attribute_id) AS selected_values_{i}"""
        )
    if priced:
        columns.append(
            f"(SELECT json_build_array(min(b.price), max(b.price)) FROM base b "
            f"WHERE {_where(conds, 'price_min', 'price_max')}) AS price_range"
        )
    return ", " + ", ".join(columns)


def category_page(
    sort: str,
    locale: str,
    listing_id: uuid.UUID,
    catalog_ids: list[uuid.UUID] | None,
    price: PriceJoin | None,
    *,
    with_total: bool,
    limit: int,
    offset: int,
) -> tuple[TextClause, dict[str, Any]]:
    """A plain category page (no search, no filters): its entries of product_listing read in index order,
    as rows (each carries the total when asked, else NULL)."""
    statement, names = _category_page_sql(sort, locale, catalog_ids is not None, price.sql if price else "", with_total)
    params: dict[str, Any] = {"listing": listing_id, "catalogs": catalog_ids, "limit": limit, "offset": offset}
    if price:
        params.update(price.params)
    return statement, {k: v for k, v in params.items() if k in names}


@lru_cache(maxsize=64)
def _category_page_sql(
    sort: str, locale: str, restricted: bool, price_sql: str, with_total: bool
) -> tuple[TextClause, frozenset[str]]:
    where = "l.category_id = CAST(:listing AS uuid)"
    if restricted:
        where += " AND l.catalog_ids && CAST(:catalogs AS uuid[])"
    order = _LISTING_ORDER[(sort, "en" if locale == "en" else "es")]
    total = f"(SELECT count(*) FROM product_listing l WHERE {where})" if with_total else "NULL"
    first, second = ("en", "es") if locale == "en" else ("es", "en")
    sql = f"""
    SELECT d.product_id, d.slug, coalesce(nullif(d.name ->> '{first}', ''), d.name ->> '{second}') AS name,
           d.brand_name, d.image_key, d.default_variant_id, d.default_sku, d.variant_count,
           {"price.amount" if price_sql else "CAST(NULL AS numeric)"} AS price, {total} AS total
    FROM (SELECT l.product_id, row_number() OVER (ORDER BY {order}) AS ord
          FROM product_listing l WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset) p
    JOIN product_search d ON d.product_id = p.product_id
    {price_sql}
    ORDER BY p.ord
    """
    return text(sql), frozenset(_BIND.findall(sql))

"""The listing statement: matched documents (`base`), the filtered page (`hits`) and facet counts, in one query.

Facets are disjunctive: a facet's own selection does not narrow its counts (choosing "black" still shows
how many are "white"), every other selection does. Only bind parameters reach the SQL text.

Prices never come from SQL here: a listing by price or within a price range first reads every match with
`matches` (one statement, no page), has the pricing engine price them, orders and pages in Python, then runs
`listing` with `only_ids` (the matches within the range, which narrow every facet count) and `page_ids` (the
page, in its order), or only `cards` when the counts are known.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text

_ORDER = {
    "relevance": "h.exact DESC, h.rank DESC, h.sort_key, h.product_id",
    "name": "h.sort_key, h.product_id",
    "newest": "h.created_at DESC, h.product_id DESC",
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
    "'variant_count', d.variant_count)"
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
    product_ids: list[uuid.UUID] | None = None  # None: no restriction; else only these products match


def _facet_filters(f: Filters) -> dict[Any, str]:
    """Each facet's condition on `b` (a base row), keyed so one can be left out."""
    conds: dict[Any, str] = {}
    if f.brand_ids:
        conds["brand"] = "b.brand_id = ANY (CAST(:brands AS uuid[]))"
    for i, _attribute in enumerate(f.value_groups):
        conds[("attr", i)] = f"b.attr_values && CAST(:values_{i} AS uuid[])"
    return conds


def _where(conds: dict[Any, str], *exclude: Any) -> str:
    kept = [c for k, c in conds.items() if k not in exclude]
    return " AND ".join(kept) or "true"


def _matched(mode: str, sort: str, f: Filters, only_ids: list[uuid.UUID] | None) -> tuple[str, str, str]:
    """The documents' match condition (mode: browse, text or fuzzy), and their rank and exact-code flag."""
    where = ["d.status = 'active'"]
    if f.category_id is not None:
        where.append("d.category_id IN (SELECT c.id FROM categories c WHERE c.path @> ARRAY[CAST(:category AS uuid)])")
    if f.catalog_ids is not None:
        where.append("d.catalog_ids && CAST(:catalogs AS uuid[])")
    if f.product_ids is not None:
        where.append("d.product_id IN (SELECT unnest(CAST(:restricted AS uuid[])))")
    if only_ids is not None:
        where.append("d.product_id IN (SELECT unnest(CAST(:only_ids AS uuid[])))")
    rank, exact = "0", "false"
    if mode == "text":
        where.append(f"(d.search_vector @@ {_TSQUERY} OR {_EXACT})")
        rank = f"ts_rank(d.search_vector, {_TSQUERY})" if sort == "relevance" else "0"
        exact = _EXACT
    elif mode == "fuzzy":
        where.append("d.search_text %> CAST(:q AS text)")
        rank = "word_similarity(CAST(:q AS text), d.search_text)"
    return " AND ".join(where), rank, exact


def _bound(sql: str, f: Filters, **values: Any) -> tuple[TextClause, dict[str, Any]]:
    """The statement with the parameters it uses (only bind parameters reach the SQL text)."""
    params: dict[str, Any] = {
        "category": f.category_id,
        "brands": f.brand_ids,
        "catalogs": f.catalog_ids,
        "restricted": f.product_ids,
        "selected_attributes": list(f.value_groups),
        **values,
    }
    for i, (attribute_id, chosen) in enumerate(f.value_groups.items()):
        params[f"values_{i}"] = chosen
        params[f"attribute_{i}"] = attribute_id
    names = set(_BIND.findall(sql))
    return text(sql), {k: v for k, v in params.items() if k in names}


def _search_values(groups: list[str], q: str, cap: int) -> dict[str, Any]:
    return {"groups": groups, "code": q.strip(), "q": q, "cap": cap}


def listing(
    mode: str,
    sort: str,
    locale: str,
    f: Filters,
    facets: bool,
    *,
    groups: list[str],
    q: str,
    limit: int,
    offset: int,
    cap: int,
    only_ids: list[uuid.UUID] | None = None,
    page_ids: list[uuid.UUID] | None = None,
    pairs: int = 0,
) -> tuple[TextClause, dict[str, Any]]:
    """The statement and its parameters; `mode` is browse (no text), text (full-text) or fuzzy (trigram).

    `only_ids` restricts the matches (and so every count) to these products; `page_ids` is the page itself,
    in its order (instead of limit and offset); `pairs` > 0 adds the hits' product and default variant
    ids (hit_products, hit_variants, in the same order) for pricing them, when there are at most that many.
    """
    where, rank, exact = _matched(mode, sort, f, only_ids)
    conds = _facet_filters(f)
    hits = "hits" if conds else "base"  # without filters the matches are the hits: no second copy
    if page_ids is None:
        page = f"""(SELECT h.product_id, row_number() OVER (ORDER BY {_ORDER[sort]}) AS ord
                  FROM {hits} h ORDER BY {_ORDER[sort]} LIMIT :limit OFFSET :offset) p"""
    else:  # the page the caller worked out, in its order
        page = "unnest(CAST(:page_ids AS uuid[])) WITH ORDINALITY AS p(product_id, ord)"
    sql = f"""
    WITH base AS MATERIALIZED (
        SELECT d.product_id, d.category_id, d.brand_id, d.brand_name, d.attr_values, d.created_at,
               {"d.sort_en" if locale == "en" else "d.sort_es"} AS sort_key, {rank} AS rank, {exact} AS exact
               {", d.default_variant_id" if pairs else ""}
        FROM product_search d
        WHERE {where}
        {"LIMIT :cap" if mode != "browse" else ""}
    ){f", hits AS (SELECT * FROM base b WHERE {_where(conds)})" if conds else ""}
    SELECT (SELECT count(*) FROM {hits}) AS total,
           (SELECT coalesce(json_agg({_CARD} ORDER BY p.ord), '[]')
            FROM {page}
            JOIN product_search d ON d.product_id = p.product_id) AS items
    """
    if pairs:
        few = f"(SELECT count(*) FROM {hits}) <= :pairs"
        sql += f""",
           CASE WHEN {few} THEN ARRAY(SELECT h.product_id FROM {hits} h ORDER BY h.product_id) END AS hit_products,
           CASE WHEN {few} THEN ARRAY(SELECT h.default_variant_id FROM {hits} h ORDER BY h.product_id) END
             AS hit_variants"""
    if facets:
        sql += _facet_columns(f, conds, hits)
    values = _search_values(groups, q, cap)
    return _bound(sql, f, limit=limit, offset=offset, only_ids=only_ids, page_ids=page_ids, pairs=pairs, **values)


def matches(
    mode: str, sort: str, locale: str, f: Filters, *, groups: list[str], q: str, cap: int, every: bool
) -> tuple[TextClause, dict[str, Any]]:
    """Every match without a page, as one row of arrays in the listing's order (by name for a price sort, which
    the caller then orders by price, stably): product_ids, variant_ids (default variants), and with `every`
    also the rows the facet filters drop and `hits` (which rows they keep), since the facet counts of a price
    range need those prices too. Arrays: asyncpg decodes them in C, with no per-row cost here."""
    where, rank, exact = _matched(mode, sort, f, None)
    hit = _where(_facet_filters(f))
    order = _ORDER[sort if sort in _ORDER else "name"].replace("h.", "b.")
    sql = f"""
    WITH base AS MATERIALIZED (
        SELECT d.product_id, d.default_variant_id, d.brand_id, d.attr_values, d.created_at,
               {"d.sort_en" if locale == "en" else "d.sort_es"} AS sort_key, {rank} AS rank, {exact} AS exact
        FROM product_search d
        WHERE {where}
        {"LIMIT :cap" if mode != "browse" else ""}
    )
    SELECT coalesce(array_agg(b.product_id ORDER BY {order}), '{{}}') AS product_ids,
           coalesce(array_agg(b.default_variant_id ORDER BY {order}), '{{}}') AS variant_ids,
           {f"coalesce(array_agg({hit} ORDER BY {order}), '{{}}')" if every else "NULL"} AS hits
    FROM base b {"" if every else f"WHERE {hit}"}
    """
    return _bound(sql, f, **_search_values(groups, q, cap))


def _facet_columns(f: Filters, conds: dict[Any, str], hits: str) -> str:
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
    return ", " + ", ".join(columns)


def _name(locale: str) -> str:
    first, second = ("en", "es") if locale == "en" else ("es", "en")
    return f"coalesce(nullif(d.name ->> '{first}', ''), d.name ->> '{second}') AS name"


def category_page(
    sort: str,
    locale: str,
    listing_id: uuid.UUID,
    catalog_ids: list[uuid.UUID] | None,
    *,
    with_total: bool,
    limit: int,
    offset: int,
) -> tuple[TextClause, dict[str, Any]]:
    """A plain category page (no search, no filters): its entries of product_listing read in index order,
    as rows (each carries the total when asked, else NULL)."""
    statement, names = _category_page_sql(sort, locale, catalog_ids is not None, with_total)
    params: dict[str, Any] = {"listing": listing_id, "catalogs": catalog_ids, "limit": limit, "offset": offset}
    return statement, {k: v for k, v in params.items() if k in names}


@lru_cache(maxsize=64)
def _category_page_sql(sort: str, locale: str, restricted: bool, with_total: bool) -> tuple[TextClause, frozenset[str]]:
    where = "l.category_id = CAST(:listing AS uuid)"
    if restricted:
        where += " AND l.catalog_ids && CAST(:catalogs AS uuid[])"
    order = _LISTING_ORDER[(sort, "en" if locale == "en" else "es")]
    total = f"(SELECT count(*) FROM product_listing l WHERE {where})" if with_total else "NULL"
    sql = f"""
    SELECT d.product_id, d.slug, {_name(locale)}, d.brand_name, d.image_key, d.default_variant_id, d.default_sku,
           d.variant_count, {total} AS total
    FROM (SELECT l.product_id, row_number() OVER (ORDER BY {order}) AS ord
          FROM product_listing l WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset) p
    JOIN product_search d ON d.product_id = p.product_id
    ORDER BY p.ord
    """
    return text(sql), frozenset(_BIND.findall(sql))


@lru_cache(maxsize=4)
def _cards_sql(locale: str) -> TextClause:
    return text(
        f"""
        SELECT d.product_id, d.slug, {_name(locale)}, d.brand_name, d.image_key, d.default_variant_id,
               d.default_sku, d.variant_count
        FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS p(product_id, ord)
        JOIN product_search d ON d.product_id = p.product_id
        ORDER BY p.ord
        """
    )


def cards(locale: str, product_ids: list[uuid.UUID]) -> tuple[TextClause, dict[str, Any]]:
    """These products' card rows, in this order."""
    return _cards_sql("en" if locale == "en" else "es"), {"ids": product_ids}

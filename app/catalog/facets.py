"""Facet counts of a listing: their shapes, how the statement's raw counts become them, and a small cache."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from app.cache import cache
from app.catalog import domain


@dataclass(frozen=True)
class FacetValue:
    id: uuid.UUID
    label: str
    count: int
    selected: bool = False
    slug: str | None = None


@dataclass(frozen=True)
class AttributeFacet:
    attribute_id: uuid.UUID
    code: str
    label: str
    values: list[FacetValue]


@dataclass(frozen=True)
class Facets:
    categories: list[FacetValue]
    brands: list[FacetValue]
    attributes: list[AttributeFacet]


FACET_COUNTS = cache("catalog.facet_counts", size=5_000, ttl=60.0)  # listing key -> totals and facet counts


class FacetCache:
    """Where browse() keeps the totals and facet counts of plain listings: app.cache under the change tokens
    the counts were read with (the catalogue's and the prices'); with a token missing nothing is kept."""

    __slots__ = ("tokens",)

    def __init__(self, *tokens: Any) -> None:
        self.tokens = tokens

    def get(self, key: tuple) -> dict[str, Any] | None:
        return FACET_COUNTS.get(self.tokens, key)

    def put(self, key: tuple, value: dict[str, Any]) -> None:
        FACET_COUNTS.put(self.tokens, key, value)


def parsed_facets(
    row: dict[str, Any],
    locale: str,
    chosen_values: Collection[uuid.UUID],
    chosen_brands: Collection[uuid.UUID],
    groups: int,
) -> Facets:
    """Facets from a statement's (or the cache's) raw counts; a cached row keeps its parsed form per locale."""
    memo = row.setdefault("_parsed", {})
    if locale not in memo:
        memo[locale] = _facets(row, locale, set(chosen_values), set(chosen_brands), groups)
    return memo[locale]


def _facets(row: dict[str, Any], locale: str, chosen: set, brands_chosen: set, groups: int) -> Facets:
    categories = [
        FacetValue(uuid.UUID(c["id"]), domain.translated(c["name"], locale), c["count"], slug=c["slug"])
        for c in row["categories"]
    ]
    brands = [
        FacetValue(uuid.UUID(b["id"]), b["name"], b["count"], uuid.UUID(b["id"]) in brands_chosen)
        for b in row["brands"]
    ]
    values = list(row["attribute_values"])
    for i in range(groups):
        values += row[f"selected_values_{i}"]
    by_attribute: dict[str, list[dict[str, Any]]] = {}
    for v in values:
        by_attribute.setdefault(v["attribute_id"], []).append(v)
    attributes = [
        _attribute(attribute_id, rows, locale, chosen)
        for attribute_id, rows in sorted(by_attribute.items(), key=lambda kv: (kv[1][0]["position"], kv[1][0]["code"]))
    ]
    return Facets(categories, brands, attributes)


def _attribute(attribute_id: str, rows: list[dict[str, Any]], locale: str, chosen: set) -> AttributeFacet:
    rows.sort(key=lambda v: (v["value_position"], domain.translated(v["value_name"], locale)))
    values = [
        FacetValue(
            uuid.UUID(v["value_id"]),
            domain.translated(v["value_name"], locale),
            v["count"],
            uuid.UUID(v["value_id"]) in chosen,
        )
        for v in rows
    ]
    return AttributeFacet(uuid.UUID(attribute_id), rows[0]["code"], domain.translated(rows[0]["name"], locale), values)

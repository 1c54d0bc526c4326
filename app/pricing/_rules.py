"""Price rules: one row of a price list, with the level, scope, tier and validity that decide when it applies."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple, TypeAlias

from app.pricing._money import Rounding

Id: TypeAlias = Hashable  # a UUID in the database; tests may use short strings
ONE = Decimal(1)


class Level(StrEnum):
    """Who a price list is for, highest precedence first; the value is what the database stores."""

    CONTRACT = "contract"  # a negotiated contract with one customer, usually dated
    CUSTOMER = "customer"  # a standing price list of one customer
    GROUP = "group"  # a price list of a customer group (wholesale, distributors, ...)
    BASE = "base"  # the public list price, one base list per currency


LEVEL_RANK: dict[str, int] = {Level.CONTRACT: 0, Level.CUSTOMER: 1, Level.GROUP: 2, Level.BASE: 3}


class Method(StrEnum):
    """How a rule turns its value into a unit price."""

    FIXED = "fixed"  # value is the unit price
    LIST_MINUS_PCT = "list_minus_pct"  # value is a percentage off the base-list price at the same quantity
    COST_PLUS_PCT = "cost_plus_pct"  # value is a markup percentage over the variant's cost


class Scope(StrEnum):
    """Which products a rule or promotion covers, most specific first."""

    VARIANT = "variant"
    PRODUCT = "product"
    CATEGORY = "category"
    ALL = "all"


class PriceRule(NamedTuple):
    """One price-list row, read as `price_rules` joined with its `price_lists` row (list_* and level columns).

    A NamedTuple, immutable and cheap to build: `PriceRule._make(record)` when the SELECT lists the columns
    in field order (a page may load thousands of rules). Fields and their columns:
    - id: price_rules.id.
    - list_id, list_code: price_lists.id and .code; the code names the list in explanations ("CT-ACME").
    - level: price_lists.level ('contract' | 'customer' | 'group' | 'base'), see Level.
    - currency: price_lists.currency, ISO 4217; a rule never prices in another currency.
    - customer_id: price_lists.customer_id, required for 'contract' and 'customer' lists, else None.
    - group_id: price_lists.customer_group_id, required for 'group' lists, else None.
    - variant_id / product_id / category_id: price_rules scope, at most one set (CHECK num_nonnulls(...) <= 1);
      none set means every product. A category rule covers the products of that category and its subcategories.
    - min_qty: tier start (price break), > 0, default 1 = the price from the first unit.
    - method, value: Method and its number: a price for 'fixed', a percentage for the two formulas.
    - rounding: Rounding of the computed price ('cent' | '99' | '95' | '90').
    - valid_from / valid_to: first and last day the rule applies, inclusive; None leaves that end open.
    - label: free text shown to staff in the explanation ("Frame agreement 2026"), may be empty.
    """

    id: Id
    list_id: Id
    list_code: str
    level: Level | str
    currency: str
    value: Decimal
    method: Method | str = Method.FIXED
    customer_id: Id | None = None
    group_id: Id | None = None
    variant_id: Id | None = None
    product_id: Id | None = None
    category_id: Id | None = None
    min_qty: Decimal = ONE
    rounding: Rounding | str = Rounding.CENT
    valid_from: date | None = None
    valid_to: date | None = None
    label: str = ""

    @property
    def scope(self) -> Scope:
        """The kind of scope: variant, product, category or all products."""
        return scope_of(self.variant_id, self.product_id, self.category_id)


def scope_of(variant_id: Id | None, product_id: Id | None, category_id: Id | None) -> Scope:
    """The most specific scope column that is set (validation refuses more than one)."""
    if variant_id is not None:
        return Scope.VARIANT
    if product_id is not None:
        return Scope.PRODUCT
    if category_id is not None:
        return Scope.CATEGORY
    return Scope.ALL


def scope_key(variant_id: Id | None, product_id: Id | None, category_id: Id | None) -> tuple[str, Id | None]:
    """The key a rule or promotion is indexed under, so one page is matched with a few dict look-ups."""
    if variant_id is not None:
        return ("v", variant_id)
    if product_id is not None:
        return ("p", product_id)
    if category_id is not None:
        return ("c", category_id)
    return ("*", None)


def periods_overlap(a_from: date | None, a_to: date | None, b_from: date | None, b_to: date | None) -> bool:
    """True when two inclusive periods with open (None) ends share at least one day."""
    return (a_from is None or b_to is None or a_from <= b_to) and (b_from is None or a_to is None or b_from <= a_to)

"""The product CSV's price column, pure: each base price checked as the price list screen checks a price.

The catalogue's rules of the file (app.catalog.csv_products) know no price lists; a line's price is the fixed
price from one unit, without dates, in the shop's active base list of its currency, checked by pricing's
check_rule against the variant's saved prices.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from app.catalog import csv_products
from app.catalog.csv_products import ProductLine
from app.i18n import gettext as _
from app.pricing.domain import PriceRule
from app.pricing.rule_checks import check_rule, rule_in_list
from app.tasks.domain import Issue


@dataclass(frozen=True)
class References(csv_products.References):
    """What the database knows that the file refers to: the catalogue's references and the base prices."""

    base_list: PriceRule | None = None  # a template carrying the base list's id, code, level, currency, rounding
    rules: Mapping[str, list[PriceRule]] = field(default_factory=dict)  # SKU -> saved rules (dates clipped to lists)
    # (list id, SKU, min_qty, valid_from, valid_to) of each saved fixed price -> its rule id
    fixed: Mapping[tuple, object] = field(default_factory=dict)


def check_references(lines: list[ProductLine], refs: References) -> list[Issue]:
    """The catalogue's checks of each line, then its base price's, in line order."""
    return list(heapq.merge(csv_products.check_references(lines, refs), base_price_issues(lines, refs), key=_line_of))


def base_price_issues(lines: list[ProductLine], refs: References) -> list[Issue]:
    """Base prices the price list would refuse, or that have no base list to go to."""
    issues = []
    for line in lines:
        price = line.numbers["price"]
        if price is None:
            continue
        if refs.base_list is None:
            reason = _("There is no active base price list in the shop's currency.")
            issues.append(Issue(line.line, "price", reason, str(price)))
            continue
        saved, base = refs.rules.get(line.sku, []), refs.base_list
        same = refs.fixed.get((base.list_id, line.sku, Decimal(1), None, None))
        variant = saved[0].variant_id if saved else line.sku  # a new variant has no id yet: its SKU stands in
        rule = rule_in_list(base, id=same or ("new", line.line), value=price, variant_id=variant)
        issues += [Issue(line.line, "price", message, str(price)) for message in check_rule(rule, saved).values()]
    return issues


def _line_of(issue: Issue) -> int:
    return issue.line or 0

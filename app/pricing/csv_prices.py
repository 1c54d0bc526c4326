"""The price CSV, pure: fixed prices per SKU, price list and tier, checked as the price list screen checks them.

Columns: sku and price (required); price_list (a list's code; empty or no column = the base list of the
shop's currency); min_qty (the first quantity of the tier, empty = 1); valid_from and valid_to (yyyy-mm-dd,
empty = open). A line sets the fixed unit price of one variant in one list from min_qty during those dates:
a price with the same list, SKU, tier and dates is updated, otherwise one is added. Discounts, formulas and
category prices stay in the price list screen. The lines of one SKU in one list (its tiers) are imported
together or not at all. Importing the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.catalog import domain
from app.catalog.csv_domain import number_issue, parse_date, read_table
from app.i18n import gettext as _
from app.pricing.domain import PriceRule, QuantityRule
from app.pricing.rule_checks import check_rule, rule_in_list
from app.tasks.domain import Issue

COLUMNS = ("price_list", "sku", "min_qty", "price", "valid_from", "valid_to")
BATCH_ROWS = 2000
_FIELD_COLUMN = {"value": "price", "min_qty": "min_qty", "valid_from": "valid_from", "valid_to": "valid_to"}


@dataclass
class PriceLine:
    line: int
    list_code: str  # upper case; "" = the base list
    sku: str
    min_qty: Decimal
    price: Decimal
    valid_from: date | None = None
    valid_to: date | None = None

    @property
    def group(self) -> tuple[str, str]:
        return (self.list_code, self.sku)

    @property
    def key(self) -> tuple:
        return (self.list_code, self.sku, self.min_qty, self.valid_from, self.valid_to)


@dataclass
class PriceFile:
    lines: list[PriceLine]
    issues: list[Issue]
    fatal: bool
    groups: dict[int, tuple[str, str]]


@dataclass(frozen=True)
class PriceReferences:
    """The lists, variants and saved rules the file refers to (loaded by app.pricing.price_import)."""

    # code -> the list as a rule template (id, code, level, currency, target, rounding, its validity); "" = base
    lists: Mapping[str, PriceRule] = field(default_factory=dict)
    inactive: frozenset[str] = frozenset()  # codes of lists switched off: their prices cannot clash
    variants: Mapping[str, QuantityRule] = field(default_factory=dict)  # SKU -> its id and quantity rule
    rules: Mapping[str, list[PriceRule]] = field(default_factory=dict)  # SKU -> saved rules (dates clipped to lists)
    # (list id, SKU, min_qty, valid_from, valid_to) of each saved fixed price -> its rule id
    fixed: Mapping[tuple, object] = field(default_factory=dict)


@dataclass
class PricePlan:
    batches: list[list[PriceLine]]
    lines: int
    rejected_lines: int
    issues: list[Issue]


def read_prices(data: bytes) -> PriceFile:
    """Read and check every line on its own, and that no two lines set the same price."""
    table = read_table(data, COLUMNS, ("sku", "price"))
    if table.fatal:
        return PriceFile([], table.issues, True, {})
    issues = list(table.issues)
    lines: list[PriceLine] = []
    groups: dict[int, tuple[str, str]] = {}
    for record in table.records:
        cells, n = record.cells, record.line
        sku = domain.normalise_sku(cells.get("sku", ""))
        code = cells.get("price_list", "").strip().upper()
        groups[n] = (code, sku)
        if record.broken:
            continue
        problems: list[Issue] = []
        if not sku:
            problems.append(Issue(n, "sku", _("Enter the SKU.")))
        price, issue = number_issue(cells.get("price", ""), "price", n, above=True)
        if price is None and issue is None:
            issue = Issue(n, "price", _("Enter the price."))
        min_qty, qty_issue = number_issue(cells.get("min_qty", ""), "min_qty", n, above=True)
        problems += [i for i in (issue, qty_issue) if i]
        dates: list[date | None] = []
        for column in ("valid_from", "valid_to"):
            try:
                dates.append(parse_date(cells.get(column, "")))
            except ValueError:
                problems.append(Issue(n, column, _("Enter a date as yyyy-mm-dd."), cells.get(column, "")))
                dates.append(None)
        issues += problems
        if not problems and price is not None:
            lines.append(PriceLine(n, code, sku, min_qty or Decimal(1), price, dates[0], dates[1]))
    issues += _same_price_twice(lines)
    return PriceFile(lines, issues, False, groups)


def _same_price_twice(lines: list[PriceLine]) -> list[Issue]:
    where: dict[tuple, list[int]] = {}
    for line in lines:
        where.setdefault(line.key, []).append(line.line)
    issues = []
    for line in lines:
        others = [m for m in where[line.key] if m != line.line]
        if others:
            reason = _(
                "Line %(lines)s sets the same price (list, SKU, quantity and dates).",
                lines=", ".join(map(str, others)),
            )
            issues.append(Issue(line.line, "sku", reason, line.sku))
    return issues


def check_references(lines: list[PriceLine], refs: PriceReferences) -> list[Issue]:
    """Lists and SKUs that must exist, and each price as check_rule sees it beside the saved and the new ones."""
    issues = []
    news: dict[str, list[PriceRule]] = {}
    rules: dict[int, PriceRule] = {}
    for line in lines:
        template = refs.lists.get(line.list_code)
        variant = refs.variants.get(line.sku)
        if template is None:
            reason = (
                _("Unknown price list “%(code)s”.", code=line.list_code)
                if line.list_code
                else _("There is no active base price list in the shop's currency.")
            )
            issues.append(Issue(line.line, "price_list", reason, line.list_code))
        if variant is None:
            issues.append(Issue(line.line, "sku", _("Unknown SKU %(sku)s.", sku=line.sku), line.sku))
        if template is None or variant is None:
            continue
        same = refs.fixed.get((template.list_id, line.sku, line.min_qty, line.valid_from, line.valid_to))
        rule = rule_in_list(
            template, id=same or ("new", line.line), value=line.price, variant_id=variant.variant_id,
            min_qty=line.min_qty, valid_from=line.valid_from, valid_to=line.valid_to,
        )  # fmt: skip
        if rule is None:  # the list's validity leaves these dates no day
            issues += [Issue(line.line, key, message) for key, message in check_rule(None).items()]
            continue
        rules[line.line] = rule
        if template.list_code not in refs.inactive:
            news.setdefault(line.sku, []).append(rule)
    for line in lines:
        if (rule := rules.get(line.line)) is None:
            continue
        siblings = [] if rule.list_code in refs.inactive else [*refs.rules.get(line.sku, []), *news[line.sku]]
        for key, message in check_rule(rule, siblings, refs.variants[line.sku]).items():
            issues.append(Issue(line.line, _FIELD_COLUMN.get(key, "price"), message, str(line.price)))
    return issues


def plan(file: PriceFile, more: list[Issue], batch_rows: int = BATCH_ROWS) -> PricePlan:
    """Reject every SKU-in-a-list with a bad line (reporting its other lines), batch the rest."""
    issues = file.issues + more
    bad = {i.line for i in issues if i.line is not None}
    rejected = {file.groups[n] for n in bad if n in file.groups}
    good: list[PriceLine] = []
    for line in file.lines:
        if line.group not in rejected:
            good.append(line)
        elif line.line not in bad:
            reason = _("Not imported: another price of this SKU in this list has errors.")
            issues.append(Issue(line.line, "sku", reason, line.sku))
    batches = [good[i : i + batch_rows] for i in range(0, len(good), batch_rows)]
    rejected_lines = sum(1 for g in file.groups.values() if g in rejected)
    return PricePlan(batches, len(file.groups), rejected_lines, issues)

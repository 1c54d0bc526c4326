"""The product CSV, pure: which columns mean what, every check a line must pass, and the import plan.

A line is one variant (one SKU). Lines with the same product_key are the variants of one product (no key:
the SKU is its own product). The product's fields (names, descriptions, category, brand, tax class, status,
measures) come from its FIRST line; its other lines may leave them empty or repeat them, but a different
value is an error. Variant fields (sku, gtin, quantities, cost, price, attr:<code>) are per line.

- category: the slug of an existing category; an unknown one is an error. brand: a name; a new brand is created.
- attr:<code> columns: the attribute must exist; a new value (e.g. a new colour) is created.
- status: draft, active or discontinued (empty = active); tax_class: standard, reduced, super_reduced or exempt.
- price: the base price from one unit, in the base price list of the shop's currency (empty = unchanged);
  read here as a number, checked and saved as a price by app.catalog_pricing (catalog knows no price lists).
- A SKU or barcode may appear once in the file; a barcode another SKU already has is an error.

The whole file is checked first. A product with any bad line is not imported at all (no partial product);
its other lines are reported as not imported. Good products are upserted by SKU in batches of whole
products, so importing the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from app.catalog import domain
from app.catalog.csv_domain import Record, Table, number_issue, read_table
from app.i18n import gettext as _
from app.tasks.domain import Issue

ATTRIBUTE_PREFIX = "attr:"
PRODUCT_FIELDS = (
    "name_es", "name_en", "description_es", "description_en", "category", "brand", "tax_class", "status",
    "weight_kg", "length_cm", "width_cm", "height_cm",
)  # fmt: skip
VARIANT_FIELDS = ("gtin", "min_qty", "order_multiple", "max_qty", "cost", "price")
COLUMNS = ("product_key", "sku", *PRODUCT_FIELDS, *VARIANT_FIELDS)
TEXT_LIMITS = {"name_es": 200, "name_en": 200, "description_es": 5000, "description_en": 5000, "brand": 200}
# column -> (decimals, integer digits, must be above zero): what the database columns hold
NUMBERS = {
    "weight_kg": (3, 7, False), "length_cm": (2, 8, False), "width_cm": (2, 8, False), "height_cm": (2, 8, False),
    "min_qty": (4, 10, True), "order_multiple": (4, 10, True), "max_qty": (4, 10, True), "cost": (4, 10, False),
    "price": (4, 10, True),
}  # fmt: skip
BATCH_ROWS = 2000
# product keys repeat on every variant, attribute values on thousands of lines: slug each text once
_slug = lru_cache(maxsize=50_000)(domain.slugify)
_code = lru_cache(maxsize=50_000)(domain.normalise_code)


@dataclass
class ProductLine:
    """One good-looking line: normalised texts and numbers, attribute codes, and the product it belongs to."""

    line: int
    sku: str
    group: str  # slug of the product_key (or of the SKU): lines sharing it are one product
    key: str
    texts: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, Decimal | None] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class ProductFile:
    lines: list[ProductLine]
    issues: list[Issue]
    fatal: bool
    groups: dict[int, str]  # line -> product group, for every line read (broken ones too)


@dataclass
class ImportPlan:
    """Whole products in batches, what is rejected, and the full report."""

    batches: list[list[ProductLine]]
    heads: dict[str, ProductLine]  # group -> its first line (the product's fields)
    products: int
    rejected_products: int
    rejected_lines: int
    issues: list[Issue]


@dataclass(frozen=True)
class References:
    """What the catalogue knows that the file refers to (loaded by app.catalog.csv_io.product_references)."""

    categories: frozenset[str] = frozenset()
    gtin_owners: Mapping[str, str] = field(default_factory=dict)  # barcode -> the SKU that has it


def read_products(data: bytes, attribute_codes: Collection[str]) -> ProductFile:
    """Read and check every line on its own and against the other lines of the file."""
    table = read_table(data, COLUMNS, ("sku",), prefixes=(ATTRIBUTE_PREFIX,))
    if not table.fatal:
        _check_columns(table, attribute_codes)
    if table.fatal:
        return ProductFile([], table.issues, True, {})
    issues = list(table.issues)
    lines: list[ProductLine] = []
    groups: dict[int, str] = {}
    for record in table.records:
        line, problems = _read_line(record)
        groups[record.line] = line.group
        if record.broken:
            continue
        issues += problems
        lines.append(line)
    issues += _duplicates(lines, "sku", lambda ln: ln.sku)
    issues += _duplicates(lines, "gtin", lambda ln: ln.texts.get("gtin", ""))
    issues += _product_consistency(lines)
    return ProductFile(lines, issues, False, groups)


def _check_columns(table: Table, attribute_codes: Collection[str]) -> None:
    if not {"name_es", "name_en"} & set(table.columns):
        table.fail(Issue(1, "name_es", _("Add a name_es or name_en column.")))
    for column in table.columns:
        code = column.removeprefix(ATTRIBUTE_PREFIX)
        if column.startswith(ATTRIBUTE_PREFIX) and code not in attribute_codes:
            table.fail(Issue(1, column, _("Unknown attribute “%(code)s”: create it first.", code=code)))


def _read_line(record: Record) -> tuple[ProductLine, list[Issue]]:
    cells, n = record.cells, record.line
    issues: list[Issue] = []
    raw_sku, key = cells.get("sku", ""), cells.get("product_key", "")
    sku = domain.normalise_sku(raw_sku)
    if not raw_sku:
        issues.append(Issue(n, "sku", _("Enter the SKU.")))
    elif not domain.valid_sku(sku):
        issues.append(Issue(n, "sku", _("Enter a SKU of up to 64 letters, digits or . _ / - characters."), raw_sku))
    group = _slug(key or sku)
    if key and not group:
        issues.append(Issue(n, "product_key", _("Use letters or digits in the product key."), key))
    line = ProductLine(n, sku, group or sku, key)
    for column, limit in TEXT_LIMITS.items():
        raw = cells.get(column, "")
        text = raw if column.startswith("description") else " ".join(raw.split())
        line.texts[column] = text
        if len(text) > limit:
            issues.append(Issue(n, column, _("Use at most %(n)s characters.", n=limit), text))
    if line.texts["brand"] and not _slug(line.texts["brand"]):
        issues.append(Issue(n, "brand", _("Use letters or digits in the brand name."), line.texts["brand"]))
    _choice(line, cells, issues, "status", domain.PRODUCT_STATUSES, _("Use draft, active or discontinued."))
    _choice(line, cells, issues, "tax_class", domain.TAX_CLASSES, _("Use standard, reduced, super_reduced or exempt."))
    line.texts["category"] = cells.get("category", "").strip().lower()
    gtin = cells.get("gtin", "")
    line.texts["gtin"] = gtin
    if gtin and not domain.gtin_valid(gtin):
        issues.append(
            Issue(n, "gtin", _("Enter a valid EAN/GTIN (8, 12, 13 or 14 digits with its check digit)."), gtin)
        )
    for column, (decimals, digits, above) in NUMBERS.items():
        number, issue = number_issue(cells.get(column, ""), column, n, above=above, decimals=decimals, digits=digits)
        line.numbers[column] = number
        if issue:
            issues.append(issue)
    low, high = line.numbers["min_qty"] or Decimal(1), line.numbers["max_qty"]
    if high is not None and high < low:
        issues.append(Issue(n, "max_qty", _("The maximum cannot be below the minimum."), cells.get("max_qty", "")))
    for column, value in cells.items():
        if column.startswith(ATTRIBUTE_PREFIX) and value:
            if not _code(value):
                issues.append(Issue(n, column, _("Use letters or digits in “%(value)s”.", value=value), value))
            line.attributes[column.removeprefix(ATTRIBUTE_PREFIX)] = value
    return line, issues


def _choice(
    line: ProductLine, cells: dict[str, str], issues: list[Issue], column: str, allowed: Collection[str], reason: str
) -> None:
    value = cells.get(column, "").strip().lower()
    line.texts[column] = value
    if value and value not in allowed:
        issues.append(Issue(line.line, column, reason, cells.get(column, "")))


def _duplicates(lines: list[ProductLine], column: str, value_of) -> list[Issue]:
    """Every line whose value another line of the file also has, naming the others."""
    where: dict[str, list[int]] = {}
    for line in lines:
        if value := value_of(line):
            where.setdefault(value, []).append(line.line)
    issues = []
    for value, found in where.items():
        for n in found if len(found) > 1 else ():
            others = ", ".join(str(m) for m in found if m != n)
            reason = _("%(value)s is also on line %(lines)s.", value=value, lines=others)
            issues.append(Issue(n, column, reason, value))
    return issues


def _product_consistency(lines: list[ProductLine]) -> list[Issue]:
    """Product fields on later lines must match the first line; variants of one product must differ."""
    heads: dict[str, ProductLine] = {}
    combos: dict[tuple[str, tuple], int] = {}
    issues = []
    for line in lines:
        head = heads.setdefault(line.group, line)
        if head is line:
            if not (line.texts["name_es"] or line.texts["name_en"]):
                issues.append(Issue(line.line, "name_es", _("Enter the name in Spanish or English.")))
        else:
            for column in PRODUCT_FIELDS:
                mine, theirs = _product_value(line, column), _product_value(head, column)
                if mine not in ("", None) and mine != theirs:
                    reason = _(
                        "Differs from line %(line)s, the first line of this product: leave it empty or repeat it.",
                        line=head.line,
                    )
                    issues.append(Issue(line.line, column, reason, str(line.texts.get(column, mine))))
        combo = tuple(sorted((a, _code(v)) for a, v in line.attributes.items()))
        if combo and (first := combos.setdefault((line.group, combo), line.line)) != line.line:
            reason = _(
                "Same attribute values as line %(line)s of this product: each variant needs its own.", line=first
            )
            issues.append(Issue(line.line, "sku", reason, line.sku))
    return issues


def _product_value(line: ProductLine, column: str) -> object:
    return line.numbers.get(column) if column in NUMBERS else line.texts.get(column, "")


def check_references(lines: list[ProductLine], refs: References) -> list[Issue]:
    """Categories that must exist and barcodes other SKUs have (base prices: app.catalog_pricing.csv_products)."""
    issues = []
    for line in lines:
        category = line.texts["category"]
        if category and category not in refs.categories:
            issues.append(Issue(line.line, "category", _("Unknown category “%(slug)s”.", slug=category), category))
        gtin = line.texts["gtin"]
        if gtin and refs.gtin_owners.get(gtin, line.sku) != line.sku:
            owner = refs.gtin_owners[gtin]
            issues.append(Issue(line.line, "gtin", _("SKU %(sku)s already has this barcode.", sku=owner), gtin))
    return issues


def plan(file: ProductFile, more: list[Issue], batch_rows: int | None = None) -> ImportPlan:
    """Reject every product with a bad line (reporting its other lines), batch the rest as whole products."""
    issues = file.issues + more
    bad = {i.line for i in issues if i.line is not None}
    rejected_groups = {file.groups[n] for n in bad if n in file.groups}
    bad_lines: dict[str, list[int]] = {}
    for n, group in sorted(file.groups.items()):
        if n in bad:
            bad_lines.setdefault(group, []).append(n)
    heads: dict[str, ProductLine] = {}
    members: dict[str, list[ProductLine]] = {}
    for line in file.lines:
        heads.setdefault(line.group, line)
        members.setdefault(line.group, []).append(line)
    for line in file.lines:
        if line.group in rejected_groups and line.line not in bad:
            culprits = ", ".join(str(m) for m in bad_lines[line.group][:10])
            reason = _("Not imported: line %(lines)s of the same product has errors.", lines=culprits)
            issues.append(Issue(line.line, "sku", reason, line.sku))
    batches: list[list[ProductLine]] = [[]]
    for group, group_lines in members.items():
        if group in rejected_groups:
            continue
        if batches[-1] and len(batches[-1]) + len(group_lines) > (batch_rows or BATCH_ROWS):
            batches.append([])
        batches[-1].extend(group_lines)
    all_groups = set(file.groups.values())
    return ImportPlan(
        batches=[b for b in batches if b],
        heads=heads,
        products=len(all_groups - rejected_groups),
        rejected_products=len(rejected_groups),
        rejected_lines=sum(1 for g in file.groups.values() if g in rejected_groups),
        issues=issues,
    )

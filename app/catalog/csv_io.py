"""CSV imports as background tasks, what every import shares, and what the product import reads of the catalogue.

The runners: app.catalog_pricing.product_import (products with their base prices) and app.pricing.price_import
(fixed prices of price lists); the rules of each file are pure (app.catalog.csv_products, app.pricing.csv_prices).
A runner loads what the rules need and writes the good products or prices, batch by batch, each batch in its
own transaction together with the task's progress (TaskContext.step). In short:
1. The whole file is read and checked first; every bad line is reported with its line, column and reason.
2. A product with any bad line is not imported at all; the other products are, in batches of whole products.
3. Writing is an upsert by SKU (and for prices by list, SKU, tier and dates): the same file imported again
   changes nothing, and a retried run resumes after its last committed batch without importing twice.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.catalog.csv_domain import MAX_BYTES
from app.catalog.csv_products import ProductLine, References
from app.catalog.models import Attribute, Category, ProductVariant
from app.catalog.services.upsert import ProductRow
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.tasks.domain import Issue
from app.tasks.models import BackgroundTask
from app.tasks.registry import runner_for
from app.tasks.runner import TaskFailed
from app.tasks.services import InputFile, start_task

# An import that wrote at least this many products or prices refreshes the planner's statistics of the tables
# it wrote (app.db.refresh_statistics): a product import once its batches reach it (the batches after are then
# planned for tables no longer empty) and again at the end, so a corrected file imported right after is not
# planned for the old sizes either.
ANALYZE_AFTER = 1_000


async def start_import(
    session: AsyncSession, tenant_id: uuid.UUID, kind: str, file: InputFile, actor: Actor, *, locale: str, currency: str
) -> BackgroundTask:
    """Queue an uploaded file's import as a task of `kind`; refused at once if empty, too large or of no known kind."""
    errors: dict[str, str] = {}
    if runner_for(kind) is None:
        errors["kind"] = _("Choose what the file holds.")
    if not file.data:
        errors["file"] = _("Choose a CSV file.")
    elif len(file.data) > MAX_BYTES:
        errors["file"] = _("The file is larger than %(n)s MB.", n=MAX_BYTES // (1024 * 1024))
    if errors:
        raise ValidationFailed(errors)
    params = {"filename": file.filename, "locale": locale, "currency": currency}
    return await start_task(session, tenant_id, kind, actor, params=params, files={"input": file})


def file_failed(issues: list[Issue]) -> TaskFailed:
    """The failure of a file that cannot be read at all (its issues are the report)."""
    if len(issues) == 1:
        return TaskFailed(_("Nothing was imported: %(reason)s", reason=issues[0].reason))
    return TaskFailed(_("Nothing was imported: the file has the problems listed below."))


async def attribute_codes(session: AsyncSession) -> set[str]:
    """The attribute codes a product file may name in attr:<code> columns."""
    return set(await session.scalars(select(Attribute.code)))


async def product_references(session: AsyncSession, lines: list[ProductLine]) -> References:
    """The categories and the barcodes' owners the product file's lines are checked against."""
    gtins = sorted({ln.texts["gtin"] for ln in lines if ln.texts["gtin"]})
    categories = frozenset(await session.scalars(select(Category.slug)))
    stmt = select(ProductVariant.gtin, ProductVariant.sku).where(ProductVariant.gtin.in_(gtins))
    owners = {gtin: sku for gtin, sku in (await session.execute(stmt)).all()}
    return References(categories, owners)


def upsert_row(line: ProductLine, head: ProductLine) -> ProductRow:
    """The upsert's row: the product's fields from its first line, the variant's from this one."""
    t, n = head.texts, head.numbers
    return ProductRow(
        sku=line.sku, product_key=line.key, name_es=t["name_es"], name_en=t["name_en"],
        description_es=t["description_es"], description_en=t["description_en"], category=t["category"],
        brand=t["brand"], gtin=line.texts["gtin"], tax_class=t["tax_class"] or "standard",
        status=t["status"] or "active", attributes=line.attributes, weight_kg=n["weight_kg"],
        length_cm=n["length_cm"], width_cm=n["width_cm"], height_cm=n["height_cm"],
        min_qty=line.numbers["min_qty"], order_multiple=line.numbers["order_multiple"],
        max_qty=line.numbers["max_qty"], cost=line.numbers["cost"],
    )  # fmt: skip


def refused_issues(exc: ValidationFailed, lines: list[ProductLine]) -> list[Issue]:
    """The upsert's errors ('rows.<n>.<field>') as issues on the file's lines."""
    issues = []
    for key, message in exc.errors.items():
        parts = key.split(".")
        if len(parts) >= 3 and parts[0] == "rows" and parts[1].isdigit() and int(parts[1]) < len(lines):
            issues.append(Issue(lines[int(parts[1])].line, ".".join(parts[2:]), message))
    return issues

"""The product CSV import task: the catalogue's upsert of each batch, then pricing's service for its base prices.

The file's rules are app.catalog.csv_products with the price column's (app.catalog_pricing.csv_products); the
steps every import shares are app.catalog.csv_io's. A batch of whole products and their base prices commits in
one step, so a retried run resumes after its last committed batch without importing twice.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

from app.catalog import csv_io
from app.catalog import csv_products as catalog_csv
from app.catalog.csv_products import ImportPlan, ProductLine
from app.catalog.services.upsert import upsert_products
from app.catalog_pricing.csv_products import References, check_references
from app.db import refresh_statistics
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.i18n import ngettext
from app.pricing.services.fixed_prices import FixedPrice, lists_by_code, saved_prices, set_fixed_prices
from app.tasks.registry import N_, TaskKind
from app.tasks.runner import TaskContext, TaskFailed

PRODUCT_IMPORT = "catalog.import_products"  # the kind's code, stored with every task: keep it
PRODUCT_TABLES = (
    "products", "product_variants", "variant_attribute_values", "product_search", "product_listing", "price_rules",
)  # fmt: skip


async def run_product_import(ctx: TaskContext) -> str:
    """The "catalog.import_products" task."""
    data = await ctx.input_file()
    await ctx.progress(message=_("Checking the file…"))
    async with ctx.db.transaction(ctx.tenant_id) as session:
        codes = await csv_io.attribute_codes(session)
    file = await asyncio.to_thread(catalog_csv.read_products, data, codes)
    if file.fatal:
        await ctx.replace_issues(file.issues)
        raise csv_io.file_failed(file.issues)
    refs = await _references(ctx, file.lines)
    plan = catalog_csv.plan(file, check_references(file.lines, refs))
    await ctx.replace_issues(plan.issues)
    if ctx.checkpoint == 0:
        await ctx.set_result(
            lines=len(file.groups),
            products=plan.products + plan.rejected_products,
            rejected_products=plan.rejected_products,
            rejected_lines=plan.rejected_lines,
            issues=len(plan.issues),
        )
    await ctx.progress(
        total=plan.products,
        message=ngettext("Importing %(num)s product…", "Importing %(num)s products…", plan.products),
    )
    await _import(ctx, plan, refs)
    r = ctx.result
    return _(
        "Products: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(rejected)s rejected.",
        created=r.get("created", 0),
        updated=r.get("updated", 0),
        unchanged=r.get("unchanged", 0),
        rejected=r.get("rejected_products", 0),
    )


async def _import(ctx: TaskContext, plan: ImportPlan, refs: References) -> None:
    """The batches not committed yet, then the planner's statistics when the import was large."""
    analysed = False
    for index, batch in enumerate(plan.batches):
        if index >= ctx.checkpoint:  # a retried run resumes after the batches it committed
            await _batch(ctx, batch, plan.heads, refs)
            if not analysed and _written(ctx) >= csv_io.ANALYZE_AFTER:
                analysed = await refresh_statistics(ctx.settings, PRODUCT_TABLES)
    if plan.products == 0:
        raise TaskFailed(_("Nothing was imported: every product in the file has errors (see below)."))
    if _written(ctx) >= csv_io.ANALYZE_AFTER:
        await refresh_statistics(ctx.settings, PRODUCT_TABLES)


def _written(ctx: TaskContext) -> int:
    return ctx.result.get("created", 0) + ctx.result.get("updated", 0)


async def _references(ctx: TaskContext, lines: list[ProductLine]) -> References:
    """The catalogue's references, and for the priced SKUs the shop's base list and their saved prices."""
    priced = sorted({ln.sku for ln in lines if ln.numbers["price"] is not None})
    async with ctx.db.transaction(ctx.tenant_id) as session:
        catalogue = await csv_io.product_references(session, lines)
        if not priced:
            return References(catalogue.categories, catalogue.gtin_owners)
        saved = await saved_prices(session, priced)
        lists, _inactive = await lists_by_code(session, str(ctx.params.get("currency", "")))
    return References(catalogue.categories, catalogue.gtin_owners, lists.get(""), saved.rules, saved.fixed)


async def _batch(ctx: TaskContext, batch: list[ProductLine], heads: dict[str, ProductLine], refs: References) -> None:
    """Upsert whole products and their base prices in one step; a product the upsert refuses is dropped, not all."""
    products = len({ln.group for ln in batch})
    lines, dropped = batch, 0
    while True:
        try:
            async with ctx.step(done=products) as step:
                rows = [csv_io.upsert_row(ln, heads[ln.group]) for ln in lines]
                result = await upsert_products(step.session, ctx.tenant_id, rows, ctx.actor)
                step.add(created=result.created, updated=result.updated, unchanged=result.unchanged)
                if dropped:
                    step.add(rejected_products=dropped)
                if prices := _base_prices(lines, refs):
                    step.add(**await set_fixed_prices(step.session, ctx.tenant_id, prices, ctx.actor))
            return
        except ValidationFailed as exc:  # the database changed since the check (a category deleted, ...)
            issues = csv_io.refused_issues(exc, lines)
            if not issues:
                raise
            bad = {ln.group for ln in lines if ln.line in {i.line for i in issues}}
            await ctx.add_issues(issues)
            dropped += len(bad)
            lines = [ln for ln in lines if ln.group not in bad]
            if not lines:
                async with ctx.step(done=products) as step:
                    step.add(rejected_products=dropped)
                return


def _base_prices(lines: list[ProductLine], refs: References) -> list[FixedPrice]:
    """The lines' prices as fixed prices from one unit, without dates, in the shop's base list."""
    base = refs.base_list
    if base is None:
        return []
    return [
        FixedPrice(base.list_id, ln.sku, Decimal(1), price, None, None)
        for ln in lines
        if (price := ln.numbers["price"]) is not None
    ]


TASK_KINDS = (TaskKind(PRODUCT_IMPORT, N_("Product import"), frozenset({"owner", "sales"}), run_product_import),)

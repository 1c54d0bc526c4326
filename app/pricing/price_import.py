"""The price CSV import task: fixed prices of price lists, checked by app.pricing.csv_prices, set in batches.

The steps every import shares are app.catalog.csv_io's; the prices are written through pricing's own service
(app.pricing.services.fixed_prices), each batch in one step with the task's progress, so a retried run resumes
after its last committed batch without importing twice.
"""

from __future__ import annotations

import asyncio

from app.catalog import csv_io
from app.db import refresh_statistics
from app.i18n import gettext as _
from app.i18n import ngettext
from app.pricing import csv_prices
from app.pricing._text import N_
from app.pricing.csv_prices import PriceLine, PriceReferences
from app.pricing.services.fixed_prices import FixedPrice, lists_by_code, quantity_rules, saved_prices, set_fixed_prices
from app.tasks.registry import TaskKind
from app.tasks.runner import TaskContext, TaskFailed

PRICE_IMPORT = "catalog.import_prices"  # the kind's code, stored with every task (named when catalog ran it): keep it


async def run_price_import(ctx: TaskContext) -> str:
    """The "catalog.import_prices" task."""
    data = await ctx.input_file()
    await ctx.progress(message=_("Checking the file…"))
    file = await asyncio.to_thread(csv_prices.read_prices, data)
    if file.fatal:
        await ctx.replace_issues(file.issues)
        raise csv_io.file_failed(file.issues)
    refs = await _references(ctx, file.lines)
    plan = csv_prices.plan(file, csv_prices.check_references(file.lines, refs))
    await ctx.replace_issues(plan.issues)
    good = sum(len(b) for b in plan.batches)
    if ctx.checkpoint == 0:
        await ctx.set_result(lines=plan.lines, rejected_lines=plan.rejected_lines, issues=len(plan.issues))
    await ctx.progress(total=good, message=ngettext("Importing %(num)s price…", "Importing %(num)s prices…", good))
    for index, batch in enumerate(plan.batches):
        if index >= ctx.checkpoint:
            await _batch(ctx, batch, refs)
    if good == 0:
        raise TaskFailed(_("Nothing was imported: every price in the file has errors (see below)."))
    r = ctx.result
    if r.get("prices_created", 0) + r.get("prices_updated", 0) >= csv_io.ANALYZE_AFTER:
        await refresh_statistics(ctx.settings, ("price_rules",))
    return _(
        "Prices: %(created)s added, %(updated)s changed, %(unchanged)s unchanged, %(rejected)s lines rejected.",
        created=r.get("prices_created", 0),
        updated=r.get("prices_updated", 0),
        unchanged=r.get("prices_unchanged", 0),
        rejected=r.get("rejected_lines", 0),
    )


async def _references(ctx: TaskContext, lines: list[PriceLine]) -> PriceReferences:
    """The lists, the file's variants and their saved prices, as the file's prices are checked against them."""
    skus = sorted({ln.sku for ln in lines})
    async with ctx.db.transaction(ctx.tenant_id) as session:
        variants = await quantity_rules(session, skus)
        saved = await saved_prices(session, skus)
        lists, inactive = await lists_by_code(session, str(ctx.params.get("currency", "")))
    return PriceReferences(lists, inactive, variants, saved.rules, saved.fixed)


async def _batch(ctx: TaskContext, batch: list[PriceLine], refs: PriceReferences) -> None:
    async with ctx.step(done=len(batch)) as step:
        prices = [
            FixedPrice(refs.lists[ln.list_code].list_id, ln.sku, ln.min_qty, ln.price, ln.valid_from, ln.valid_to)
            for ln in batch
        ]
        step.add(**await set_fixed_prices(step.session, ctx.tenant_id, prices, ctx.actor))


TASK_KINDS = (TaskKind(PRICE_IMPORT, N_("Price import"), frozenset({"owner", "sales"}), run_price_import),)

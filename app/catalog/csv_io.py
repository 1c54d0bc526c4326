"""CSV import of products and prices as background tasks: start one from an upload, run it in the worker.

The rules of each file are in app.catalog.csv_products and app.catalog.csv_prices (pure); this module loads
what they need from the database and writes the good products and prices, batch by batch, each batch in its
own transaction together with the task's progress (TaskContext.step). In short:
1. The whole file is read and checked first; every bad line is reported with its line, column and reason.
2. A product with any bad line is not imported at all; the other products are, in batches of whole products.
3. Writing is an upsert by SKU (and for prices by list, SKU, tier and dates): the same file imported again
   changes nothing, and a retried run resumes after its last committed batch without importing twice.
"""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

from sqlalchemy import select, text

from app.actor import Actor
from app.catalog import csv_prices, csv_products
from app.catalog.csv_domain import MAX_BYTES
from app.catalog.csv_prices import PriceLine, PriceReferences
from app.catalog.csv_products import ProductLine, References
from app.catalog.csv_writes import PriceWrite, write_prices
from app.catalog.models import Attribute, Category, ProductVariant
from app.catalog.services.upsert import ProductRow, upsert_products
from app.db import refresh_statistics
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.i18n import ngettext
from app.pricing.domain import PriceRule, QuantityRule
from app.tasks.domain import Issue
from app.tasks.models import BackgroundTask
from app.tasks.runner import TaskContext, TaskFailed
from app.tasks.services import InputFile, start_task

PRODUCT_IMPORT = "catalog.import_products"
PRICE_IMPORT = "catalog.import_prices"
IMPORT_KINDS = (PRODUCT_IMPORT, PRICE_IMPORT)
# An import that wrote at least this many products or prices refreshes the planner's statistics of the tables
# it wrote (app.db.refresh_statistics): a product import once its batches reach it (the batches after are then
# planned for tables no longer empty) and again at the end, so a corrected file imported right after is not
# planned for the old sizes either.
ANALYZE_AFTER = 1_000
PRODUCT_TABLES = (
    "products", "product_variants", "variant_attribute_values", "product_search", "product_listing", "price_rules",
)  # fmt: skip

_LISTS = text(
    "SELECT id, code, level, currency, customer_id, customer_group_id, rounding, valid_from, valid_to, is_active, "
    "level = 'base' AND currency = :currency AS is_shop_base FROM price_lists "
    "ORDER BY (level = 'base' AND currency = :currency AND is_active) DESC, is_base DESC, created_at"
)
# Every saved variant price of these SKUs: its dates as the engine sees them (clipped to its list's) and its own.
_RULES = text(
    """
    SELECT v.sku, r.id, l.id, l.code, l.level, l.currency, r.value, r.method, l.customer_id, l.customer_group_id,
           r.variant_id, r.product_id, r.category_id, r.min_qty, coalesce(r.rounding, l.rounding),
           greatest(r.valid_from, l.valid_from), least(r.valid_to, l.valid_to), r.label,
           l.is_active, r.valid_from, r.valid_to
    FROM price_rules r
    JOIN price_lists l ON l.tenant_id = r.tenant_id AND l.id = r.price_list_id
    JOIN product_variants v ON v.tenant_id = r.tenant_id AND v.id = r.variant_id
    WHERE v.sku = ANY (CAST(:skus AS text[]))
    """
)


async def start_import(
    session, tenant_id: uuid.UUID, kind: str, file: InputFile, actor: Actor, *, locale: str, currency: str
) -> BackgroundTask:
    """Queue the import of an uploaded file (refused at once only when empty, too large or of no known kind)."""
    errors: dict[str, str] = {}
    if kind not in IMPORT_KINDS:
        errors["kind"] = _("Choose what the file holds.")
    if not file.data:
        errors["file"] = _("Choose a CSV file.")
    elif len(file.data) > MAX_BYTES:
        errors["file"] = _("The file is larger than %(n)s MB.", n=MAX_BYTES // (1024 * 1024))
    if errors:
        raise ValidationFailed(errors)
    params = {"filename": file.filename, "locale": locale, "currency": currency}
    return await start_task(session, tenant_id, kind, actor, params=params, files={"input": file})


def _fail_file(issues: list[Issue]) -> TaskFailed:
    if len(issues) == 1:
        return TaskFailed(_("Nothing was imported: %(reason)s", reason=issues[0].reason))
    return TaskFailed(_("Nothing was imported: the file has the problems listed below."))


async def _price_rules(ctx: TaskContext, skus: list[str]) -> tuple[dict[str, list[PriceRule]], dict[tuple, object]]:
    """SKU -> saved rules of active lists (for clash checks); exact key of each fixed price -> its id."""
    rules: dict[str, list[PriceRule]] = {}
    fixed: dict[tuple, object] = {}
    async with ctx.db.transaction(ctx.tenant_id) as session:
        for row in (await session.execute(_RULES, {"skus": skus})).all():
            sku, rule, active, own_from, own_to = row[0], PriceRule._make(row[1:18]), row[18], row[19], row[20]
            if active:
                rules.setdefault(sku, []).append(rule)
            if rule.method == "fixed":
                fixed[(rule.list_id, sku, rule.min_qty, own_from, own_to)] = rule.id
    return rules, fixed


async def _lists(ctx: TaskContext) -> tuple[dict[str, PriceRule], frozenset[str]]:
    """Price lists by code as rule templates ("" = the shop's active base list), and the inactive codes."""
    lists: dict[str, PriceRule] = {}
    inactive: set[str] = set()
    async with ctx.db.transaction(ctx.tenant_id) as session:
        rows = (await session.execute(_LISTS, {"currency": str(ctx.params.get("currency", ""))})).all()
    for row in rows:
        template = PriceRule(
            id=None, list_id=row.id, list_code=row.code, level=row.level, currency=row.currency, value=Decimal(0),
            customer_id=row.customer_id, group_id=row.customer_group_id, rounding=row.rounding,
            valid_from=row.valid_from, valid_to=row.valid_to,
        )  # fmt: skip
        lists[row.code] = template
        if row.is_shop_base and row.is_active:
            lists.setdefault("", template)
        if not row.is_active:
            inactive.add(row.code)
    return lists, frozenset(inactive)


# --- products ------------------------------------------------------------------------------------------------


async def run_product_import(ctx: TaskContext) -> str:
    """The "catalog.import_products" task."""
    data = await ctx.input_file()
    await ctx.progress(message=_("Checking the file…"))
    async with ctx.db.transaction(ctx.tenant_id) as session:
        codes = set(await session.scalars(select(Attribute.code)))
    file = await asyncio.to_thread(csv_products.read_products, data, codes)
    if file.fatal:
        await ctx.replace_issues(file.issues)
        raise _fail_file(file.issues)
    refs = await _product_references(ctx, file.lines)
    plan = csv_products.plan(file, csv_products.check_references(file.lines, refs))
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
    analysed = False
    for index, batch in enumerate(plan.batches):
        if index >= ctx.checkpoint:  # a retried run resumes after the batches it committed
            await _product_batch(ctx, batch, plan.heads, refs)
            if not analysed and ctx.result.get("created", 0) + ctx.result.get("updated", 0) >= ANALYZE_AFTER:
                analysed = await refresh_statistics(ctx.settings, PRODUCT_TABLES)
    r = ctx.result
    if plan.products == 0:
        raise TaskFailed(_("Nothing was imported: every product in the file has errors (see below)."))
    if r.get("created", 0) + r.get("updated", 0) >= ANALYZE_AFTER:
        await refresh_statistics(ctx.settings, PRODUCT_TABLES)
    return _(
        "Products: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(rejected)s rejected.",
        created=r.get("created", 0),
        updated=r.get("updated", 0),
        unchanged=r.get("unchanged", 0),
        rejected=r.get("rejected_products", 0),
    )


async def _product_references(ctx: TaskContext, lines: list[ProductLine]) -> References:
    gtins = sorted({ln.texts["gtin"] for ln in lines if ln.texts["gtin"]})
    async with ctx.db.transaction(ctx.tenant_id) as session:
        categories = frozenset(await session.scalars(select(Category.slug)))
        stmt = select(ProductVariant.gtin, ProductVariant.sku).where(ProductVariant.gtin.in_(gtins))
        owners = {gtin: sku for gtin, sku in (await session.execute(stmt)).all()}
    priced = sorted({ln.sku for ln in lines if ln.numbers["price"] is not None})
    rules, fixed = await _price_rules(ctx, priced) if priced else ({}, {})
    lists, _inactive = await _lists(ctx) if priced else ({}, frozenset())
    return References(categories, owners, lists.get(""), rules, fixed)


def _row(line: ProductLine, head: ProductLine) -> ProductRow:
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


async def _product_batch(
    ctx: TaskContext, batch: list[ProductLine], heads: dict[str, ProductLine], refs: References
) -> None:
    """Upsert whole products and their base prices in one step; a product the upsert refuses is dropped, not all."""
    products = len({ln.group for ln in batch})
    lines, dropped = batch, 0
    while True:
        try:
            async with ctx.step(done=products) as step:
                result = await upsert_products(
                    step.session, ctx.tenant_id, [_row(ln, heads[ln.group]) for ln in lines], ctx.actor
                )
                step.add(created=result.created, updated=result.updated, unchanged=result.unchanged)
                if dropped:
                    step.add(rejected_products=dropped)
                base = refs.base_list
                prices = [
                    PriceWrite(base.list_id, ln.sku, Decimal(1), ln.numbers["price"], None, None)
                    for ln in lines
                    if base is not None and ln.numbers["price"] is not None
                ]
                if prices:
                    counts = await write_prices(step.session, ctx.tenant_id, prices, ctx.actor)
                    step.add(**counts)
            return
        except ValidationFailed as exc:  # the database changed since the check (a category deleted, ...)
            issues = _refused(exc, lines)
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


def _refused(exc: ValidationFailed, lines: list[ProductLine]) -> list[Issue]:
    """The upsert's errors ('rows.<n>.<field>') as issues on the file's lines."""
    issues = []
    for key, message in exc.errors.items():
        parts = key.split(".")
        if len(parts) >= 3 and parts[0] == "rows" and parts[1].isdigit() and int(parts[1]) < len(lines):
            issues.append(Issue(lines[int(parts[1])].line, ".".join(parts[2:]), message))
    return issues


# --- prices --------------------------------------------------------------------------------------------------


async def run_price_import(ctx: TaskContext) -> str:
    """The "catalog.import_prices" task."""
    data = await ctx.input_file()
    await ctx.progress(message=_("Checking the file…"))
    file = await asyncio.to_thread(csv_prices.read_prices, data)
    if file.fatal:
        await ctx.replace_issues(file.issues)
        raise _fail_file(file.issues)
    refs = await _price_references(ctx, file.lines)
    plan = csv_prices.plan(file, csv_prices.check_references(file.lines, refs))
    await ctx.replace_issues(plan.issues)
    good = sum(len(b) for b in plan.batches)
    if ctx.checkpoint == 0:
        await ctx.set_result(lines=plan.lines, rejected_lines=plan.rejected_lines, issues=len(plan.issues))
    await ctx.progress(total=good, message=ngettext("Importing %(num)s price…", "Importing %(num)s prices…", good))
    for index, batch in enumerate(plan.batches):
        if index >= ctx.checkpoint:
            await _price_batch(ctx, batch, refs)
    if good == 0:
        raise TaskFailed(_("Nothing was imported: every price in the file has errors (see below)."))
    r = ctx.result
    if r.get("prices_created", 0) + r.get("prices_updated", 0) >= ANALYZE_AFTER:
        await refresh_statistics(ctx.settings, ("price_rules",))
    return _(
        "Prices: %(created)s added, %(updated)s changed, %(unchanged)s unchanged, %(rejected)s lines rejected.",
        created=r.get("prices_created", 0),
        updated=r.get("prices_updated", 0),
        unchanged=r.get("prices_unchanged", 0),
        rejected=r.get("rejected_lines", 0),
    )


async def _price_references(ctx: TaskContext, lines: list[PriceLine]) -> PriceReferences:
    skus = sorted({ln.sku for ln in lines})
    async with ctx.db.transaction(ctx.tenant_id) as session:
        rows = await session.execute(
            select(
                ProductVariant.sku, ProductVariant.id, ProductVariant.min_qty, ProductVariant.order_multiple,
                ProductVariant.max_qty,
            ).where(ProductVariant.sku.in_(skus))
        )  # fmt: skip
        variants = {r[0]: QuantityRule(r[1], r[2], r[3], r[4]) for r in rows.all()}
    rules, fixed = await _price_rules(ctx, skus)
    lists, inactive = await _lists(ctx)
    return PriceReferences(lists, inactive, variants, rules, fixed)


async def _price_batch(ctx: TaskContext, batch: list[PriceLine], refs: PriceReferences) -> None:
    async with ctx.step(done=len(batch)) as step:
        writes = [
            PriceWrite(refs.lists[ln.list_code].list_id, ln.sku, ln.min_qty, ln.price, ln.valid_from, ln.valid_to)
            for ln in batch
        ]
        step.add(**await write_prices(step.session, ctx.tenant_id, writes, ctx.actor))

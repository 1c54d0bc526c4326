"""Stock overview per variant and warehouse, a variant's stock and ledger, its tracking, and the scan preview."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory import queries, services
from app.numbers import parse_int
from app.web.guards import current_tenant
from backoffice.catalog._web import form_text, page, page_number, query_string, redirect_with_flash, tenant_and_actor
from backoffice.inventory._web import CODE_LENGTH, WAREHOUSE, an_id

LIST = "/admin/inventory"


def _filters(request: Request) -> queries.StockFilters:
    params = request.query_params
    return queries.StockFilters(
        q=params.get("q", "").strip()[:100],
        warehouse_id=an_id(params.get("warehouse")),
        in_stock_only=params.get("all", "") != "1",
        page=page_number(params.get("page")),
    )


@get("/inventory", name="backoffice:inventory", guards=WAREHOUSE)
async def overview(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    f = _filters(request)
    currency = current_tenant(request).currency
    params = {"q": f.q, "warehouse": f.warehouse_id or "", "all": "" if f.in_stock_only else "1"}
    context = {
        "f": f,
        "result": await queries.stock_overview(db, f, currency),
        "warehouses": await queries.warehouses(db),
        "total_value": await queries.stock_value(db, currency),
        "currency": currency,
        "url": lambda **o: LIST + query_string({**params, **o}),
    }
    return page(request, "backoffice/inventory/stock.html.j2", context, block="results")


async def _variant(
    request: Request, db: AsyncSession, variant_id: uuid.UUID, errors=None, status: int = 200
) -> Response:
    currency = current_tenant(request).currency
    number = page_number(request.query_params.get("page"))
    context = {
        "stock": await queries.variant_stock(db, variant_id, currency),
        "ledger": await queries.variant_ledger(db, variant_id, number),
        "currency": currency,
        "errors": errors or {},
        "url": lambda **o: f"{LIST}/variants/{variant_id}" + query_string(o),
    }
    return page(request, "backoffice/inventory/variant.html.j2", context, status=status)


@get("/inventory/variants/{variant_id:uuid}", name="backoffice:inventory_variant", guards=WAREHOUSE)
async def variant(request: Request, db: NamedDependency[AsyncSession], variant_id: FromPath[uuid.UUID]) -> Response:
    return await _variant(request, db, variant_id)


@post("/inventory/variants/{variant_id:uuid}/tracking", name="backoffice:inventory_tracking", guards=WAREHOUSE)
async def tracking(request: Request, db: NamedDependency[AsyncSession], variant_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    tenant_id, actor = tenant_and_actor(request)
    try:
        raw = form_text(form, "shelf_life_days", 10)
        days = parse_int(raw, "shelf_life_days", minimum=0, maximum=36500) if raw else None
        await services.set_tracking(db, tenant_id, variant_id, form_text(form, "tracking", 10), days, actor)
    except ValidationFailed as exc:
        return await _variant(request, db, variant_id, exc.errors, 400)
    return redirect_with_flash(request, f"{LIST}/variants/{variant_id}", _("Tracking saved."))


@get("/inventory/scan", name="backoffice:inventory_scan", guards=WAREHOUSE)
async def scan_preview(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """What a scanned code names, shown under the field while the user goes on (htmx)."""
    params = request.query_params
    raw = (params.get("code", "") or params.get("location", ""))[:CODE_LENGTH]
    found, problem = None, None
    if raw.strip():
        try:
            found = await queries.scan(db, raw)
        except ValidationFailed as exc:
            problem = exc.errors.get("code")
    return page(request, "backoffice/inventory/_scanned.html.j2", {"found": found, "problem": problem})


HANDLERS = [overview, variant, tracking, scan_preview]

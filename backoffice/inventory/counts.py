"""Cycle counts: start one for a warehouse or location, scan and count, enter counts per line, validate."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory import queries, services
from app.inventory.values import CountEntry
from backoffice.catalog._web import form_text, page, plain, redirect_with_flash, tenant_and_actor
from backoffice.inventory._web import WAREHOUSE, a_date, an_id, place, quantity, scanned

BASE = "/admin/inventory/counts"
STATUSES = ("draft", "done", "cancelled")


async def _list(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    shown = request.query_params.get("status", "")
    shown = shown if shown in STATUSES else ""
    context = {
        "counts": await queries.counts(db, shown),
        "warehouses": await queries.warehouses(db, active_only=True),
        "shown": shown,
        "typed": typed or {},
        "errors": errors or {},
    }
    return page(request, "backoffice/inventory/counts.html.j2", context, status=status)


@get("/inventory/counts", name="backoffice:inventory_counts", guards=WAREHOUSE)
async def counts(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _list(request, db)


@post("/inventory/counts", name="backoffice:inventory_count_start", guards=WAREHOUSE)
async def start(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    typed = {name: form_text(form, name, 500) for name in ("warehouse_id", "location", "note")}
    errors: dict[str, str] = {}
    warehouse_id = an_id(typed["warehouse_id"])
    location_id = await place(db, form, "location", errors)
    if warehouse_id is None:
        errors["warehouse_id"] = _("Choose a warehouse.")
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        count = await services.start_count(
            db, tenant_id, warehouse_id, actor, location_id=location_id, note=typed["note"]
        )
    except ValidationFailed as exc:
        return await _list(request, db, typed, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/{count.id}", _("Count %(number)s started.", number=count.number))


async def _detail(request: Request, db: AsyncSession, count_id: uuid.UUID, typed=None, errors=None, status=200):
    count, lines = await queries.count_detail(db, count_id)
    context = {
        "count": count,
        "lines": lines,
        "warehouse": await queries.warehouse(db, count.warehouse_id),
        "typed": typed or {"location": request.query_params.get("location", "")[:60], "counted": "1"},
        "errors": errors or {},
        "history": await audit.history(db, "stock_count", count.id),
        "plain": plain,
    }
    return page(request, "backoffice/inventory/count.html.j2", context, status=status)


@get("/inventory/counts/{count_id:uuid}", name="backoffice:inventory_count", guards=WAREHOUSE)
async def count(request: Request, db: NamedDependency[AsyncSession], count_id: FromPath[uuid.UUID]) -> Response:
    return await _detail(request, db, count_id)


@post("/inventory/counts/{count_id:uuid}/scan", name="backoffice:inventory_count_scan", guards=WAREHOUSE)
async def scan(request: Request, db: NamedDependency[AsyncSession], count_id: FromPath[uuid.UUID]) -> Response:
    """What was counted of the scanned article at the scanned location (the count replaces any earlier one)."""
    form = await request.form()
    typed = {name: form_text(form, name, 256) for name in ("location", "code", "counted", "lot", "expiry")}
    errors: dict[str, str] = {}
    location_id = await place(db, form, "location", errors)
    if location_id is None and "location" not in errors:
        errors["location"] = _("Scan or type the location.")
    found = await scanned(db, form, "code", errors)
    counted = quantity(form, "counted", errors, zero=True)
    expiry = a_date(form, "expiry", errors)
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors or found is None or counted is None or location_id is None:
            raise ValidationFailed(errors)
        lot = typed["lot"] or found.lot
        entry = CountEntry(found.variant_id, location_id, counted * found.pack, lot, expiry or found.expiry)
        await services.record_count(db, tenant_id, count_id, entry, actor)
    except ValidationFailed as exc:
        return await _detail(request, db, count_id, typed, exc.errors, 400)
    message = _("%(sku)s counted.", sku=found.sku)
    return redirect_with_flash(request, f"{BASE}/{count_id}?location={typed['location']}", message)


@post("/inventory/counts/{count_id:uuid}/lines", name="backoffice:inventory_count_lines", guards=WAREHOUSE)
async def lines(request: Request, db: NamedDependency[AsyncSession], count_id: FromPath[uuid.UUID]) -> Response:
    """The counted quantities typed into the list (a blank one stays uncounted)."""
    form = await request.form()
    errors: dict[str, str] = {}
    _count, rows = await queries.count_detail(db, count_id)
    tenant_id, actor = tenant_and_actor(request)
    typed = {f"counted_{row.id}": form_text(form, f"counted_{row.id}", 60) for row in rows}
    try:
        for row in rows:
            name = f"counted_{row.id}"
            if name in form:
                value = quantity(form, name, errors, zero=True, default=None) if typed[name] else None
                if name not in errors and (value is not None or row.counted is not None):
                    await services.set_counted(db, tenant_id, count_id, row.id, value, actor)
        if errors:
            raise ValidationFailed(errors)
    except ValidationFailed as exc:
        return await _detail(request, db, count_id, typed, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/{count_id}", _("Counts saved."))


@post("/inventory/counts/{count_id:uuid}/validate", name="backoffice:inventory_count_validate", guards=WAREHOUSE)
async def validate(request: Request, db: NamedDependency[AsyncSession], count_id: FromPath[uuid.UUID]) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    try:
        posted = await services.validate_count(db, tenant_id, count_id, actor)
    except ValidationFailed as exc:
        return await _detail(request, db, count_id, None, exc.errors, 400)
    moves = len(posted.moves) if posted else 0
    return redirect_with_flash(request, f"{BASE}/{count_id}", _("Count validated: %(n)s adjustments posted.", n=moves))


@post("/inventory/counts/{count_id:uuid}/cancel", name="backoffice:inventory_count_cancel", guards=WAREHOUSE)
async def cancel(request: Request, db: NamedDependency[AsyncSession], count_id: FromPath[uuid.UUID]) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    try:
        await services.cancel_count(db, tenant_id, count_id, actor)
    except ValidationFailed as exc:
        return await _detail(request, db, count_id, None, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/{count_id}", _("Count cancelled."))


HANDLERS = [counts, start, count, scan, lines, validate, cancel]

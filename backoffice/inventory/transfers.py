"""Transfers between warehouses: list and create, add lines by scanning, ship into transit, receive (in part)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory import queries, services
from app.inventory.values import TransferInput
from backoffice.catalog._web import form_text, page, plain, redirect_with_flash, tenant_and_actor
from backoffice.inventory._web import WAREHOUSE, a_date, an_id, place, quantity, scanned

BASE = "/admin/inventory/transfers"
STATUSES = ("draft", "in_transit", "done", "cancelled")


async def _list(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    shown = request.query_params.get("status", "")
    shown = shown if shown in STATUSES else ""
    context = {
        "transfers": await queries.transfers(db, shown),
        "warehouses": await queries.warehouses(db, active_only=True),
        "shown": shown,
        "typed": typed or {},
        "errors": errors or {},
    }
    return page(request, "backoffice/inventory/transfers.html.j2", context, status=status)


@get("/inventory/transfers", name="backoffice:inventory_transfers", guards=WAREHOUSE)
async def transfers(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _list(request, db)


@post("/inventory/transfers", name="backoffice:inventory_transfer_create", guards=WAREHOUSE)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    typed = {
        name: form_text(form, name, 500) for name in ("from_warehouse_id", "to_warehouse_id", "expected_on", "note")
    }
    errors: dict[str, str] = {}
    source, target = an_id(typed["from_warehouse_id"]), an_id(typed["to_warehouse_id"])
    expected = a_date(form, "expected_on", errors)
    if source is None:
        errors["from_warehouse_id"] = _("Choose a warehouse.")
    if target is None:
        errors["to_warehouse_id"] = _("Choose a warehouse.")
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        data = TransferInput(source, target, expected_on=expected, note=typed["note"])
        transfer = await services.create_transfer(db, tenant_id, data, actor)
    except ValidationFailed as exc:
        return await _list(request, db, typed, exc.errors, 400)
    return redirect_with_flash(
        request, f"{BASE}/{transfer.id}", _("Transfer %(number)s created.", number=transfer.number)
    )


async def _detail(request: Request, db: AsyncSession, transfer_id: uuid.UUID, typed=None, errors=None, status=200):
    transfer, lines = await queries.transfer_detail(db, transfer_id)
    context = {
        "transfer": transfer,
        "lines": lines,
        "source": await queries.warehouse(db, transfer.from_warehouse_id),
        "target": await queries.warehouse(db, transfer.to_warehouse_id),
        "typed": typed or {"qty": "1"},
        "errors": errors or {},
        "history": await audit.history(db, "transfer", transfer.id),
        "plain": plain,
    }
    return page(request, "backoffice/inventory/transfer.html.j2", context, status=status)


@get("/inventory/transfers/{transfer_id:uuid}", name="backoffice:inventory_transfer", guards=WAREHOUSE)
async def transfer(request: Request, db: NamedDependency[AsyncSession], transfer_id: FromPath[uuid.UUID]) -> Response:
    return await _detail(request, db, transfer_id)


@post("/inventory/transfers/{transfer_id:uuid}/lines", name="backoffice:inventory_transfer_line", guards=WAREHOUSE)
async def add_line(request: Request, db: NamedDependency[AsyncSession], transfer_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    typed = {"code": form_text(form, "code", 256), "qty": form_text(form, "qty", 60)}
    errors: dict[str, str] = {}
    found = await scanned(db, form, "code", errors)
    qty = quantity(form, "qty", errors)
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors or found is None or qty is None:
            raise ValidationFailed(errors)
        await services.set_transfer_line(db, tenant_id, transfer_id, found.variant_id, qty * found.pack, actor)
    except ValidationFailed as exc:
        return await _detail(request, db, transfer_id, typed, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/{transfer_id}", _("%(sku)s added.", sku=found.sku))


@post(
    "/inventory/transfers/{transfer_id:uuid}/lines/{line_id:uuid}/remove",
    name="backoffice:inventory_transfer_line_remove",
    guards=WAREHOUSE,
)
async def remove_line(
    request: Request, db: NamedDependency[AsyncSession], transfer_id: FromPath[uuid.UUID], line_id: FromPath[uuid.UUID]
) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    try:
        await services.remove_transfer_line(db, tenant_id, transfer_id, line_id, actor)
    except ValidationFailed as exc:
        return await _detail(request, db, transfer_id, None, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/{transfer_id}", _("Line removed."))


@post("/inventory/transfers/{transfer_id:uuid}/ship", name="backoffice:inventory_transfer_ship", guards=WAREHOUSE)
async def ship(request: Request, db: NamedDependency[AsyncSession], transfer_id: FromPath[uuid.UUID]) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    try:
        await services.ship_transfer(db, tenant_id, transfer_id, actor)
    except ValidationFailed as exc:
        return await _detail(request, db, transfer_id, None, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/{transfer_id}", _("Shipped: the goods are in transit."))


@post("/inventory/transfers/{transfer_id:uuid}/receive", name="backoffice:inventory_transfer_receive", guards=WAREHOUSE)
async def receive(request: Request, db: NamedDependency[AsyncSession], transfer_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    errors: dict[str, str] = {}
    _transfer, lines = await queries.transfer_detail(db, transfer_id)
    arrived: dict[uuid.UUID, Decimal] = {}
    for line in lines:
        qty = quantity(form, f"qty_{line.id}", errors, default=Decimal(0), zero=True)
        if qty:
            arrived[line.id] = qty
    location_id = await place(db, form, "location", errors)
    typed = {f"qty_{line.id}": form_text(form, f"qty_{line.id}", 60) for line in lines} | {
        "location": form_text(form, "location", 60)
    }
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        await services.receive_transfer(db, tenant_id, transfer_id, arrived, actor, location_id=location_id)
    except ValidationFailed as exc:
        return await _detail(request, db, transfer_id, typed, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/{transfer_id}", _("Goods received."))


@post("/inventory/transfers/{transfer_id:uuid}/cancel", name="backoffice:inventory_transfer_cancel", guards=WAREHOUSE)
async def cancel(request: Request, db: NamedDependency[AsyncSession], transfer_id: FromPath[uuid.UUID]) -> Response:
    tenant_id, actor = tenant_and_actor(request)
    try:
        await services.cancel_transfer(db, tenant_id, transfer_id, actor)
    except ValidationFailed as exc:
        return await _detail(request, db, transfer_id, None, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/{transfer_id}", _("Transfer cancelled."))


HANDLERS = [transfers, create, transfer, add_line, remove_line, ship, receive, cancel]

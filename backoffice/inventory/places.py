"""Warehouses with their location trees, a location's page (its code as a label), and the stock rules."""

from __future__ import annotations

import uuid
from decimal import Decimal

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory import queries, services
from app.inventory.values import InventorySettingsInput, LocationInput, WarehouseInput
from backoffice.catalog._web import flag, form_text, page, plain, redirect_with_flash, tenant_and_actor
from backoffice.inventory._web import OWNER, WAREHOUSE, an_id, quantity

BASE = "/admin/inventory"


def _warehouse_input(form: FormMultiDict) -> WarehouseInput:
    return WarehouseInput(
        code=form_text(form, "code", 40),
        name=form_text(form, "name", 300),
        country=form_text(form, "country", 10),
        postcode=form_text(form, "postcode", 40),
        city=form_text(form, "city", 200),
        is_active=flag(form, "is_active") if "edit" in form else True,
        receipt_location_id=an_id(form_text(form, "receipt_location_id", 40)),
    )


async def _list(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    context = {
        "warehouses": await queries.warehouses(db),
        "typed": typed or WarehouseInput("", ""),
        "errors": errors or {},
    }
    return page(request, "backoffice/inventory/warehouses.html.j2", context, status=status)


@get("/inventory/warehouses", name="backoffice:inventory_warehouses", guards=WAREHOUSE)
async def warehouses(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _list(request, db)


@post("/inventory/warehouses", name="backoffice:inventory_warehouse_create", guards=OWNER)
async def create_warehouse(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    typed = _warehouse_input(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        warehouse = await services.create_warehouse(db, tenant_id, typed, actor)
    except ValidationFailed as exc:
        return await _list(request, db, typed, exc.errors, 400)
    return redirect_with_flash(
        request, f"{BASE}/warehouses/{warehouse.id}", _("Warehouse %(code)s created.", code=warehouse.code)
    )


async def _detail(request: Request, db: AsyncSession, warehouse_id: uuid.UUID, typed=None, errors=None, status=200):
    warehouse = await queries.warehouse(db, warehouse_id)
    context = {
        "warehouse": warehouse,
        "tree": await queries.location_tree(db, warehouse.id),
        "typed": typed or {},
        "errors": errors or {},
        "history": await audit.history(db, "warehouse", warehouse.id),
    }
    return page(request, "backoffice/inventory/warehouse.html.j2", context, status=status)


@get("/inventory/warehouses/{warehouse_id:uuid}", name="backoffice:inventory_warehouse", guards=WAREHOUSE)
async def warehouse(request: Request, db: NamedDependency[AsyncSession], warehouse_id: FromPath[uuid.UUID]) -> Response:
    return await _detail(request, db, warehouse_id)


@post("/inventory/warehouses/{warehouse_id:uuid}", name="backoffice:inventory_warehouse_update", guards=OWNER)
async def update_warehouse(
    request: Request, db: NamedDependency[AsyncSession], warehouse_id: FromPath[uuid.UUID]
) -> Response:
    form = await request.form()
    data = _warehouse_input(form)
    tenant_id, actor = tenant_and_actor(request)
    try:
        await services.update_warehouse(db, tenant_id, warehouse_id, data, actor)
    except ValidationFailed as exc:
        return await _detail(request, db, warehouse_id, {"warehouse": data}, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/warehouses/{warehouse_id}", _("Warehouse saved."))


def _location_input(form: FormMultiDict) -> LocationInput:
    return LocationInput(
        code=form_text(form, "code", 60),
        name=form_text(form, "name", 300),
        parent_id=an_id(form_text(form, "parent_id", 40)),
        is_active=flag(form, "is_active") if "edit" in form else True,
    )


@post(
    "/inventory/warehouses/{warehouse_id:uuid}/locations", name="backoffice:inventory_location_create", guards=WAREHOUSE
)
async def create_location(
    request: Request, db: NamedDependency[AsyncSession], warehouse_id: FromPath[uuid.UUID]
) -> Response:
    data = _location_input(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        location = await services.create_location(db, tenant_id, warehouse_id, data, actor)
    except ValidationFailed as exc:
        return await _detail(request, db, warehouse_id, {"location": data}, exc.errors, 400)
    return redirect_with_flash(
        request, f"{BASE}/warehouses/{warehouse_id}", _("Location %(code)s created.", code=location.code)
    )


async def _location(request: Request, db: AsyncSession, location_id: uuid.UUID, typed=None, errors=None, status=200):
    location = await queries.location(db, location_id)
    context = {
        "location": location,
        "warehouse": await queries.warehouse(db, location.warehouse_id) if location.warehouse_id else None,
        "tree": await queries.location_tree(db, location.warehouse_id) if location.warehouse_id else [],
        "typed": typed,
        "errors": errors or {},
        "history": await audit.history(db, "location", location.id),
    }
    return page(request, "backoffice/inventory/location.html.j2", context, status=status)


@get("/inventory/locations/{location_id:uuid}", name="backoffice:inventory_location", guards=WAREHOUSE)
async def location(request: Request, db: NamedDependency[AsyncSession], location_id: FromPath[uuid.UUID]) -> Response:
    return await _location(request, db, location_id)


@post("/inventory/locations/{location_id:uuid}", name="backoffice:inventory_location_update", guards=WAREHOUSE)
async def update_location(
    request: Request, db: NamedDependency[AsyncSession], location_id: FromPath[uuid.UUID]
) -> Response:
    data = _location_input(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        await services.update_location(db, tenant_id, location_id, data, actor)
    except ValidationFailed as exc:
        return await _location(request, db, location_id, data, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/locations/{location_id}", _("Location saved."))


async def _settings(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    tenant_id, _actor = tenant_and_actor(request)
    rules = typed or await queries.inventory_settings(db, tenant_id)
    context = {"rules": rules, "low_stock_at": plain(rules.low_stock_at), "errors": errors or {}}
    return page(request, "backoffice/inventory/settings.html.j2", context, status=status)


@get("/inventory/settings", name="backoffice:inventory_settings", guards=OWNER)
async def settings(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _settings(request, db)


@post("/inventory/settings", name="backoffice:inventory_settings_update", guards=OWNER)
async def update_settings(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    errors: dict[str, str] = {}
    low = quantity(form, "low_stock_at", errors, zero=True)
    data = InventorySettingsInput(
        cost_method=form_text(form, "cost_method", 20),
        allow_negative=flag(form, "allow_negative"),
        availability_mode=form_text(form, "availability_mode", 20),
        low_stock_at=low if low is not None else Decimal(0),
        pick_strategy=form_text(form, "pick_strategy", 20),
    )
    tenant_id, actor = tenant_and_actor(request)
    try:
        if errors:
            raise ValidationFailed(errors)
        await services.set_inventory_settings(db, tenant_id, data, actor)
    except ValidationFailed as exc:
        return await _settings(request, db, data, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/settings", _("Stock rules saved."))


HANDLERS = [
    warehouses,
    create_warehouse,
    warehouse,
    update_warehouse,
    create_location,
    location,
    update_location,
    settings,
    update_settings,
]

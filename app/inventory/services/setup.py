"""Inventory set-up: what a new tenant starts with, its stock rules, warehouses and their locations, tracking."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.base import new_id
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory.domain import VIRTUAL_KINDS, AvailabilityMode, CostMethod, PickStrategy
from app.inventory.models import (
    InventorySettings,
    Location,
    StockItem,
    StockQuant,
    StockValuation,
    Warehouse,
)
from app.inventory.services._checks import code as checked_code
from app.inventory.services._checks import quantity, text
from app.inventory.services._rows import get
from app.inventory.values import InventorySettingsInput, LocationInput, WarehouseInput
from tenants.seeding import TenantSeed

WAREHOUSE_FIELDS = ("code", "name", "country", "postcode", "city", "is_active", "receipt_location_id")
LOCATION_FIELDS = ("code", "name", "parent_id", "is_active")


def _virtual_names() -> dict[str, str]:
    return {
        "supplier": _("Suppliers"),
        "customer": _("Customers"),
        "production": _("Production"),
        "scrap": _("Scrap"),
        "adjustment": _("Inventory adjustment"),
        "transit": _("In transit"),
    }


async def seed_tenant(session: AsyncSession, seed: TenantSeed) -> None:
    """A new tenant's stock rules, its virtual locations and warehouse MAIN with a stock location."""
    session.add(InventorySettings(tenant_id=seed.tenant_id))
    names = _virtual_names()
    session.add_all(
        Location(tenant_id=seed.tenant_id, code=kind.upper(), name=names[kind], kind=kind) for kind in VIRTUAL_KINDS
    )
    main = Warehouse(tenant_id=seed.tenant_id, code="MAIN", name=_("Main warehouse"), is_default=True)
    session.add(main)
    await _add_places(session, seed.tenant_id, main)


async def _add_places(session: AsyncSession, tenant_id: uuid.UUID, warehouse: Warehouse) -> None:
    """The warehouse's view location (its code) and a stock location under it, where receipts go by default."""
    await session.flush()
    view = Location(
        id=new_id(),
        tenant_id=tenant_id,
        warehouse_id=warehouse.id,
        code=warehouse.code,
        name=warehouse.name,
        kind="view",
    )
    stock = Location(
        id=new_id(),
        tenant_id=tenant_id,
        warehouse_id=warehouse.id,
        parent_id=view.id,
        code=f"{warehouse.code}-STOCK",
        name=_("Stock"),
        kind="internal",
    )
    session.add_all((view, stock))
    await session.flush()
    warehouse.receipt_location_id = stock.id


async def set_inventory_settings(
    session: AsyncSession, tenant_id: uuid.UUID, data: InventorySettingsInput, actor: Actor
) -> InventorySettings:
    """Change the stock rules; the cost method only while nothing has been valued (it would need a revaluation)."""
    for field, kind in (
        ("cost_method", CostMethod),
        ("availability_mode", AvailabilityMode),
        ("pick_strategy", PickStrategy),
    ):
        if getattr(data, field) not in {each.value for each in kind}:
            raise ValidationFailed({field: _("Choose one of the options.")})
    low = quantity(data.low_stock_at, "low_stock_at", zero=True)
    row = await session.get(InventorySettings, tenant_id, with_for_update=True)
    if row is None:
        row = InventorySettings(tenant_id=tenant_id)
        session.add(row)
        await session.flush()
    valued = await session.scalar(select(exists().where(StockValuation.moves > 0)))
    if data.cost_method != row.cost_method and valued:
        raise ValidationFailed(
            {"cost_method": _("Stock has been valued already: the cost method can no longer change.")}
        )
    before = {
        f: getattr(row, f)
        for f in ("cost_method", "allow_negative", "availability_mode", "low_stock_at", "pick_strategy")
    }
    row.cost_method, row.allow_negative, row.low_stock_at = data.cost_method, bool(data.allow_negative), low
    row.availability_mode, row.pick_strategy = data.availability_mode, data.pick_strategy
    after = {f: getattr(row, f) for f in before}
    await session.flush()
    await audit.record(
        session, tenant_id, actor, "inventory.settings_changed", "inventory_settings", None, audit.diff(before, after)
    )
    return row


async def _code_taken(session: AsyncSession, code: str, *, warehouse: bool, except_id: uuid.UUID | None = None) -> bool:
    taken_by_location = select(exists().where(Location.code == code, Location.id != (except_id or uuid.UUID(int=0))))
    if await session.scalar(taken_by_location):
        return True
    return warehouse and bool(await session.scalar(select(exists().where(Warehouse.code == code))))


def _warehouse_fields(data: WarehouseInput) -> dict:
    country = text(data.country, "country", 2).upper() or None
    if country and not (country.isascii() and country.isalpha() and len(country) == 2):
        raise ValidationFailed({"country": _("Use the two-letter country code (ES, PT, FR...).")})
    return {
        "name": text(data.name, "name", 200, required=True),
        "country": country,
        "postcode": text(data.postcode, "postcode", 20) or None,
        "city": text(data.city, "city", 100) or None,
        "is_active": bool(data.is_active),
    }


async def create_warehouse(
    session: AsyncSession, tenant_id: uuid.UUID, data: WarehouseInput, actor: Actor
) -> Warehouse:
    """A new warehouse with its view location and a stock location (its codes are taken from the warehouse's)."""
    code = checked_code(data.code, "code", 14)
    fields = _warehouse_fields(data)
    if await _code_taken(session, code, warehouse=True) or await _code_taken(session, f"{code}-STOCK", warehouse=False):
        raise ValidationFailed({"code": _("Code %(code)s is taken.", code=code)})
    warehouse = Warehouse(tenant_id=tenant_id, code=code, **fields)
    session.add(warehouse)
    await _add_places(session, tenant_id, warehouse)
    await audit.record(session, tenant_id, actor, "warehouse.created", "warehouse", warehouse.id, {"code": code})
    return warehouse


async def update_warehouse(
    session: AsyncSession, tenant_id: uuid.UUID, warehouse_id: uuid.UUID, data: WarehouseInput, actor: Actor
) -> Warehouse:
    """Rename, re-address, (de)activate a warehouse or choose where its receipts go; its code stays (labels)."""
    warehouse = await get(session, Warehouse, warehouse_id, for_update=True)
    fields = _warehouse_fields(data)
    if data.receipt_location_id is not None:
        place = await session.get(Location, (tenant_id, data.receipt_location_id))
        if place is None or place.warehouse_id != warehouse.id or place.kind != "internal":
            raise ValidationFailed({"receipt_location_id": _("Choose a location of this warehouse.")})
        fields["receipt_location_id"] = place.id
    if warehouse.is_active and not fields["is_active"] and await _holds_stock(session, warehouse_id=warehouse.id):
        raise ValidationFailed({"is_active": _("The warehouse holds stock: move it out before closing the warehouse.")})
    before = {f: getattr(warehouse, f) for f in WAREHOUSE_FIELDS}
    for field, value in fields.items():
        setattr(warehouse, field, value)
    after = {f: getattr(warehouse, f) for f in WAREHOUSE_FIELDS}
    await session.flush()
    await audit.record(
        session, tenant_id, actor, "warehouse.updated", "warehouse", warehouse.id, audit.diff(before, after)
    )
    return warehouse


async def _holds_stock(session: AsyncSession, *, warehouse_id=None, location_id=None, variant_id=None) -> bool:
    """Whether any quant of the warehouse, the location or the variant is not zero."""
    stmt = (
        select(func.count())
        .select_from(StockQuant)
        .join(Location, (Location.tenant_id == StockQuant.tenant_id) & (Location.id == StockQuant.location_id))
    )
    stmt = stmt.where(StockQuant.on_hand != 0)
    if warehouse_id is not None:
        stmt = stmt.where(Location.warehouse_id == warehouse_id)
    if location_id is not None:
        stmt = stmt.where(Location.id == location_id)
    if variant_id is not None:
        stmt = stmt.where(StockQuant.variant_id == variant_id)
    return bool(await session.scalar(stmt))


async def _parent(session: AsyncSession, warehouse_id: uuid.UUID, parent_id: uuid.UUID | None) -> Location:
    """The parent to place a location under: one of this warehouse's (default: the warehouse itself)."""
    if parent_id is None:
        stmt = select(Location).where(Location.warehouse_id == warehouse_id, Location.kind == "view")
    else:
        stmt = select(Location).where(Location.id == parent_id)
    parent = await session.scalar(stmt)
    if parent is None or parent.warehouse_id != warehouse_id:
        raise ValidationFailed({"parent_id": _("Choose a location of this warehouse.")})
    return parent


async def create_location(
    session: AsyncSession, tenant_id: uuid.UUID, warehouse_id: uuid.UUID, data: LocationInput, actor: Actor
) -> Location:
    """A zone or bin of a warehouse, under another of its locations; its code is unique in the tenant."""
    warehouse = await get(session, Warehouse, warehouse_id)
    code = checked_code(data.code, "code", 40)
    name = text(data.name, "name", 200) or code
    parent = await _parent(session, warehouse.id, data.parent_id)
    if await _code_taken(session, code, warehouse=True):
        raise ValidationFailed({"code": _("Code %(code)s is taken.", code=code)})
    location = Location(
        tenant_id=tenant_id, warehouse_id=warehouse.id, parent_id=parent.id, code=code, name=name, kind="internal"
    )
    session.add(location)
    await session.flush()
    await audit.record(session, tenant_id, actor, "location.created", "location", location.id, {"code": code})
    return location


async def update_location(
    session: AsyncSession, tenant_id: uuid.UUID, location_id: uuid.UUID, data: LocationInput, actor: Actor
) -> Location:
    """Rename, re-code, move under another parent of the same warehouse or (de)activate a location."""
    location = await get(session, Location, location_id, for_update=True)
    if location.kind != "internal":
        raise ValidationFailed({"code": _("Only the locations of a warehouse can be changed.")})
    code = checked_code(data.code, "code", 40)
    if code != location.code and await _code_taken(session, code, warehouse=True, except_id=location.id):
        raise ValidationFailed({"code": _("Code %(code)s is taken.", code=code)})
    parent = await _parent(session, location.warehouse_id, data.parent_id)
    if await _is_below(session, parent, location.id):
        raise ValidationFailed({"parent_id": _("A location cannot be placed inside itself.")})
    if location.is_active and not data.is_active and await _holds_stock(session, location_id=location.id):
        raise ValidationFailed({"is_active": _("The location holds stock: move it out before closing the location.")})
    before = {f: getattr(location, f) for f in LOCATION_FIELDS}
    location.code, location.name = code, text(data.name, "name", 200) or code
    location.parent_id, location.is_active = parent.id, bool(data.is_active)
    after = {f: getattr(location, f) for f in LOCATION_FIELDS}
    await session.flush()
    await audit.record(
        session, tenant_id, actor, "location.updated", "location", location.id, audit.diff(before, after)
    )
    return location


async def _is_below(session: AsyncSession, place: Location, ancestor_id: uuid.UUID) -> bool:
    """Whether `place` is `ancestor_id` or lies under it (walking up at most the tree's depth)."""
    seen = 0
    current: Location | None = place
    while current is not None and seen < 100:
        if current.id == ancestor_id:
            return True
        current = await session.get(Location, (current.tenant_id, current.parent_id)) if current.parent_id else None
        seen += 1
    return False


async def set_tracking(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    variant_id: uuid.UUID,
    tracking: str,
    shelf_life_days: int | None,
    actor: Actor,
) -> StockItem:
    """Track a variant by lot or serial number (or not), with a shelf life; not while it has stock."""
    if tracking not in {"none", "lot", "serial"}:
        raise ValidationFailed({"tracking": _("Choose one of the options.")})
    if shelf_life_days is not None and not 0 <= shelf_life_days <= 36500:
        raise ValidationFailed({"shelf_life_days": _("Enter %(n)s or less.", n=36500)})
    item = await session.get(StockItem, (tenant_id, variant_id), with_for_update=True)
    current = item.tracking if item else "none"
    if current != tracking and await _holds_stock(session, variant_id=variant_id):
        raise ValidationFailed({"tracking": _("The variant has stock: tracking can change only when it has none.")})
    if item is None:
        await _variant_exists(session, variant_id)
        item = StockItem(tenant_id=tenant_id, variant_id=variant_id)
        session.add(item)
    before = {"tracking": current, "shelf_life_days": item.shelf_life_days}
    item.tracking, item.shelf_life_days = tracking, shelf_life_days
    await session.flush()
    await audit.record(
        session,
        tenant_id,
        actor,
        "stock_item.updated",
        "variant",
        variant_id,
        audit.diff(before, {"tracking": tracking, "shelf_life_days": shelf_life_days}),
    )
    return item


async def _variant_exists(session: AsyncSession, variant_id: uuid.UUID) -> None:
    from app.catalog.models import ProductVariant

    await get(session, ProductVariant, variant_id)


__all__ = [
    "create_location",
    "create_warehouse",
    "seed_tenant",
    "set_inventory_settings",
    "set_tracking",
    "update_location",
    "update_warehouse",
]

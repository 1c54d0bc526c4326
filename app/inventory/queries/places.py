"""Reads about places: the stock rules, warehouses, their location trees, and what a scanned code names."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import Product, ProductUom, ProductVariant
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.inventory.domain import BarcodeError, CodeKind, parse_code
from app.inventory.models import InventorySettings, Location, StockItem, Warehouse


async def inventory_settings(session: AsyncSession, tenant_id: uuid.UUID) -> InventorySettings:
    """The tenant's stock rules (the defaults when none were saved)."""
    row = await session.get(InventorySettings, tenant_id)
    return (
        row
        if row is not None
        else InventorySettings(
            tenant_id=tenant_id,
            cost_method="average",
            allow_negative=False,
            availability_mode="level",
            low_stock_at=Decimal(5),
            pick_strategy="fefo",
        )
    )


async def warehouses(session: AsyncSession, *, active_only: bool = False) -> list[Warehouse]:
    """The tenant's warehouses, the default first, then by code."""
    stmt = select(Warehouse).order_by(Warehouse.is_default.desc(), Warehouse.code)
    if active_only:
        stmt = stmt.where(Warehouse.is_active)
    return list(await session.scalars(stmt))


async def warehouse(session: AsyncSession, warehouse_id: uuid.UUID) -> Warehouse:
    row = await session.scalar(select(Warehouse).where(Warehouse.id == warehouse_id))
    if row is None:
        raise NotFound()
    return row


async def location(session: AsyncSession, location_id: uuid.UUID) -> Location:
    row = await session.scalar(select(Location).where(Location.id == location_id))
    if row is None:
        raise NotFound()
    return row


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """A location in its warehouse's tree: how deep it lies (0 is the warehouse itself)."""

    location: Location
    depth: int


async def location_tree(session: AsyncSession, warehouse_id: uuid.UUID) -> list[PlaceRow]:
    """A warehouse's locations in tree order, each after its parent, siblings by code."""
    rows = list(await session.scalars(select(Location).where(Location.warehouse_id == warehouse_id)))
    children: dict[uuid.UUID | None, list[Location]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[PlaceRow] = []

    def walk(parent: uuid.UUID | None, depth: int) -> None:
        for child in sorted(children.get(parent, []), key=lambda loc: loc.code):
            ordered.append(PlaceRow(child, depth))
            walk(child.id, depth + 1)

    walk(None, 0)
    return ordered


async def stock_locations(
    session: AsyncSession, warehouse_id: uuid.UUID | None = None
) -> list[tuple[uuid.UUID, str, str]]:
    """(id, code, name) of the active stock locations (of one warehouse), for choosing where goods go."""
    stmt = select(Location.id, Location.code, Location.name).where(Location.kind == "internal", Location.is_active)
    if warehouse_id is not None:
        stmt = stmt.where(Location.warehouse_id == warehouse_id)
    return [tuple(row) for row in (await session.execute(stmt.order_by(Location.code))).all()]


async def locations_under(session: AsyncSession, location_id: uuid.UUID) -> set[uuid.UUID]:
    """The location and every location below it."""
    rows = await session.execute(
        text(
            "WITH RECURSIVE t(id) AS (SELECT id FROM locations WHERE id = :id "
            "UNION ALL SELECT l.id FROM locations l JOIN t ON l.parent_id = t.id) SELECT id FROM t"
        ),
        {"id": location_id},
    )
    return {row[0] for row in rows}


async def virtual_locations(session: AsyncSession) -> list[Location]:
    return list(await session.scalars(select(Location).where(Location.warehouse_id.is_(None)).order_by(Location.code)))


async def tracking(session: AsyncSession, variant_id: uuid.UUID) -> StockItem | None:
    return await session.scalar(select(StockItem).where(StockItem.variant_id == variant_id))


@dataclass(frozen=True, slots=True)
class Scanned:
    """What a typed or scanned code names: a variant (with the units one scan counts, 1 or a box), or a location;
    a GS1 code also brings its lot, expiry and serial number."""

    text: str
    variant_id: uuid.UUID | None = None
    sku: str | None = None
    name: dict | None = None
    pack: Decimal = Decimal(1)
    location_id: uuid.UUID | None = None
    location_code: str | None = None
    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None
    count: Decimal | None = None


def _gtin_forms(gtin14: str) -> list[str]:
    """The ways a GTIN-14 may be stored: as 14, 13 (EAN), 12 (UPC) or 8 digits without the leading zeros."""
    return [gtin14[-n:] for n in (14, 13, 12, 8) if set(gtin14[:-n] or "0") == {"0"}]


async def scan(session: AsyncSession, raw: str, field: str = "code") -> Scanned:
    """Read a code with the domain rule and find what it names; a malformed or unknown code names the field."""
    try:
        code = parse_code(raw or "")
    except BarcodeError as exc:
        raise ValidationFailed({field: _("This code cannot be read: %(reason)s.", reason=exc.reason)}) from None
    gs1 = {"lot": code.lot, "expiry": code.expiry, "serial": code.serial, "count": code.count}
    if code.gtin:
        found = await _by_gtin(session, code.gtin)
        if found is None:
            raise ValidationFailed({field: _("No article has the barcode %(code)s.", code=code.gtin.lstrip("0"))})
        return Scanned(code.text, *found, **gs1)
    if code.kind is CodeKind.INTERNAL:
        text_code = code.text.upper()
        row = (await session.execute(_VARIANT.where(ProductVariant.sku == text_code))).first()
        if row is not None:
            return Scanned(code.text, row[0], row[1], row[2])
        place = await session.scalar(select(Location).where(Location.code == text_code))
        if place is not None:
            return Scanned(code.text, location_id=place.id, location_code=place.code)
    raise ValidationFailed({field: _("Nothing has the code %(code)s.", code=code.text)})


_VARIANT = select(ProductVariant.id, ProductVariant.sku, Product.name).join(
    Product, (Product.tenant_id == ProductVariant.tenant_id) & (Product.id == ProductVariant.product_id)
)


async def _by_gtin(session: AsyncSession, gtin14: str) -> tuple | None:
    """(variant id, sku, product name, units per scan) for a variant's or a packing unit's barcode."""
    forms = _gtin_forms(gtin14)
    row = (await session.execute(_VARIANT.where(ProductVariant.gtin.in_(forms)))).first()
    if row is not None:
        return (row[0], row[1], row[2], Decimal(1))
    uom = await session.scalar(select(ProductUom).where(ProductUom.barcode.in_(forms)))
    if uom is None:
        return None
    stmt = _VARIANT.where(ProductVariant.product_id == uom.product_id)
    stmt = stmt.where(ProductVariant.id == uom.variant_id) if uom.variant_id else stmt
    rows = (await session.execute(stmt.limit(2))).all()
    if len(rows) != 1:
        return None
    return (rows[0][0], rows[0][1], rows[0][2], uom.factor.normalize())

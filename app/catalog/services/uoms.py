"""Units of measure and a product's conversions (sell by the box of 12, stock by the piece)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.catalog import domain, repo
from app.catalog.models import Product, ProductUom, ProductVariant, UnitOfMeasure
from app.catalog.services._support import ensure_unique
from app.errors import ValidationFailed
from app.i18n import gettext as _

UOM_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$")
STOCK_UNIT = ("PCE", {"es": "Unidad", "en": "Piece"})


@dataclass(frozen=True)
class UomConversion:
    """`factor` stock units make one `uom_id` (a box of 12 pieces: factor 12); optionally for one variant."""

    uom_id: uuid.UUID
    factor: Decimal
    for_sale: bool = True
    barcode: str | None = None
    variant_id: uuid.UUID | None = None


async def create_unit(
    session: AsyncSession, tenant_id: uuid.UUID, code: str, name: Mapping[str, str], actor: Actor
) -> UnitOfMeasure:
    code = code.strip().upper()
    if not UOM_CODE_RE.match(code):
        raise ValidationFailed({"code": _("Enter a code of up to 20 capital letters or digits, such as BOX12.")})
    names = domain.clean_translations(name, "name", max_len=60)
    await ensure_unique(session, UnitOfMeasure, UnitOfMeasure.code, code, "code")
    unit = UnitOfMeasure(tenant_id=tenant_id, code=code, name=names)
    session.add(unit)
    await session.flush()
    await audit.record(session, tenant_id, actor, "uom.created", "uom", unit.id, {"code": [None, code]})
    return unit


async def default_stock_unit(session: AsyncSession, tenant_id: uuid.UUID) -> UnitOfMeasure:
    """The piece unit every tenant stocks in unless told otherwise (created on first use)."""
    code, name = STOCK_UNIT
    unit = await session.scalar(select(UnitOfMeasure).where(UnitOfMeasure.code == code))
    if unit is None:
        unit = UnitOfMeasure(tenant_id=tenant_id, code=code, name=name)
        session.add(unit)
        await session.flush()
    return unit


async def set_product_uoms(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    product_id: uuid.UUID,
    conversions: Sequence[UomConversion],
    actor: Actor,
) -> list[ProductUom]:
    """Replace the product's conversions with `conversions` (all checked first, none written on a problem)."""
    product = await repo.get(session, Product, product_id, for_update=True)
    units = {u.id: u for u in await session.scalars(select(UnitOfMeasure))}
    await _check_conversions(session, product, units, conversions)
    before = await _describe(session, product.id, units)
    await session.execute(delete(ProductUom).where(ProductUom.product_id == product.id))
    rows = [
        ProductUom(
            tenant_id=tenant_id,
            product_id=product.id,
            variant_id=c.variant_id,
            uom_id=c.uom_id,
            factor=c.factor,
            for_sale=c.for_sale,
            barcode=c.barcode or None,
        )
        for c in conversions
    ]
    session.add_all(rows)
    await session.flush()
    changes = audit.diff({"uoms": before}, {"uoms": await _describe(session, product.id, units)})
    if changes:
        await audit.record(session, tenant_id, actor, "product.uoms_set", "product", product.id, changes)
    return rows


async def _check_conversions(
    session: AsyncSession, product: Product, units: dict, conversions: Sequence[UomConversion]
) -> None:
    """Every problem at once, as conversions.<n>.<field>."""
    variants = set(await session.scalars(select(ProductVariant.id).where(ProductVariant.product_id == product.id)))
    errors: dict[str, str] = {}
    seen: set[tuple] = set()
    for i, c in enumerate(conversions):
        key = f"conversions.{i}"
        if c.uom_id not in units:
            errors[f"{key}.uom_id"] = _("Choose an existing unit.")
        elif c.uom_id == product.stock_uom_id:
            errors[f"{key}.uom_id"] = _("The stock unit needs no conversion.")
        if (c.uom_id, c.variant_id) in seen:
            errors[f"{key}.uom_id"] = _("This unit is listed twice.")
        seen.add((c.uom_id, c.variant_id))
        if not isinstance(c.factor, Decimal) or not c.factor.is_finite() or c.factor <= 0:
            errors[f"{key}.factor"] = _("Enter how many stock units make one of this unit (more than zero).")
        if c.variant_id is not None and c.variant_id not in variants:
            errors[f"{key}.variant_id"] = _("Choose a variant of this product.")
        if c.barcode and not domain.gtin_valid(c.barcode):
            errors[f"{key}.barcode"] = _("Enter a valid EAN/GTIN barcode.")
    barcodes = [c.barcode for c in conversions if c.barcode]
    if not errors and barcodes:
        taken = set(
            await session.scalars(
                select(ProductUom.barcode).where(ProductUom.barcode.in_(barcodes), ProductUom.product_id != product.id)
            )
        ) | set(await session.scalars(select(ProductVariant.gtin).where(ProductVariant.gtin.in_(barcodes))))
        taken |= {b for b in barcodes if barcodes.count(b) > 1}
        for i, c in enumerate(conversions):
            if c.barcode in taken:
                errors[f"conversions.{i}.barcode"] = _("This barcode is already used.")
    if errors:
        raise ValidationFailed(errors)


async def _describe(session: AsyncSession, product_id: uuid.UUID, units: dict) -> list[str]:
    rows = await session.scalars(select(ProductUom).where(ProductUom.product_id == product_id))
    return sorted(f"{units[r.uom_id].code}={r.factor.normalize()}" for r in rows)


async def units_for(
    session: AsyncSession, product_id: uuid.UUID, variant_id: uuid.UUID | None = None
) -> dict[str, Decimal]:
    """Unit code -> stock units in one, for a product (a variant's own conversions override the product's)."""
    product = await repo.get(session, Product, product_id)
    stock = await session.scalar(select(UnitOfMeasure.code).where(UnitOfMeasure.id == product.stock_uom_id))
    stmt = (
        select(UnitOfMeasure.code, ProductUom.factor, ProductUom.variant_id)
        .join(
            UnitOfMeasure, (UnitOfMeasure.tenant_id == ProductUom.tenant_id) & (UnitOfMeasure.id == ProductUom.uom_id)
        )
        .where(ProductUom.product_id == product.id)
        .where(or_(ProductUom.variant_id.is_(None), ProductUom.variant_id == variant_id))
        .order_by(func.coalesce(ProductUom.variant_id == variant_id, False))
    )
    result = {str(stock): Decimal(1)}
    for code, factor, _variant in (await session.execute(stmt)).all():
        result[code] = factor  # variant rows come last and win
    return result

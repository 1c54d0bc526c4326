"""Suppliers' price lists: add, change and remove the lines (price, currency, minimum, lead time, pack size)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.base import new_id
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.parties import Supplier, get_supplier
from app.purchasing import _input, _rows
from app.purchasing._input import Typed
from app.purchasing.domain import SupplierPrice
from app.purchasing.models import SupplierPriceRecord

FIELDS = (
    "currency",
    "min_qty",
    "unit_price",
    "lead_time_days",
    "pack_size",
    "valid_from",
    "valid_to",
    "supplier_sku",
)
MAX_LINES_PER_SUPPLIER = 20_000


@dataclass(frozen=True)
class SupplierPriceInput:
    """A price list line as typed: blank currency and lead time take the supplier's, blank dates are open ends."""

    variant_id: uuid.UUID | None
    unit_price: Typed
    min_qty: Typed = "1"
    currency: str = ""
    lead_time_days: Typed = ""
    pack_size: Typed = ""
    valid_from: str | date | None = None
    valid_to: str | date | None = None
    supplier_sku: str = ""


def _values(data: SupplierPriceInput, supplier: Supplier) -> dict:
    errors: dict[str, str] = {}
    currency = (data.currency or "").strip().upper() or supplier.currency
    if not re.fullmatch(r"[A-Z]{3}", currency):
        errors["currency"] = _("Enter a three-letter currency code (EUR, USD...).")
    values = {
        "currency": currency,
        "unit_price": _input.price(data.unit_price, "unit_price", errors),
        "min_qty": _input.number(data.min_qty, "min_qty", errors, maximum=Decimal(10**9), places=4, blank=Decimal(1)),
        "lead_time_days": _input.days(
            data.lead_time_days, "lead_time_days", errors, blank=supplier.default_lead_time_days
        ),
        "pack_size": _input.number(
            data.pack_size, "pack_size", errors, maximum=Decimal(10**6), places=4, above_zero=True
        ),
        "valid_from": _input.a_date(data.valid_from, "valid_from", errors),
        "valid_to": _input.a_date(data.valid_to, "valid_to", errors),
        "supplier_sku": _input.text(data.supplier_sku, "supplier_sku", errors, 64) or None,
    }
    if values["unit_price"] is None and "unit_price" not in errors:
        errors["unit_price"] = _("Enter the price.")
    if values["valid_from"] and values["valid_to"] and values["valid_to"] < values["valid_from"]:
        errors["valid_to"] = _("The end date must not be before the start date.")
    _input.refuse(errors)
    return values


async def _refuse_duplicate(session: AsyncSession, supplier_id: uuid.UUID, variant_id, values: dict, own=None) -> None:
    stmt = select(func.count()).where(
        SupplierPriceRecord.supplier_id == supplier_id,
        SupplierPriceRecord.variant_id == variant_id,
        SupplierPriceRecord.currency == values["currency"],
        SupplierPriceRecord.min_qty == values["min_qty"],
        SupplierPriceRecord.valid_from.is_not_distinct_from(values["valid_from"]),
    )
    if own is not None:
        stmt = stmt.where(SupplierPriceRecord.id != own)
    if await session.scalar(stmt):
        raise ValidationFailed({"min_qty": _("This article already has a price from this quantity and date.")})


async def add_supplier_price(
    session: AsyncSession, tenant_id: uuid.UUID, supplier_id: uuid.UUID, data: SupplierPriceInput, actor: Actor
) -> SupplierPriceRecord:
    """A new line in the supplier's price list for one article."""
    supplier = await get_supplier(session, supplier_id)
    article = await _rows.article(session, data.variant_id, "code")
    values = _values(data, supplier)
    await _refuse_duplicate(session, supplier.id, article.id, values)
    count = select(func.count()).where(SupplierPriceRecord.supplier_id == supplier.id)
    if (await session.scalar(count) or 0) >= MAX_LINES_PER_SUPPLIER:
        raise ValidationFailed({"code": _("This price list is full.")})
    line = SupplierPriceRecord(tenant_id=tenant_id, supplier_id=supplier.id, variant_id=article.id, **values)
    session.add(line)
    await session.flush()
    changes = {"sku": [None, article.sku], **audit.diff({}, {k: values[k] for k in ("unit_price", "min_qty")})}
    await audit.record(session, tenant_id, actor, "supplier_price.added", "supplier", supplier.id, changes)
    return line


async def update_supplier_price(
    session: AsyncSession, tenant_id: uuid.UUID, price_id: uuid.UUID, data: SupplierPriceInput, actor: Actor
) -> SupplierPriceRecord:
    """Change a price list line (orders already placed keep their prices)."""
    line = await _rows.get(session, SupplierPriceRecord, price_id, for_update=True)
    supplier = await get_supplier(session, line.supplier_id)
    values = _values(data, supplier)
    await _refuse_duplicate(session, supplier.id, line.variant_id, values, own=line.id)
    before = audit.snapshot(line, FIELDS)
    for name, value in values.items():
        setattr(line, name, value)
    await session.flush()
    changes = audit.diff(before, audit.snapshot(line, FIELDS))
    await audit.record(session, tenant_id, actor, "supplier_price.updated", "supplier", supplier.id, changes)
    return line


async def remove_supplier_price(
    session: AsyncSession, tenant_id: uuid.UUID, price_id: uuid.UUID, actor: Actor
) -> uuid.UUID:
    """Take a line off the supplier's price list; returns the supplier's id."""
    line = await _rows.get(session, SupplierPriceRecord, price_id, for_update=True)
    await session.delete(line)
    await session.flush()
    changes = {"unit_price": [str(line.unit_price), None], "min_qty": [str(line.min_qty), None]}
    await audit.record(session, tenant_id, actor, "supplier_price.removed", "supplier", line.supplier_id, changes)
    return line.supplier_id


async def add_supplier_prices(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    supplier_id: uuid.UUID,
    lines: Sequence[SupplierPriceInput],
    actor: Actor,
) -> int:
    """Many lines at once (a price list received from the supplier): all or none, one audit entry; returns how many.

    A problem names its line: {"lines": "Line 3: ..."}.
    """
    supplier = await get_supplier(session, supplier_id)
    if not lines or len(lines) > MAX_LINES_PER_SUPPLIER:
        raise ValidationFailed({"lines": _("Send between 1 and %(n)s lines.", n=MAX_LINES_PER_SUPPLIER)})
    articles = await _rows.articles(session, [line.variant_id for line in lines if line.variant_id])
    stmt = select(SupplierPriceRecord).where(SupplierPriceRecord.supplier_id == supplier.id)
    seen = {_key(line.variant_id, vars(line)) for line in await session.scalars(stmt)}
    rows = []
    for number, data in enumerate(lines, 1):
        values = _numbered(number, data, supplier, articles, seen)
        rows.append(
            {
                "tenant_id": tenant_id,
                "id": new_id(),
                "supplier_id": supplier.id,
                "variant_id": data.variant_id,
                **values,
            }
        )
    await session.execute(insert(SupplierPriceRecord), rows)
    await audit.record(
        session, tenant_id, actor, "supplier_price.imported", "supplier", supplier.id, {"lines": [None, len(rows)]}
    )
    return len(rows)


def _numbered(number: int, data: SupplierPriceInput, supplier: Supplier, articles: dict, seen: set) -> dict:
    """One line of a whole price list, checked (and remembered, to refuse it twice); a problem names the line."""
    try:
        if data.variant_id not in articles:
            raise ValidationFailed({"code": _("Choose an article of the catalogue.")})
        values = _values(data, supplier)
        key = _key(data.variant_id, values)
        if key in seen:
            raise ValidationFailed({"min_qty": _("This article already has a price from this quantity and date.")})
    except ValidationFailed as exc:
        problem = next(iter(exc.errors.values()))
        raise ValidationFailed({"lines": _("Line %(n)s: %(problem)s", n=number, problem=problem)}) from None
    seen.add(key)
    return values


def _key(variant_id, values: dict) -> tuple:
    return (variant_id, values["currency"], Decimal(values["min_qty"]), values["valid_from"])


def as_rule(line: SupplierPriceRecord) -> SupplierPrice:
    """The line as the domain's price-list rules take it."""
    return SupplierPrice(
        line.supplier_id,
        line.variant_id,
        line.currency,
        line.min_qty,
        line.unit_price,
        line.lead_time_days,
        line.pack_size,
        line.valid_from,
        line.valid_to,
    )


async def price_rules(
    session: AsyncSession, variant_ids: list[uuid.UUID], supplier_id: uuid.UUID | None = None
) -> list[SupplierPrice]:
    """Every price list line of the variants (of one supplier, when given) of active suppliers, for the rules."""
    if not variant_ids:
        return []
    stmt = (
        select(SupplierPriceRecord)
        .join(
            Supplier,
            (Supplier.tenant_id == SupplierPriceRecord.tenant_id) & (Supplier.id == SupplierPriceRecord.supplier_id),
        )
        .where(SupplierPriceRecord.variant_id.in_(variant_ids), Supplier.status == "active")
    )
    if supplier_id is not None:
        stmt = stmt.where(SupplierPriceRecord.supplier_id == supplier_id)
    return [as_rule(line) for line in await session.scalars(stmt)]

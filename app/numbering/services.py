"""Take the next number of a series: the row lock makes it gapless under concurrency."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.numbering.models import NumberSeries
from tenants.seeding import TenantSeed

_TAKE = text(
    "UPDATE number_series SET next_number = next_number + 1 "
    "WHERE code = :code RETURNING prefix, padding, next_number - 1"
)


async def take_number(session: AsyncSession, code: str) -> str:
    """The next document number of series `code`; rolled back with its transaction, so no gaps."""
    row = (await session.execute(_TAKE, {"code": code})).one_or_none()
    if row is None:
        raise LookupError(f"number series {code!r} does not exist")
    prefix, padding, number = row
    return f"{prefix}{number:0{padding}d}"


SERIES = [
    ("sales_order", "Sales orders", "SO-"),
    ("quote", "Quotes", "QT-"),
    ("invoice", "Invoices", "INV-"),
    ("credit_note", "Credit notes", "CN-"),
    ("purchase_order", "Purchase orders", "PO-"),
    ("delivery", "Deliveries", "DN-"),
    ("goods_receipt", "Goods receipts", "GR-"),
    ("transfer", "Transfers", "TR-"),
    ("stock_count", "Stock counts", "CC-"),
    ("stock_adjustment", "Stock adjustments", "ADJ-"),
    ("rfq", "Requests for quotation", "RFQ-"),
    ("vendor_bill", "Supplier bills", "VB-"),
    ("pick_list", "Pick lists", "PK-"),
    ("sales_return", "Returns", "RMA-"),
]


async def seed_tenant(session: AsyncSession, seed: TenantSeed) -> None:
    """The document series every tenant starts with (numbers per tenant: nothing leaks across tenants)."""
    session.add_all(NumberSeries(tenant_id=seed.tenant_id, code=c, name=n, prefix=p) for c, n, p in SERIES)

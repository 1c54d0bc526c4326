"""Ledger use cases; for now what a new tenant starts with: its standard tax rate."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.i18n import gettext as _
from app.ledger.models import TaxRate
from tenants.seeding import TenantSeed

STANDARD_VAT = {
    "ES": Decimal("21"),
    "PT": Decimal("23"),
    "FR": Decimal("20"),
    "DE": Decimal("19"),
    "IT": Decimal("22"),
    "GB": Decimal("20"),
    "NL": Decimal("21"),
}


async def seed_tenant(session: AsyncSession, seed: TenantSeed) -> None:
    """The country's standard VAT rate as the default (0 % where we do not know it yet)."""
    rate = STANDARD_VAT.get(seed.country, Decimal("0"))
    session.add(TaxRate(tenant_id=seed.tenant_id, code="STD", name=_("Standard rate"), rate=rate, is_default=True))

"""Ledger tables."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped


class TaxRate(TenantOwned, Timestamped, Base):
    __tablename__ = "tax_rates"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        CheckConstraint("rate >= 0 AND rate < 100", name="rate_range"),
    )

    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    rate: Mapped[Decimal] = mapped_column(Numeric(7, 4))
    is_default: Mapped[bool] = mapped_column(default=False)

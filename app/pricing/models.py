"""Pricing tables."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped


class PriceList(TenantOwned, Timestamped, Base):
    __tablename__ = "price_lists"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    is_base: Mapped[bool] = mapped_column(default=False)

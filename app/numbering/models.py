"""Number series."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned


class NumberSeries(TenantOwned, Base):
    __tablename__ = "number_series"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        CheckConstraint("next_number > 0", name="positive"),
    )

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(20))
    padding: Mapped[int] = mapped_column(default=5)
    next_number: Mapped[int] = mapped_column(default=1)

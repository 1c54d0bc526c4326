"""Shipping tables: carriers, their services, their zones, and each service's rate per zone with weight brackets.

The rows load into the pure types of app.shipping.domain (Carrier, CarrierService, Zone, ZoneRate,
WeightBracket) to quote a shipment. Names shown to people are translatable ({"es": ..., "en": ...}).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, Index, Numeric, SmallInteger, String, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.base import Base, TenantOwned, Timestamped, tenant_fk

AMOUNT = Numeric(12, 4)
KG = Numeric(10, 3)
CM = Numeric(10, 2)


class CarrierRecord(TenantOwned, Timestamped, Base):
    """A carrier the tenant ships with: its currency, volumetric divisor (cm3 per kg), fuel surcharge (%) and the
    address of its tracking page."""

    __tablename__ = "carriers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        CheckConstraint("volumetric_divisor IS NULL OR volumetric_divisor > 0", name="divisor"),
        CheckConstraint("fuel_surcharge_pct >= 0", name="surcharge"),
        CheckConstraint(
            "tracking_url_template = '' OR "
            "(tracking_url_template ~ '^https?://[^[:space:]]+$' AND tracking_url_template LIKE '%{tracking}%')",
            name="tracking_url",
        ),
    )

    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    volumetric_divisor: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    fuel_surcharge_pct: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0))
    # the carrier's tracking page with {tracking} where the number goes ('': links are typed per shipment)
    tracking_url_template: Mapped[str] = mapped_column(String(500), default="", server_default=text("''"))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CarrierServiceRecord(TenantOwned, Timestamped, Base):
    """One service of a carrier (standard, express, pallet...) and its limits (None: no limit)."""

    __tablename__ = "carrier_services"
    __table_args__ = (
        UniqueConstraint("tenant_id", "carrier_id", "code"),
        tenant_fk(["carrier_id"], "carriers", ondelete="CASCADE"),
        CheckConstraint(
            "coalesce(max_weight_kg, 1) > 0 AND coalesce(max_length_cm, 1) > 0 AND coalesce(max_girth_cm, 1) > 0",
            name="limits",
        ),
    )

    carrier_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[dict] = mapped_column(JSONB, default=dict)
    max_weight_kg: Mapped[Decimal | None] = mapped_column(KG)
    max_length_cm: Mapped[Decimal | None] = mapped_column(CM)
    max_girth_cm: Mapped[Decimal | None] = mapped_column(CM)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=text("true"))


class ShippingZone(TenantOwned, Timestamped, Base):
    """Where a carrier delivers at one rate: a country, optionally narrowed to postcode prefixes or ranges."""

    __tablename__ = "shipping_zones"
    __table_args__ = (
        UniqueConstraint("tenant_id", "carrier_id", "code"),
        tenant_fk(["carrier_id"], "carriers", ondelete="CASCADE"),
        CheckConstraint("country ~ '^[A-Z]{2}$'", name="country"),
    )

    carrier_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[dict] = mapped_column(JSONB, default=dict)
    country: Mapped[str] = mapped_column(String(2))
    postcode_prefixes: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    postcode_ranges: Mapped[list[list[str]]] = mapped_column(JSONB, default=list)  # [[low, high], ...]


class ShippingRate(TenantOwned, Timestamped, Base):
    """A service's rate to one zone: a base fee, transit days, a price per started kg beyond the last bracket."""

    __tablename__ = "shipping_rates"
    __table_args__ = (
        UniqueConstraint("tenant_id", "service_id", "zone_id"),
        tenant_fk(["service_id"], "carrier_services", ondelete="CASCADE"),
        tenant_fk(["zone_id"], "shipping_zones", ondelete="CASCADE"),
        CheckConstraint("base_fee >= 0 AND coalesce(per_kg_beyond, 0) >= 0", name="amounts"),
        CheckConstraint("transit_days >= 0", name="transit_days"),
        Index("ix_shipping_rates_zone", "tenant_id", "zone_id"),
    )

    service_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    zone_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    base_fee: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    transit_days: Mapped[int] = mapped_column(SmallInteger)
    per_kg_beyond: Mapped[Decimal | None] = mapped_column(AMOUNT)


class ShippingRateBracket(TenantOwned, Base):
    """Up to and including up_to_kg of chargeable weight, the rate adds price to its base fee."""

    __tablename__ = "shipping_rate_brackets"
    __table_args__ = (
        UniqueConstraint("tenant_id", "rate_id", "up_to_kg"),
        tenant_fk(["rate_id"], "shipping_rates", ondelete="CASCADE"),
        CheckConstraint("up_to_kg > 0 AND price >= 0", name="figures"),
    )

    rate_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    up_to_kg: Mapped[Decimal] = mapped_column(KG)
    price: Mapped[Decimal] = mapped_column(AMOUNT)

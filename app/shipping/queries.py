"""Reads of the tenant's carriers for the screens: the list, a carrier's services and zones, a service's rates.

Writes go through app.shipping.services; a quote goes through app.shipping.quoting. Another tenant's id (or
none) raises NotFound, as the services do.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.shipping import _input, _records
from app.shipping._rates import bracket_text
from app.shipping.models import CarrierRecord, CarrierServiceRecord, ShippingRate, ShippingRateBracket, ShippingZone


@dataclass(frozen=True, slots=True)
class CarrierRow:
    """A carrier in the list, with how many services and zones it has."""

    carrier: CarrierRecord
    services: int
    zones: int


@dataclass(frozen=True, slots=True)
class RateView:
    """A service's rate to one zone with its brackets (up to kg, price), lightest first."""

    rate: ShippingRate
    zone: ShippingZone
    brackets: list[tuple[Decimal, Decimal]]

    @property
    def brackets_text(self) -> str:
        """The brackets as the rate form shows them: one "up to kg; price" per line."""
        return bracket_text(self.brackets)


async def carriers(session: AsyncSession) -> list[CarrierRow]:
    """Every carrier (active first, then by code) with its counts of services and zones."""
    services = (
        select(func.count())
        .where(
            CarrierServiceRecord.tenant_id == CarrierRecord.tenant_id,
            CarrierServiceRecord.carrier_id == CarrierRecord.id,
        )
        .scalar_subquery()
    )
    zones = (
        select(func.count())
        .where(ShippingZone.tenant_id == CarrierRecord.tenant_id, ShippingZone.carrier_id == CarrierRecord.id)
        .scalar_subquery()
    )
    stmt = select(CarrierRecord, services, zones).order_by(CarrierRecord.is_active.desc(), CarrierRecord.code)
    return [CarrierRow(c, s, z) for c, s, z in (await session.execute(stmt)).all()]


async def carrier(session: AsyncSession, carrier_id: uuid.UUID) -> CarrierRecord:
    return await _records.carrier(session, carrier_id)


async def service(session: AsyncSession, service_id: uuid.UUID) -> CarrierServiceRecord:
    return await _records.service(session, service_id)


async def zone(session: AsyncSession, zone_id: uuid.UUID) -> ShippingZone:
    return await _records.zone(session, zone_id)


async def carrier_services(session: AsyncSession, carrier_id: uuid.UUID) -> list[tuple[CarrierServiceRecord, int]]:
    """The carrier's services (active first, then by code), each with how many zones it has a rate to."""
    rates = (
        select(func.count())
        .where(
            ShippingRate.tenant_id == CarrierServiceRecord.tenant_id, ShippingRate.service_id == CarrierServiceRecord.id
        )
        .scalar_subquery()
    )
    stmt = (
        select(CarrierServiceRecord, rates)
        .where(CarrierServiceRecord.carrier_id == carrier_id)
        .order_by(CarrierServiceRecord.is_active.desc(), CarrierServiceRecord.code)
    )
    return [(s, n) for s, n in (await session.execute(stmt)).all()]


async def carrier_zones(session: AsyncSession, carrier_id: uuid.UUID) -> list[ShippingZone]:
    """The carrier's zones by country and code."""
    stmt = select(ShippingZone).where(ShippingZone.carrier_id == carrier_id)
    return list(await session.scalars(stmt.order_by(ShippingZone.country, ShippingZone.code)))


def zone_postcodes(zone: ShippingZone) -> str:
    """A zone's postcodes as typed into its form ("07, 35-38"); '' for the whole country."""
    return _input.postcodes_text(list(zone.postcode_prefixes), [list(r) for r in zone.postcode_ranges])


async def service_rates(session: AsyncSession, service_id: uuid.UUID) -> list[RateView]:
    """The service's rates by zone code, each with its brackets."""
    stmt = (
        select(ShippingRate, ShippingZone)
        .join(
            ShippingZone, (ShippingZone.tenant_id == ShippingRate.tenant_id) & (ShippingZone.id == ShippingRate.zone_id)
        )
        .where(ShippingRate.service_id == service_id)
        .order_by(ShippingZone.code)
    )
    rows = (await session.execute(stmt)).all()
    brackets: dict[uuid.UUID, list[tuple[Decimal, Decimal]]] = {}
    if rows:
        found = await session.execute(
            select(ShippingRateBracket.rate_id, ShippingRateBracket.up_to_kg, ShippingRateBracket.price)
            .where(ShippingRateBracket.rate_id.in_([rate.id for rate, _zone in rows]))
            .order_by(ShippingRateBracket.up_to_kg)
        )
        for rate_id, up_to_kg, price in found.all():
            brackets.setdefault(rate_id, []).append((up_to_kg, price))
    return [RateView(rate, zone_, brackets.get(rate.id, [])) for rate, zone_ in rows]


def bracket_weights(rates: list[RateView]) -> list[Decimal]:
    """Every weight limit used by any of the rates, lightest first: the columns of a rate grid."""
    return sorted({up_to for view in rates for up_to, _price in view.brackets})

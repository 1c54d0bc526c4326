"""The demo tenant's carriers: a national courier, a pallet and groupage carrier, and an express service.

Built through the shipping services once (when the tenant has no carrier); the rates are plausible for 2026
Spain, not any real carrier's. Service and zone names are in Spanish and English.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app import shipping
from app.actor import Actor
from app.shipping import CarrierInput, RateInput, ServiceInput, ZoneInput

D = Decimal


@dataclass(frozen=True)
class DemoRate:
    zone: str
    days: int
    base: str
    brackets: tuple[tuple[str, str], ...]
    per_kg_beyond: str | None = None


@dataclass(frozen=True)
class DemoService:
    code: str
    es: str
    en: str
    limits: tuple[str | None, str | None, str | None]  # max kg, max longest side cm, max length + girth cm
    rates: tuple[DemoRate, ...]


@dataclass(frozen=True)
class DemoCarrier:
    carrier: CarrierInput
    zones: tuple[ZoneInput, ...]
    services: tuple[DemoService, ...]


def _zone(code: str, country: str, es: str, en: str, postcodes: str = "") -> ZoneInput:
    return ZoneInput(code, country, {"es": es, "en": en}, postcodes)


# Zones a carrier names so that an address there is refused ("does not deliver to zone CAN") rather than
# priced as the mainland.
ISLANDS_AND_CITIES = (
    _zone("BAL", "ES", "Baleares", "Balearic Islands", "07"),
    _zone("CAN", "ES", "Canarias", "Canary Islands", "35, 38"),
    _zone("CEM", "ES", "Ceuta y Melilla", "Ceuta and Melilla", "51, 52"),
)
PARCEL = (("1", "4.20"), ("3", "5.10"), ("5", "6.30"), ("10", "8.90"), ("20", "13.40"), ("30", "18.70"))
ISLANDS = (("1", "7.90"), ("3", "9.80"), ("5", "12.10"), ("10", "17.50"), ("20", "27.90"), ("30", "38.00"))
CARRIERS = (
    DemoCarrier(
        CarrierInput(
            "MLEV",
            "Mensajería Levante",
            "EUR",
            "6000",
            "4.5",
            "https://seguimiento.mensajerialevante.example/envio/{tracking}",
        ),
        (
            _zone("PEN", "ES", "Península", "Mainland Spain"),
            *ISLANDS_AND_CITIES,
            _zone("PT", "PT", "Portugal", "Portugal"),
        ),
        (
            DemoService(
                "24H",
                "Estándar 24 h",
                "Standard next day",
                ("40", "150", "300"),
                (
                    DemoRate("PEN", 1, "0", PARCEL, "0.65"),
                    DemoRate("BAL", 2, "1.50", ISLANDS, "1.10"),
                    DemoRate("PT", 2, "2.00", PARCEL, "0.80"),
                ),
            ),
            DemoService(
                "ECO",
                "Económico 48-72 h",
                "Economy 2-3 days",
                ("40", "150", "300"),
                (
                    DemoRate("PEN", 3, "0", (("5", "4.90"), ("10", "6.90"), ("20", "10.50"), ("40", "16.80"))),
                    DemoRate("BAL", 4, "1.50", (("5", "9.90"), ("10", "14.20"), ("20", "22.00"), ("40", "34.50"))),
                    DemoRate("CAN", 6, "6.00", (("5", "18.50"), ("10", "27.00"), ("20", "44.00"), ("40", "79.00"))),
                    DemoRate("CEM", 5, "4.00", (("5", "14.90"), ("10", "21.00"), ("20", "33.00"), ("40", "58.00"))),
                    DemoRate("PT", 4, "2.00", (("5", "7.20"), ("10", "9.90"), ("20", "14.80"), ("40", "23.50"))),
                ),
            ),
        ),
    ),
    DemoCarrier(
        CarrierInput(
            "PALI",
            "Palibérica Carga",
            "EUR",
            "3333",
            "6",
            "https://www.paliberica.example/localizar?expedicion={tracking}",
        ),
        (
            _zone("PEN", "ES", "Península", "Mainland Spain"),
            *ISLANDS_AND_CITIES,
            _zone("PT", "PT", "Portugal", "Portugal"),
        ),
        (
            DemoService(
                "GRP",
                "Grupaje",
                "Groupage",
                ("300", "240", None),
                (
                    DemoRate("PEN", 3, "12.00", (("50", "18.00"), ("100", "29.00"), ("200", "48.00")), "0.22"),
                    DemoRate("PT", 4, "15.00", (("50", "24.00"), ("100", "38.00"), ("200", "62.00")), "0.28"),
                ),
            ),
            DemoService(
                "PAL",
                "Palé completo",
                "Full pallet",
                ("1200", "240", None),
                (
                    DemoRate("PEN", 2, "0", (("300", "85.00"), ("600", "120.00"), ("1200", "165.00"))),
                    DemoRate("PT", 3, "0", (("300", "110.00"), ("600", "150.00"), ("1200", "205.00"))),
                ),
            ),
        ),
    ),
    DemoCarrier(
        CarrierInput(
            "EXPR", "Eurosprint Express", "EUR", "5000", "9", "https://track.eurosprint.example/{tracking}?lang=es"
        ),
        (
            _zone("ES", "ES", "España peninsular", "Mainland Spain"),
            _zone("BAL", "ES", "Baleares", "Balearic Islands", "07"),
            *ISLANDS_AND_CITIES[1:],
            _zone("PT", "PT", "Portugal", "Portugal"),
            _zone("FR", "FR", "Francia", "France"),
            _zone("DE", "DE", "Alemania", "Germany"),
        ),
        (
            DemoService(
                "10H",
                "Urgente antes de las 10:00",
                "Express before 10 am",
                ("30", "120", "300"),
                (
                    DemoRate("ES", 1, "3.00", (("1", "9.50"), ("5", "12.90"), ("10", "17.40")), "1.20"),
                    DemoRate("BAL", 1, "5.00", (("1", "14.00"), ("5", "19.50"), ("10", "27.00")), "1.80"),
                    DemoRate("PT", 1, "5.00", (("1", "15.50"), ("5", "21.00"), ("10", "29.00")), "1.90"),
                    DemoRate("FR", 2, "8.00", (("1", "24.00"), ("5", "33.00"), ("10", "45.00")), "2.60"),
                    DemoRate("DE", 2, "8.00", (("1", "26.00"), ("5", "36.00"), ("10", "49.00")), "2.80"),
                ),
            ),
        ),
    ),
)


async def _seed_carrier(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor, plan: DemoCarrier) -> None:
    carrier = await shipping.create_carrier(session, tenant_id, plan.carrier, actor)
    zones = {z.code: (await shipping.add_zone(session, tenant_id, carrier.id, z, actor)).id for z in plan.zones}
    for demo in plan.services:
        data = ServiceInput(demo.code, {"es": demo.es, "en": demo.en}, *demo.limits)
        service = await shipping.add_service(session, tenant_id, carrier.id, data, actor)
        for rate in demo.rates:
            brackets = [(D(kg), D(price)) for kg, price in rate.brackets]
            typed = RateInput(zones[rate.zone], rate.days, rate.base, rate.per_kg_beyond, brackets)
            await shipping.set_rate(session, tenant_id, service.id, typed, actor)


async def ensure_demo_shipping(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor) -> list[str]:
    """The demo carriers (created when the tenant has none); returns the console line that lists them."""
    if not await shipping.queries.carriers(session):
        for plan in CARRIERS:
            await _seed_carrier(session, tenant_id, actor, plan)
    rows = await shipping.queries.carriers(session)
    names = ", ".join(f"{row.carrier.name} ({row.services} service{'s' if row.services != 1 else ''})" for row in rows)
    return [f"  Carriers:          {names}"] if rows else []

"""Carriers, their services and zones: one use case per function, in the caller's transaction (never commits).

Bad input raises ValidationFailed({field: message}) with every problem at once; another tenant's id (or none)
raises NotFound; each change is audited on the carrier or the service. Rates live in _rates.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.catalog.domain import clean_translations
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.shipping import _input, _records
from app.shipping._rates import RateImport, RateInput, RateTableRefused, import_rate_table, remove_rate, set_rate
from app.shipping.domain import tracking_template_problem
from app.shipping.models import CarrierRecord, CarrierServiceRecord, ShippingZone

__all__ = [
    "CarrierInput",
    "RateImport",
    "RateInput",
    "RateTableRefused",
    "ServiceInput",
    "ZoneInput",
    "add_service",
    "add_zone",
    "create_carrier",
    "import_rate_table",
    "remove_rate",
    "set_carrier_active",
    "set_rate",
    "set_service_active",
    "update_carrier",
    "update_service",
    "update_zone",
]

CARRIER_FIELDS = ("code", "name", "currency", "volumetric_divisor", "fuel_surcharge_pct", "tracking_url_template")
SERVICE_FIELDS = ("code", "name", "max_weight_kg", "max_length_cm", "max_girth_cm")
ZONE_FIELDS = ("code", "name", "country", "postcode_prefixes", "postcode_ranges")


@dataclass(frozen=True)
class CarrierInput:
    """A carrier as typed: volumetric divisor in cm3 per kg (blank: priced by weight only), surcharge in %, and
    its tracking page with {tracking} where the number goes (blank: links are typed per shipment)."""

    code: str
    name: str
    currency: str = "EUR"
    volumetric_divisor: str | Decimal | None = "5000"
    fuel_surcharge_pct: str | Decimal = "0"
    tracking_url_template: str = ""


@dataclass(frozen=True)
class ServiceInput:
    """A carrier service as typed; a blank limit means none."""

    code: str
    name: Mapping[str, str] = field(default_factory=dict)
    max_weight_kg: str | Decimal | None = None
    max_length_cm: str | Decimal | None = None
    max_girth_cm: str | Decimal | None = None


@dataclass(frozen=True)
class ZoneInput:
    """A zone as typed: a country code and postcode prefixes or ranges ("07, 35-38"; blank: the whole country)."""

    code: str
    country: str
    name: Mapping[str, str] = field(default_factory=dict)
    postcodes: str = ""


async def _carrier_values(session: AsyncSession, data: CarrierInput, carrier_id: uuid.UUID | None) -> dict:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"code": _input.code(data.code, errors), "name": " ".join((data.name or "").split())}
    if not values["name"] or len(values["name"]) > 200:
        errors["name"] = _("Enter a name of up to 200 characters.")
    values["currency"] = (data.currency or "").strip().upper()
    if len(values["currency"]) != 3 or not values["currency"].isalpha() or not values["currency"].isascii():
        errors["currency"] = _("Enter a three-letter currency code such as EUR.")
    values["volumetric_divisor"] = _input.number(
        data.volumetric_divisor, "volumetric_divisor", errors, maximum=Decimal(1_000_000), places=2, above_zero=True
    )
    values["fuel_surcharge_pct"] = _input.number(
        data.fuel_surcharge_pct, "fuel_surcharge_pct", errors, maximum=Decimal(100), places=2, blank=Decimal(0)
    )
    values["tracking_url_template"] = template = (data.tracking_url_template or "").strip()
    problem = tracking_template_problem(template)
    if problem == "address":
        errors["tracking_url_template"] = _("Enter a web address starting with https://, without spaces.")
    elif problem == "slot":
        errors["tracking_url_template"] = _("Put {tracking} once in the address, where the tracking number goes.")
    if "code" not in errors and await _records.code_taken(session, CarrierRecord, carrier_id, values["code"]):
        errors["code"] = _("Carrier code %(code)s is already used.", code=values["code"])
    if errors:
        raise ValidationFailed(errors)
    return values


async def create_carrier(
    session: AsyncSession, tenant_id: uuid.UUID, data: CarrierInput, actor: Actor
) -> CarrierRecord:
    """A new active carrier, without services or zones yet."""
    values = await _carrier_values(session, data, None)
    carrier = CarrierRecord(tenant_id=tenant_id, is_active=True, **values)
    session.add(carrier)
    await session.flush()
    changes = audit.diff({}, audit.snapshot(carrier, CARRIER_FIELDS))
    await audit.record(session, tenant_id, actor, "carrier.created", "carrier", carrier.id, changes)
    return carrier


async def _changed(session: AsyncSession, row: Any, fields: tuple[str, ...], values: dict) -> dict[str, list]:
    """Set `values` on `row` and flush; the audited fields that changed, as {field: [old, new]}."""
    before = audit.snapshot(row, fields)
    for name, value in values.items():
        setattr(row, name, value)
    await session.flush()
    return audit.diff(before, audit.snapshot(row, fields))


async def update_carrier(
    session: AsyncSession, tenant_id: uuid.UUID, carrier_id: uuid.UUID, data: CarrierInput, actor: Actor
) -> CarrierRecord:
    """Change a carrier's code, name, currency, divisor or surcharge (quotes use the new figures at once)."""
    carrier = await _records.carrier(session, carrier_id, for_update=True)
    values = await _carrier_values(session, data, carrier.id)
    changes = await _changed(session, carrier, CARRIER_FIELDS, values)
    if changes:
        await audit.record(session, tenant_id, actor, "carrier.updated", "carrier", carrier.id, changes)
    return carrier


async def set_carrier_active(
    session: AsyncSession, tenant_id: uuid.UUID, carrier_id: uuid.UUID, active: bool, actor: Actor
) -> CarrierRecord:
    """Offer a carrier in quotes again, or stop offering it (its rates are kept)."""
    carrier = await _records.carrier(session, carrier_id, for_update=True)
    if carrier.is_active != active:
        carrier.is_active = active
        await session.flush()
        action = "carrier.activated" if active else "carrier.deactivated"
        await audit.record(
            session, tenant_id, actor, action, "carrier", carrier.id, {"is_active": [not active, active]}
        )
    return carrier


async def _service_values(
    session: AsyncSession, carrier_id: uuid.UUID, data: ServiceInput, service_id: uuid.UUID | None
) -> dict:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"code": _input.code(data.code, errors)}
    try:
        values["name"] = clean_translations(data.name, "name", max_len=200)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    for name, maximum, places in (
        ("max_weight_kg", _input.MAX_KG, 3),
        ("max_length_cm", _input.MAX_CM, 2),
        ("max_girth_cm", _input.MAX_CM, 2),
    ):
        values[name] = _input.number(getattr(data, name), name, errors, maximum=maximum, places=places, above_zero=True)
    if "code" not in errors and await _records.code_taken(
        session, CarrierServiceRecord, service_id, values["code"], carrier_id=carrier_id
    ):
        errors["code"] = _("This carrier already has a service %(code)s.", code=values["code"])
    if errors:
        raise ValidationFailed(errors)
    return values


async def add_service(
    session: AsyncSession, tenant_id: uuid.UUID, carrier_id: uuid.UUID, data: ServiceInput, actor: Actor
) -> CarrierServiceRecord:
    """A new active service of the carrier (it quotes once it has a rate for a zone)."""
    carrier = await _records.carrier(session, carrier_id)
    values = await _service_values(session, carrier.id, data, None)
    service = CarrierServiceRecord(tenant_id=tenant_id, carrier_id=carrier.id, is_active=True, **values)
    session.add(service)
    await session.flush()
    await audit.record(
        session, tenant_id, actor, "carrier_service.created", "carrier", carrier.id, {"service": [None, service.code]}
    )
    return service


async def update_service(
    session: AsyncSession, tenant_id: uuid.UUID, service_id: uuid.UUID, data: ServiceInput, actor: Actor
) -> CarrierServiceRecord:
    """Change a service's code, names or limits."""
    service = await _records.service(session, service_id, for_update=True)
    values = await _service_values(session, service.carrier_id, data, service.id)
    changes = await _changed(session, service, SERVICE_FIELDS, values)
    if changes:
        await audit.record(session, tenant_id, actor, "carrier_service.updated", "carrier_service", service.id, changes)
    return service


async def set_service_active(
    session: AsyncSession, tenant_id: uuid.UUID, service_id: uuid.UUID, active: bool, actor: Actor
) -> CarrierServiceRecord:
    """Offer a service in quotes again, or stop offering it (its rates are kept)."""
    service = await _records.service(session, service_id, for_update=True)
    if service.is_active != active:
        service.is_active = active
        await session.flush()
        action = "carrier_service.activated" if active else "carrier_service.deactivated"
        changes = {"is_active": [not active, active]}
        await audit.record(session, tenant_id, actor, action, "carrier_service", service.id, changes)
    return service


async def _zone_values(
    session: AsyncSession, carrier_id: uuid.UUID, data: ZoneInput, zone_id: uuid.UUID | None
) -> dict:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"code": _input.code(data.code, errors)}
    try:
        values["name"] = clean_translations(data.name, "name", max_len=200)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    values["country"] = (data.country or "").strip().upper()
    if len(values["country"]) != 2 or not values["country"].isalpha() or not values["country"].isascii():
        errors["country"] = _("Enter a two-letter country code such as ES.")
    values["postcode_prefixes"], values["postcode_ranges"] = _input.postcodes(data.postcodes, errors)
    if "code" not in errors and await _records.code_taken(
        session, ShippingZone, zone_id, values["code"], carrier_id=carrier_id
    ):
        errors["code"] = _("This carrier already has a zone %(code)s.", code=values["code"])
    if errors:
        raise ValidationFailed(errors)
    return values


async def add_zone(
    session: AsyncSession, tenant_id: uuid.UUID, carrier_id: uuid.UUID, data: ZoneInput, actor: Actor
) -> ShippingZone:
    """A new zone of the carrier: a country, or only some of its postcodes (the most specific zone wins)."""
    carrier = await _records.carrier(session, carrier_id)
    values = await _zone_values(session, carrier.id, data, None)
    zone = ShippingZone(tenant_id=tenant_id, carrier_id=carrier.id, **values)
    session.add(zone)
    await session.flush()
    changes = {"zone": [None, zone.code], "country": [None, zone.country]}
    await audit.record(session, tenant_id, actor, "shipping_zone.created", "carrier", carrier.id, changes)
    return zone


async def update_zone(
    session: AsyncSession, tenant_id: uuid.UUID, zone_id: uuid.UUID, data: ZoneInput, actor: Actor
) -> ShippingZone:
    """Change a zone's code, names, country or postcodes (every service's rate to it follows)."""
    zone = await _records.zone(session, zone_id, for_update=True)
    values = await _zone_values(session, zone.carrier_id, data, zone.id)
    changes = await _changed(session, zone, ZONE_FIELDS, values)
    if changes:
        changes.setdefault("code", zone.code)
        await audit.record(session, tenant_id, actor, "shipping_zone.updated", "carrier", zone.carrier_id, changes)
    return zone

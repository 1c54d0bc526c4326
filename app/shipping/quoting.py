"""Quoting a shipment with the tenant's active carriers, as checkout, fulfilment and the back office ask for it.

The stored carriers, services, zones and rates load into the pure types of app.shipping.domain and
`domain.quote` prices them; this module only reads. `shipment_for` builds the package an order's lines make.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import changes
from app.cache import cache
from app.catalog import queries as catalog_queries
from app.catalog.domain import translated
from app.db import TENANT_KEY
from app.errors import ValidationFailed
from app.i18n import format_number
from app.i18n import gettext as _
from app.shipping import _input, domain
from app.shipping.domain import Carrier, CarrierQuote, CarrierService, Shipment, WeightBracket, Zone, ZoneRate
from app.shipping.models import CarrierRecord, CarrierServiceRecord, ShippingRate, ShippingRateBracket, ShippingZone

MAX_PACKAGE_KG = Decimal(1_000_000)
TOPIC = "shipping"  # the change notices of the shipping tables (migration 0020)
_CARRIERS = cache("shipping.carriers", size=5_000, ttl=600.0)  # (tenant, currency) -> the loaded carriers
_LABELS = cache("shipping.service_labels", size=5_000, ttl=600.0)  # (tenant, locale) -> service labels


async def active_carriers(session: AsyncSession, currency: str | None = None) -> list[Carrier]:
    """The tenant's active carriers that have an active service (in `currency` only, when given), by code.

    Remembered under the tenant's `shipping` change token (migration 0020): checkout quotes every order, and the
    carriers, services, zones and rates change seldom; a committed change to any of them is seen at once."""
    tenant_id = session.info.get(TENANT_KEY)
    token = changes.token(tenant_id, TOPIC) if tenant_id is not None else None
    key = (tenant_id, (currency or "").upper())
    found = _CARRIERS.get(token, key)
    if found is None:
        found = tuple(await _load_carriers(session, currency))
        _CARRIERS.put(token, key, found)
    return list(found)


async def _load_carriers(session: AsyncSession, currency: str | None) -> list[Carrier]:
    stmt = select(CarrierRecord).where(CarrierRecord.is_active.is_(True)).order_by(CarrierRecord.code)
    if currency:
        stmt = stmt.where(CarrierRecord.currency == currency.upper())
    carriers = list(await session.scalars(stmt))
    if not carriers:
        return []
    ids = [c.id for c in carriers]
    services = list(
        await session.scalars(
            select(CarrierServiceRecord)
            .where(CarrierServiceRecord.carrier_id.in_(ids), CarrierServiceRecord.is_active.is_(True))
            .order_by(CarrierServiceRecord.code)
        )
    )
    zones = list(
        await session.scalars(select(ShippingZone).where(ShippingZone.carrier_id.in_(ids)).order_by(ShippingZone.code))
    )
    rates = await _rates(session, [s.id for s in services], {z.id: z.code for z in zones})
    return [loaded for c in carriers if (loaded := _carrier(c, services, zones, rates)).services]


async def _rates(
    session: AsyncSession, service_ids: list[uuid.UUID], zone_codes: dict[uuid.UUID, str]
) -> dict[uuid.UUID, list[ZoneRate]]:
    """service id -> its rates as domain ZoneRates (zone codes, brackets lightest first)."""
    if not service_ids:
        return {}
    rows = list(await session.scalars(select(ShippingRate).where(ShippingRate.service_id.in_(service_ids))))
    brackets: dict[uuid.UUID, list[WeightBracket]] = {}
    stmt = (
        select(ShippingRateBracket.rate_id, ShippingRateBracket.up_to_kg, ShippingRateBracket.price)
        .where(ShippingRateBracket.rate_id.in_([r.id for r in rows]))
        .order_by(ShippingRateBracket.up_to_kg)
    )
    for rate_id, up_to_kg, price in (await session.execute(stmt)).all():
        brackets.setdefault(rate_id, []).append(WeightBracket(up_to_kg, price))
    found: dict[uuid.UUID, list[ZoneRate]] = {}
    for r in rows:
        rate = ZoneRate(
            zone_codes[r.zone_id], r.base_fee, tuple(brackets.get(r.id, ())), r.transit_days, r.per_kg_beyond
        )
        found.setdefault(r.service_id, []).append(rate)
    return found


def _carrier(
    record: CarrierRecord,
    services: list[CarrierServiceRecord],
    zones: list[ShippingZone],
    rates: dict[uuid.UUID, list[ZoneRate]],
) -> Carrier:
    own_zones = tuple(
        Zone(z.code, z.country, tuple(z.postcode_prefixes), tuple((low, high) for low, high in z.postcode_ranges))
        for z in zones
        if z.carrier_id == record.id
    )
    own_services = tuple(
        CarrierService(s.code, tuple(rates.get(s.id, ())), s.max_weight_kg, s.max_length_cm, s.max_girth_cm)
        for s in services
        if s.carrier_id == record.id
    )
    divisor, surcharge = record.volumetric_divisor, record.fuel_surcharge_pct
    return Carrier(record.code, record.currency, own_zones, own_services, divisor, surcharge)


async def quote_shipment(
    session: AsyncSession, shipment: Shipment, *, currency: str | None = None
) -> list[CarrierQuote]:
    """Every active carrier service's quote for the shipment, cheapest first, with the cheapest and the fastest
    marked, then the refusals with their reasons. Carriers in several currencies need `currency` to compare."""
    carriers = await active_carriers(session, currency)
    currencies = sorted({carrier.currency for carrier in carriers})
    if len(currencies) > 1:
        listed = ", ".join(currencies)
        raise ValidationFailed({"currency": _("Your carriers price in %(list)s: choose one currency.", list=listed)})
    try:
        return domain.quote(shipment, carriers)
    except domain.ShippingRuleError as exc:
        raise ValidationFailed({exc.field: _("Enter a number greater than zero.")}) from None


def _destination(country: str, postcode: str, errors: dict[str, str]) -> tuple[str, str]:
    """A two-letter country code and a postcode of letters and digits (spaces and dashes kept as typed)."""
    country = (country or "").strip().upper()
    if len(country) != 2 or not country.isalpha() or not country.isascii():
        errors["country"] = _("Enter a two-letter country code such as ES.")
    postcode = " ".join((postcode or "").split())
    plain = domain.normalise_postcode(postcode)
    if len(postcode) > 20 or (plain and not (plain.isalnum() and plain.isascii())):
        errors["postcode"] = _("Enter a postcode of up to 20 letters and digits.")
    return country, postcode


def parse_shipment(
    country: str, postcode: str, weight_kg: str, length_cm: str = "", width_cm: str = "", height_cm: str = ""
) -> Shipment:
    """A shipment typed into a form: a country code, a postcode, a weight and optionally all three sides."""
    errors: dict[str, str] = {}
    country, postcode = _destination(country, postcode, errors)
    weight = _input.number(weight_kg, "weight_kg", errors, maximum=MAX_PACKAGE_KG, places=3, above_zero=True)
    if weight is None and "weight_kg" not in errors:
        errors["weight_kg"] = _("Enter the weight in kg.")
    sides = {}
    for name, raw in (("length_cm", length_cm), ("width_cm", width_cm), ("height_cm", height_cm)):
        sides[name] = _input.number(raw, name, errors, maximum=_input.MAX_CM, places=2, above_zero=True)
    missing = [name for name, value in sides.items() if value is None and name not in errors]
    if missing and len(missing) < 3:
        errors[missing[0]] = _("Enter all three sides, or none.")
    if errors or weight is None:
        raise ValidationFailed(errors)
    return Shipment(country, postcode, weight, sides["length_cm"], sides["width_cm"], sides["height_cm"])


async def shipment_for(
    session: AsyncSession, lines: Iterable[tuple[uuid.UUID, Decimal]], country: str, postcode: str
) -> Shipment:
    """One package holding the lines (variant id, quantity) for an address: the weights add up; the sides are a
    box as long and wide as the largest item with the items stacked flat (None when any item's sides are
    unknown). ValidationFailed names the SKUs without a weight."""
    errors: dict[str, str] = {}
    country, postcode = _destination(country, postcode, errors)
    wanted = [(variant_id, Decimal(qty)) for variant_id, qty in lines]
    if not wanted or any(not qty.is_finite() or qty <= 0 for _id, qty in wanted):
        errors["lines"] = _("Enter at least one line with a quantity greater than zero.")
    if errors:
        raise ValidationFailed(errors)
    measures = await catalog_queries.variant_measures(session, [variant_id for variant_id, _qty in wanted])
    if any(variant_id not in measures for variant_id, _qty in wanted):
        raise ValidationFailed({"lines": _("A line names a product that does not exist.")})
    unweighed = sorted({measures[v].sku for v, _q in wanted if measures[v].weight_kg is None})
    if unweighed:
        raise ValidationFailed({"weight_kg": _("No weight is known for %(skus)s.", skus=", ".join(unweighed))})
    weight = sum((qty * measures[v].weight_kg for v, qty in wanted), Decimal(0))  # type: ignore[operator]
    sides = _stacked([(measures[v], qty) for v, qty in wanted])
    return Shipment(country, postcode, weight, *sides)


def _stacked(items: list[tuple[catalog_queries.VariantMeasures, Decimal]]) -> tuple[Decimal | None, ...]:
    """The box of the items stacked flat: the longest length, the widest width, the heights added up."""
    boxes = []
    for item, qty in items:
        if item.length_cm is None or item.width_cm is None or item.height_cm is None:
            return (None, None, None)
        boxes.append((sorted((item.length_cm, item.width_cm, item.height_cm), reverse=True), qty))
    return (max(b[0] for b, _q in boxes), max(b[1] for b, _q in boxes), sum((b[2] * q for b, q in boxes), Decimal(0)))


def refusal_text(quote: CarrierQuote) -> str:
    """Why a service cannot carry the shipment, in the reader's language ('' when it can)."""
    if quote.refusal is None:
        return ""
    kind, figures = quote.refusal_kind, [format_number(figure) for figure in quote.refusal_figures]
    if kind == "no_zone":
        return _("No zone of this carrier covers the address.")
    if kind == "zone_not_served":
        return _("This service does not deliver to zone %(zone)s.", zone=quote.zone)
    if kind == "no_rate" and figures:
        return _("No rate for %(n)s kg: it is beyond the last weight bracket.", n=figures[0])
    if len(figures) == 2:
        n, most = figures
        if kind == "too_heavy":
            return _("The package weighs %(n)s kg, over the %(max)s kg maximum.", n=n, max=most)
        if kind == "too_long":
            return _("Its longest side is %(n)s cm, over the %(max)s cm maximum.", n=n, max=most)
        if kind == "too_big":
            return _("Its length + girth is %(n)s cm, over the %(max)s cm maximum.", n=n, max=most)
    return quote.refusal


class ServiceLabel(NamedTuple):
    """How a quote's carrier service is named and stored: its id, the carrier's name and the service's name."""

    service_id: uuid.UUID
    carrier: str
    service: str


async def service_labels(session: AsyncSession, locale: str) -> dict[tuple[str, str], ServiceLabel]:
    """(carrier code, service code) of a quote -> the service's id and names in `locale` (remembered as the
    carriers are)."""
    tenant_id = session.info.get(TENANT_KEY)
    token = changes.token(tenant_id, TOPIC) if tenant_id is not None else None
    found = _LABELS.get(token, (tenant_id, locale))
    if found is None:
        found = await _load_labels(session, locale)
        _LABELS.put(token, (tenant_id, locale), found)
    return dict(found)


async def _load_labels(session: AsyncSession, locale: str) -> dict[tuple[str, str], ServiceLabel]:
    stmt = select(CarrierServiceRecord.id, CarrierRecord.name, CarrierServiceRecord.name).add_columns(
        CarrierRecord.code, CarrierServiceRecord.code
    )
    stmt = stmt.join(
        CarrierRecord,
        (CarrierRecord.tenant_id == CarrierServiceRecord.tenant_id)
        & (CarrierRecord.id == CarrierServiceRecord.carrier_id),
    )
    return {
        (carrier_code, code): ServiceLabel(service_id, carrier, translated(name, locale) or code)
        for service_id, carrier, name, carrier_code, code in (await session.execute(stmt)).all()
    }

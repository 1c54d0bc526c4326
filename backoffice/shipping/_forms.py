"""What the shipping screens share: who may use them, and the forms read into the services' inputs as typed."""

from __future__ import annotations

from typing import Any

from litestar.datastructures import FormMultiDict

from app.shipping import (
    CarrierInput,
    CarrierRecord,
    CarrierServiceRecord,
    RateInput,
    ServiceInput,
    ShippingZone,
    ZoneInput,
    queries,
)
from app.web.auth import requires_staff
from backoffice.catalog._web import an_id, form_text, plain, translations

SHIPPING_STAFF = [requires_staff("owner", "warehouse")]
CARRIER_FIELDS = ("code", "name", "currency", "volumetric_divisor", "fuel_surcharge_pct", "tracking_url_template")
LIMITS = ("max_weight_kg", "max_length_cm", "max_girth_cm")
RATE_FIELDS = ("zone_id", "transit_days", "base_fee", "per_kg_beyond")


def carrier_typed(form: FormMultiDict) -> dict[str, str]:
    return {name: form_text(form, name, 600 if name == "tracking_url_template" else 200) for name in CARRIER_FIELDS}


def carrier_shown(carrier: CarrierRecord | None, currency: str) -> dict[str, str]:
    """The carrier form's values: the carrier's, or a new carrier's defaults."""
    if carrier is None:
        return {
            "code": "",
            "name": "",
            "currency": currency,
            "volumetric_divisor": "5000",
            "fuel_surcharge_pct": "0",
            "tracking_url_template": "",
        }
    return {
        "code": carrier.code,
        "name": carrier.name,
        "currency": carrier.currency,
        "volumetric_divisor": plain(carrier.volumetric_divisor),
        "fuel_surcharge_pct": plain(carrier.fuel_surcharge_pct),
        "tracking_url_template": carrier.tracking_url_template,
    }


def carrier_input(typed: dict[str, str]) -> CarrierInput:
    return CarrierInput(**typed)


def service_typed(form: FormMultiDict) -> dict[str, Any]:
    return {"code": form_text(form, "code", 40), "name": translations(form, "name")} | {
        name: form_text(form, name, 40) for name in LIMITS
    }


def service_shown(service: CarrierServiceRecord | None) -> dict[str, Any]:
    if service is None:
        return {"code": "", "name": {}} | dict.fromkeys(LIMITS, "")
    return {"code": service.code, "name": dict(service.name)} | {name: plain(getattr(service, name)) for name in LIMITS}


def service_input(typed: dict[str, Any]) -> ServiceInput:
    return ServiceInput(**typed)


def zone_typed(form: FormMultiDict) -> dict[str, Any]:
    return {
        "code": form_text(form, "code", 40),
        "name": translations(form, "name"),
        "country": form_text(form, "country", 10),
        "postcodes": form_text(form, "postcodes", 4000),
    }


def zone_shown(zone: ShippingZone | None) -> dict[str, Any]:
    if zone is None:
        return {"code": "", "name": {}, "country": "ES", "postcodes": ""}
    postcodes = queries.zone_postcodes(zone)
    return {"code": zone.code, "name": dict(zone.name), "country": zone.country, "postcodes": postcodes}


def zone_input(typed: dict[str, Any]) -> ZoneInput:
    return ZoneInput(typed["code"], typed["country"], typed["name"], typed["postcodes"])


def rate_typed(form: FormMultiDict) -> dict[str, str]:
    return {name: form_text(form, name, 40) for name in RATE_FIELDS} | {"brackets": form_text(form, "brackets", 8000)}


def rate_input(typed: dict[str, str]) -> RateInput:
    return RateInput(
        an_id(typed["zone_id"]), typed["transit_days"], typed["base_fee"], typed["per_kg_beyond"], typed["brackets"]
    )

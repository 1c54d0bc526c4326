"""Rules for parties' contact data, without a database: e-mail syntax, address fields, default addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.emails import EMAIL_RE, normalise_email, valid_email

__all__ = ["EMAIL_RE", "AddressInput", "address_errors", "normalise_email", "serves", "valid_email"]

USAGES = ("billing", "shipping", "both")
COUNTRY_RE = re.compile(r"[A-Z]{2}")


def N_(message: str) -> str:
    """Marks an English message for extraction; the caller translates it."""
    return message


@dataclass(frozen=True, slots=True)
class AddressInput:
    """An address as typed; `usage` says whether it bills, ships or both."""

    label: str
    recipient: str
    line1: str
    postcode: str
    city: str
    country: str
    line2: str = ""
    region: str = ""
    phone: str = ""
    usage: str = "both"
    default_billing: bool = False
    default_shipping: bool = False


LIMITS = {"label": 100, "recipient": 200, "line1": 200, "line2": 200, "postcode": 20, "city": 100, "region": 100}


def address_errors(data: AddressInput) -> dict[str, str]:
    """English messages per field (translated by the caller) for an address that cannot be used."""
    errors: dict[str, str] = {}
    for name in ("recipient", "line1", "postcode", "city"):
        if not getattr(data, name).strip():
            errors[name] = N_("Fill in this field.")
    for name, limit in LIMITS.items():
        if len(getattr(data, name).strip()) > limit:
            errors[name] = N_("Too long.")
    if not COUNTRY_RE.fullmatch(data.country.strip().upper()):
        errors["country"] = N_("Choose a country (two-letter ISO code).")
    if data.usage not in USAGES:
        errors["usage"] = N_("Choose billing, shipping or both.")
    if data.default_billing and data.usage == "shipping":
        errors["default_billing"] = N_("A shipping-only address cannot be the billing default.")
    if data.default_shipping and data.usage == "billing":
        errors["default_shipping"] = N_("A billing-only address cannot be the shipping default.")
    if len(data.phone) > 40:
        errors["phone"] = N_("Too long.")
    return errors


def serves(usage: str, wanted: str) -> bool:
    """Whether an address of `usage` may be used for `wanted` ('billing' or 'shipping')."""
    return usage == "both" or usage == wanted

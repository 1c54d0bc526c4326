"""Shipping rules, pure: carrier zones, rate tables and quotes, with the cheapest and the fastest marked.

No database or web here: the service loads the tenant's carriers into these NamedTuples and calls `quote`.
A carrier has zones (a country, optionally narrowed by postcode prefixes or ranges; the most specific match
wins), a volumetric divisor and a fuel surcharge; each of its services has a rate per zone (a base fee,
weight brackets, a price per started kg beyond the last bracket, transit days) and its limits. Weights are
Decimal kg, lengths Decimal cm, money Decimal rounded half up to the carrier currency's minor unit
(`app.money.to_minor_unit`). A service that cannot carry the shipment is a quote with a refusal,
not an error; bad input raises ShippingRuleError(field, reason).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal
from typing import NamedTuple
from urllib.parse import quote as url_quote

from app.money import to_minor_unit

ZERO = Decimal(0)
TRACKING_SLOT = "{tracking}"  # where a carrier's tracking address takes the shipment's number
HUNDRED = Decimal(100)
GRAMS = Decimal("0.001")


class ShippingRuleError(ValueError):
    """Bad input to a shipping rule: `field` names the argument, `reason` says in plain English what is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(field, reason)
        self.field = field
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


def _decimal(field: str, value: Decimal | int, *, allow_zero: bool = True) -> Decimal:
    """A finite, non-negative Decimal (above zero unless allow_zero); a float is refused."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int) or not Decimal(value).is_finite():
        raise ShippingRuleError(field, f"must be a finite Decimal or int, got {value!r}")
    number = Decimal(value)
    if number < 0 or (number == 0 and not allow_zero):
        raise ShippingRuleError(field, f"must be {'zero or more' if allow_zero else 'above zero'}, got {number}")
    return number


def normalise_postcode(postcode: str) -> str:
    """Postcodes compare upper-case without spaces or dashes: 'sw1a 1aa' is 'SW1A1AA'."""
    return "".join(char for char in postcode.upper() if char not in " -")


class Zone(NamedTuple):
    """Where a carrier delivers at one rate: a country (ISO code), optionally only some postcodes.

    A postcode matches a prefix when it starts with it, a range (low, high) when its first len(low)
    characters fall between them inclusive. No prefix and no range: the whole country.
    """

    code: str
    country: str
    postcode_prefixes: tuple[str, ...] = ()
    postcode_ranges: tuple[tuple[str, str], ...] = ()

    def specificity(self, country: str, postcode: str) -> int | None:
        """How closely the zone matches (the longest prefix or range length; 0 for the whole country), or None."""
        if country.upper() != self.country.upper():
            return None
        if not self.postcode_prefixes and not self.postcode_ranges:
            return 0
        code = normalise_postcode(postcode)
        lengths = [len(p) for p in map(normalise_postcode, self.postcode_prefixes) if code.startswith(p)]
        for low, high in self.postcode_ranges:
            low, high = normalise_postcode(low), normalise_postcode(high)
            if len(code) >= len(low) and low <= code[: len(low)] <= high:
                lengths.append(len(low))
        return max(lengths, default=None)


def find_zone(zones: Iterable[Zone], country: str, postcode: str) -> Zone | None:
    """The most specific zone for an address (the first listed on a tie), or None when none covers it."""
    best: tuple[int, Zone] | None = None
    for zone in zones:
        score = zone.specificity(country, postcode)
        if score is not None and (best is None or score > best[0]):
            best = (score, zone)
    return None if best is None else best[1]


class WeightBracket(NamedTuple):
    """Up to and including up_to_kg of chargeable weight, the shipment costs price (on top of the base fee)."""

    up_to_kg: Decimal
    price: Decimal


class ZoneRate(NamedTuple):
    """A service's rate to one zone: base fee + the bracket price; beyond the last bracket, the last bracket's
    price + per_kg_beyond for each started kg over it (None: the service stops at the last bracket)."""

    zone: str
    base_fee: Decimal
    brackets: tuple[WeightBracket, ...]
    transit_days: int
    per_kg_beyond: Decimal | None = None


class CarrierService(NamedTuple):
    """One service of a carrier (e.g. standard, express): its rates by zone and its limits (None: no limit).

    max_length_cm bounds the longest side; max_girth_cm bounds length + 2 x (width + height).
    """

    code: str
    rates: tuple[ZoneRate, ...]
    max_weight_kg: Decimal | None = None
    max_length_cm: Decimal | None = None
    max_girth_cm: Decimal | None = None


class Carrier(NamedTuple):
    """A carrier: its zones, its services, its currency, its volumetric divisor (cm3 per kg, None: weight
    only) and its current fuel surcharge in percent on the whole price."""

    code: str
    currency: str
    zones: tuple[Zone, ...]
    services: tuple[CarrierService, ...]
    volumetric_divisor: Decimal | None = Decimal(5000)
    fuel_surcharge_pct: Decimal = ZERO


class Shipment(NamedTuple):
    """What to send and where: one package's actual weight and, optionally, its three sides."""

    country: str
    postcode: str
    weight_kg: Decimal
    length_cm: Decimal | None = None
    width_cm: Decimal | None = None
    height_cm: Decimal | None = None

    @property
    def sides(self) -> tuple[Decimal, ...] | None:
        """The sides longest first, or None when any is unknown."""
        sides = (self.length_cm, self.width_cm, self.height_cm)
        if any(side is None for side in sides):
            return None
        return tuple(sorted((Decimal(side) for side in sides if side is not None), reverse=True))


@dataclass(frozen=True, slots=True)
class CarrierQuote:
    """One carrier service's answer: a price and transit days, or a refusal saying why it cannot carry it."""

    carrier: str
    service: str
    currency: str
    zone: str | None
    chargeable_kg: Decimal
    price: Decimal | None
    transit_days: int | None
    refusal: str | None = None
    cheapest: bool = False
    fastest: bool = False
    refusal_kind: str | None = None
    refusal_figures: tuple[Decimal, ...] = ()

    @property
    def available(self) -> bool:
        """True when the service can carry the shipment."""
        return self.refusal is None


def chargeable_weight(shipment: Shipment, volumetric_divisor: Decimal | None) -> Decimal:
    """max(actual, volumetric) in kg, rounded up to the gram; volumetric = l x w x h / divisor, when known."""
    weight = shipment.weight_kg
    sides = shipment.sides
    if volumetric_divisor is not None and sides is not None:
        weight = max(weight, sides[0] * sides[1] * sides[2] / volumetric_divisor)
    return weight.quantize(GRAMS, rounding=ROUND_CEILING)


class Refusal(NamedTuple):
    """Why a service cannot carry a shipment: a kind the faces translate (REFUSAL_KINDS), the figures it names
    (the package's, then the limit's) and the reason in plain English."""

    kind: str
    text: str
    figures: tuple[Decimal, ...] = ()


REFUSAL_KINDS = ("no_zone", "zone_not_served", "too_heavy", "too_long", "too_big", "no_rate")


def _limit_refusal(service: CarrierService, shipment: Shipment) -> Refusal | None:
    """Why the package breaks one of the service's limits; None when it fits (unknown sides pass)."""
    if service.max_weight_kg is not None and shipment.weight_kg > service.max_weight_kg:
        text = f"weighs {shipment.weight_kg} kg, over the {service.max_weight_kg} kg maximum"
        return Refusal("too_heavy", text, (shipment.weight_kg, service.max_weight_kg))
    sides = shipment.sides
    if sides is None:
        return None
    if service.max_length_cm is not None and sides[0] > service.max_length_cm:
        text = f"its longest side is {sides[0]} cm, over the {service.max_length_cm} cm maximum"
        return Refusal("too_long", text, (sides[0], service.max_length_cm))
    girth = sides[0] + 2 * (sides[1] + sides[2])
    if service.max_girth_cm is not None and girth > service.max_girth_cm:
        text = f"its length + girth is {girth} cm, over the {service.max_girth_cm} cm maximum"
        return Refusal("too_big", text, (girth, service.max_girth_cm))
    return None


def rate_price(rate: ZoneRate, chargeable_kg: Decimal) -> Decimal | None:
    """Base fee + the price of the first bracket holding the weight, or beyond the last bracket its price plus
    per_kg_beyond per started kg; None when the weight passes the last bracket and there is no such price."""
    brackets = sorted(rate.brackets)
    for bracket in brackets:
        if chargeable_kg <= bracket.up_to_kg:
            return rate.base_fee + bracket.price
    if rate.per_kg_beyond is None or not brackets:
        return None
    last = brackets[-1]
    started_kg = (chargeable_kg - last.up_to_kg).to_integral_value(rounding=ROUND_CEILING)
    return rate.base_fee + last.price + started_kg * rate.per_kg_beyond


def _refused(base: CarrierQuote, refusal: Refusal) -> CarrierQuote:
    return replace(base, refusal=refusal.text, refusal_kind=refusal.kind, refusal_figures=refusal.figures)


def _quote_service(carrier: Carrier, service: CarrierService, shipment: Shipment, zone: Zone | None) -> CarrierQuote:
    """Price one service, or say why it cannot carry the shipment."""
    chargeable = chargeable_weight(shipment, carrier.volumetric_divisor)
    base = CarrierQuote(carrier.code, service.code, carrier.currency, None, chargeable, None, None)
    if zone is None:
        where = f"{shipment.country.upper()} {shipment.postcode}".strip()
        return _refused(base, Refusal("no_zone", f"{carrier.code} has no zone covering {where}"))
    base = replace(base, zone=zone.code)
    rate = next((rate for rate in service.rates if rate.zone == zone.code), None)
    if rate is None:
        text = f"{carrier.code} {service.code} does not deliver to zone {zone.code}"
        return _refused(base, Refusal("zone_not_served", text))
    too_big = _limit_refusal(service, shipment)
    if too_big is not None:
        return _refused(base, too_big._replace(text=f"{carrier.code} {service.code}: the package {too_big.text}"))
    price = rate_price(rate, chargeable)
    if price is None:
        text = f"{carrier.code} {service.code} has no rate for {chargeable} kg"
        return _refused(base, Refusal("no_rate", text, (chargeable,)))
    surcharged = price * (HUNDRED + carrier.fuel_surcharge_pct) / HUNDRED
    return replace(base, price=to_minor_unit(surcharged, carrier.currency), transit_days=rate.transit_days)


def _check(shipment: Shipment, carriers: Sequence[Carrier]) -> None:
    """Refuse impossible figures before quoting: no weight, negative sides, a zero divisor, a negative surcharge."""
    _decimal("weight_kg", shipment.weight_kg, allow_zero=False)
    for side in ("length_cm", "width_cm", "height_cm"):
        value = getattr(shipment, side)
        if value is not None:
            _decimal(side, value, allow_zero=False)
    for carrier in carriers:
        if carrier.volumetric_divisor is not None:
            _decimal("volumetric_divisor", carrier.volumetric_divisor, allow_zero=False)
        _decimal("fuel_surcharge_pct", carrier.fuel_surcharge_pct)
        if not carrier.services:
            raise ShippingRuleError("carriers", f"carrier {carrier.code} has no service")


def _mark(quotes: list[CarrierQuote]) -> list[CarrierQuote]:
    """Sort priced quotes cheapest first (refusals last) and mark the cheapest (the faster on a price tie)
    and the fastest (the cheaper on a transit tie)."""
    priced = sorted((q for q in quotes if q.available), key=lambda q: (q.price, q.transit_days, q.carrier, q.service))
    refused = [q for q in quotes if not q.available]
    if not priced:
        return refused
    cheapest = priced[0]
    fastest = min(priced, key=lambda q: (q.transit_days, q.price, q.carrier, q.service))
    marked = [replace(q, cheapest=q is cheapest, fastest=q is fastest) for q in priced]
    return marked + refused


def quote(shipment: Shipment, carriers: Sequence[Carrier]) -> list[CarrierQuote]:
    """A quote per carrier service: priced ones cheapest first with the cheapest and fastest marked, then the
    refusals with their reasons. Carriers must share one currency for the marks to mean anything."""
    _check(shipment, carriers)
    currencies = {carrier.currency for carrier in carriers}
    if len(currencies) > 1:
        listed = ", ".join(sorted(currencies))
        raise ShippingRuleError("carriers", f"carriers price in {listed}: convert the rate tables to one currency")
    quotes = []
    for carrier in carriers:
        zone = find_zone(carrier.zones, shipment.country, shipment.postcode)
        quotes.extend(_quote_service(carrier, service, shipment, zone) for service in carrier.services)
    return _mark(quotes)


# --- tracking ----------------------------------------------------------------------------------------------------


def tracking_template_problem(template: str) -> str | None:
    """Why a carrier's tracking address cannot be used, or None: blank (links typed per shipment), or an http(s)
    address of at most 500 characters without spaces holding {tracking} once."""
    if not template:
        return None
    if len(template) > 500 or not template.startswith(("https://", "http://")) or any(c.isspace() for c in template):
        return "address"
    if template.count(TRACKING_SLOT) != 1:
        return "slot"
    return None


def tracking_url(template: str, number: str) -> str:
    """The carrier's tracking page for this number ('' without a template or a number); the number is
    percent-encoded, so whatever was typed stays inside the address's own part."""
    if not template or not number or tracking_template_problem(template):
        return ""
    return template.replace(TRACKING_SLOT, url_quote(number, safe=""))

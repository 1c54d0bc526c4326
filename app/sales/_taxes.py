"""Taxes on an order: which treatment the destination gets, the rate per tax class, and the tax of each line.

Rounding is per line, to the currency's minor unit (half up): each line's net, tax and gross are the figures
its document line shows, net + tax = gross holds on every line, and the totals and the breakdown by rate are
plain sums of the lines, so they add up to the cent. The price of that choice: a rate's tax in the breakdown
may differ by a few cents from rate x its net base rounded once (EU VAT law allows either; say so when a
tenant's tax office insists on rounding per rate, and add it as a setting then).

Prices entered without tax (exclusive): the line amount is the net; tax = round(net x rate). Prices entered
with tax (inclusive): when tax is charged, the amount is the gross the buyer saw and pays, and the net is
round(gross / (1 + rate)) with the tax the difference; when no tax is charged (reverse charge, export) the
buyer pays the net, taken out of the price at the domestic rate of the line's class.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from app.catalog.domain import TAX_CLASSES
from app.money import to_minor_unit
from app.sales._errors import HUNDRED, N_, ZERO, Reason, SalesRuleError, currency_code, not_negative, percentage, reason

# The member states of the EU by ISO code (Greece is GR here; its VAT ids start with EL).
EU_MEMBERS = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip
VAT_PREFIXES = {"EL": "GR"}  # the VAT id prefix of Greece is EL, its ISO country code GR
VAT_ID_RE = re.compile(r"[A-Z]{2}[0-9A-Z+*]{2,13}")
COUNTRY_RE = re.compile(r"[A-Z]{2}")


class TaxClass(StrEnum):
    """A product's tax class: the catalogue's classes (app.catalog.domain.TAX_CLASSES)."""

    STANDARD = "standard"
    REDUCED = "reduced"
    SUPER_REDUCED = "super_reduced"
    EXEMPT = "exempt"


assert tuple(TaxClass) == TAX_CLASSES, "the catalogue's tax classes changed: update TaxClass"


class TaxTreatment(StrEnum):
    """How the destination is taxed."""

    DOMESTIC = "domestic"  # the tenant's own country, its rates
    DESTINATION = "destination"  # another country of the VAT area without a usable VAT id: its rates (OSS)
    REVERSE_CHARGE = "reverse_charge"  # a business in another country of the VAT area: 0 %, the buyer accounts
    EXPORT = "export"  # outside the VAT area: 0 %


ZERO_RATED = frozenset({TaxTreatment.REVERSE_CHARGE, TaxTreatment.EXPORT})


@dataclass(frozen=True, slots=True)
class TaxSettings:
    """A tenant's tax rules.

    - home_country: where the tenant is established (ISO code);
    - prices_include_tax: its price lists hold prices with tax (True) or without (False);
    - rates: (country, tax class) -> rate in percent, for home and every destination taxed at its own rates;
      the exempt class is always 0 %;
    - vat_area: the countries of the tenant's VAT area (the EU for an EU tenant; empty elsewhere: every other
      country is then an export);
    - distance_sales_at_destination: within the area, a buyer without a VAT id pays the destination's rates
      (OSS, above the EU threshold), or the home rates when False;
    - shipping_tax_class: the class of the shipping charge.
    """

    home_country: str
    prices_include_tax: bool
    rates: Mapping[tuple[str, str], Decimal]
    vat_area: frozenset[str] = EU_MEMBERS
    distance_sales_at_destination: bool = True
    shipping_tax_class: TaxClass = TaxClass.STANDARD


@dataclass(frozen=True, slots=True)
class Treatment:
    """The treatment for one order, the country whose rates apply, and the note the documents must carry."""

    kind: TaxTreatment
    country: str
    note: Reason | None = None


def _country(field: str, value: str) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if not COUNTRY_RE.fullmatch(code):
        raise SalesRuleError(field, "must be a two-letter country code, got %(value)r", value=value)
    return code


def normalise_vat_id(vat_id: str) -> str:
    """A VAT id as compared and printed: upper case, no blanks, dots or dashes ('de 123.456.789': 'DE123456789')."""
    return re.sub(r"[\s.\-]", "", vat_id).upper()


def vat_id_country(vat_id: str) -> str:
    """The country (ISO code) that issued a VAT id; refuses an id that is not shaped like one."""
    code = normalise_vat_id(vat_id)
    if not VAT_ID_RE.fullmatch(code):
        raise SalesRuleError(
            "vat_id", N_("%(vat_id)s is not a VAT id (two letters and 2 to 13 characters)"), vat_id=vat_id
        )
    return VAT_PREFIXES.get(code[:2], code[:2])


def tax_treatment(settings: TaxSettings, destination_country: str, buyer_vat_id: str | None = None) -> Treatment:
    """Domestic, destination rates, reverse charge or export, for goods shipped to `destination_country`.

    Reverse charge needs the destination in the VAT area but not home, and a VAT id issued by an area country
    other than home (its validity in VIES is the service's check). Shipping home is domestic whatever the id.
    """
    home = _country("home_country", settings.home_country)
    destination = _country("destination_country", destination_country)
    if destination == home:
        return Treatment(TaxTreatment.DOMESTIC, home)
    if destination not in settings.vat_area or home not in settings.vat_area:
        note = reason("export", N_("Export: exempt from VAT (Article 146 of Directive 2006/112/EC)."))
        return Treatment(TaxTreatment.EXPORT, destination, note)
    if buyer_vat_id and buyer_vat_id.strip():
        issuer = vat_id_country(buyer_vat_id)
        if issuer in settings.vat_area and issuer != home:
            note = reason(
                "reverse_charge",
                N_(
                    "Intra-Community supply exempt under Article 138 of Directive 2006/112/EC: reverse charge, "
                    "VAT to be accounted for by the customer (VAT id %(vat_id)s)."
                ),
                vat_id=normalise_vat_id(buyer_vat_id),
            )
            return Treatment(TaxTreatment.REVERSE_CHARGE, destination, note)
    if settings.distance_sales_at_destination:
        return Treatment(TaxTreatment.DESTINATION, destination)
    return Treatment(TaxTreatment.DOMESTIC, home)


def _tax_class(value: str) -> TaxClass:
    try:
        return TaxClass(value)
    except ValueError:
        raise SalesRuleError("tax_class", "unknown tax class %(value)r", value=value) from None


def tax_rate(settings: TaxSettings, country: str, tax_class: TaxClass | str) -> Decimal:
    """The rate in percent of a class in a country: 0 for exempt; a missing rate is a configuration error."""
    tax_class = _tax_class(tax_class)
    if tax_class is TaxClass.EXEMPT:
        return ZERO
    rate = settings.rates.get((country, tax_class.value))
    if rate is None:
        raise SalesRuleError("rates", "no %(tax_class)s tax rate for %(country)s", tax_class=tax_class, country=country)
    return percentage("rate", rate)


class TaxableLine(NamedTuple):
    """A line to tax: its id, tax class and amount (quantity x price less discount, in the price lists'
    basis: with tax when prices include it), rounded to the minor unit."""

    line_id: Hashable
    tax_class: TaxClass | str
    amount: Decimal


class TaxedLine(NamedTuple):
    """A taxed line: net + tax = gross, each in the minor unit."""

    line_id: Hashable
    tax_class: TaxClass
    rate: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal


class TaxBreakdownRow(NamedTuple):
    """One rate's line of the documents' tax table: the net base, the tax, and their sum."""

    rate: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass(frozen=True, slots=True)
class TaxResult:
    """The taxed lines, the order's net, tax and gross (sums of the lines), the breakdown by rate (highest
    first) and the treatment with its note."""

    currency: str
    treatment: Treatment
    lines: tuple[TaxedLine, ...]
    net: Decimal
    tax: Decimal
    gross: Decimal
    breakdown: tuple[TaxBreakdownRow, ...]

    @property
    def note(self) -> Reason | None:
        return self.treatment.note


def _tax_line(line: TaxableLine, settings: TaxSettings, treatment: Treatment, currency: str) -> TaxedLine:
    """One line's net, tax and gross as the module docstring says."""
    tax_class = _tax_class(line.tax_class)
    amount = to_minor_unit(not_negative("amount", line.amount), currency)
    zero_rated = treatment.kind in ZERO_RATED
    rate = ZERO if zero_rated else tax_rate(settings, treatment.country, tax_class)
    if not settings.prices_include_tax:
        tax = to_minor_unit(amount * rate / HUNDRED, currency)
        return TaxedLine(line.line_id, tax_class, rate, amount, tax, amount + tax)
    extract = tax_rate(settings, _country("home_country", settings.home_country), tax_class) if zero_rated else rate
    net = to_minor_unit(amount * HUNDRED / (HUNDRED + extract), currency)
    if zero_rated:
        return TaxedLine(line.line_id, tax_class, rate, net, ZERO, net)
    return TaxedLine(line.line_id, tax_class, rate, net, amount - net, amount)


def _breakdown(lines: Iterable[TaxedLine]) -> tuple[TaxBreakdownRow, ...]:
    rows: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for line in lines:
        net, tax = rows.get(line.rate, (ZERO, ZERO))
        rows[line.rate] = (net + line.net, tax + line.tax)
    return tuple(TaxBreakdownRow(rate, net, tax, net + tax) for rate, (net, tax) in sorted(rows.items(), reverse=True))


def compute_taxes(
    lines: Iterable[TaxableLine],
    *,
    settings: TaxSettings,
    destination_country: str,
    currency: str,
    buyer_vat_id: str | None = None,
) -> TaxResult:
    """Tax every line for the destination, and total: net + tax = gross per line, overall and per rate."""
    code = currency_code("currency", currency)
    treatment = tax_treatment(settings, destination_country, buyer_vat_id)
    taxed = tuple(_tax_line(line, settings, treatment, code) for line in lines)
    net = sum((line.net for line in taxed), ZERO)
    tax = sum((line.tax for line in taxed), ZERO)
    return TaxResult(code, treatment, taxed, net, tax, net + tax, _breakdown(taxed))

"""The tenant's tax settings for the pure tax rules, from its tax rates (app.ledger seeds the standard one)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from app.sales._taxes import TaxClass, TaxSettings

# tax_rates.code -> the catalogue's tax class it is the rate of
RATE_CODES = {"STD": TaxClass.STANDARD, "RED": TaxClass.REDUCED, "SRED": TaxClass.SUPER_REDUCED}


def tax_settings(home_country: str, rates: Mapping[str, Decimal]) -> TaxSettings:
    """B2B prices are kept without tax; the home rates apply within the VAT area to buyers without a VAT id
    (distance sales at destination rates need per-country rates, which the tenant does not keep yet).
    A class without its own rate (reduced, super-reduced) falls back to the standard rate."""
    standard = rates.get("STD", Decimal(0))
    by_class = {cls.value: rates.get(code, standard) for code, cls in RATE_CODES.items()}
    return TaxSettings(
        home_country=home_country,
        prices_include_tax=False,
        rates={(home_country, cls): rate for cls, rate in by_class.items()},
        distance_sales_at_destination=False,
    )

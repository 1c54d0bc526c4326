"""Taxes: treatments by destination and VAT id, rates by class, per-line rounding, totals that add up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalog.domain import TAX_CLASSES
from app.sales.domain import (
    EU_MEMBERS,
    SalesRuleError,
    TaxableLine,
    TaxClass,
    TaxSettings,
    TaxTreatment,
    compute_taxes,
    normalise_vat_id,
    tax_treatment,
    vat_id_country,
)


def d(value: str | int) -> Decimal:
    return Decimal(value)


RATES = {
    ("ES", "standard"): d(21),
    ("ES", "reduced"): d(10),
    ("ES", "super_reduced"): d(4),
    ("FR", "standard"): d(20),
    ("FR", "reduced"): d("5.5"),
    ("FR", "super_reduced"): d("2.1"),
    ("GR", "standard"): d(24),
}
EXCLUSIVE = TaxSettings("ES", prices_include_tax=False, rates=RATES)
INCLUSIVE = TaxSettings("ES", prices_include_tax=True, rates=RATES)


def taxes(lines, settings=EXCLUSIVE, country="ES", vat_id=None, currency="EUR"):
    taxable = [TaxableLine(i, tax_class, d(amount)) for i, (tax_class, amount) in enumerate(lines, start=1)]
    return compute_taxes(
        taxable, settings=settings, destination_country=country, currency=currency, buyer_vat_id=vat_id
    )


def test_tax_classes_are_the_catalogues():
    assert tuple(TaxClass) == TAX_CLASSES


def test_domestic_exclusive_prices():
    result = taxes([("standard", "10.00"), ("reduced", "3.33"), ("super_reduced", "1.00"), ("exempt", "5.00")])
    assert result.treatment.kind is TaxTreatment.DOMESTIC and result.note is None
    assert [(line.rate, line.net, line.tax, line.gross) for line in result.lines] == [
        (d(21), d("10.00"), d("2.10"), d("12.10")),
        (d(10), d("3.33"), d("0.33"), d("3.66")),
        (d(4), d("1.00"), d("0.04"), d("1.04")),
        (d(0), d("5.00"), d(0), d("5.00")),
    ]
    assert (result.net, result.tax, result.gross) == (d("19.33"), d("2.47"), d("21.80"))
    assert [(row.rate, row.net, row.tax) for row in result.breakdown] == [
        (d(21), d("10.00"), d("2.10")),
        (d(10), d("3.33"), d("0.33")),
        (d(4), d("1.00"), d("0.04")),
        (d(0), d("5.00"), d(0)),
    ]


def test_rounding_is_half_up_per_line():
    assert taxes([("super_reduced", "0.625")]).lines[0].tax == d("0.03")  # 0.63 x 4 % = 0.0252
    assert taxes([("reduced", "0.25")]).lines[0].tax == d("0.03")  # 0.025, half up
    assert taxes([("reduced", "0.24")]).lines[0].tax == d("0.02")


def test_per_line_rounding_may_differ_from_rounding_per_rate_and_still_adds_up():
    result = taxes([("reduced", "0.25")] * 3)
    assert result.tax == d("0.09")  # three lines of 0.03; 0.75 x 10 % rounded once would be 0.08
    assert result.breakdown[0].tax == d("0.09") and result.net + result.tax == result.gross


def test_domestic_inclusive_prices_keep_the_gross_the_buyer_saw():
    [line] = taxes([("standard", "10.00")], settings=INCLUSIVE).lines
    assert (line.net, line.tax, line.gross) == (d("8.26"), d("1.74"), d("10.00"))


def test_inclusive_prices_exported_are_charged_net_of_the_domestic_tax():
    result = taxes([("standard", "12.10"), ("exempt", "5.00")], settings=INCLUSIVE, country="US")
    assert result.treatment.kind is TaxTreatment.EXPORT
    assert [(line.net, line.tax, line.gross) for line in result.lines] == [
        (d("10.00"), d(0), d("10.00")),
        (d("5.00"), d(0), d("5.00")),
    ]
    assert "Article 146" in str(result.note)


def test_reverse_charge_for_an_eu_business_with_a_vat_id():
    result = taxes([("standard", "100.00")], country="GR", vat_id="el 123.456.789")
    assert result.treatment.kind is TaxTreatment.REVERSE_CHARGE
    assert result.tax == 0 and result.gross == d("100.00")
    assert result.note.code == "reverse_charge" and result.note.params == {"vat_id": "EL123456789"}
    assert "Article 138" in str(result.note)


def test_a_vat_id_of_the_home_country_does_not_reverse_charge():
    result = taxes([("standard", "100.00")], country="FR", vat_id="ES B12345678")
    assert result.treatment.kind is TaxTreatment.DESTINATION and result.tax == d("20.00")


def test_shipping_home_is_domestic_whatever_the_vat_id():
    assert taxes([("standard", "100.00")], vat_id="FR12345678901").treatment.kind is TaxTreatment.DOMESTIC


def test_eu_buyer_without_vat_id_pays_destination_or_home_rates():
    assert taxes([("reduced", "100.00")], country="FR").tax == d("5.50")
    home = TaxSettings("ES", False, RATES, distance_sales_at_destination=False)
    result = taxes([("reduced", "100.00")], settings=home, country="FR")
    assert result.treatment.kind is TaxTreatment.DOMESTIC and result.tax == d("10.00")


def test_a_tenant_outside_any_vat_area_exports_everything_abroad():
    swiss = TaxSettings("CH", False, {("CH", "standard"): d("8.1")}, vat_area=frozenset())
    assert taxes([("standard", "100.00")], settings=swiss, country="CH").tax == d("8.10")
    assert taxes([("standard", "100.00")], settings=swiss, country="DE").treatment.kind is TaxTreatment.EXPORT


def test_zero_decimal_currency_rounds_to_whole_units():
    result = taxes([("standard", "1001")], currency="JPY")
    assert result.lines[0].tax == d(210)  # 210.21


def test_vat_ids():
    assert normalise_vat_id(" de-123 456.789 ") == "DE123456789"
    assert vat_id_country("EL123456789") == "GR"
    assert vat_id_country("FR12345678901") == "FR"
    for bad in ("12345", "D", "DE1", "DE$12345"):
        with pytest.raises(SalesRuleError) as error:
            vat_id_country(bad)
        assert error.value.field == "vat_id"
    assert "GR" in EU_MEMBERS and "EL" not in EU_MEMBERS and len(EU_MEMBERS) == 27


def test_configuration_errors():
    with pytest.raises(SalesRuleError) as error:
        taxes([("reduced", "1.00")], country="GR")
    assert error.value.field == "rates" and error.value.reason == "no reduced tax rate for GR"
    assert taxes([("exempt", "1.00")], country="GR").tax == 0  # exempt needs no table entry
    with pytest.raises(SalesRuleError) as error:
        taxes([("luxury", "1.00")])
    assert error.value.field == "tax_class"
    with pytest.raises(SalesRuleError) as error:
        taxes([("standard", "-1.00")])
    assert error.value.field == "amount"
    with pytest.raises(SalesRuleError) as error:
        tax_treatment(EXCLUSIVE, "Spain")
    assert error.value.field == "destination_country"


def test_no_lines():
    result = taxes([])
    assert (result.net, result.tax, result.gross, result.breakdown) == (0, 0, 0, ())


LINES = st.lists(
    st.tuples(st.sampled_from(TAX_CLASSES), st.decimals(min_value=0, max_value=100_000, places=3)), max_size=20
)


@settings(max_examples=200, deadline=None)
@given(
    LINES,
    st.booleans(),
    st.sampled_from(["ES", "FR", "US", "GR"]),
    st.sampled_from([None, "FR12345678901", "ES12345678Z"]),
    st.sampled_from(["EUR", "JPY", "BHD"]),
)
def test_tax_totals_always_add_up(lines, inclusive, country, vat_id, currency):
    settings_ = TaxSettings("ES", inclusive, {**RATES, ("GR", "reduced"): d(13), ("GR", "super_reduced"): d(6)})
    result = taxes(
        [(c, str(a)) for c, a in lines], settings=settings_, country=country, vat_id=vat_id, currency=currency
    )
    for line in result.lines:
        assert line.net + line.tax == line.gross
        assert line.tax >= 0 and line.net >= 0
    assert result.net + result.tax == result.gross
    assert sum(line.gross for line in result.lines) == result.gross
    assert sum(row.tax for row in result.breakdown) == result.tax
    assert sum(row.net for row in result.breakdown) == result.net
    assert all(row.net + row.tax == row.gross for row in result.breakdown)

"""Carrier zones by country and postcode, chargeable weight and rate table prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.shipping.domain import (
    Shipment,
    WeightBracket,
    Zone,
    ZoneRate,
    chargeable_weight,
    find_zone,
    normalise_postcode,
    rate_price,
)


def d(value: str | int) -> Decimal:
    return Decimal(value)


ZONES = (
    Zone("ES", "ES"),
    Zone("ES-ISL", "ES", postcode_prefixes=("07", "35", "38")),
    Zone("ES-CEUTA", "ES", postcode_ranges=(("51000", "51999"),)),
    Zone("ES-MAD-CENTRE", "ES", postcode_prefixes=("2801",)),
    Zone("GB-HIGHLANDS", "GB", postcode_ranges=(("IV1", "IV9"),)),
    Zone("GB", "gb"),
)


@pytest.mark.parametrize(
    ("country", "postcode", "zone"),
    [
        ("ES", "28010", "ES-MAD-CENTRE"),  # prefix 2801 beats the whole country
        ("ES", "28001", "ES"),
        ("es", "28100", "ES"),
        ("ES", "07001", "ES-ISL"),
        ("ES", "51001", "ES-CEUTA"),
        ("ES", "51000", "ES-CEUTA"),  # range ends are inclusive
        ("ES", "52000", "ES"),
        ("GB", "iv2 3ab", "GB-HIGHLANDS"),
        ("GB", "SW1A 1AA", "GB"),
        ("FR", "75001", None),
    ],
)
def test_the_most_specific_zone_covering_the_address_wins(country, postcode, zone):
    found = find_zone(ZONES, country, postcode)
    assert (found.code if found else None) == zone


def test_on_equal_specificity_the_first_listed_zone_wins():
    zones = (Zone("A", "PT", postcode_prefixes=("1",)), Zone("B", "PT", postcode_prefixes=("1",)))
    assert find_zone(zones, "PT", "1000-001").code == "A"


def test_postcodes_compare_without_case_spaces_or_dashes():
    assert normalise_postcode(" sw1a-1aa ") == "SW1A1AA"


def test_a_range_needs_enough_characters_to_compare():
    assert Zone("Z", "ES", postcode_ranges=(("51000", "51999"),)).specificity("ES", "51") is None


def test_chargeable_weight_is_the_larger_of_actual_and_volumetric():
    box = Shipment("ES", "28001", d(2), d(50), d(40), d(30))  # 60 000 cm3 / 5000 = 12 kg
    assert chargeable_weight(box, d(5000)) == d(12)
    assert chargeable_weight(box, d(6000)) == d(10)
    assert chargeable_weight(box._replace(weight_kg=d(15)), d(5000)) == d(15)
    assert chargeable_weight(box, None) == d(2)  # a carrier that prices by weight alone
    assert chargeable_weight(box._replace(height_cm=None), d(5000)) == d(2)  # sides unknown


def test_chargeable_weight_rounds_up_to_the_gram():
    box = Shipment("ES", "28001", d("0.1"), d(10), d(10), d("10.01"))  # 1001 cm3 / 5000 = 0.2002
    assert chargeable_weight(box, d(5000)) == d("0.201")


RATE = ZoneRate(
    "ES",
    base_fee=d("2.00"),
    brackets=(WeightBracket(d(5), d("6.00")), WeightBracket(d(1), d("4.00")), WeightBracket(d(20), d("12.00"))),
    transit_days=2,
    per_kg_beyond=d("0.80"),
)


@pytest.mark.parametrize(
    ("kg", "price"),
    [
        ("0.001", "6.00"),
        ("1", "6.00"),  # brackets include their upper bound
        ("1.001", "8.00"),
        ("5", "8.00"),
        ("20", "14.00"),
        ("20.001", "14.80"),  # a started kg beyond the last bracket
        ("21", "14.80"),
        ("21.5", "15.60"),
    ],
)
def test_the_bracket_holding_the_weight_prices_it_and_beyond_each_started_kg(kg, price):
    assert rate_price(RATE, d(kg)) == d(price)


def test_without_a_per_kg_rate_a_service_stops_at_its_last_bracket():
    assert rate_price(RATE._replace(per_kg_beyond=None), d("20.001")) is None
    assert rate_price(RATE._replace(brackets=()), d(1)) is None

"""Shipping quotes across carriers: surcharges, limits, refusals with reasons, cheapest and fastest marks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.shipping.domain import (
    Carrier,
    CarrierQuote,
    CarrierService,
    Shipment,
    ShippingRuleError,
    WeightBracket,
    Zone,
    ZoneRate,
    quote,
)


def d(value: str | int) -> Decimal:
    return Decimal(value)


def rate(zone: str, base: str, price: str, days: int, per_kg: str | None = None) -> ZoneRate:
    return ZoneRate(zone, d(base), (WeightBracket(d(30), d(price)),), days, None if per_kg is None else d(per_kg))


ZONES = (Zone("PEN", "ES"), Zone("ISL", "ES", postcode_prefixes=("07",)))
SLOW = Carrier(
    "slow",
    "EUR",
    ZONES,
    (
        CarrierService("std", (rate("PEN", "1.00", "5.00", 4), rate("ISL", "1.00", "9.00", 6)), max_weight_kg=d(30)),
        CarrierService("eco", (rate("PEN", "0.00", "4.50", 7),), max_weight_kg=d(30)),
    ),
    fuel_surcharge_pct=d("10"),
)
FAST = Carrier(
    "fast",
    "EUR",
    (Zone("ES", "ES"),),
    (
        CarrierService(
            "24h", (rate("ES", "0.00", "9.90", 1, per_kg="1.00"),), max_length_cm=d(120), max_girth_cm=d(300)
        ),
    ),
    volumetric_divisor=d(4000),
)
BOX = Shipment("ES", "28001", d("4.2"), d(40), d(30), d(20))  # 24 000 cm3: 4.8 kg at /5000, 6 kg at /4000


def test_every_service_is_quoted_cheapest_first_with_both_marks():
    quotes = quote(BOX, [SLOW, FAST])
    assert [(q.carrier, q.service, q.price, q.transit_days, q.cheapest, q.fastest) for q in quotes] == [
        ("slow", "eco", d("4.95"), 7, True, False),  # 4.50 + 10 % fuel
        ("slow", "std", d("6.60"), 4, False, False),
        ("fast", "24h", d("9.90"), 1, False, True),
    ]
    assert quotes[0].chargeable_kg == d("4.800") and quotes[2].chargeable_kg == d("6.000")
    assert quotes[0].zone == "PEN" and quotes[0].currency == "EUR" and quotes[0].available


def test_the_fuel_surcharge_is_rounded_half_up_to_the_cent():
    carrier = SLOW._replace(fuel_surcharge_pct=d("12.5"), services=(SLOW.services[1],))
    assert quote(BOX, [carrier])[0].price == d("5.06")  # 4.50 x 1.125 = 5.0625


def test_a_price_tie_goes_to_the_faster_and_a_transit_tie_to_the_cheaper():
    one = Carrier("one", "EUR", (Zone("ES", "ES"),), (CarrierService("a", (rate("ES", "0", "5.00", 3),)),))
    two = Carrier("two", "EUR", (Zone("ES", "ES"),), (CarrierService("b", (rate("ES", "0", "5.00", 2),)),))
    three = Carrier("three", "EUR", (Zone("ES", "ES"),), (CarrierService("c", (rate("ES", "0", "7.00", 2),)),))
    quotes = quote(BOX, [one, two, three])
    marked = {(q.carrier, q.cheapest, q.fastest) for q in quotes}
    assert marked == {("two", True, True), ("one", False, False), ("three", False, False)}


def test_one_quote_can_be_cheapest_and_fastest_and_equal_quotes_mark_one():
    twin = FAST._replace(code="twin")
    quotes = quote(BOX, [FAST, twin])
    assert [(q.carrier, q.cheapest, q.fastest) for q in quotes] == [("fast", True, True), ("twin", False, False)]


def test_over_the_maximum_weight_is_refused_with_the_reason_per_service():
    heavy = BOX._replace(weight_kg=d("30.5"))
    quotes = quote(heavy, [SLOW, FAST])
    assert [(q.carrier, q.service, q.price) for q in quotes if q.available] == [("fast", "24h", d("10.90"))]
    refused = {(q.service, q.refusal) for q in quotes if not q.available}
    assert refused == {
        ("std", "slow std: the package weighs 30.5 kg, over the 30 kg maximum"),
        ("eco", "slow eco: the package weighs 30.5 kg, over the 30 kg maximum"),
    }
    assert [q.available for q in quotes] == [True, False, False]  # refusals come last


def test_the_maximum_weight_itself_is_accepted():
    assert quote(BOX._replace(weight_kg=d(30), length_cm=None), [SLOW])[0].available


@pytest.mark.parametrize(
    ("sides", "reason"),
    [
        ((d(121), d(10), d(10)), "fast 24h: the package its longest side is 121 cm, over the 120 cm maximum"),
        ((d(100), d(50), d("50.5")), "fast 24h: the package its length + girth is 301.0 cm, over the 300 cm maximum"),
    ],
)
def test_over_the_maximum_dimensions_is_refused(sides, reason):
    shipment = BOX._replace(length_cm=sides[0], width_cm=sides[1], height_cm=sides[2])
    [refused] = quote(shipment, [FAST])
    assert refused.refusal == reason and refused.price is None and not refused.cheapest and not refused.fastest


def test_the_longest_side_is_found_whatever_order_the_sides_come_in():
    assert quote(BOX._replace(length_cm=d(10), width_cm=d(10), height_cm=d(120)), [FAST])[0].available
    assert not quote(BOX._replace(length_cm=d(10), width_cm=d(10), height_cm=d(121)), [FAST])[0].available


def test_an_address_outside_every_zone_or_a_zone_a_service_skips_is_refused():
    abroad = quote(BOX._replace(country="FR", postcode="75001"), [SLOW])
    assert [q.refusal for q in abroad] == ["slow has no zone covering FR 75001"] * 2
    assert abroad[0].zone is None
    island = quote(BOX._replace(postcode="07001"), [SLOW])
    assert [(q.service, q.price, q.refusal) for q in island] == [
        ("std", d("11.00"), None),
        ("eco", None, "slow eco does not deliver to zone ISL"),
    ]


def test_beyond_the_last_bracket_without_a_per_kg_rate_is_refused():
    carrier = SLOW._replace(services=(SLOW.services[1]._replace(max_weight_kg=None),))
    [refused] = quote(BOX._replace(weight_kg=d(31), length_cm=None), [carrier])
    assert refused.refusal == "slow eco has no rate for 31.000 kg"


def test_all_refused_means_no_marks():
    quotes = quote(BOX._replace(country="PT"), [SLOW, FAST])
    assert all(not q.available and not q.cheapest and not q.fastest for q in quotes)
    assert quote(BOX, []) == []


def test_carriers_in_different_currencies_cannot_be_compared():
    with pytest.raises(ShippingRuleError, match="carriers price in EUR, GBP") as error:
        quote(BOX, [SLOW, FAST._replace(currency="GBP")])
    assert error.value.field == "carriers"


@pytest.mark.parametrize(
    ("shipment", "carriers", "field"),
    [
        (BOX._replace(weight_kg=d(0)), [SLOW], "weight_kg"),
        (BOX._replace(weight_kg=2.5), [SLOW], "weight_kg"),
        (BOX._replace(width_cm=d(-1)), [SLOW], "width_cm"),
        (BOX, [FAST._replace(volumetric_divisor=d(0))], "volumetric_divisor"),
        (BOX, [SLOW._replace(fuel_surcharge_pct=d(-1))], "fuel_surcharge_pct"),
        (BOX, [SLOW._replace(services=())], "carriers"),
    ],
)
def test_impossible_input_is_refused(shipment, carriers, field):
    with pytest.raises(ShippingRuleError) as error:
        quote(shipment, carriers)
    assert error.value.field == field


def test_a_quote_knows_whether_it_is_available():
    refused = CarrierQuote("c", "s", "EUR", None, d(1), None, None, refusal="no zone")
    assert not refused.available


def test_a_tracking_link_is_the_template_with_the_number_encoded():
    from app.shipping import tracking_template_problem, tracking_url

    assert tracking_url("https://t.example/{tracking}?l=es", "ES 123/4") == "https://t.example/ES%20123%2F4?l=es"
    assert tracking_url("https://t.example/{tracking}", "") == "" and tracking_url("", "ES1") == ""
    assert tracking_url("https://t.example/x", "ES1") == ""  # a template without its slot makes no link
    assert [tracking_template_problem(t) for t in ("", "https://a/{tracking}", "ftp://a/{tracking}", "https://a/")] == [
        None,
        None,
        "address",
        "slot",
    ]

"""The price facet's round ranges, their counts and links, and ordering a listing by the viewer's prices."""

from __future__ import annotations

import uuid
from decimal import Decimal

from app.catalog.price_facet import PriceBucket, boundaries, by_price, in_range, minor_unit, nice, price_facet

D = Decimal


def test_nice_rounds_to_one_two_two_and_a_half_or_five_times_a_power_of_ten():
    cases = {"52.50": "50", "88.50": "100", "149": "200", "333": "250", "360": "500", "760": "1000", "0.35": "0.25"}
    assert {value: str(nice(D(value))) for value in cases} == cases


def test_boundaries_are_round_and_inside_the_prices():
    prices = [D(p) for p in ("33.00", "52.50", "79.65", "100.00", "112.50", "270.00", "360.00", "615.00")]
    assert boundaries(prices) == [D(50), D(100), D(500)]
    assert boundaries([D("10.00")] * 5) == []  # one price: nothing to split
    assert boundaries([]) == []


def test_facet_counts_each_product_once_and_links_select_exactly_those():
    prices = [D(p) for p in ("615.00", "33.00", "52.50", "100.00", "79.65", "112.50", "270.00", "360.00")]
    facet = price_facet(prices)
    assert facet.buckets == (
        PriceBucket(None, D(50), 1, None, D("49.99")),
        PriceBucket(D(50), D(100), 2, D(50), D("99.99")),
        PriceBucket(D(100), D(500), 4, D(100), D("499.99")),
        PriceBucket(D(500), None, 1, D(500), None),
    )
    assert (facet.lowest, facet.highest, facet.priced) == (D("33.00"), D("615.00"), 8)
    for bucket in facet.buckets:  # the link's inclusive range holds exactly the counted prices
        assert sum(in_range(p, bucket.price_min, bucket.price_max) for p in prices) == bucket.count


def test_facet_without_prices_or_with_one_price_has_no_ranges():
    assert price_facet([]).buckets == () and price_facet([]).lowest is None
    single = price_facet([D("9.95"), D("9.95")])
    assert single.buckets == () and (single.lowest, single.highest, single.priced) == (D("9.95"), D("9.95"), 2)


def test_minor_unit_follows_how_the_prices_are_written():
    assert minor_unit([D("10.00"), D("5.5")]) == D("0.01")
    assert minor_unit([D("1200"), D("300")]) == D(1)  # a currency without decimals
    assert minor_unit([]) == D("0.01")


def test_range_is_inclusive_and_unpriced_products_are_in_none():
    assert in_range(D(50), D(50), D(100)) and in_range(D(100), D(50), D(100))
    assert not in_range(D("100.01"), D(50), D(100)) and not in_range(D("49.99"), D(50), None)
    assert not in_range(None, None, None)


def test_price_order_keeps_the_given_name_order_for_ties_and_puts_the_unpriced_last():
    names = ["alpha", "bravo", "charlie", "delta", "echo"]  # the listing's order: by name
    ids = {name: uuid.uuid5(uuid.NAMESPACE_OID, name) for name in names}
    by_id = {v: k for k, v in ids.items()}
    prices = {ids["delta"]: D(10), ids["alpha"]: D(20), ids["charlie"]: D(10)}
    listed = [ids[n] for n in names]
    assert [by_id[i] for i in by_price(listed, prices)] == ["charlie", "delta", "alpha", "bravo", "echo"]
    assert [by_id[i] for i in by_price(listed, prices, descending=True)] == [
        "alpha",
        "charlie",
        "delta",
        "bravo",
        "echo",
    ]

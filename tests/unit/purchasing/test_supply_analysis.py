"""Supply cost analysis per route: landed cost against list price, lead times, and the flags."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.purchasing.domain import PurchasingRuleError, SupplyRecord, SupplyRoute, SupplyThresholds, analyse_supply


def d(value: str | int) -> Decimal:
    return Decimal(value)


def record(supplier="acme", origin="Shanghai", qty="100", landed="1200.00", promised=10, received=10, **kw):
    values = {
        "supplier": supplier,
        "product": "P1",
        "origin": origin,
        "warehouse": "MAD",
        "qty": d(qty),
        "list_price": d("10.00"),
        "landed_cost": d(landed),
        "ordered_on": date(2025, 3, 1),
        "promised_on": date(2025, 3, promised),
        "received_on": date(2025, 3, received),
    }
    return SupplyRecord(**{**values, **kw})


def test_landed_cost_per_unit_and_uplift_over_list_price():
    [route] = analyse_supply([record(), record(qty="50", landed="550.00")])
    assert route.route == SupplyRoute("acme", "P1", "Shanghai", "MAD")
    assert (route.deliveries, route.qty) == (2, d(150))
    assert (route.list_per_unit, route.landed_per_unit, route.uplift_pct) == (d("10.0000"), d("11.6667"), d("16.67"))


def test_lead_times_delays_and_on_time_share():
    records = [record(promised=10, received=8), record(promised=10, received=10), record(promised=10, received=15)]
    [route] = analyse_supply(records)
    assert (route.promised_lead_days, route.actual_lead_days) == (d("9.0"), d("10.0"))
    assert (route.mean_delay_days, route.on_time_pct) == (d("1.0"), d("66.67"))


def test_routes_are_kept_apart_by_supplier_and_origin_in_order_of_appearance():
    routes = analyse_supply([record(origin="Shanghai"), record(origin="Valencia"), record(supplier="bolt")])
    assert [(r.route.supplier, r.route.origin) for r in routes] == [
        ("acme", "Shanghai"),
        ("acme", "Valencia"),
        ("bolt", "Shanghai"),
    ]


@pytest.mark.parametrize(
    ("sale", "min_margin", "margin", "unprofitable"),
    [
        ("15.00", "20", d("20.00"), False),  # landed 12.00: exactly the threshold
        ("15.00", "20.01", d("20.00"), True),
        ("11.00", "0", d("-9.09"), True),  # sold below landed cost
        (None, "50", None, False),
    ],
)
def test_margin_against_the_sale_price_flags_unprofitable_routes(sale, min_margin, margin, unprofitable):
    prices = {} if sale is None else {"P1": d(sale)}
    [route] = analyse_supply([record()], sale_prices=prices, thresholds=SupplyThresholds(min_margin_pct=d(min_margin)))
    assert (route.margin_pct, route.unprofitable) == (margin, unprofitable)


def test_late_routes_by_mean_delay_or_on_time_share():
    records = [record(received=12), record(received=10)]  # delays 2 and 0: mean 1.0, on time 50 %
    assert not analyse_supply(records, thresholds=SupplyThresholds(max_mean_delay_days=d(1)))[0].late
    assert analyse_supply(records, thresholds=SupplyThresholds(max_mean_delay_days=d("0.9")))[0].late
    limits = SupplyThresholds(max_mean_delay_days=d(5), min_on_time_pct=d(60))
    assert analyse_supply(records, thresholds=limits)[0].late
    early = [record(received=5)]
    assert analyse_supply(early)[0].mean_delay_days == d("-5.0") and not analyse_supply(early)[0].late


def test_a_free_list_price_has_no_uplift_and_no_records_no_routes():
    [route] = analyse_supply([record(list_price=d(0), landed="10.00")])
    assert route.uplift_pct is None and route.landed_per_unit == d("0.1000")
    assert analyse_supply([]) == ()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"qty": d(0)}, "qty"),
        ({"landed_cost": d(-1)}, "landed_cost"),
        ({"received_on": date(2025, 2, 1)}, "received_on"),
    ],
)
def test_impossible_records_are_refused(changes, field):
    with pytest.raises(PurchasingRuleError) as error:
        analyse_supply([record(**changes)])
    assert error.value.field == field

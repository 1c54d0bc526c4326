"""Delivery planning: reservations per warehouse, backorders, and ship dates from the ATP timeline."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.inventory.domain import DatedQty, atp_timeline
from app.sales.domain import (
    DeliveryMode,
    PlanLine,
    SalesRuleError,
    WarehouseStock,
    plan_delivery,
)


def d(value: str | int) -> Decimal:
    return Decimal(value)


TODAY = date(2026, 5, 4)
STOCK = {
    "chair": [WarehouseStock("MAD", d(6)), WarehouseStock("BCN", d(10))],
    "desk": [WarehouseStock("MAD", d(1))],
    "lamp": [],
}
TIMELINES = {
    "chair": atp_timeline(d(16), d(0), today=TODAY, incoming=[DatedQty(date(2026, 5, 20), d(50))]),
    "desk": atp_timeline(d(1), d(0), today=TODAY, incoming=[DatedQty(date(2026, 5, 11), d(5))]),
}


def plan(lines, mode=DeliveryMode.SHIP_AVAILABLE, **kw):
    return plan_delivery(lines, stock=STOCK, timelines=TIMELINES, mode=mode, today=TODAY, **kw)


def test_a_line_one_warehouse_can_fill_comes_from_it_alone():
    result = plan([PlanLine(1, "chair", d(8))])
    [line] = result.lines
    assert [(r.warehouse, r.qty) for r in line.reservations] == [("BCN", d(8))]
    assert (line.reserved, line.backordered, line.ships_on, line.complete_on) == (d(8), 0, TODAY, TODAY)
    assert result.complete_on == result.first_ship_on == TODAY


def test_otherwise_warehouses_fill_it_in_preference_order():
    [line] = plan([PlanLine(1, "chair", d(20))]).lines
    assert [(r.warehouse, r.qty) for r in line.reservations] == [("MAD", d(6)), ("BCN", d(10))]
    assert line.backordered == d(4) and line.complete_on == date(2026, 5, 20)


def test_ship_available_sends_what_is_there_and_the_rest_later():
    result = plan([PlanLine(1, "chair", d(3)), PlanLine(2, "desk", d(4))])
    chair, desk = result.lines
    assert (chair.reserved, chair.backordered) == (d(3), 0)
    assert (desk.reserved, desk.backordered, desk.ships_on, desk.complete_on) == (d(1), d(3), TODAY, date(2026, 5, 11))
    assert [(s.on, s.lines) for s in result.shipments] == [
        (TODAY, ((1, d(3)), (2, d(1)))),
        (date(2026, 5, 11), ((2, d(3)),)),
    ]
    assert (result.first_ship_on, result.complete_on) == (TODAY, date(2026, 5, 11))
    assert [line.line_id for line in result.backordered] == [2]


def test_ship_complete_reserves_the_same_and_waits_for_the_last_line():
    result = plan([PlanLine(1, "chair", d(3)), PlanLine(2, "desk", d(4))], DeliveryMode.SHIP_COMPLETE)
    assert [r.qty for r in result.reservations] == [d(3), d(1)]  # the shelf units are held meanwhile
    assert [line.ships_on for line in result.lines] == [date(2026, 5, 11)] * 2
    assert [(s.on, s.lines) for s in result.shipments] == [(date(2026, 5, 11), ((1, d(3)), (2, d(4))))]
    assert result.first_ship_on == result.complete_on == date(2026, 5, 11)


def test_a_line_beyond_known_supply_is_on_request():
    result = plan([PlanLine(1, "lamp", d(1)), PlanLine(2, "chair", d(1))])
    lamp = result.lines[0]
    assert (lamp.reserved, lamp.backordered, lamp.ships_on, lamp.complete_on) == (0, d(1), None, None)
    assert result.complete_on is None and result.first_ship_on == TODAY
    assert result.shipments[-1].on is None
    complete = plan([PlanLine(1, "lamp", d(1)), PlanLine(2, "chair", d(1))], DeliveryMode.SHIP_COMPLETE)
    assert complete.first_ship_on is None and [s.on for s in complete.shipments] == [None]


def test_two_lines_of_one_variant_share_its_stock_and_its_timeline():
    result = plan([PlanLine(1, "desk", d(1)), PlanLine(2, "desk", d(5)), PlanLine(3, "desk", d(1))])
    first, second, third = result.lines
    assert first.reserved == d(1) and second.reserved == third.reserved == 0
    assert second.complete_on == date(2026, 5, 11)  # 6 in all: 1 now + 5 on the 11th
    assert third.complete_on is None  # the 7th desk is in no known supply


def test_handling_days_push_every_date():
    result = plan([PlanLine(1, "desk", d(2))], handling_days=2)
    [line] = result.lines
    assert line.ships_on == TODAY + timedelta(days=2) and line.complete_on == date(2026, 5, 13)


def test_bad_input():
    with pytest.raises(SalesRuleError) as error:
        plan([PlanLine(1, "chair", d(0))])
    assert error.value.field == "qty"
    with pytest.raises(SalesRuleError) as error:
        plan([PlanLine(1, "chair", d(1))], mode="whenever")
    assert error.value.field == "mode"
    with pytest.raises(SalesRuleError):
        plan([PlanLine(1, "chair", d(1))], handling_days=-1)
    with pytest.raises(SalesRuleError):
        plan_delivery([PlanLine(1, "x", d(1))], stock={"x": [WarehouseStock("A", d(-1))]}, today=TODAY)


def test_no_lines():
    result = plan([])
    assert result.lines == () and result.complete_on is None and result.shipments == ()


VARIANTS = ["a", "b", "c"]
WAREHOUSES = ["W1", "W2", "W3"]


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(VARIANTS),
        st.lists(
            st.tuples(st.sampled_from(WAREHOUSES), st.decimals(0, 50, places=1)), max_size=3, unique_by=lambda t: t[0]
        ),
    ),
    st.lists(st.tuples(st.sampled_from(VARIANTS), st.decimals(d("0.1"), 60, places=1)), max_size=8),
    st.sampled_from(list(DeliveryMode)),
)
def test_delivery_planning_never_reserves_more_than_available(stock, lines, mode):
    shelves = {v: [WarehouseStock(w, q) for w, q in rows] for v, rows in stock.items()}
    result = plan_delivery([PlanLine(i, v, q) for i, (v, q) in enumerate(lines)], stock=shelves, mode=mode, today=TODAY)
    taken: dict[tuple[str, str], Decimal] = {}
    for line in result.lines:
        assert line.reserved + line.backordered == line.qty
        assert line.reserved >= 0 and line.backordered >= 0
        for reservation in line.reservations:
            assert reservation.qty > 0
            key = (reservation.variant_id, reservation.warehouse)
            taken[key] = taken.get(key, d(0)) + reservation.qty
    available = {(v, w): q for v, rows in stock.items() for w, q in rows}
    for key, qty in taken.items():
        assert qty <= available[key]
    for variant in VARIANTS:  # reserve as much as the order needs of what there is
        need = sum(q for v, q in lines if v == variant)
        there = sum(q for (v, _), q in available.items() if v == variant)
        got = sum(q for (v, _), q in taken.items() if v == variant)
        assert got == min(need, there)

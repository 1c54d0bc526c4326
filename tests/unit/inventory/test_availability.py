"""Availability arithmetic: available now, the ATP timeline and promise dates, and what customers are shown."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.inventory.domain import (
    AtpPoint,
    AvailabilityDisplay,
    AvailabilityMode,
    DatedQty,
    StockRuleError,
    StockSignal,
    atp_timeline,
    available,
    display_availability,
    kit_available,
    kit_promise_date,
    promise_date,
)

TODAY = date(2025, 6, 2)


def d(value: str | int) -> Decimal:
    return Decimal(value)


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.mark.parametrize(
    ("on_hand", "reserved", "expected"), [("10", "3", "7"), ("3", "3", "0"), ("2", "5", "0"), ("-4", "0", "0")]
)
def test_available_is_on_hand_less_reserved_never_below_zero(on_hand, reserved, expected):
    assert available(d(on_hand), d(reserved)) == d(expected)


def test_a_negative_reservation_is_refused():
    with pytest.raises(StockRuleError) as error:
        available(d(1), d(-1))
    assert error.value.field == "reserved"


def test_the_timeline_projects_and_takes_the_least_figure_ahead():
    timeline = atp_timeline(
        d(10),
        d(2),
        today=TODAY,
        incoming=[DatedQty(day(5), d(20))],
        outgoing=[DatedQty(day(3), d(6)), DatedQty(day(8), d(15))],
    )
    assert timeline == (
        AtpPoint(TODAY, d(0), d(0), d(8), d(2)),
        AtpPoint(day(3), d(0), d(6), d(2), d(2)),
        AtpPoint(day(5), d(20), d(0), d(22), d(7)),
        AtpPoint(day(8), d(0), d(15), d(7), d(7)),
    )
    assert promise_date(timeline, d(2)) == TODAY
    assert promise_date(timeline, d(3)) == day(5)  # 3 today would starve the order on day 8
    assert promise_date(timeline, d(7)) == day(5)
    assert promise_date(timeline, d("7.01")) is None  # on request


def test_overdue_supply_and_demand_count_today_and_same_days_add_up():
    timeline = atp_timeline(
        d(0),
        d(0),
        today=TODAY,
        incoming=[DatedQty(day(-3), d(4)), DatedQty(TODAY, d(1))],
        outgoing=[DatedQty(day(-1), d(2))],
    )
    assert timeline == (AtpPoint(TODAY, d(5), d(2), d(3), d(3)),)


def test_with_nothing_dated_the_timeline_is_today_alone():
    assert atp_timeline(d(5), d(1), today=TODAY) == (AtpPoint(TODAY, d(0), d(0), d(4), d(4)),)


def test_an_overcommitted_product_can_promise_nothing():
    timeline = atp_timeline(d(1), d(0), today=TODAY, outgoing=[DatedQty(day(1), d(3))])
    assert [point.atp for point in timeline] == [d(-2), d(-2)]
    assert promise_date(timeline, d("0.001")) is None


def test_bad_timeline_figures_are_refused():
    with pytest.raises(StockRuleError) as error:
        atp_timeline(d(1), d(0), today=TODAY, incoming=[DatedQty(TODAY, d(-1))])
    assert error.value.field == "incoming"
    with pytest.raises(StockRuleError):
        promise_date((), d(0))


MOVES = st.lists(
    st.builds(DatedQty, st.dates(day(-5), day(30)), st.decimals(min_value=0, max_value=50, places=1)), max_size=6
)


def atp_on(timeline: tuple[AtpPoint, ...], when: date) -> Decimal:
    """The ATP figure in force on a date: that of the last point on or before it."""
    return [point.atp for point in timeline if point.on <= when][-1]


@settings(max_examples=100, deadline=None)
@given(
    on_hand=st.decimals(min_value=-10, max_value=50, places=1),
    incoming=MOVES,
    outgoing=MOVES,
    extra=st.builds(DatedQty, st.dates(day(-2), day(30)), st.decimals(min_value=0, max_value=50, places=1)),
    qty=st.decimals(min_value=Decimal("0.1"), max_value=80, places=1),
)
def test_more_incoming_never_lowers_atp_nor_delays_a_promise(on_hand, incoming, outgoing, extra, qty):
    before = atp_timeline(on_hand, d(0), today=TODAY, incoming=incoming, outgoing=outgoing)
    after = atp_timeline(on_hand, d(0), today=TODAY, incoming=[*incoming, extra], outgoing=outgoing)
    for when in [TODAY, *(point.on for point in before + after)]:
        assert atp_on(after, when) >= atp_on(before, when)
    was, now = promise_date(before, qty), promise_date(after, qty)
    assert was is None or (now is not None and now <= was)


# --- kits ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("components", "expected"),
    [
        ([("10", "2"), ("7", "1")], "5"),  # the scarcer component decides
        ([("5", "2")], "2"),  # whole kits only
        ([("3", "1"), ("0", "4")], "0"),
        ([("-2", "1")], "0"),  # a component below zero makes none
        ([("2.5", "0.5")], "5"),
        ([], "0"),  # a kit without components is none
    ],
)
def test_a_kit_is_as_available_as_its_scarcest_component(components, expected):
    assert kit_available((d(have), d(per)) for have, per in components) == d(expected)


def test_a_kit_component_needs_a_positive_quantity():
    with pytest.raises(StockRuleError) as error:
        kit_available([(d(3), d(0))])
    assert error.value.field == "qty"


def test_a_kit_is_promised_when_its_last_component_is():
    assert kit_promise_date([day(3), day(9), TODAY]) == day(9)
    assert kit_promise_date([day(3), None]) is None  # one component cannot be promised: the kit cannot
    assert kit_promise_date([]) is None


# --- what customers see ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "figure", "kwargs", "expected"),
    [
        ("exact", "12", {}, AvailabilityDisplay(StockSignal.IN_STOCK, qty=d(12))),
        ("exact", "5", {"requested": d(5)}, AvailabilityDisplay(StockSignal.IN_STOCK, qty=d(5))),
        ("level", "12", {"low_stock_at": d(5)}, AvailabilityDisplay(StockSignal.IN_STOCK)),
        ("level", "5", {"low_stock_at": d(5)}, AvailabilityDisplay(StockSignal.LOW_STOCK)),
        ("level", "1", {}, AvailabilityDisplay(StockSignal.IN_STOCK)),
        (
            "exact",
            "3",
            {"requested": d(5), "available_from": date(2025, 7, 1)},
            AvailabilityDisplay(StockSignal.AVAILABLE_FROM, d(3), date(2025, 7, 1)),
        ),
        (
            "level",
            "0",
            {"available_from": date(2025, 7, 1)},
            AvailabilityDisplay(StockSignal.AVAILABLE_FROM, None, date(2025, 7, 1)),
        ),
        ("exact", "0", {}, AvailabilityDisplay(StockSignal.ON_REQUEST)),
        ("exact", "3", {"requested": d(5)}, AvailabilityDisplay(StockSignal.ON_REQUEST, qty=d(3))),
        ("level", "3", {"requested": d(5)}, AvailabilityDisplay(StockSignal.OUT_OF_STOCK)),
        ("level", "0", {}, AvailabilityDisplay(StockSignal.OUT_OF_STOCK)),
        ("level", "-3", {}, AvailabilityDisplay(StockSignal.OUT_OF_STOCK)),
        ("hidden", "12", {}, AvailabilityDisplay(StockSignal.HIDDEN)),
        ("hidden", "0", {"available_from": date(2025, 7, 1)}, AvailabilityDisplay(StockSignal.HIDDEN)),
    ],
)
def test_the_tenant_setting_decides_what_is_shown(mode, figure, kwargs, expected):
    assert display_availability(mode, d(figure), **kwargs) == expected


def test_modes_are_a_closed_set():
    assert {mode.value for mode in AvailabilityMode} == {"exact", "level", "hidden"}
    with pytest.raises(StockRuleError, match="unknown availability mode 'fuzzy'"):
        display_availability("fuzzy", d(1))
    with pytest.raises(StockRuleError) as error:
        display_availability("exact", d(1), requested=d(0))
    assert error.value.field == "requested"

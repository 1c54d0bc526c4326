"""Picking proposals: FEFO and FIFO order, expired and short-dated lots, walking order, shortfalls."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.inventory.domain import Exclusion, PickLine, PickStrategy, StockLot, StockRuleError, propose_picks

TODAY = date(2025, 6, 1)


def d(value: str | int) -> Decimal:
    return Decimal(value)


def lot(location: str, name: str | None, expiry: date | None, received: date, qty: str) -> StockLot:
    return StockLot(location, name, expiry, received, d(qty))


STOCK = [
    lot("B-02", "L3", date(2025, 9, 1), date(2025, 1, 10), "5"),
    lot("A-01", "L1", date(2025, 7, 1), date(2025, 3, 1), "4"),
    lot("C-03", "L2", date(2025, 8, 1), date(2025, 1, 1), "10"),
]


def test_fefo_takes_the_earliest_expiry_first():
    proposal = propose_picks(STOCK, d(6), today=TODAY)
    assert proposal.lines == (
        PickLine("A-01", "L1", date(2025, 7, 1), d(4)),
        PickLine("C-03", "L2", date(2025, 8, 1), d(2)),
    )
    assert proposal.complete and proposal.shortfall == 0 and proposal.proposed == d(6)


def test_fifo_takes_the_oldest_receipt_first():
    proposal = propose_picks(STOCK, d(12), today=TODAY, strategy="fifo")
    assert [(line.location, line.qty) for line in proposal.lines] == [("C-03", d(10)), ("B-02", d(2))]


def test_ties_follow_the_location_code_for_a_stable_walk():
    same = [
        lot("B-01", "X", date(2025, 7, 1), date(2025, 1, 1), "1"),
        lot("A-09", "Y", date(2025, 7, 1), date(2025, 1, 1), "1"),
        lot("A-10", "Z", date(2025, 7, 1), date(2025, 1, 1), "1"),
    ]
    for strategy in PickStrategy:
        proposal = propose_picks(same, d(3), today=TODAY, strategy=strategy)
        assert [line.location for line in proposal.lines] == ["A-09", "A-10", "B-01"]


def test_expired_lots_are_never_proposed_but_one_expiring_today_is():
    stock = [
        lot("A-01", "OLD", TODAY - timedelta(days=1), date(2024, 1, 1), "50"),
        lot("A-02", "TODAY", TODAY, date(2024, 2, 1), "1"),
    ]
    proposal = propose_picks(stock, d(5), today=TODAY, strategy="fifo")
    assert [line.lot for line in proposal.lines] == ["TODAY"]
    assert proposal.shortfall == d(4) and not proposal.complete
    assert [(each.stock.lot, each.reason) for each in proposal.excluded] == [("OLD", Exclusion.EXPIRED)]


def test_minimum_shelf_life_is_inclusive_of_the_exact_number_of_days():
    stock = [
        lot("A-01", "29", TODAY + timedelta(days=29), date(2025, 1, 1), "1"),
        lot("A-02", "30", TODAY + timedelta(days=30), date(2025, 1, 1), "1"),
    ]
    proposal = propose_picks(stock, d(2), today=TODAY, min_shelf_life_days=30)
    assert [line.lot for line in proposal.lines] == ["30"]
    assert [(each.stock.lot, each.reason) for each in proposal.excluded] == [("29", Exclusion.SHORT_SHELF_LIFE)]


def test_fefo_puts_undated_stock_after_dated_lots():
    stock = [
        lot("A-01", None, None, date(2024, 1, 1), "5"),
        lot("B-01", "L", date(2030, 1, 1), date(2025, 5, 1), "5"),
    ]
    proposal = propose_picks(stock, d(6), today=TODAY)
    assert [(line.location, line.qty) for line in proposal.lines] == [("B-01", d(5)), ("A-01", d(1))]


def test_empty_or_negative_rows_are_ignored_and_nothing_available_is_all_shortfall():
    stock = [lot("A-01", "L", None, TODAY, "0"), lot("A-02", "L", None, TODAY, "-3")]
    proposal = propose_picks(stock, d("2.5"), today=TODAY)
    assert proposal.lines == () and proposal.excluded == () and proposal.shortfall == d("2.5")
    assert propose_picks([], d(1), today=TODAY).shortfall == d(1)


def test_fractional_quantities_are_picked_exactly():
    stock = [lot("A-01", "L", None, TODAY, "0.75"), lot("A-02", "M", None, TODAY, "2")]
    proposal = propose_picks(stock, d("1.2"), today=TODAY)
    assert [line.qty for line in proposal.lines] == [d("0.75"), d("0.45")]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"qty": d(0)}, "qty"),
        ({"qty": d(-1)}, "qty"),
        ({"qty": d(1), "strategy": "lifo"}, "strategy"),
        ({"qty": d(1), "min_shelf_life_days": -1}, "min_shelf_life_days"),
    ],
)
def test_bad_requests_are_refused(kwargs, field):
    with pytest.raises(StockRuleError) as error:
        propose_picks(STOCK, today=TODAY, **kwargs)
    assert error.value.field == field


ROWS = st.lists(
    st.builds(
        StockLot,
        location=st.sampled_from(["A-01", "A-02", "B-01", "C-07"]),
        lot=st.one_of(st.none(), st.sampled_from(["L1", "L2", "L3"])),
        expiry=st.one_of(st.none(), st.dates(date(2025, 5, 1), date(2025, 8, 1))),
        received_on=st.dates(date(2024, 1, 1), date(2025, 6, 1)),
        qty_available=st.decimals(min_value=-5, max_value=100, places=2),
    ),
    max_size=12,
)


@settings(max_examples=100, deadline=None)
@given(
    stock=ROWS,
    qty=st.decimals(min_value=Decimal("0.01"), max_value=500, places=2),
    strategy=st.sampled_from(list(PickStrategy)),
    shelf=st.integers(min_value=0, max_value=40),
)
def test_a_proposal_never_exceeds_what_is_there_nor_touches_expired_stock(stock, qty, strategy, shelf):
    proposal = propose_picks(stock, qty, today=TODAY, strategy=strategy, min_shelf_life_days=shelf)
    usable = sum(
        (
            row.qty_available
            for row in stock
            if row.qty_available > 0 and (row.expiry is None or (row.expiry - TODAY).days >= shelf)
        ),
        Decimal(0),
    )
    assert proposal.proposed == min(qty, usable)
    assert proposal.proposed + proposal.shortfall == qty
    for line in proposal.lines:
        assert line.qty > 0
        assert line.expiry is None or line.expiry >= TODAY + timedelta(days=shelf)
        rows = [row for row in stock if (row.location, row.lot, row.expiry) == line[:3] and row.qty_available > 0]
        assert line.qty <= sum(row.qty_available for row in rows)

"""Quotes: versions, the differences the buyer sees, validity, and accepting into order lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.sales.domain import (
    QUOTE_TRANSITIONS,
    OrderLineInput,
    QuoteLine,
    QuoteStatus,
    SalesRuleError,
    accept,
    can_accept,
    diff,
    new_version,
    quote_transition,
)


def d(value: str | int) -> Decimal:
    return Decimal(value)


TODAY = date(2026, 3, 10)
V1 = new_version(
    None,
    [
        QuoteLine("chair", "CH-1", d(10), d("89.00")),
        QuoteLine("desk", "DK-1", d(2), d("450.00"), d(5)),
        QuoteLine("lamp", "LP-1", d(4), d("30.00")),
    ],
    valid_until=date(2026, 3, 31),
    today=TODAY,
    currency="eur",
)
V2 = new_version(
    V1,
    [
        QuoteLine("chair", "CH-1", d(12), d("85.00")),
        QuoteLine("desk", "DK-1", d(2), d("450.00"), d(10)),
        QuoteLine("shelf", "SH-1", d(1), d("120.00")),
    ],
    valid_until=date(2026, 4, 15),
    today=TODAY,
    currency="EUR",
)


def test_versions_are_numbered_and_totalled():
    assert (V1.number, V2.number, V1.currency) == (1, 2, "EUR")
    assert V1.total == d("890.00") + d("855.00") + d("120.00")
    assert V2.amount(V2.lines[1]) == d("810.00")


def test_diff_shows_added_removed_and_changed_lines_and_prices():
    change = diff(V1, V2)
    assert [line.sku for line in change.added] == ["SH-1"]
    assert [line.sku for line in change.removed] == ["LP-1"]
    chair, desk = change.changed
    assert chair.changes == {"qty": (d(10), d(12)), "unit_price": (d("89.00"), d("85.00"))}
    assert (chair.amount_before, chair.amount_after) == (d("890.00"), d("1020.00"))
    assert desk.changes == {"discount_pct": (d(5), d(10))} and desk.price_changed
    assert [c.sku for c in change.price_changes] == ["CH-1", "DK-1"]
    assert change.valid_until == (date(2026, 3, 31), date(2026, 4, 15))
    assert (change.total_before, change.total_after) == (V1.total, V2.total)
    assert not change.unchanged


def test_a_quantity_only_change_is_not_a_price_change():
    v2 = new_version(
        V1, [V1.lines[0]._replace(qty=d(11)), *V1.lines[1:]], valid_until=V1.valid_until, today=TODAY, currency="EUR"
    )
    change = diff(V1, v2)
    assert len(change.changed) == 1 and change.price_changes == () and change.valid_until is None


def test_a_version_equal_to_the_last_is_unchanged():
    same = new_version(V1, V1.lines, valid_until=V1.valid_until, today=TODAY, currency="EUR")
    assert diff(V1, same).unchanged


def test_new_version_refusals():
    with pytest.raises(SalesRuleError) as error:
        new_version(V1, V1.lines, valid_until=date(2026, 3, 9), today=TODAY, currency="EUR")
    assert error.value.field == "valid_until"
    with pytest.raises(SalesRuleError) as error:
        new_version(V1, [], valid_until=TODAY, today=TODAY, currency="EUR")
    assert error.value.field == "lines"
    with pytest.raises(SalesRuleError) as error:
        new_version(V1, [V1.lines[0], V1.lines[0]], valid_until=TODAY, today=TODAY, currency="EUR")
    assert "CH-1 is quoted twice" in error.value.reason
    with pytest.raises(SalesRuleError) as error:
        new_version(V1, V1.lines, valid_until=TODAY, today=TODAY, currency="USD")
    assert error.value.field == "currency"
    with pytest.raises(SalesRuleError):
        new_version(None, [QuoteLine("x", "X", d(0), d(1))], valid_until=TODAY, today=TODAY, currency="EUR")


def test_accepting_on_the_last_valid_day_gives_order_lines_at_the_quoted_prices():
    acceptance = accept(V2, status=QuoteStatus.SENT, latest_number=2, today=date(2026, 4, 15))
    assert acceptance.allowed
    assert acceptance.lines[1] == OrderLineInput(2, "desk", d(2), d("450.00"), "standard", d(10))
    assert [line.line_id for line in acceptance.lines] == [1, 2, 3]


def test_an_expired_quote_cannot_be_accepted():
    acceptance = accept(V2, status="sent", latest_number=2, today=date(2026, 4, 16))
    assert not acceptance.allowed and acceptance.lines == ()
    assert acceptance.decision.reason.code == "expired"
    assert str(acceptance.decision.reason) == "This quote expired on 2026-04-15: ask us for a new one."


def test_only_the_latest_sent_version_can_be_accepted():
    assert can_accept(V1, status="sent", latest_number=2, today=TODAY).reason.code == "superseded"
    assert can_accept(V2, status="draft", latest_number=2, today=TODAY).reason.code == "not_allowed"
    assert can_accept(V2, status="revision_requested", latest_number=2, today=TODAY).reason.code == "revision_requested"
    assert can_accept(V2, status="accepted", latest_number=2, today=TODAY).reason.code == "final"


def test_quote_transitions():
    assert set(QUOTE_TRANSITIONS) == set(QuoteStatus)
    assert quote_transition("sent", "revision_requested")
    assert quote_transition("revision_requested", "draft")
    assert not quote_transition("rejected", "sent")
    with pytest.raises(SalesRuleError):
        quote_transition("sent", "lost")

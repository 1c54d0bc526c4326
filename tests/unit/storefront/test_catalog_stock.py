"""How the storefront words availability, and how a kept listing's cards get the availability of the moment."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.i18n import use_locale
from app.inventory.domain import AvailabilityDisplay, StockSignal
from storefront.catalog_stock import OfferStock, card_stock, card_stock_lines, day_text, filled, slotted, stock_text

D = Decimal
SOON = date.today() + timedelta(days=3)


@pytest.fixture(autouse=True)
def english():
    with use_locale("en"):
        yield


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        (AvailabilityDisplay(StockSignal.IN_STOCK), "In stock"),
        (AvailabilityDisplay(StockSignal.IN_STOCK, D(12)), "12 available"),
        (AvailabilityDisplay(StockSignal.IN_STOCK, D("2.5")), "2.5 available"),
        (AvailabilityDisplay(StockSignal.LOW_STOCK), "Low stock"),
        (AvailabilityDisplay(StockSignal.AVAILABLE_FROM, None, SOON), "Available from {soon}"),
        (AvailabilityDisplay(StockSignal.AVAILABLE_FROM, D(0), SOON), "Available from {soon}"),
        (
            AvailabilityDisplay(StockSignal.AVAILABLE_FROM, D(3), SOON),
            "Only 3 available: the rest from {soon}",
        ),
        (AvailabilityDisplay(StockSignal.ON_REQUEST), "On request"),
        (AvailabilityDisplay(StockSignal.ON_REQUEST, D(1)), "Only 1 available: the rest on request"),
        (AvailabilityDisplay(StockSignal.OUT_OF_STOCK), "Out of stock"),
        (AvailabilityDisplay(StockSignal.HIDDEN), ""),
        (None, ""),
    ],
)
def test_each_signal_in_words(shown, expected):
    assert stock_text(shown) == expected.format(soon=day_text(SOON))


def test_a_date_of_another_year_says_the_year():
    this_year, next_year = date(date.today().year, 12, 14), date(date.today().year + 1, 1, 9)
    assert day_text(this_year) == "14 Dec" and str(next_year.year) in day_text(next_year)


def test_a_kept_block_gets_the_lines_of_the_moment():
    a, b = uuid.uuid4(), uuid.uuid4()
    was = {a: AvailabilityDisplay(StockSignal.OUT_OF_STOCK), b: AvailabilityDisplay(StockSignal.IN_STOCK)}
    items = [f"<li>A {card_stock(a, was[a])}</li>", f"<li>B {card_stock(b, was[b])}</li>", "<li>C</li>"]
    html = "<ul>" + "".join(items) + "</ul>"
    assert card_stock(None, None) == ""  # a card without a variant has no line
    cut = slotted(html)
    assert cut.variant_ids == (a, b) and "Out of stock" not in "".join(cut.parts)
    assert filled(cut, was) == html
    now = filled(cut, {a: AvailabilityDisplay(StockSignal.LOW_STOCK)})
    assert '<p class="stock stock-low">Low stock</p>' in now and "In stock" not in now  # b unknown: no line
    assert filled(slotted(now), was) == html  # the markers stay, so it can be filled again


def test_the_offer_warns_only_when_more_than_one_is_more_than_there_is():
    one = AvailabilityDisplay(StockSignal.IN_STOCK)
    short = AvailabilityDisplay(StockSignal.AVAILABLE_FROM, None, SOON)
    assert OfferStock(D(1), one, one).note == "" and not OfferStock(D(1), one, one).short
    partly = OfferStock(D(8), one, short)
    assert partly.short and "In stock" in partly.line  # levels: the line for one, the note for the rest
    assert partly.note == (
        f"Not all 8 are in stock right now. You can still order them: we can deliver them all from {day_text(SOON)}."
    )
    nothing = AvailabilityDisplay(StockSignal.OUT_OF_STOCK)
    assert OfferStock(D(1), nothing, nothing).note == ""  # for one, the line says it
    assert "confirm the delivery date" in OfferStock(D(2), nothing, nothing).note
    hidden = AvailabilityDisplay(StockSignal.HIDDEN)
    assert OfferStock(D(5), hidden, hidden).note == "" and OfferStock(D(5), hidden, hidden).line == ""


def test_a_page_of_lines_is_the_cards_lines_one_by_one():
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    shown = {
        a: AvailabilityDisplay(StockSignal.IN_STOCK, Decimal(3)),
        b: AvailabilityDisplay(StockSignal.IN_STOCK, Decimal(3)),  # the same line as a's: made once, shown twice
    }
    lines = card_stock_lines([a, None, b, c], shown)
    assert lines == [card_stock(a, shown[a]), "", card_stock(b, shown[b]), card_stock(c, None)]
    assert "3 available" in lines[0] and str(b) in lines[2] and f"<!--stock:{c}--><!--/stock-->" == lines[3]

"""Order totals: line amounts and discounts, the shipping charge from carrier quotes, taxes, tampered prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.sales.domain import (
    SHIPPING_LINE,
    OrderLineInput,
    SalesRuleError,
    ShippingCharge,
    TaxSettings,
    choose_shipping,
    order_totals,
    price_line,
    shipping_options,
    tampered,
)
from app.shipping.domain import Carrier, CarrierService, Shipment, WeightBracket, Zone, ZoneRate, quote


def d(value: str | int) -> Decimal:
    return Decimal(value)


TAX = TaxSettings("ES", False, {("ES", "standard"): d(21), ("ES", "reduced"): d(10), ("FR", "standard"): d(20)})
CARRIERS = [
    Carrier(
        "post",
        "EUR",
        (Zone("es", "ES"),),
        (
            CarrierService("standard", (ZoneRate("es", d("3.00"), (WeightBracket(d(5), d("2.00")),), 3),)),
            CarrierService("express", (ZoneRate("es", d("9.00"), (WeightBracket(d(5), d("3.00")),), 1),)),
            CarrierService("pallet", (ZoneRate("es", d(40), (WeightBracket(d(1000), d(0)),), 5),), max_weight_kg=d(1)),
        ),
    )
]
QUOTES = quote(Shipment("ES", "28001", d(2)), CARRIERS)


def test_line_amount_discount_and_rounding():
    line = price_line(OrderLineInput(1, "v1", d(3), d("9.99"), "standard", d("12.5")), "EUR")
    assert (line.before_discount, line.discount, line.amount) == (d("29.97"), d("3.75"), d("26.22"))  # 26.22375
    whole = price_line(OrderLineInput(1, "v1", d("0.333"), d("10.00")), "EUR")
    assert (whole.amount, whole.discount) == (d("3.33"), d(0))
    assert price_line(OrderLineInput(1, "v1", d(1), d("0.005")), "EUR").amount == d("0.01")  # half up
    assert price_line(OrderLineInput(1, "v1", d(2), d(5), discount_pct=d(100)), "EUR").amount == 0


def test_bad_lines_are_refused():
    with pytest.raises(SalesRuleError) as error:
        price_line(OrderLineInput(1, "v1", d(1), None), "EUR")
    assert error.value.field == "unit_price" and "cannot be ordered" in error.value.reason
    with pytest.raises(SalesRuleError) as error:
        price_line(OrderLineInput(1, "v1", d(0), d(1)), "EUR")
    assert error.value.field == "qty"
    with pytest.raises(SalesRuleError) as error:
        price_line(OrderLineInput(1, "v1", d(1), d(1), discount_pct=d(101)), "EUR")
    assert error.value.field == "discount_pct"
    with pytest.raises(SalesRuleError):
        price_line(OrderLineInput(1, "v1", 1.0, d(1)), "EUR")


def test_shipping_options_mark_cheapest_and_fastest_and_leave_refusals_out():
    options = shipping_options(QUOTES)
    assert [q.service for q in options.offered] == ["standard", "express"]
    assert options.cheapest.service == "standard" and options.fastest.service == "express"
    empty = shipping_options([])
    assert empty.cheapest is None and empty.fastest is None


def test_choosing_a_delivery_reprices_it_and_refuses_what_is_not_offered():
    assert choose_shipping(QUOTES, "post", "express", currency="EUR") == ShippingCharge(
        "post", "express", d("12.00"), 1
    )
    with pytest.raises(SalesRuleError) as error:
        choose_shipping(QUOTES, "post", "pallet", currency="EUR")  # refused: too heavy
    assert error.value.field == "shipping"
    with pytest.raises(SalesRuleError):
        choose_shipping(QUOTES, "post", "teleport", currency="EUR")
    with pytest.raises(SalesRuleError) as error:
        choose_shipping(QUOTES, "post", "express", currency="USD")
    assert "EUR" in error.value.reason


def test_order_totals_with_shipping_and_taxes():
    lines = [
        OrderLineInput("a", "v1", d(2), d("10.00"), "standard"),
        OrderLineInput("b", "v2", d(3), d("4.99"), "reduced", d(10)),
    ]
    shipping = choose_shipping(QUOTES, "post", "standard", currency="EUR")
    totals = order_totals(lines, currency="eur", tax_settings=TAX, destination_country="ES", shipping=shipping)
    assert totals.currency == "EUR"
    assert (totals.subtotal, totals.discount_total) == (d("33.47"), d("1.50"))  # 20.00 + 13.47 (14.97 - 1.497)
    assert [line.line_id for line in totals.taxes.lines] == ["a", "b", SHIPPING_LINE]
    assert totals.net == d("38.47")  # with 5.00 shipping
    assert totals.tax == d("4.20") + d("1.35") + d("1.05")
    assert totals.grand_total == totals.net + totals.tax == d("45.07")
    assert totals.unit_prices == {"a": d("10.00"), "b": d("4.99")}


def test_empty_cart_and_no_shipping():
    totals = order_totals([], currency="EUR", tax_settings=TAX, destination_country="ES")
    assert (totals.subtotal, totals.grand_total, totals.shipping) == (0, 0, None)


def test_the_server_notices_a_tampered_price_but_uses_its_own():
    computed = {"a": d("10.00"), "b": d("4.99")}
    assert tampered({"a": "10.0", "b": d("4.99")}, computed) == ()
    assert tampered({"a": "10,00"}, computed) == ()
    mismatches = tampered({"a": "1.00", "b": "free", "c": "3", "d": 2.5}, computed)
    assert [(m.line_id, m.submitted, m.computed) for m in mismatches] == [
        ("a", d("1.00"), d("10.00")),
        ("b", "free", d("4.99")),
        ("c", d(3), None),
        ("d", "2.5", None),
    ]
    assert tampered({"a": "NaN"}, computed)[0].submitted == "NaN"

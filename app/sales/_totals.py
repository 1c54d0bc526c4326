"""An order's totals, computed on the server from its lines, the chosen delivery and the tax rules; and the
check that a price sent back by a form is the one the server computed.

The server always recomputes: the cart, the quote and the order are priced with the pricing engine, then
`order_totals` makes the figures; a price in a request is never used, only compared (`tampered`) to log or
to tell the buyer that prices changed. Line amounts round half up to the currency's minor unit once
(qty x unit price less the line discount); taxes then round per line (see _taxes).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from app.money import to_minor_unit
from app.sales._errors import HUNDRED, N_, ZERO, SalesRuleError, currency_code, not_negative, percentage, positive
from app.sales._taxes import TaxableLine, TaxClass, TaxResult, TaxSettings, compute_taxes
from app.shipping.domain import CarrierQuote

SHIPPING_LINE = "shipping"  # the line id the shipping charge carries in the tax result


class OrderLineInput(NamedTuple):
    """A line to total: quantity, the unit price pricing gave (PriceQuote.unit_price, in the price lists'
    basis: with tax when prices include it; None = not purchasable), the product's tax class and a line
    discount in percent given by staff or a quote, on top of pricing."""

    line_id: Hashable
    variant_id: Hashable
    qty: Decimal
    unit_price: Decimal | None
    tax_class: TaxClass | str = TaxClass.STANDARD
    discount_pct: Decimal = ZERO


class PricedLine(NamedTuple):
    """A line's money: before discount (qty x unit price), the discount, and the amount charged."""

    line_id: Hashable
    variant_id: Hashable
    qty: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    before_discount: Decimal
    discount: Decimal
    amount: Decimal
    tax_class: TaxClass | str


class ShippingCharge(NamedTuple):
    """The delivery the buyer chose and what it costs (in the price lists' basis, like the lines)."""

    carrier: str
    service: str
    amount: Decimal
    transit_days: int | None = None


@dataclass(frozen=True, slots=True)
class ShippingOptions:
    """The carrier services that can deliver, cheapest first, with the cheapest and the fastest picked out."""

    offered: tuple[CarrierQuote, ...]
    cheapest: CarrierQuote | None
    fastest: CarrierQuote | None


def shipping_options(quotes: Iterable[CarrierQuote]) -> ShippingOptions:
    """From app.shipping.domain.quote(...): the priced services (refusals left out), and the two to offer first."""
    offered = tuple(q for q in quotes if q.available and q.price is not None)
    cheapest = next((q for q in offered if q.cheapest), None)
    fastest = next((q for q in offered if q.fastest), None)
    return ShippingOptions(offered, cheapest, fastest)


def choose_shipping(quotes: Iterable[CarrierQuote], carrier: str, service: str, *, currency: str) -> ShippingCharge:
    """The charge for the service the buyer chose, priced again now; refused when it is not offered for this
    shipment (a form may send any code)."""
    code = currency_code("currency", currency)
    for option in shipping_options(quotes).offered:
        if option.carrier == carrier and option.service == service and option.price is not None:
            if option.currency.upper() != code:
                raise SalesRuleError("shipping", "is priced in %(currency)s", currency=option.currency)
            return ShippingCharge(carrier, service, option.price, option.transit_days)
    raise SalesRuleError("shipping", N_("This delivery method is not available for this address and weight."))


def price_line(line: OrderLineInput, currency: str) -> PricedLine:
    """qty x unit price, the discount off it, and the amount: each half up to the minor unit."""
    qty = positive("qty", line.qty)
    if line.unit_price is None:
        raise SalesRuleError("unit_price", N_("This item has no price for you: it cannot be ordered."))
    unit_price = not_negative("unit_price", line.unit_price)
    discount_pct = percentage("discount_pct", line.discount_pct)
    before = to_minor_unit(qty * unit_price, currency)
    amount = to_minor_unit(qty * unit_price * (HUNDRED - discount_pct) / HUNDRED, currency)
    return PricedLine(
        line.line_id, line.variant_id, qty, unit_price, discount_pct, before, before - amount, amount, line.tax_class
    )


@dataclass(frozen=True, slots=True)
class OrderTotals:
    """Everything the cart, checkout, order and documents show. `subtotal` and `discount_total` are in the
    price lists' basis; net, tax and gross come from the taxes; the grand total is the gross."""

    currency: str
    lines: tuple[PricedLine, ...]
    shipping: ShippingCharge | None
    subtotal: Decimal
    discount_total: Decimal
    taxes: TaxResult

    @property
    def net(self) -> Decimal:
        return self.taxes.net

    @property
    def tax(self) -> Decimal:
        return self.taxes.tax

    @property
    def grand_total(self) -> Decimal:
        return self.taxes.gross

    @property
    def unit_prices(self) -> dict[Hashable, Decimal]:
        """Line id -> the unit price the server uses, for `tampered`."""
        return {line.line_id: line.unit_price for line in self.lines}


def order_totals(
    lines: Sequence[OrderLineInput],
    *,
    currency: str,
    tax_settings: TaxSettings,
    destination_country: str,
    buyer_vat_id: str | None = None,
    shipping: ShippingCharge | None = None,
) -> OrderTotals:
    """Price every line, add the shipping charge, tax it all for the destination: the order's figures."""
    code = currency_code("currency", currency)
    priced = tuple(price_line(line, code) for line in lines)
    taxable = [TaxableLine(line.line_id, line.tax_class, line.amount) for line in priced]
    if shipping is not None:
        charge = to_minor_unit(not_negative("shipping", shipping.amount), code)
        taxable.append(TaxableLine(SHIPPING_LINE, tax_settings.shipping_tax_class, charge))
    taxes = compute_taxes(
        taxable,
        settings=tax_settings,
        destination_country=destination_country,
        currency=code,
        buyer_vat_id=buyer_vat_id,
    )
    subtotal = sum((line.amount for line in priced), ZERO)
    discount = sum((line.discount for line in priced), ZERO)
    return OrderTotals(code, priced, shipping, subtotal, discount, taxes)


class PriceMismatch(NamedTuple):
    """A price a request carried that is not the server's: what was sent (as text when it was not a number)
    and what the server computed (None: the line does not exist)."""

    line_id: Hashable
    submitted: Decimal | str
    computed: Decimal | None


def _as_decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        return None
    try:
        number = Decimal(value.strip().replace(",", ".") if isinstance(value, str) else value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def tampered(
    submitted_prices: Mapping[Hashable, object], computed: Mapping[Hashable, Decimal]
) -> tuple[PriceMismatch, ...]:
    """The submitted prices that differ from the computed ones (numerically: '10.0' equals 10.00), for lines
    the request named; empty when nothing was changed. The server uses `computed` either way."""
    mismatches: list[PriceMismatch] = []
    for line_id, sent in submitted_prices.items():
        number = _as_decimal(sent)
        expected = computed.get(line_id)
        if number is None or expected is None or number != expected:
            mismatches.append(PriceMismatch(line_id, number if number is not None else str(sent), expected))
    return tuple(mismatches)

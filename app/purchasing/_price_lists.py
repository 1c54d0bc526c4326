"""Supplier price lists: the price that applies to a quantity on a date, and the best supplier for a product."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import NamedTuple

from app.money import to_minor_unit
from app.purchasing._errors import HUNDRED, ZERO, Id, PurchasingRuleError, decimal, not_negative, positive

ONE = Decimal(1)
COST_PLACES = Decimal("0.0001")


class SupplierPrice(NamedTuple):
    """One line of a supplier's price list: from min_qty on, unit_price in currency, valid inclusive days.

    pack_size: the supplier sells whole packs of this many (None: any quantity); None dates are open ends.
    """

    supplier: Id
    product: Id
    currency: str
    min_qty: Decimal
    unit_price: Decimal
    lead_time_days: int
    pack_size: Decimal | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, day: date) -> bool:
        """True when the day falls within the line's validity, both ends included."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class SupplierOffer:
    """Buying a quantity from one supplier: the line that applies, the quantity in whole packs, the amount."""

    line: SupplierPrice
    qty: Decimal
    amount: Decimal

    @property
    def supplier(self) -> Id:
        return self.line.supplier

    @property
    def unit_price(self) -> Decimal:
        return self.line.unit_price

    @property
    def lead_time_days(self) -> int:
        return self.line.lead_time_days


@dataclass(frozen=True, slots=True)
class PriceLookup:
    """The offer of one supplier for a quantity on a date, or the reason there is none."""

    offer: SupplierOffer | None
    reason: str | None = None


def in_packs(qty: Decimal, pack_size: Decimal | None) -> Decimal:
    """qty rounded up to whole packs (unchanged without a pack size)."""
    if pack_size is None:
        return qty
    return (qty / pack_size).to_integral_value(rounding=ROUND_CEILING) * pack_size


def _check_line(line: SupplierPrice) -> None:
    """A line with a negative price, a negative minimum or a bad pack size is a data error, said loudly."""
    not_negative("unit_price", line.unit_price)
    not_negative("min_qty", line.min_qty)
    if line.pack_size is not None:
        positive("pack_size", line.pack_size)


def _best_line(lines: Sequence[SupplierPrice], qty: Decimal) -> SupplierOffer | None:
    """Among valid lines, those whose minimum the packed quantity reaches; the highest break, then the newest
    list, then the lowest price wins."""
    offers = [SupplierOffer(line, in_packs(qty, line.pack_size), ZERO) for line in lines]
    reached = [offer for offer in offers if offer.line.min_qty <= offer.qty]
    if not reached:
        return None
    best = min(reached, key=lambda o: (-o.line.min_qty, -(o.line.valid_from or date.min).toordinal(), o.unit_price))
    amount = to_minor_unit(best.qty * best.unit_price, best.line.currency)
    return SupplierOffer(best.line, best.qty, amount)


def supplier_price(
    lines: Iterable[SupplierPrice], supplier: Id, product: Id, qty: Decimal, *, on: date, currency: str | None = None
) -> PriceLookup:
    """The supplier's price for qty of the product on a date (in `currency` when given), or why there is none."""
    qty = positive("qty", qty)
    mine = [line for line in lines if line.supplier == supplier and line.product == product]
    for line in mine:
        _check_line(line)
    if not mine:
        return PriceLookup(None, f"supplier {supplier} has no price for product {product}")
    if currency is not None:
        mine = [line for line in mine if line.currency == currency]
        if not mine:
            return PriceLookup(None, f"supplier {supplier} has no price in {currency} for product {product}")
    valid = [line for line in mine if line.valid_on(on)]
    if not valid:
        return PriceLookup(None, f"supplier {supplier} has no price for product {product} valid on {on.isoformat()}")
    offer = _best_line(valid, qty)
    if offer is None:
        least = min(line.min_qty for line in valid)
        return PriceLookup(None, f"supplier {supplier} sells product {product} from {least}, not {qty}")
    return PriceLookup(offer)


class SupplierPreference(StrEnum):
    """What makes a supplier the best: the cheapest landed cost per unit, or the shortest lead time."""

    CHEAPEST = "cheapest"
    FASTEST = "fastest"


@dataclass(frozen=True, slots=True)
class RankedOffer:
    """An offer with its landed cost per unit asked for, in the comparison currency (4 decimals).

    Landed = amount x exchange rate x (1 + uplift %), divided by the quantity asked for: a pack bought
    beyond the need is paid for, so it counts.
    """

    offer: SupplierOffer
    landed_per_unit: Decimal


class SupplierRefusal(NamedTuple):
    """A supplier that cannot supply, and why."""

    supplier: Id
    reason: str


@dataclass(frozen=True, slots=True)
class SupplierChoice:
    """Every supplier that can supply, best first, and those that cannot with their reasons."""

    ranked: tuple[RankedOffer, ...]
    refused: tuple[SupplierRefusal, ...]

    @property
    def best(self) -> RankedOffer | None:
        """The best offer, None when no supplier can supply."""
        return self.ranked[0] if self.ranked else None

    @property
    def reason(self) -> str | None:
        """Why no supplier can supply; None when one can."""
        if self.ranked:
            return None
        return "; ".join(refusal.reason for refusal in self.refused) or "no supplier has a price for this product"


def _landed(offer: SupplierOffer, qty: Decimal, rate: Decimal, uplift_pct: Decimal) -> Decimal:
    per_unit = offer.amount * rate * (HUNDRED + uplift_pct) / HUNDRED / qty
    return per_unit.quantize(COST_PLACES, rounding=ROUND_HALF_UP)


def _rate(currency: str, wanted: str, rates: Mapping[str, Decimal]) -> Decimal | None:
    """Units of the comparison currency for one unit of `currency`; None when unknown."""
    if currency == wanted:
        return ONE
    rate = rates.get(currency)
    return None if rate is None else positive(f"rates[{currency}]", rate)


def best_supplier(
    lines: Iterable[SupplierPrice],
    product: Id,
    qty: Decimal,
    *,
    on: date,
    currency: str,
    rates: Mapping[str, Decimal] | None = None,
    uplift_pct: Mapping[Id, Decimal] | None = None,
    prefer: SupplierPreference | str = SupplierPreference.CHEAPEST,
) -> SupplierChoice:
    """Rank the suppliers of a product for qty on a date: cheapest landed per unit (then fastest), or fastest
    (then cheapest); ties by supplier id. `rates` convert other currencies into `currency`; `uplift_pct`
    (per supplier, e.g. from the supply cost analysis) adds freight and duties to the price."""
    qty = positive("qty", qty)
    prefer = _preference(prefer)
    lines = [line for line in lines if line.product == product]
    ranked: list[RankedOffer] = []
    refused: list[SupplierRefusal] = []
    for supplier in dict.fromkeys(line.supplier for line in lines):
        lookup = supplier_price(lines, supplier, product, qty, on=on)
        rate = _rate(lookup.offer.line.currency, currency, rates or {}) if lookup.offer else None
        if lookup.offer is None:
            refused.append(SupplierRefusal(supplier, lookup.reason or ""))
        elif rate is None:
            reason = f"supplier {supplier} prices in {lookup.offer.line.currency}, with no rate to {currency}"
            refused.append(SupplierRefusal(supplier, reason))
        else:
            uplift = decimal("uplift_pct", (uplift_pct or {}).get(supplier, ZERO))
            ranked.append(RankedOffer(lookup.offer, _landed(lookup.offer, qty, rate, uplift)))
    if prefer is SupplierPreference.CHEAPEST:
        ranked.sort(key=lambda r: (r.landed_per_unit, r.offer.lead_time_days, str(r.offer.supplier)))
    else:
        ranked.sort(key=lambda r: (r.offer.lead_time_days, r.landed_per_unit, str(r.offer.supplier)))
    return SupplierChoice(tuple(ranked), tuple(refused))


def _preference(prefer: SupplierPreference | str) -> SupplierPreference:
    try:
        return SupplierPreference(prefer)
    except ValueError:
        raise PurchasingRuleError("prefer", f"unknown preference {prefer!r}; use 'cheapest' or 'fastest'") from None

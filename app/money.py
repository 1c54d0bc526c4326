"""Money and quantities as values: Decimal with a currency or a unit of measure, never a float.

Amounts round half up to the currency's minor unit (cents; whole units for JPY; thousandths for BHD), which
is what prices, invoices and stock values store. Arithmetic refuses to mix currencies or units: adding euros
to pounds is a bug to catch where it happens, not a number to find in the ledger later.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.numbers import get_currency_precision


class MixedUnits(ValueError):
    """Two amounts of different currencies (or quantities of different units) in one sum or comparison."""


@cache
def minor_unit_exponent(currency: str) -> int:
    """Decimal places of the currency's minor unit: 2 for EUR, 0 for JPY, 3 for BHD."""
    return get_currency_precision(currency.upper())


@cache
def quantum(currency: str) -> Decimal:
    """The currency's minor unit as a quantize template: Decimal('0.01') for EUR."""
    return Decimal(1).scaleb(-minor_unit_exponent(currency))


def to_minor_unit(amount: Decimal, currency: str) -> Decimal:
    """`amount` half up to the currency's minor unit; never a negative zero."""
    value = amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)
    return value if value else abs(value)


def _decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float | bool):
        raise TypeError(f"money and quantities are Decimal, never {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An amount in a currency (ISO 4217 code); `rounded()` gives it in the currency's minor unit."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _decimal(self.amount))
        object.__setattr__(self, "currency", self.currency.upper())

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def rounded(self) -> Money:
        return Money(to_minor_unit(self.amount, self.currency), self.currency)

    def _same(self, other: Money) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise MixedUnits(f"{self.currency} and {other.currency}")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * _decimal(factor), self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    def __bool__(self) -> bool:
        return bool(self.amount)

    def allocate(self, weights: list[Decimal]) -> list[Money]:
        """Split the rounded amount by `weights` in minor units, summing exactly (largest remainder first)."""
        if not weights or any(w < 0 for w in weights) or not sum(weights):
            raise ValueError("allocate needs non-negative weights that are not all zero")
        total, unit = self.rounded().amount, quantum(self.currency)
        units = int(total / unit)
        exact = [Decimal(units) * w / sum(weights) for w in weights]
        shares = [int(e) for e in exact]
        order = sorted(range(len(exact)), key=lambda i: exact[i] - shares[i], reverse=True)
        for i in order[: units - sum(shares)]:
            shares[i] += 1
        return [Money(Decimal(s) * unit, self.currency) for s in shares]


def total(amounts: list[Money], currency: str) -> Money:
    """The sum of `amounts` (all in `currency`); zero for none."""
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity in a unit of measure (a product's stock unit, a pack, a kilogram...)."""

    value: Decimal
    uom: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _decimal(self.value))

    def _same(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            raise TypeError(f"cannot combine Quantity with {type(other).__name__}")
        if other.uom != self.uom:
            raise MixedUnits(f"{self.uom} and {other.uom}")
        return other

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(self.value + self._same(other).value, self.uom)

    def __sub__(self, other: Quantity) -> Quantity:
        return Quantity(self.value - self._same(other).value, self.uom)

    def __lt__(self, other: Quantity) -> bool:
        return self.value < self._same(other).value

    def __le__(self, other: Quantity) -> bool:
        return self.value <= self._same(other).value

    def converted(self, factor: Decimal, uom: str) -> Quantity:
        """The same amount of goods in another unit (`factor`: how many of this unit make one of `uom`)."""
        if factor <= 0:
            raise ValueError("a conversion factor is above zero")
        return Quantity(self.value / _decimal(factor), uom)

"""The error the sales rules raise, the Reason value their "no" answers carry, and the checks on their input."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
Id = Hashable  # an order, line, variant, user or company id as the service has it (UUID, int, code)


def N_(message: str) -> str:
    """Marks an English msgid for extraction (pybabel's default keyword); the service translates it."""
    return message


def _english(message: str, params: Mapping[str, object]) -> str:
    return message % dict(params) if params else message


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a rule said no (or what it noted): a stable `code` for programs and tests, an English `message`
    (a msgid with %(name)s placeholders, marked with N_) and its `params`.

    The service shows it as `gettext(reason.message, **reason.params)` (numbers and money formatted as it
    likes before that, if it wants); `str(reason)` is the English text, for logs and tests.
    """

    code: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def text(self) -> str:
        """The English text with its placeholders filled."""
        return _english(self.message, self.params)

    def __str__(self) -> str:
        return self.text


def reason(code: str, message: str, **params: object) -> Reason:
    """A Reason from a code, a msgid and its variables."""
    return Reason(code, message, params)


class SalesRuleError(ValueError):
    """Bad input to a sales rule: `field` names the argument, `reason` says in plain English what is wrong.

    `message` and `params` are the same text as a msgid and its variables, so that a service can translate:
    `ValidationFailed({error.field: gettext(error.message, **error.params)})`. Messages a user's input can cause
    are marked with N_; those only a program can cause (a float, an unknown stored status, a missing tax rate
    in the configuration) are plain English, not extracted: gettext returns them unchanged.
    """

    def __init__(self, field: str, message: str, **params: object) -> None:
        self.field = field
        self.message = message
        self.params = MappingProxyType(params)
        self.reason = _english(message, params)
        super().__init__(field, self.reason)

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


def decimal(field: str, value: Decimal | int) -> Decimal:
    """The value as a finite Decimal; an int is taken as is, a float is refused so that no binary fraction sneaks in."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise SalesRuleError(field, "must be a Decimal or an int, not %(type)s", type=type(value).__name__)
    number = Decimal(value)
    if not number.is_finite():
        raise SalesRuleError(field, "must be a finite number, got %(value)s", value=value)
    return number


def positive(field: str, value: Decimal | int) -> Decimal:
    """The value if it is above zero (quantities ordered, shipped or returned)."""
    number = decimal(field, value)
    if number <= 0:
        raise SalesRuleError(field, N_("must be above zero, got %(value)s"), value=number)
    return number


def not_negative(field: str, value: Decimal | int) -> Decimal:
    """The value if it is zero or more (prices, totals, quantities already shipped)."""
    number = decimal(field, value)
    if number < 0:
        raise SalesRuleError(field, N_("must not be negative, got %(value)s"), value=number)
    return number


def percentage(field: str, value: Decimal | int) -> Decimal:
    """A percentage from 0 to 100 inclusive (discounts, tax rates)."""
    number = not_negative(field, value)
    if number > HUNDRED:
        raise SalesRuleError(field, N_("must be at most 100, got %(value)s"), value=number)
    return number


def currency_code(field: str, value: str) -> str:
    """An ISO 4217 code, upper-cased: three letters."""
    code = value.upper() if isinstance(value, str) else ""
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise SalesRuleError(field, "must be a three-letter currency code, got %(value)r", value=value)
    return code


@dataclass(frozen=True, slots=True)
class Decision:
    """A yes, or a no with its reason: what a rule answers when "no" is a normal outcome, not bad input."""

    allowed: bool
    reason: Reason | None = None

    def __bool__(self) -> bool:
        return self.allowed


YES = Decision(True)


def refuse(code: str, message: str, **params: object) -> Decision:
    """A no with its reason."""
    return Decision(False, Reason(code, message, params))

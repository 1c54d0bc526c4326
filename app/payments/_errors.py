"""The error the payment rules raise and the Reason value their "no" answers carry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def N_(message: str) -> str:
    """Marks an English msgid for extraction (pybabel's default keyword); the service translates it."""
    return message


def _english(message: str, params: Mapping[str, object]) -> str:
    return message % dict(params) if params else message


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a payment rule said no (or what it tells the buyer): a stable `code`, an English msgid marked with
    N_, and its `params`; shown as `gettext(reason.message, **reason.params)`, `str()` gives the English."""

    code: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def text(self) -> str:
        return _english(self.message, self.params)

    def __str__(self) -> str:
        return self.text


def reason(code: str, message: str, **params: object) -> Reason:
    """A Reason from a code, a msgid and its variables."""
    return Reason(code, message, params)


class PaymentRuleError(ValueError):
    """Bad input to a payment rule: `field` names the argument, `reason` says in plain English what is wrong;
    `message` and `params` are the msgid and its variables, for the service to translate. Only messages a
    user's input can cause are marked with N_; a program's mistakes (a float, an unknown Stripe status) are
    plain English."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        self.field = field
        self.message = message
        self.params = MappingProxyType(params)
        self.reason = _english(message, params)
        super().__init__(field, self.reason)

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"

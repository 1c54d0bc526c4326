"""Purchase orders: when one needs approval, and the states it goes through, as data."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from app.purchasing._errors import PurchasingRuleError, not_negative, positive


class PoState(StrEnum):
    """The state of a purchase order; the value is what the order row stores."""

    DRAFT = "draft"
    TO_APPROVE = "to_approve"
    APPROVED = "approved"
    SENT = "sent"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CLOSED = "closed"
    CANCELLED = "cancelled"


# Where each state may go. Back to draft: to edit a refused or approved order before it is sent.
# Nothing is cancelled once goods came in: closing ends a partly received order instead. Closed and
# cancelled are final.
PO_TRANSITIONS: Mapping[PoState, frozenset[PoState]] = MappingProxyType(
    {
        PoState.DRAFT: frozenset({PoState.TO_APPROVE, PoState.APPROVED, PoState.CANCELLED}),
        PoState.TO_APPROVE: frozenset({PoState.APPROVED, PoState.DRAFT, PoState.CANCELLED}),
        PoState.APPROVED: frozenset({PoState.SENT, PoState.DRAFT, PoState.CANCELLED}),
        PoState.SENT: frozenset({PoState.PARTIALLY_RECEIVED, PoState.RECEIVED, PoState.CANCELLED}),
        PoState.PARTIALLY_RECEIVED: frozenset({PoState.RECEIVED, PoState.CLOSED}),
        PoState.RECEIVED: frozenset({PoState.CLOSED}),
        PoState.CLOSED: frozenset(),
        PoState.CANCELLED: frozenset(),
    }
)


class ApprovalPolicy(NamedTuple):
    """A tenant's rule: orders above `threshold` (in the tenant's currency) need approval; None: never."""

    threshold: Decimal | None
    currency: str


def needs_approval(total: Decimal, currency: str, policy: ApprovalPolicy, *, rate: Decimal | None = None) -> bool:
    """True when the order total, in the tenant's currency, is above the threshold (equal to it passes).

    `rate` converts an order in another currency: units of the tenant's currency per unit of the order's.
    """
    total = not_negative("total", total)
    if policy.threshold is None:
        return False
    threshold = not_negative("threshold", policy.threshold)
    if currency != policy.currency:
        if rate is None:
            raise PurchasingRuleError("rate", f"an order in {currency} needs a rate to {policy.currency}")
        total = total * positive("rate", rate)
    return total > threshold


def _state(field: str, state: PoState | str) -> PoState:
    try:
        return PoState(state)
    except ValueError:
        raise PurchasingRuleError(field, f"unknown purchase order state {state!r}") from None


def submitted_state(total: Decimal, currency: str, policy: ApprovalPolicy, *, rate: Decimal | None = None) -> PoState:
    """The state a draft goes to when submitted: to approve above the threshold, else approved at once."""
    return PoState.TO_APPROVE if needs_approval(total, currency, policy, rate=rate) else PoState.APPROVED


def transition(current: PoState | str, target: PoState | str, *, approval_required: bool = False) -> PoState:
    """The target state when the order may go there from `current`, else a PurchasingRuleError with the reason.

    `approval_required` (from `needs_approval`) refuses approving a draft directly.
    """
    current, target = _state("current", current), _state("target", target)
    allowed = PO_TRANSITIONS[current]
    if target not in allowed:
        if not allowed:
            raise PurchasingRuleError("state", f"a {current} purchase order cannot change state any more")
        options = ", ".join(sorted(allowed))
        raise PurchasingRuleError(
            "state", f"a {current} purchase order cannot become {target}; it can become {options}"
        )
    if current is PoState.DRAFT and target is PoState.APPROVED and approval_required:
        raise PurchasingRuleError("state", "this order is above the approval threshold: submit it for approval")
    return target

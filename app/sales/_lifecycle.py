"""The sales order's states and the moves between them, as data; which states reserve stock, count for
credit control and may still be edited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from app.sales._errors import N_, YES, Decision, Reason, SalesRuleError, reason, refuse


class OrderStatus(StrEnum):
    """The status of a sales order; the value is what the order row stores."""

    DRAFT = "draft"
    QUOTE = "quote"
    AWAITING_APPROVAL = "awaiting_approval"
    REJECTED = "rejected"
    AWAITING_PAYMENT = "awaiting_payment"
    CONFIRMED = "confirmed"
    ON_HOLD = "on_hold"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    INVOICED = "invoiced"
    PAID = "paid"
    CANCELLED = "cancelled"


S = OrderStatus

STATUS_LABELS: Mapping[OrderStatus, str] = MappingProxyType(
    {
        S.DRAFT: N_("Draft"),
        S.QUOTE: N_("Quote"),
        S.AWAITING_APPROVAL: N_("Awaiting approval"),
        S.REJECTED: N_("Rejected"),
        S.AWAITING_PAYMENT: N_("Awaiting payment"),
        S.CONFIRMED: N_("Confirmed"),
        S.ON_HOLD: N_("On hold"),
        S.PARTIALLY_SHIPPED: N_("Partially shipped"),
        S.SHIPPED: N_("Shipped"),
        S.INVOICED: N_("Invoiced"),
        S.PAID: N_("Paid"),
        S.CANCELLED: N_("Cancelled"),
    }
)

# Where each status may go. A quote and a draft are placed the same way (approval, payment or straight to
# confirmed). A rejected order goes back to draft to be revised. On hold returns only to where it came from
# (OrderState.held_from). Partially shipped -> partially shipped is the next partial shipment. Invoiced and
# paid arrive with the finance issue; the moves are ready. Paid and cancelled are final.
ORDER_TRANSITIONS: Mapping[OrderStatus, frozenset[OrderStatus]] = MappingProxyType(
    {
        S.DRAFT: frozenset({S.QUOTE, S.AWAITING_APPROVAL, S.AWAITING_PAYMENT, S.CONFIRMED, S.CANCELLED}),
        S.QUOTE: frozenset({S.AWAITING_APPROVAL, S.AWAITING_PAYMENT, S.CONFIRMED, S.CANCELLED}),
        S.AWAITING_APPROVAL: frozenset({S.AWAITING_PAYMENT, S.CONFIRMED, S.REJECTED, S.DRAFT, S.CANCELLED}),
        S.REJECTED: frozenset({S.DRAFT, S.CANCELLED}),
        S.AWAITING_PAYMENT: frozenset({S.CONFIRMED, S.DRAFT, S.CANCELLED}),
        S.CONFIRMED: frozenset({S.ON_HOLD, S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED}),
        S.ON_HOLD: frozenset({S.CONFIRMED, S.PARTIALLY_SHIPPED, S.CANCELLED}),
        S.PARTIALLY_SHIPPED: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED, S.ON_HOLD}),
        S.SHIPPED: frozenset({S.INVOICED}),
        S.INVOICED: frozenset({S.PAID}),
        S.PAID: frozenset(),
        S.CANCELLED: frozenset(),
    }
)

# Stock is reserved when the order is placed (in the same transaction) and stays reserved while it waits for
# approval or payment, so that an approved or paid order can always ship; it is released by cancelling,
# rejecting or withdrawing to draft, and consumed by shipping.
RESERVING: frozenset[OrderStatus] = frozenset(
    {S.AWAITING_APPROVAL, S.AWAITING_PAYMENT, S.CONFIRMED, S.ON_HOLD, S.PARTIALLY_SHIPPED}
)
RELEASING: frozenset[OrderStatus] = frozenset({S.DRAFT, S.REJECTED, S.CANCELLED})
# On-account orders that count against the credit limit until invoiced (then the invoice counts as a
# receivable). Awaiting approval counts too: two orders waiting side by side must not both pass the limit.
OPEN_FOR_CREDIT: frozenset[OrderStatus] = frozenset(
    {S.AWAITING_APPROVAL, S.CONFIRMED, S.ON_HOLD, S.PARTIALLY_SHIPPED, S.SHIPPED}
)
# The buyer edits a draft or a rejected order; editing one that awaits approval withdraws it to draft
# (the approval was given on other lines). Staff edit anything not yet shipped and not being paid.
BUYER_EDITABLE: frozenset[OrderStatus] = frozenset({S.DRAFT, S.REJECTED, S.AWAITING_APPROVAL})
STAFF_EDITABLE: frozenset[OrderStatus] = frozenset(
    {S.DRAFT, S.QUOTE, S.AWAITING_APPROVAL, S.REJECTED, S.CONFIRMED, S.ON_HOLD}
)
SHIPPED_SOME: frozenset[OrderStatus] = frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED, S.INVOICED, S.PAID})
HOLDABLE: frozenset[OrderStatus] = frozenset({S.CONFIRMED, S.PARTIALLY_SHIPPED})
PLACEABLE: frozenset[OrderStatus] = frozenset({S.DRAFT, S.QUOTE})


def status_of(field: str, value: OrderStatus | str) -> OrderStatus:
    """The OrderStatus for a stored value; an unknown one is bad input."""
    try:
        return OrderStatus(value)
    except ValueError:
        raise SalesRuleError(field, "unknown order status %(value)r", value=value) from None


@dataclass(frozen=True, slots=True)
class OrderState:
    """An order's status and, when on hold, the status it returns to on release (two columns on the order)."""

    status: OrderStatus
    held_from: OrderStatus | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", status_of("status", self.status))
        if self.held_from is not None:
            object.__setattr__(self, "held_from", status_of("held_from", self.held_from))
        if (self.status is S.ON_HOLD) != (self.held_from is not None):
            raise SalesRuleError("held_from", "is set exactly when the order is on hold")
        if self.held_from is not None and self.held_from not in HOLDABLE:
            raise SalesRuleError("held_from", "an order cannot be held from %(status)s", status=self.held_from)

    @property
    def shipped_some(self) -> bool:
        """True once any goods left: no cancelling and no editing from then on."""
        return self.status in SHIPPED_SOME or self.held_from is S.PARTIALLY_SHIPPED


class TransitionRefused(SalesRuleError):
    """Raised by Transition.required() when the move is not allowed; field 'status'."""


@dataclass(frozen=True, slots=True)
class Transition:
    """The answer to "may this order go to `target`": the state after (the current one when refused), the
    refusal's reason, and what the service must do with the stock in the same transaction."""

    before: OrderState
    target: OrderStatus
    after: OrderState
    refusal: Reason | None = None
    reserve_stock: bool = False
    release_stock: bool = False

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    def required(self) -> OrderState:
        """The state after, or TransitionRefused with the reason when the move is not allowed."""
        if self.refusal is not None:
            raise TransitionRefused("status", self.refusal.message, **self.refusal.params)
        return self.after


def _state(order_state: OrderState | OrderStatus | str) -> OrderState:
    return order_state if isinstance(order_state, OrderState) else OrderState(status_of("status", order_state))


def _not_listed(state: OrderState, target: OrderStatus) -> Reason:
    """Why the table has no such move, in the words a buyer or clerk understands."""
    current = state.status
    if target is S.CANCELLED and state.shipped_some:
        return reason(
            "cancel_after_shipment",
            N_("Goods of this order have shipped: it cannot be cancelled. Return them instead."),
        )
    if not ORDER_TRANSITIONS[current]:
        return reason("final", N_("A %(status)s order cannot change any more."), status=current)
    if target is S.ON_HOLD:
        return reason("not_holdable", N_("Only a confirmed or partially shipped order can be put on hold."))
    if current is S.ON_HOLD:
        return reason("held", N_("An order on hold is released to %(status)s or cancelled."), status=state.held_from)
    return reason("not_allowed", N_("A %(status)s order cannot become %(target)s."), status=current, target=target)


def _placing(target: OrderStatus, approval_required: bool, on_account: bool, paid: bool) -> Reason | None:
    """Placing a draft or quote: approval first when required, then payment unless on account."""
    if approval_required and target in {S.AWAITING_PAYMENT, S.CONFIRMED}:
        return reason("approval_required", N_("This order is over your spending limit: it needs approval first."))
    if not approval_required and target is S.AWAITING_APPROVAL:
        return reason("approval_not_required", N_("This order is within your limits: it needs no approval."))
    return _paying(target, on_account, paid)


def _paying(target: OrderStatus, on_account: bool, paid: bool) -> Reason | None:
    """Confirmation needs a payment, or buying on account; an on-account order does not wait for payment."""
    if target is S.CONFIRMED and not (on_account or paid):
        return reason("payment_required", N_("The order is confirmed once the payment succeeds."))
    if target is S.AWAITING_PAYMENT and on_account:
        return reason("on_account", N_("An order on account is confirmed without waiting for a payment."))
    return None


def _guard(state: OrderState, target: OrderStatus, facts: _Facts) -> Reason | None:
    """The conditions beyond the table, from the facts the service knows."""
    current = state.status
    if current is S.ON_HOLD and target is not S.CANCELLED and target is not state.held_from:
        return reason("release_to_previous", N_("An order on hold returns to %(status)s."), status=state.held_from)
    if current in PLACEABLE:
        return _placing(target, facts.approval_required, facts.on_account, facts.paid)
    if current is S.AWAITING_APPROVAL and target in {S.AWAITING_PAYMENT, S.CONFIRMED}:
        return _paying(target, facts.on_account, facts.paid)
    if current is S.AWAITING_PAYMENT and facts.payment_processing and target is not S.CONFIRMED:
        return reason("payment_processing", N_("A payment for this order is being processed: wait for its result."))
    if current is S.AWAITING_PAYMENT and target is S.CONFIRMED and not facts.paid:
        return reason("payment_required", N_("The order is confirmed once the payment succeeds."))
    if target in {S.SHIPPED, S.PARTIALLY_SHIPPED} and current is not S.ON_HOLD:
        if facts.everything_shipped is None:
            raise SalesRuleError("everything_shipped", "say whether every line has shipped in full")
        if facts.everything_shipped != (target is S.SHIPPED):
            wanted = S.SHIPPED if facts.everything_shipped else S.PARTIALLY_SHIPPED
            return reason("shipment_status", N_("After this shipment the order is %(status)s."), status=wanted)
    return None


@dataclass(frozen=True, slots=True)
class _Facts:
    approval_required: bool = False
    on_account: bool = False
    paid: bool = False
    payment_processing: bool = False
    everything_shipped: bool | None = None


def transition(
    order_state: OrderState | OrderStatus | str,
    target: OrderStatus | str,
    *,
    approval_required: bool = False,
    on_account: bool = False,
    paid: bool = False,
    payment_processing: bool = False,
    everything_shipped: bool | None = None,
) -> Transition:
    """May the order go to `target`? The facts are what the service knows:

    - approval_required: `approval_needed(...).required` for the buyer placing it;
    - on_account: it is paid on account and `credit_check` allowed it; paid: its payment succeeded;
    - payment_processing: a PaymentIntent is processing (it may still succeed: no withdrawing or cancelling);
    - everything_shipped: after the shipment being recorded (see `record_shipment`).

    Putting on hold remembers the status to return to; releasing goes back there.
    """
    state, target = _state(order_state), status_of("target", target)
    facts = _Facts(approval_required, on_account, paid, payment_processing, everything_shipped)
    if target not in ORDER_TRANSITIONS[state.status]:
        return Transition(state, target, state, _not_listed(state, target))
    if target is S.CANCELLED and state.shipped_some:
        return Transition(state, target, state, _not_listed(state, target))
    refusal = _guard(state, target, facts)
    if refusal is not None:
        return Transition(state, target, state, refusal)
    after = OrderState(target, state.status if target is S.ON_HOLD else None)
    reserve = target in RESERVING and state.status not in RESERVING
    release = target in RELEASING and state.status in RESERVING
    return Transition(state, target, after, None, reserve, release)


def hold(order_state: OrderState | OrderStatus | str) -> Transition:
    """Put a confirmed or partially shipped order on hold, remembering where it returns to."""
    return transition(order_state, S.ON_HOLD)


def release(order_state: OrderState) -> Transition:
    """Release an order on hold to the status it was held from."""
    state = _state(order_state)
    if state.held_from is None:
        refusal = reason("not_held", N_("This order is not on hold."))
        return Transition(state, state.status, state, refusal)
    return transition(state, state.held_from)


def placed_status(*, approval_required: bool, on_account: bool) -> OrderStatus:
    """Where a placed cart, staff order or accepted quote goes: approval first, then payment or confirmed."""
    if approval_required:
        return S.AWAITING_APPROVAL
    return S.CONFIRMED if on_account else S.AWAITING_PAYMENT


def approved_status(*, on_account: bool) -> OrderStatus:
    """Where an approved order goes: confirmed on account, else to wait for its payment."""
    return S.CONFIRMED if on_account else S.AWAITING_PAYMENT


def can_edit(order_state: OrderState | OrderStatus | str, *, by_staff: bool = False) -> Decision:
    """May the order's lines, addresses or dates still change? Never once goods have shipped."""
    state = _state(order_state)
    if state.shipped_some:
        return refuse("edit_after_shipment", N_("Goods of this order have shipped: it can no longer be changed."))
    editable = STAFF_EDITABLE if by_staff else BUYER_EDITABLE
    if state.status in editable:
        return YES
    if state.status is S.AWAITING_PAYMENT:
        return refuse("edit_while_paying", N_("The order is waiting for its payment: it cannot be changed now."))
    if state.status is S.CANCELLED:
        return refuse("edit_cancelled", N_("A cancelled order cannot be changed."))
    return refuse("edit_not_allowed", N_("A %(status)s order can only be changed by our staff."), status=state.status)

"""Buyer approvals on the customer company's side: spending limits, who may approve, approve and reject."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.money import to_minor_unit
from app.sales._errors import (
    N_,
    YES,
    Decision,
    Id,
    Reason,
    SalesRuleError,
    currency_code,
    not_negative,
    reason,
    refuse,
)
from app.sales._lifecycle import OrderState, OrderStatus, Transition, approved_status, transition

MAX_COMMENT = 2000


class CustomerRole(StrEnum):
    """A customer user's role in their company; the value is what the membership row stores."""

    BUYER = "buyer"
    APPROVER = "approver"
    ADMIN = "admin"


APPROVING_ROLES = frozenset({CustomerRole.APPROVER, CustomerRole.ADMIN})


@dataclass(frozen=True, slots=True)
class SpendingLimits:
    """A user's limits in the order's currency (the service converts stored limits, or refuses a mismatch):
    per order and per calendar month; None = no limit."""

    currency: str
    per_order: Decimal | None = None
    per_month: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CustomerUser:
    """A user of a customer company with their role and limits."""

    user_id: Id
    company_id: Id
    role: CustomerRole
    limits: SpendingLimits | None = None


@dataclass(frozen=True, slots=True)
class ApprovalDecision:
    """Whether an order needs a company approver, and why (the limit it passes, with the figures)."""

    required: bool
    reason: Reason | None = None


def _limits_currency(limits: SpendingLimits, order_currency: str | None) -> str:
    """The limits' currency, refused when it is not the order's: converting is the service's job."""
    currency = currency_code("limits", limits.currency)
    if order_currency is not None and currency_code("currency", order_currency) != currency:
        raise SalesRuleError("limits", "are in %(currency)s, not the order's", currency=currency)
    return currency


def approval_needed(
    order_total: Decimal, month_spent: Decimal, limits: SpendingLimits | None, *, currency: str | None = None
) -> ApprovalDecision:
    """Does the buyer's order need approval? Above the per-order limit, or taking the month's spending above
    the monthly limit (reaching a limit exactly is within it). No limits: never.

    `order_total` is the order's grand total; `month_spent` what the same buyer placed this calendar month in
    orders not cancelled or rejected (the service sums it), both in the limits' currency.
    """
    total = not_negative("order_total", order_total)
    spent = not_negative("month_spent", month_spent)
    if limits is None:
        return ApprovalDecision(False)
    currency = _limits_currency(limits, currency)
    if limits.per_order is not None and total > not_negative("per_order", limits.per_order):
        why = reason(
            "order_limit",
            N_("The order total of %(total)s %(currency)s is above your limit of %(limit)s %(currency)s per order."),
            total=to_minor_unit(total, currency),
            limit=limits.per_order,
            currency=currency,
        )
        return ApprovalDecision(True, why)
    if limits.per_month is not None and spent + total > not_negative("per_month", limits.per_month):
        why = reason(
            "month_limit",
            N_(
                "With this order you would spend %(total)s %(currency)s this month, "
                "above your limit of %(limit)s %(currency)s."
            ),
            total=to_minor_unit(spent + total, currency),
            limit=limits.per_month,
            currency=currency,
        )
        return ApprovalDecision(True, why)
    return ApprovalDecision(False)


@dataclass(frozen=True, slots=True)
class OrderForApproval:
    """What approving needs to know about the order: whose it is, its total and currency, its state."""

    company_id: Id
    buyer_id: Id
    total: Decimal
    currency: str
    state: OrderState


def may_approve(user: CustomerUser, order: OrderForApproval) -> Decision:
    """May this user approve (or reject) the order? An approver or admin of the same company, never the order's
    own buyer, and within the approver's own per-order limit when they have one. A user of another company
    gets the same answer as for an order that does not exist: the service answers 404, not this reason."""
    if user.company_id != order.company_id:
        return refuse("other_company", N_("This order does not exist."))
    if user.user_id == order.buyer_id:
        return refuse("own_order", N_("You cannot approve your own order: another approver of your company must."))
    if user.role not in APPROVING_ROLES:
        return refuse("not_approver", N_("Only an approver or an administrator of your company can approve orders."))
    limits = user.limits
    if limits is not None and limits.per_order is not None:
        _limits_currency(limits, order.currency)
        if order.total > not_negative("per_order", limits.per_order):
            return refuse(
                "approver_limit",
                N_("This order is above your own approval limit of %(limit)s %(currency)s."),
                limit=limits.per_order,
                currency=limits.currency.upper(),
            )
    if order.state.status is not OrderStatus.AWAITING_APPROVAL:
        return refuse("not_waiting", N_("This order is not waiting for approval."))
    return YES


@dataclass(frozen=True, slots=True)
class ApprovalOutcome:
    """An approval or rejection: the order's transition (refused when the user may not decide), the comment
    as kept for the buyer, and who decided."""

    transition: Transition
    approved: bool
    comment: str
    decided_by: Id

    @property
    def allowed(self) -> bool:
        return self.transition.allowed


def _comment(comment: str, *, required: bool) -> str:
    text = comment.strip()
    if required and not text:
        raise SalesRuleError("comment", N_("Say why the order is rejected: the buyer will read it."))
    if len(text) > MAX_COMMENT:
        raise SalesRuleError("comment", N_("At most %(max)s characters."), max=MAX_COMMENT)
    return text


def _refused(order: OrderForApproval, target: OrderStatus, why: Decision) -> Transition:
    return Transition(order.state, target, order.state, why.reason)


def approve(user: CustomerUser, order: OrderForApproval, *, on_account: bool, comment: str = "") -> ApprovalOutcome:
    """Approve: the order goes on to confirmed (on account, after the service's credit check) or to wait for
    its payment. The comment is optional."""
    text = _comment(comment, required=False)
    target = approved_status(on_account=on_account)
    allowed = may_approve(user, order)
    if not allowed:
        return ApprovalOutcome(_refused(order, target, allowed), True, text, user.user_id)
    return ApprovalOutcome(transition(order.state, target, on_account=on_account), True, text, user.user_id)


def reject(user: CustomerUser, order: OrderForApproval, *, comment: str) -> ApprovalOutcome:
    """Reject with a comment (required: the buyer reads why); the order's reserved stock is released."""
    text = _comment(comment, required=True)
    allowed = may_approve(user, order)
    if not allowed:
        return ApprovalOutcome(_refused(order, OrderStatus.REJECTED, allowed), False, text, user.user_id)
    return ApprovalOutcome(transition(order.state, OrderStatus.REJECTED), False, text, user.user_id)

"""Who buys and who approves: a customer user's role and spending limits, and the customer's terms on account."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.base import new_id
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.sales import repo
from app.sales._approvals import ApprovalDecision, CustomerRole, CustomerUser, SpendingLimits, approval_needed
from app.sales._credit import CreditAccount, PaymentTerms
from app.sales._lifecycle import OrderStatus
from app.sales._totals import OrderTotals
from app.sales.models import BuyerLimit

# identity's customer role codes -> the approval rules' roles (the strongest wins)
ROLE_CODES = {"customer_admin": CustomerRole.ADMIN, "approver": CustomerRole.APPROVER, "buyer": CustomerRole.BUYER}
NOT_SPENT = (OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.DRAFT, OrderStatus.QUOTE)


@dataclass(frozen=True, slots=True)
class Buyer:
    """The user placing or deciding on an order; `member` is None for staff (no company, no limits)."""

    user_id: uuid.UUID
    email: str
    name: str
    locale: str | None
    member: CustomerUser | None


def _role(codes: list[str]) -> CustomerRole:
    for code, role in ROLE_CODES.items():
        if code in codes:
            return role
    return CustomerRole.BUYER


async def buyer(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, customer_id: uuid.UUID | None
) -> Buyer:
    """The user (NotFound when unknown, or a customer user of another company than `customer_id`)."""
    row = await repo.user(session, tenant_id, user_id)
    if row is None or (row["kind"] == "customer" and customer_id is not None and row["customer_id"] != customer_id):
        raise NotFound()
    if not row["is_active"]:
        raise ValidationFailed({"user_id": _("This user is deactivated.")})
    member = None
    if row["kind"] == "customer":
        limits = None
        if row["limit_currency"] is not None:
            limits = SpendingLimits(row["limit_currency"], row["per_order"], row["per_month"])
        member = CustomerUser(row["id"], row["customer_id"], _role(list(row["roles"])), limits)
    return Buyer(row["id"], row["email"], row["name"], row["locale"], member)


async def approval(session: AsyncSession, tenant_id: uuid.UUID, who: Buyer, totals: OrderTotals) -> ApprovalDecision:
    """Does this buyer's order need a company approver? Staff orders and users without limits: no."""
    if who.member is None or who.member.limits is None:
        return ApprovalDecision(False)
    if who.member.limits.currency != totals.currency:
        return ApprovalDecision(False)  # limits in another currency are not converted yet: no limit applies
    month_start = date.today().replace(day=1)
    spent = await repo.month_spent(session, tenant_id, who.user_id, month_start, [s.value for s in NOT_SPENT])
    return approval_needed(totals.grand_total, spent, who.member.limits, currency=totals.currency)


def credit_account(customer, currency: str) -> CreditAccount:
    """The customer's terms on account as the credit rule reads them."""
    days = customer["payment_terms_days"]
    terms = None if days is None else PaymentTerms(int(days))
    return CreditAccount(currency, terms, customer["credit_limit"], bool(customer["credit_blocked"]))


async def set_spending_limits(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    currency: str,
    per_order: Decimal | None,
    per_month: Decimal | None,
) -> None:
    """Set (or with both None, clear) a customer user's spending limits."""
    row = await repo.user(session, tenant_id, user_id)
    if row is None or row["kind"] != "customer":
        raise NotFound()
    errors = {}
    for field, value in (("per_order", per_order), ("per_month", per_month)):
        if value is not None and (not isinstance(value, Decimal) or not value.is_finite() or value < 0):
            errors[field] = _("Enter an amount of zero or more, or leave it empty.")
        elif value is not None and value >= Decimal("1e12"):
            errors[field] = _("Enter a smaller amount.")
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isascii() and currency.isalpha()):
        errors["currency"] = _("Choose a currency.")
    if errors:
        raise ValidationFailed(errors)
    if per_order is None and per_month is None:
        await session.execute(delete(BuyerLimit).where(BuyerLimit.user_id == user_id))
        return
    values = {"currency": currency.upper(), "per_order": per_order, "per_month": per_month}
    stmt = insert(BuyerLimit).values(tenant_id=tenant_id, id=new_id(), user_id=user_id, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=["tenant_id", "user_id"], set_=values))

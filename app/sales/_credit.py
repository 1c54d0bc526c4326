"""Credit control for orders on account: payment terms, the credit limit, and what is already used of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from app.money import to_minor_unit
from app.sales._errors import N_, ZERO, Reason, SalesRuleError, currency_code, not_negative, reason

MAX_NET_DAYS = 365


@dataclass(frozen=True, slots=True)
class PaymentTerms:
    """Net N days: an invoice is due N days after its date (0: due on receipt)."""

    net_days: int

    def __post_init__(self) -> None:
        days = self.net_days
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_NET_DAYS:
            raise SalesRuleError("net_days", N_("must be a whole number of days from 0 to %(max)s"), max=MAX_NET_DAYS)

    def due_date(self, invoice_date: date) -> date:
        """The day the invoice is due."""
        return invoice_date + timedelta(days=self.net_days)


@dataclass(frozen=True, slots=True)
class CreditAccount:
    """A customer company's terms for buying on account, in `currency`.

    - terms: None = the customer may not buy on account (card only);
    - credit_limit: the most that may be owed (open invoices + open orders); None = no limit, 0 = nothing;
    - blocked: staff stopped buying on account (overdue invoices, a dispute), whatever the figures.
    """

    currency: str
    terms: PaymentTerms | None
    credit_limit: Decimal | None = None
    blocked: bool = False


@dataclass(frozen=True, slots=True)
class CreditCheck:
    """The answer for one order on account, with the figures the message names.

    used = open receivables + open orders; available = what remains of the limit before this order (never below
    zero; None without a limit); shortfall = how much the order goes over (0 when allowed).
    """

    allowed: bool
    limit: Decimal | None
    used: Decimal
    needed: Decimal
    available: Decimal | None
    shortfall: Decimal = ZERO
    reason: Reason | None = None


def credit_check(
    order_total: Decimal,
    *,
    account: CreditAccount,
    open_receivables: Decimal,
    open_orders: Decimal,
    currency: str,
) -> CreditCheck:
    """May this order be placed on account?

    `open_receivables`: invoices issued and not yet paid; `open_orders`: the customer's other orders on account
    in OPEN_FOR_CREDIT states (confirmed, not yet invoiced), not counting this one; all in the account's
    currency. Allowed when used + this order stays within the limit (reaching it exactly is within it).
    """
    needed = not_negative("order_total", order_total)
    used = not_negative("open_receivables", open_receivables) + not_negative("open_orders", open_orders)
    code = currency_code("currency", account.currency)
    if currency_code("currency", currency) != code:
        message = "the order is in %(currency)s, the account in %(account)s"
        raise SalesRuleError("currency", message, currency=currency, account=code)
    limit = None if account.credit_limit is None else not_negative("credit_limit", account.credit_limit)
    if account.terms is None:
        why = reason(
            "no_terms", N_("You have no payment terms with us, so you cannot buy on account. Pay by card instead.")
        )
        return CreditCheck(False, limit, used, needed, None, needed, why)
    if account.blocked:
        why = reason("blocked", N_("Buying on account is on hold for your company. Please contact us, or pay by card."))
        return CreditCheck(False, limit, used, needed, None, needed, why)
    if limit is None:
        return CreditCheck(True, None, used, needed, None)
    available = max(limit - used, ZERO)
    if used + needed <= limit:
        return CreditCheck(True, limit, used, needed, available)
    why = _over_limit((needed, limit, used, available), code)
    return CreditCheck(False, limit, used, needed, available, used + needed - limit, why)


def _over_limit(figures: tuple[Decimal, Decimal, Decimal, Decimal], currency: str) -> Reason:
    """The refusal naming the figures, each in the currency's minor unit."""
    needed, limit, used, available = (to_minor_unit(figure, currency) for figure in figures)
    return reason(
        "over_limit",
        N_(
            "This order of %(needed)s %(currency)s would exceed your credit limit of %(limit)s: %(used)s is already "
            "used by open invoices and orders, so %(available)s is left. Pay by card, or reduce the order."
        ),
        needed=needed,
        limit=limit,
        used=used,
        available=available,
        currency=currency,
    )

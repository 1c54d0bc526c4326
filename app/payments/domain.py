"""Payment rules, pure: Stripe amounts, idempotency keys, PaymentIntent statuses, webhook events, refunds.

No database, web or Stripe SDK here: the service calls Stripe with what these rules give (the integer amount,
the idempotency key), and maps what Stripe sends (an intent's status, a verified event's plain values) onto
these types to learn what to store and what the order should do. Money is `app.money.Money`, whole in the
currency's minor unit. Bad input raises PaymentRuleError(field, reason); a "no" (below Stripe's minimum, a
refund above what is left, an event already handled) is a value with a Reason (code, msgid marked with N_,
params), shown as `gettext(reason.message, **reason.params)`. The rules:

- Amounts (`to_stripe_amount`, `from_stripe_amount`, `chargeable`): Stripe's minor unit per currency.
- Keys (`idempotency_key`, `refund_idempotency_key`): derived from (tenant, order, attempt), see _intents.
- Statuses (`PaymentStatus`, `INTENT_STATUSES`, `intent_update`): a settled payment never moves back.
- Events (`WebhookEvent`, `should_process`, `event_update`): once per event id; each type's effect on the
  payment and its order (`OrderAction`: confirm, payment failed, review). Payments sits beside sales in the
  layer order, so it names the order's action and the service runs the sales transition.
- Refunds (`check_refund`, `status_after_refund`): within what was captured and not yet refunded.
"""

from __future__ import annotations

from app.payments._amounts import (
    MINIMUM_CHARGE,
    THREE_DECIMAL,
    ZERO_DECIMAL,
    ChargeCheck,
    chargeable,
    from_stripe_amount,
    stripe_exponent,
    to_stripe_amount,
)
from app.payments._errors import PaymentRuleError, Reason
from app.payments._events import HANDLED_EVENTS, INTENT_EVENTS, WebhookEvent, event_update
from app.payments._intents import (
    INTENT_STATUSES,
    SETTLED,
    EventDecision,
    OrderAction,
    PaymentStatus,
    PaymentUpdate,
    idempotency_key,
    intent_update,
    refund_idempotency_key,
    should_process,
)
from app.payments._refunds import RefundCheck, check_refund, status_after_refund

__all__ = [
    "HANDLED_EVENTS",
    "INTENT_EVENTS",
    "INTENT_STATUSES",
    "MINIMUM_CHARGE",
    "SETTLED",
    "THREE_DECIMAL",
    "ZERO_DECIMAL",
    "ChargeCheck",
    "EventDecision",
    "OrderAction",
    "PaymentRuleError",
    "PaymentStatus",
    "PaymentUpdate",
    "Reason",
    "RefundCheck",
    "WebhookEvent",
    "chargeable",
    "check_refund",
    "event_update",
    "from_stripe_amount",
    "idempotency_key",
    "intent_update",
    "refund_idempotency_key",
    "should_process",
    "status_after_refund",
    "stripe_exponent",
    "to_stripe_amount",
]

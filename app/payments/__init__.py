"""Payments: card payments through Stripe (PaymentIntents, webhooks, refunds) as pure rules and services.

The public interface the faces use:

- setup: `card_mode(settings)` (None: card payment unavailable; 'test': a fake Stripe such as localstripe, the
  server takes test card numbers; 'elements': Stripe itself, Stripe.js takes the card), `StripeGateway`;
- services (in the caller's transaction, never committing): `pay_order`, `authenticate` (3-D Secure on the
  test server), `refresh_payment` (read the intent back), `handle_event` (a verified webhook event, once per
  event id), `refund_payment`; each payment step returns the `OrderAction` for the face to hand to sales;
- queries: `payments_for_order`, `payment_order`;
- value types and the pure rules (`domain`), the payment status labels.
"""

from collections.abc import Mapping
from types import MappingProxyType

from app.payments import domain
from app.payments._errors import N_
from app.payments._intents import OrderAction, PaymentStatus
from app.payments.gateway import CardDetails, CardRefused, PaymentUnavailable, StripeGateway, card_mode
from app.payments.queries import PaymentLine, RefundLine, payment_order, payments_for_order
from app.payments.refunding import RefundMade, parse_amount, refund_payment
from app.payments.services import OrderToPay, PaymentOutcome, authenticate, pay_order, refresh_payment
from app.payments.webhooks import EventOutcome, handle_event

STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {
        PaymentStatus.PENDING: N_("Waiting for the card"),
        PaymentStatus.REQUIRES_ACTION: N_("Waiting for 3-D Secure"),
        PaymentStatus.PROCESSING: N_("Processing"),
        PaymentStatus.FAILED: N_("Declined"),
        PaymentStatus.AUTHORIZED: N_("Authorized"),
        PaymentStatus.SUCCEEDED: N_("Paid"),
        PaymentStatus.PARTIALLY_REFUNDED: N_("Partially refunded"),
        PaymentStatus.REFUNDED: N_("Refunded"),
        PaymentStatus.CANCELED: N_("Canceled"),
    }
)

__all__ = [
    "STATUS_LABELS",
    "CardDetails",
    "CardRefused",
    "EventOutcome",
    "OrderAction",
    "OrderToPay",
    "PaymentLine",
    "PaymentOutcome",
    "PaymentStatus",
    "PaymentUnavailable",
    "RefundLine",
    "RefundMade",
    "StripeGateway",
    "authenticate",
    "card_mode",
    "domain",
    "handle_event",
    "parse_amount",
    "pay_order",
    "payment_order",
    "payments_for_order",
    "refresh_payment",
    "refund_payment",
]

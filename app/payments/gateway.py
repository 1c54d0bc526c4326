"""Stripe through its official SDK (async calls, idempotency keys), read back as plain values.

With `stripe_api_base` set (localstripe in tests and `bodega run`), the server may turn a test card number into
a PaymentMethod and finish 3-D Secure itself, since no Stripe.js runs there. With Stripe itself, card details
never reach the server: Stripe Elements collects them and confirms in the browser with the intent's client
secret, and the server trusts only what it retrieves from Stripe or reads from a signed webhook.
"""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

import stripe

from app.settings import Settings

log = logging.getLogger(__name__)


class PaymentUnavailable(Exception):
    """Stripe could not be reached or refused the request for a reason the buyer cannot fix."""


class CardRefused(Exception):
    """Stripe refused the card itself (number, expiry, CVC): `message` is Stripe's text for the buyer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CardDetails:
    """A test card typed into the test-mode form; never stored, never logged (its repr hides the number)."""

    __slots__ = ("cvc", "exp_month", "exp_year", "number")

    def __init__(self, number: str, exp_month: int, exp_year: int, cvc: str) -> None:
        self.number, self.exp_month, self.exp_year, self.cvc = number, exp_month, exp_year, cvc

    def __repr__(self) -> str:
        return f"CardDetails(****{self.number[-4:]})"


class IntentView(NamedTuple):
    """What the service reads from a PaymentIntent."""

    id: str
    status: str
    client_secret: str
    failure: str | None
    livemode: bool
    card_brand: str = ""
    card_last4: str = ""


class RefundView(NamedTuple):
    id: str
    status: str


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """A field of a StripeObject or a plain dict (localstripe and Stripe differ in what they expand)."""
    if obj is None:
        return default
    try:
        value = obj[name]
    except (KeyError, TypeError, IndexError):
        return default
    return default if value is None else value


def intent_view(intent: Any, brand: str = "", last4: str = "") -> IntentView:
    error = _get(intent, "last_payment_error")
    method = _get(intent, "payment_method")
    card = _get(method, "card") if not isinstance(method, str) else None
    return IntentView(
        id=intent["id"],
        status=intent["status"],
        client_secret=_get(intent, "client_secret", ""),
        failure=_get(error, "message") or _get(error, "code"),
        livemode=bool(_get(intent, "livemode", False)),
        card_brand=brand or _get(card, "brand", ""),
        card_last4=last4 or _get(card, "last4", ""),
    )


class StripeGateway:
    """The Stripe calls the payment services make, each with its idempotency key."""

    def __init__(self, settings: Settings) -> None:
        addresses = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
        self.client = stripe.StripeClient(
            settings.stripe_secret_key,
            http_client=stripe.HTTPXClient(allow_sync_methods=True),
            base_addresses=addresses or {},
            max_network_retries=2,
        )
        self.webhook_secret = settings.stripe_webhook_secret
        self.test_server = settings.stripe_api_base is not None
        self.livemode = settings.stripe_secret_key.startswith("sk_live_")

    async def card_method(self, card: CardDetails) -> tuple[str, str, str]:
        """A PaymentMethod for a typed test card (test server only): its id, brand and last four digits."""
        if not self.test_server:
            raise PaymentUnavailable("card numbers go to Stripe Elements, never to this server")
        params = {
            "type": "card",
            "card": {"number": card.number, "exp_month": card.exp_month, "exp_year": card.exp_year, "cvc": card.cvc},
        }
        try:
            method = await self.client.v1.payment_methods.create_async(params=params)
        except stripe.CardError as exc:
            raise CardRefused(exc.user_message or "") from None
        except stripe.InvalidRequestError as exc:
            raise CardRefused(exc.user_message or "") from None
        except stripe.StripeError as exc:
            raise PaymentUnavailable(str(exc)) from None
        return method.id, _get(method.card, "brand", ""), _get(method.card, "last4", "")

    async def create_intent(
        self, *, units: int, currency: str, key: str, metadata: dict[str, str], description: str, method: str | None
    ) -> IntentView:
        """Create the PaymentIntent (not confirmed): with the card's PaymentMethod, or for Elements to confirm."""
        params: dict[str, Any] = {
            "amount": units,
            "currency": currency.lower(),
            "metadata": metadata,
            "payment_method_types": ["card"],
        }
        if method is not None:
            params["payment_method"] = method
        if not self.test_server:
            params["description"] = description  # localstripe refuses fields it does not know
        try:
            intent = await self.client.v1.payment_intents.create_async(params=params, options={"idempotency_key": key})
        except stripe.StripeError as exc:
            log.warning("stripe: creating a payment intent failed: %s", exc)
            raise PaymentUnavailable(str(exc)) from None
        return intent_view(intent)

    async def confirm_intent(self, intent_id: str, key: str) -> IntentView:
        """Confirm with the PaymentMethod it holds; a decline comes back as the intent with its failure."""
        try:
            intent = await self.client.v1.payment_intents.confirm_async(intent_id, options={"idempotency_key": key})
        except stripe.CardError:
            return await self.retrieve_intent(intent_id)
        except stripe.StripeError as exc:
            log.warning("stripe: confirming %s failed: %s", intent_id, exc)
            raise PaymentUnavailable(str(exc)) from None
        return intent_view(intent)

    async def retrieve_intent(self, intent_id: str) -> IntentView:
        try:
            intent = await self.client.v1.payment_intents.retrieve_async(intent_id)
        except stripe.StripeError as exc:
            raise PaymentUnavailable(str(exc)) from None
        return intent_view(intent)

    async def cancel_intent(self, intent_id: str) -> None:
        """Cancel an intent that will not be used again; one already finished or gone is left as it is."""
        try:
            await self.client.v1.payment_intents.cancel_async(intent_id)
        except stripe.StripeError as exc:
            log.info("stripe: intent %s not canceled: %s", intent_id, exc)

    async def authenticate_test(self, intent_id: str, client_secret: str, success: bool) -> IntentView:
        """Finish a 3-D Secure step on localstripe (its own endpoint; Stripe.js does this with Stripe itself)."""
        if not self.test_server:
            raise PaymentUnavailable("3-D Secure is completed in the browser with Stripe.js")
        path = f"/v1/payment_intents/{intent_id}/_authenticate"
        try:
            response = await self.client.raw_request_async(
                "post", path, client_secret=client_secret, success="true" if success else "false"
            )
        except stripe.CardError:
            return await self.retrieve_intent(intent_id)
        except stripe.StripeError as exc:
            raise PaymentUnavailable(str(exc)) from None
        return intent_view(self.client.deserialize(response, api_mode="V1"))

    async def refund(self, intent_id: str, units: int, key: str, reason: str) -> RefundView:
        params = {"payment_intent": intent_id, "amount": units, "metadata": {"reason": reason[:500]}}
        try:
            refund = await self.client.v1.refunds.create_async(params=params, options={"idempotency_key": key})
        except stripe.StripeError as exc:
            log.warning("stripe: refunding %s failed: %s", intent_id, exc)
            raise PaymentUnavailable(exc.user_message or str(exc)) from None
        return RefundView(refund.id, refund.status or "pending")

    def verify(self, payload: bytes, signature: str | None) -> stripe.Event:
        """The event, verified on the raw body with the signing secret (SignatureVerificationError or
        ValueError when it is not Stripe's)."""
        return self.client.construct_event(payload, signature, self.webhook_secret)


def card_mode(settings: Settings) -> str | None:
    """How cards are taken: None (Stripe not configured: card payment unavailable), 'test' (a fake Stripe:
    the server takes test card numbers) or 'elements' (Stripe itself: Stripe.js in the browser)."""
    if not settings.stripe_configured:
        return None
    return "test" if settings.stripe_api_base else "elements"

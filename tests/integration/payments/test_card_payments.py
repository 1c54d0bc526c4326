"""Card payments against localstripe through the official SDK: one charge per order however often it is sent,
a declined card kept apart from the order's confirmation, 3-D Secure, webhooks handled once per event id,
refunds within what was captured, and no tenant reaching another's payments."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app import payments, sales
from app.errors import NotFound, ValidationFailed
from app.payments.models import Payment, StripeEvent
from app.sales.models import SalesOrder, SalesOrderEvent
from tests.integration.payments.conftest import DECLINED, THREE_DS, VISA, card, card_order, pay
from tests.stripe_fake import signed_headers


async def intents_for(gateway, order_id) -> list:
    listed = await gateway.client.v1.payment_intents.list_async(params={"limit": 100})
    return [i for i in listed.data if i.to_dict().get("metadata", {}).get("order_id") == str(order_id)]


async def status_of(db, tenant_id, order_id) -> str:
    async with db.transaction(tenant_id) as s:
        return await s.scalar(select(SalesOrder.status).where(SalesOrder.id == order_id))


async def test_a_good_card_pays_once_and_confirms_the_order_however_often_it_is_sent(db, shop, gateway):
    placed = await card_order(db, shop)
    first = await pay(db, shop, placed.to_pay, gateway, VISA)
    assert first.status is payments.PaymentStatus.SUCCEEDED and first.charged
    assert first.order_action is payments.OrderAction.CONFIRM
    again = await pay(db, shop, placed.to_pay, gateway, VISA)  # a retried request after the first committed
    assert again.payment_id == first.payment_id and not again.charged
    assert len(await intents_for(gateway, placed.order_id)) == 1
    assert await status_of(db, shop.tenant_id, placed.order_id) == "confirmed"
    async with db.transaction(shop.tenant_id) as s:
        stored = await s.get(Payment, (shop.tenant_id, first.payment_id))
        assert stored.card_last4 == "4242" and stored.amount == Decimal("121.00") and stored.amount_minor == 12100
        assert stored.idempotency_key == f"bodega:payment_intent:{shop.tenant_id}:{placed.order_id}:1"


async def test_two_payments_sent_at_once_make_one_charge(db, shop, gateway):
    placed = await card_order(db, shop)
    both = await asyncio.gather(*(pay(db, shop, placed.to_pay, gateway, VISA) for _ in range(2)))
    assert sorted(o.charged for o in both) == [False, True]
    assert both[0].payment_id == both[1].payment_id
    assert len(await intents_for(gateway, placed.order_id)) == 1


async def test_a_declined_card_leaves_the_order_awaiting_payment_and_another_card_pays_it(db, shop, gateway):
    placed = await card_order(db, shop)
    declined = await pay(db, shop, placed.to_pay, gateway, DECLINED)
    assert declined.status is payments.PaymentStatus.FAILED
    assert declined.order_action is payments.OrderAction.PAYMENT_FAILED
    assert "Your card was declined." in declined.message and "try again or use another card" in declined.message
    assert await status_of(db, shop.tenant_id, placed.order_id) == "awaiting_payment"
    paid = await pay(db, shop, placed.to_pay, gateway, VISA)
    assert paid.status is payments.PaymentStatus.SUCCEEDED and paid.payment_id != declined.payment_id
    async with db.transaction(shop.tenant_id) as s:
        attempts = (await s.scalars(select(Payment.attempt).where(Payment.order_id == placed.order_id))).all()
    assert sorted(attempts) == [1, 2]
    assert await status_of(db, shop.tenant_id, placed.order_id) == "confirmed"


@pytest.mark.parametrize(("passes", "status"), [(True, "succeeded"), (False, "failed")])
async def test_three_d_secure_asks_the_buyer_then_succeeds_or_fails(db, shop, gateway, passes, status):
    placed = await card_order(db, shop)
    asked = await pay(db, shop, placed.to_pay, gateway, THREE_DS)
    assert asked.status is payments.PaymentStatus.REQUIRES_ACTION and asked.next_step == "authenticate"
    assert asked.order_action is payments.OrderAction.NONE
    async with db.transaction(shop.tenant_id) as s:
        done = await payments.authenticate(s, placed.order_id, asked.payment_id, gateway, success=passes)
    assert done.status.value == status
    expected = payments.OrderAction.CONFIRM if passes else payments.OrderAction.PAYMENT_FAILED
    assert done.order_action is expected


async def _deliver(db, tenant_id, gateway, body: bytes):
    event = gateway.verify(body, signed_headers(body, gateway.webhook_secret)["stripe-signature"])
    async with db.transaction(tenant_id) as s:
        outcome = await payments.handle_event(s, tenant_id, event, expect_livemode=False)
        if outcome.order_action is payments.OrderAction.CONFIRM:
            await sales.confirm_paid(s, tenant_id, outcome.order_id, sales_actor())
        return outcome


def sales_actor():
    from app.actor import Actor

    return Actor(kind="system", id=None, label="Stripe")


async def _succeeded_elsewhere(db, shop, gateway):
    """An order whose intent was paid at Stripe while the app heard nothing: the webhook alone must tell it."""
    placed = await card_order(db, shop)
    async with db.transaction(shop.tenant_id) as s:
        outcome = await payments.pay_order(s, shop.tenant_id, placed.to_pay, gateway, None)  # as for Elements
    assert outcome.next_step == "elements" and outcome.client_secret
    async with db.transaction(shop.tenant_id) as s:
        intent_id = await s.scalar(select(Payment.intent_id).where(Payment.id == outcome.payment_id))
    method = await gateway.client.v1.payment_methods.create_async(
        params={"type": "card", "card": {"number": VISA, "exp_month": 12, "exp_year": 2030, "cvc": "123"}}
    )
    await gateway.client.v1.payment_intents.update_async(intent_id, params={"payment_method": method.id})
    intent = await gateway.client.v1.payment_intents.confirm_async(intent_id)
    assert intent.status == "succeeded"
    return placed, intent


async def test_the_same_event_three_times_confirms_the_order_once(db, shop, gateway):
    placed, intent = await _succeeded_elsewhere(db, shop, gateway)
    assert await status_of(db, shop.tenant_id, placed.order_id) == "awaiting_payment"
    body = json.dumps(
        {"id": "evt_same_1", "object": "event", "type": "payment_intent.succeeded", "livemode": False,
         "created": 1, "data": {"object": intent.to_dict()}}
    ).encode()  # fmt: skip
    outcomes = [await _deliver(db, shop.tenant_id, gateway, body) for _ in range(3)]
    assert [o.handled for o in outcomes] == [True, False, False]
    assert [o.code for o in outcomes] == ["applied", "duplicate", "duplicate"]
    assert await status_of(db, shop.tenant_id, placed.order_id) == "confirmed"
    async with db.transaction(shop.tenant_id) as s:
        confirmations = await s.scalar(
            select(func.count())
            .select_from(SalesOrderEvent)
            .where(SalesOrderEvent.order_id == placed.order_id, SalesOrderEvent.to_status == "confirmed")
        )
        recorded = await s.scalar(select(func.count()).select_from(StripeEvent))
    assert confirmations == 1 and recorded == 1


async def test_an_event_naming_another_tenant_or_an_unknown_intent_changes_nothing(db, shop, gateway, tenant_b):
    placed, intent = await _succeeded_elsewhere(db, shop, gateway)
    body = json.dumps(
        {"id": "evt_other_1", "object": "event", "type": "payment_intent.succeeded", "livemode": False,
         "created": 1, "data": {"object": intent.to_dict()}}
    ).encode()  # fmt: skip
    other = await _deliver(db, tenant_b.id, gateway, body)
    assert other.code == "other_tenant" and not other.handled
    stripped = intent.to_dict() | {"metadata": {}}
    body = json.dumps(
        {"id": "evt_other_2", "object": "event", "type": "payment_intent.succeeded", "livemode": False,
         "created": 1, "data": {"object": stripped}}
    ).encode()  # fmt: skip
    unknown = await _deliver(db, tenant_b.id, gateway, body)  # no metadata: looked up in B, where it is not
    assert unknown.code == "no_payment" and unknown.order_id is None
    assert await status_of(db, shop.tenant_id, placed.order_id) == "awaiting_payment"


async def _refund(db, shop, gateway, payment_id, amount, reason="Damaged in transit", tenant_id=None):
    async with db.transaction(tenant_id or shop.tenant_id) as s:
        return await payments.refund_payment(
            s, tenant_id or shop.tenant_id, payment_id, amount, reason, shop.actor("carl"), gateway
        )


async def test_refunds_stay_within_what_was_captured(db, shop, gateway):
    placed = await card_order(db, shop)
    paid = await pay(db, shop, placed.to_pay, gateway, VISA)  # 121.00
    part = await _refund(db, shop, gateway, paid.payment_id, Decimal("21.00"))
    assert part.status is payments.PaymentStatus.PARTIALLY_REFUNDED and not part.full
    with pytest.raises(ValidationFailed) as too_much:
        await _refund(db, shop, gateway, paid.payment_id, Decimal("100.01"))
    assert "At most 100.00 EUR can still be refunded" in too_much.value.errors["amount"]
    with pytest.raises(ValidationFailed) as no_reason:
        await _refund(db, shop, gateway, paid.payment_id, Decimal("1"), reason="  ")
    assert "reason" in no_reason.value.errors
    with pytest.raises(ValidationFailed) as finer:
        await _refund(db, shop, gateway, paid.payment_id, Decimal("1.001"))
    assert "amount" in finer.value.errors
    rest = await _refund(db, shop, gateway, paid.payment_id, None)
    assert rest.full and rest.amount == Decimal("100.00") and rest.status is payments.PaymentStatus.REFUNDED
    with pytest.raises(ValidationFailed) as again:
        await _refund(db, shop, gateway, paid.payment_id, None)
    assert "already refunded in full" in again.value.errors["amount"]
    async with db.transaction(shop.tenant_id) as s:
        (line,) = await payments.payments_for_order(s, placed.order_id)
    assert [r.amount for r in line.refunds] == [Decimal("21.00"), Decimal("100.00")] and line.refundable == 0


async def test_a_declined_payment_cannot_be_refunded(db, shop, gateway):
    placed = await card_order(db, shop)
    declined = await pay(db, shop, placed.to_pay, gateway, DECLINED)
    with pytest.raises(ValidationFailed) as refused:
        await _refund(db, shop, gateway, declined.payment_id, None)
    assert "Nothing was captured" in refused.value.errors["amount"]


async def test_another_tenant_cannot_refund_or_see_a_payment(db, shop, gateway, tenant_b):
    placed = await card_order(db, shop)
    paid = await pay(db, shop, placed.to_pay, gateway, VISA)
    with pytest.raises(NotFound):
        await _refund(db, shop, gateway, paid.payment_id, None, tenant_id=tenant_b.id)
    async with db.transaction(tenant_b.id) as s:
        assert await payments.payments_for_order(s, placed.order_id) == ()
        assert await payments.payment_order(s, paid.payment_id) is None
    with pytest.raises(NotFound):
        async with db.transaction(tenant_b.id) as s:
            await payments.authenticate(s, placed.order_id, paid.payment_id, gateway, success=True)


async def test_an_order_below_the_card_minimum_is_refused_before_stripe(db, shop, gateway):
    placed = await card_order(db, shop)
    tiny = placed.to_pay._replace(gross=Decimal("0.10"))
    with pytest.raises(ValidationFailed) as refused:
        await pay(db, shop, tiny, gateway, VISA)
    assert "Card payments start at 0.50 EUR" in refused.value.errors["card"]
    assert await intents_for(gateway, placed.order_id) == []


def test_a_card_never_shows_its_number():
    assert "4242424242424242" not in repr(card(VISA)) and "4242" in repr(card(VISA))

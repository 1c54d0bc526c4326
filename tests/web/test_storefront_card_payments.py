"""Card payments in the storefront through HTTP, against localstripe: checkout by card confirms the order; a
declined card gives a clear message, leaves the order unconfirmed and keeps the cart; 3-D Secure; Stripe's
signed webhooks, delivered by localstripe to the app listening on a port, confirm an order paid only at Stripe,
once however often the event comes; a forged signature is a 400; another company's or tenant's payment is a 404;
without Stripe configured card payment is unavailable and on account still works.

The shop is the sales tests' one (tests.integration.sales.conftest.build_sales): CHAIR 100 + 21 % tax.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid

import pytest
import uvicorn
from sqlalchemy import func, select

from app import payments
from app.payments import localstripe
from app.payments.models import Payment, StripeEvent
from app.sales.models import SalesOrder, SalesOrderEvent
from tests.conftest import client_for
from tests.integration.sales.conftest import Sales, build_sales
from tests.stripe_fake import event_payload, signed_headers
from tests.web.test_auth_sign_in import csrf, post_form, sign_in

PASSWORD = "secret-pass-1"
VISA, DECLINED, THREE_DS = "4242424242424242", "4000000000000341", "4000000000003220"


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


@pytest.fixture
async def buyer(stripe_app, shop):
    async with client_for(stripe_app, "acme.localhost") as client:
        assert (await sign_in(client, "carl@roca.test", PASSWORD, staff=False)).status_code == 303
        yield client


async def checkout(client, shop: Sales, number: str | None, payment: str = "card"):
    await post_form(client, "/cart/add", {"variant": str(shop.sku("CHAIR")), "qty": "1"})
    page = await client.get("/checkout")
    key = page.text.split('name="idempotency_key" value="')[1].split('"')[0]
    form = {"idempotency_key": key, "ship_address_id": str(shop.addresses["ROCA"]), "payment": payment}
    form |= {"delivery_mode": "ship_available"}
    if number:
        form |= {"card_number": number, "card_expiry": "12/30", "card_cvc": "123"}
    return form, await post_form(client, "/checkout", form)


async def only_order(db, tenant_id) -> SalesOrder:
    async with db.transaction(tenant_id) as s:
        (found,) = (await s.scalars(select(SalesOrder))).all()
        return found


async def confirmations(db, tenant_id, order_id) -> int:
    async with db.transaction(tenant_id) as s:
        found = select(func.count()).select_from(SalesOrderEvent)
        return await s.scalar(
            found.where(SalesOrderEvent.order_id == order_id, SalesOrderEvent.to_status == "confirmed")
        )


async def test_checkout_by_card_pays_and_confirms_the_order_once(buyer, db, shop):
    form, placed = await checkout(buyer, shop, VISA)
    assert placed.status_code == 303 and placed.headers["location"].startswith("/account/orders/"), re.findall(
        r"error-text[^>]*>([^<]+)", placed.text
    )
    again = await post_form(buyer, "/checkout", form)  # a double click: the same order, no second charge
    assert again.headers["location"] == placed.headers["location"]
    order = await only_order(db, shop.tenant_id)
    assert order.status == "confirmed" and order.payment_method == "card"
    async with db.transaction(shop.tenant_id) as s:
        assert len((await s.scalars(select(Payment))).all()) == 1
    page = await buyer.get(placed.headers["location"])
    assert "is paid and confirmed" in page.text and "Confirmed" in page.text
    assert "Paid" in page.text and "•••• 4242" in page.text
    assert VISA not in page.text
    assert "Your cart is empty." in (await buyer.get("/cart")).text


async def test_a_declined_card_says_so_keeps_the_cart_and_another_card_pays(buyer, db, shop):
    _form, placed = await checkout(buyer, shop, DECLINED)
    order = await only_order(db, shop.tenant_id)
    assert placed.status_code == 303 and placed.headers["location"] == f"/account/orders/{order.id}/pay"
    assert order.status == "awaiting_payment"
    page = await buyer.get(placed.headers["location"])
    assert "Your card payment did not go through (Your card was declined.)" in page.text
    assert "Your order is kept: try again or use another card." in page.text
    assert "CHAIR" in (await buyer.get("/cart")).text  # the cart is kept
    assert "waits for its card payment" in (await buyer.get("/checkout")).text
    paid = await post_form(
        buyer, f"/account/orders/{order.id}/pay", {"card_number": VISA, "card_expiry": "12/30", "card_cvc": "123"}
    )
    assert paid.status_code == 303 and paid.headers["location"] == f"/account/orders/{order.id}"
    assert (await only_order(db, shop.tenant_id)).status == "confirmed"
    assert "Your cart is empty." in (await buyer.get("/cart")).text


async def test_a_badly_typed_card_is_refused_beside_its_fields_before_anything_is_placed(buyer, db, shop):
    await post_form(buyer, "/cart/add", {"variant": str(shop.sku("CHAIR")), "qty": "1"})
    page = await buyer.get("/checkout")
    key = page.text.split('name="idempotency_key" value="')[1].split('"')[0]
    form = {
        "idempotency_key": key,
        "delivery_mode": "ship_available",
        "payment": "card",
        "card_number": "4242",
        "card_expiry": "13/30",
        "card_cvc": "x",
    }
    refused = await post_form(buyer, "/checkout", form)
    assert refused.status_code == 400
    for message in ("16 digits", "Enter the expiry date as MM/YY.", "Enter the 3 digits"):
        assert message in refused.text
    async with db.transaction(shop.tenant_id) as s:
        assert await s.scalar(select(func.count()).select_from(SalesOrder)) == 0


async def test_three_d_secure_is_asked_for_and_completed_on_the_payment_page(buyer, db, shop):
    _form, placed = await checkout(buyer, shop, THREE_DS)
    order = await only_order(db, shop.tenant_id)
    page = await buyer.get(placed.headers["location"])
    assert "3-D Secure" in page.text and 'id="three-d-secure"' in page.text
    action = page.text.split('id="three-d-secure"')[1].split('action="')[1].split('"')[0]
    done = await post_form(buyer, action, {"result": "pass"})
    assert done.status_code == 303 and done.headers["location"] == f"/account/orders/{order.id}"
    assert (await only_order(db, shop.tenant_id)).status == "confirmed"


async def _paid_at_stripe_only(stripe_settings, db, shop) -> tuple[uuid.UUID, str]:
    """An order whose intent is confirmed directly against localstripe: only the webhook can tell the app."""
    from tests.integration.payments.conftest import card_order

    placed = await card_order(db, shop)
    gateway = payments.StripeGateway(stripe_settings)
    async with db.transaction(shop.tenant_id) as s:
        outcome = await payments.pay_order(s, shop.tenant_id, placed.to_pay, gateway, None)
    async with db.transaction(shop.tenant_id) as s:
        intent_id = await s.scalar(select(Payment.intent_id).where(Payment.id == outcome.payment_id))
    method = await gateway.client.v1.payment_methods.create_async(
        params={"type": "card", "card": {"number": VISA, "exp_month": 12, "exp_year": 2030, "cvc": "123"}}
    )
    await gateway.client.v1.payment_intents.update_async(intent_id, params={"payment_method": method.id})
    assert (await gateway.client.v1.payment_intents.confirm_async(intent_id)).status == "succeeded"
    return placed.order_id, intent_id


@pytest.fixture
async def listening(stripe_app):
    """The app serving on a free port (uvicorn, in this event loop), so localstripe can deliver webhooks."""
    port = localstripe.free_port()
    server = uvicorn.Server(
        uvicorn.Config(stripe_app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    for _ in range(200):  # up in well under a second
        if server.started:
            break
        await asyncio.sleep(0.05)
    yield port
    server.should_exit = True
    await task


async def test_a_payment_known_only_from_three_real_webhook_deliveries_confirms_once(
    listening, stripe_settings, localstripe_url, db, shop
):
    url = f"http://acme.localhost:{listening}/stripe/webhook"
    hooks = [f"bodega-{uuid.uuid4().hex[:8]}" for _ in range(3)]
    for hook in hooks:  # three endpoints with one address: every event is delivered three times, at once
        localstripe.register_webhook(localstripe_url, hook, url, stripe_settings.stripe_webhook_secret)
    try:
        order_id, intent_id = await _paid_at_stripe_only(stripe_settings, db, shop)
        for _ in range(100):
            await asyncio.sleep(0.1)
            async with db.transaction(shop.tenant_id) as s:
                seen = await s.scalar(select(func.count()).select_from(StripeEvent))
                status = await s.scalar(select(SalesOrder.status).where(SalesOrder.id == order_id))
            if status == "confirmed":
                break
        await asyncio.sleep(1.0)  # let the other deliveries land
    finally:
        for hook in hooks:  # off: no later test's events come here
            localstripe.register_webhook(localstripe_url, hook, url, "off", events=["bodega.none"])
    assert status == "confirmed"
    assert await confirmations(db, shop.tenant_id, order_id) == 1
    async with db.transaction(shop.tenant_id) as s:
        events = (await s.scalars(select(StripeEvent))).all()
        payment = await s.scalar(select(Payment).where(Payment.intent_id == intent_id))
    assert [e.type for e in events] == ["payment_intent.succeeded"] and seen >= 1
    assert events[0].outcome == "applied" and payment.status == "succeeded"


async def test_a_forged_or_missing_signature_is_a_400_and_changes_nothing(stripe_app, stripe_settings, db, shop):
    body = event_payload("evt_forged_1", "payment_intent.succeeded", {"id": "pi_x", "object": "payment_intent"})
    async with client_for(stripe_app, "acme.localhost") as client:
        forged = await client.post("/stripe/webhook", content=body, headers=signed_headers(body, "whsec_wrong"))
        missing = await client.post("/stripe/webhook", content=body, headers={"content-type": "application/json"})
        tampered_body = body.replace(b"pi_x", b"pi_y")
        signed = signed_headers(body, stripe_settings.stripe_webhook_secret)
        tampered = await client.post("/stripe/webhook", content=tampered_body, headers=signed)
        old = await client.post(
            "/stripe/webhook", content=body, headers=signed_headers(body, stripe_settings.stripe_webhook_secret, at=1)
        )
        good = await client.post("/stripe/webhook", content=body, headers=signed)
    assert [r.status_code for r in (forged, missing, tampered, old)] == [400, 400, 400, 400]
    assert good.status_code == 200 and json.loads(good.text)["outcome"] == "no_payment"


async def test_an_event_signed_for_another_tenant_changes_nothing_there(
    stripe_app, stripe_settings, db, shop, tenant_b
):
    order_id, intent_id = await _paid_at_stripe_only(stripe_settings, db, shop)
    gateway = payments.StripeGateway(stripe_settings)
    intent = await gateway.client.v1.payment_intents.retrieve_async(intent_id)
    body = event_payload("evt_cross_1", "payment_intent.succeeded", intent.to_dict())
    headers = signed_headers(body, stripe_settings.stripe_webhook_secret)
    async with client_for(stripe_app, "globex.localhost") as other:
        answer = await other.post("/stripe/webhook", content=body, headers=headers)
    assert answer.status_code == 200 and json.loads(answer.text)["outcome"] == "other_tenant"
    async with db.transaction(shop.tenant_id) as s:
        assert await s.scalar(select(SalesOrder.status).where(SalesOrder.id == order_id)) == "awaiting_payment"
    async with client_for(stripe_app, "acme.localhost") as own:
        answer = await own.post("/stripe/webhook", content=body, headers=headers)
    assert json.loads(answer.text)["outcome"] == "applied"
    async with db.transaction(shop.tenant_id) as s:
        assert await s.scalar(select(SalesOrder.status).where(SalesOrder.id == order_id)) == "confirmed"


async def test_another_company_or_tenant_cannot_reach_a_payment(stripe_app, buyer, db, shop, tenant_b):
    _form, _placed = await checkout(buyer, shop, THREE_DS)
    order = await only_order(db, shop.tenant_id)
    async with db.transaction(shop.tenant_id) as s:
        payment_id = await s.scalar(select(Payment.id))
    async with client_for(stripe_app, "acme.localhost") as otto:
        assert (await sign_in(otto, "otto@otra.test", PASSWORD, staff=False)).status_code == 303
        assert (await otto.get(f"/account/orders/{order.id}/pay")).status_code == 404
        card = {"card_number": VISA, "card_expiry": "12/30", "card_cvc": "123"}
        assert (await post_form(otto, f"/account/orders/{order.id}/pay", card)).status_code == 404
        passed = await post_form(otto, f"/account/orders/{order.id}/pay/{payment_id}/authenticate", {"result": "pass"})
        assert passed.status_code == 404
    unknown = await post_form(buyer, f"/account/orders/{order.id}/pay/{uuid.uuid4()}/authenticate", {"result": "pass"})
    assert unknown.status_code == 404
    async with client_for(stripe_app, "globex.localhost") as other:
        assert (await other.get(f"/account/orders/{order.id}/pay")).status_code in (303, 404)
    assert (await only_order(db, shop.tenant_id)).status == "awaiting_payment"


async def test_without_stripe_card_payment_is_unavailable_and_on_account_works(client_a, db, shop):
    assert (await sign_in(client_a, "carl@roca.test", PASSWORD, staff=False)).status_code == 303
    form, refused = await checkout(client_a, shop, VISA)
    assert refused.status_code == 400 and "Card payment is not available in this shop" in refused.text
    assert (await post_form(client_a, "/stripe/webhook", {})).status_code in (403, 404)
    on_account = await post_form(client_a, "/checkout", form | {"payment": "account"})
    assert on_account.status_code == 303
    assert (await only_order(db, shop.tenant_id)).status == "confirmed"
    assert await csrf(client_a)

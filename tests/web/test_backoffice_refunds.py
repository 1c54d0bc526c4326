"""Refunds from the back office's order page, against localstripe: the order's card payments shown with a refund
form; a partial refund with a reason, then the rest; refusals (above what is left, no reason, not an amount)
beside their fields with nothing refunded; warehouse staff may not refund; another tenant's ids are a 404."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.payments.models import Payment, PaymentRefund
from tests.conftest import client_for
from tests.integration.payments.conftest import VISA, card_order, pay
from tests.integration.sales.conftest import Sales, build_sales
from tests.web.test_auth_sign_in import add_staff, post_form, sign_in

PASSWORD = "secret-pass-1"


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


@pytest.fixture
async def paid(db, shop, stripe_settings):
    from app import payments

    placed = await card_order(db, shop)
    outcome = await pay(db, shop, placed.to_pay, payments.StripeGateway(stripe_settings), VISA)
    return placed.order_id, outcome.payment_id


async def staff_client(app, db, tenant, email: str, *roles: str):
    await add_staff(db, tenant, email, *roles, password=PASSWORD)
    client = client_for(app, f"{tenant.slug}.localhost")
    await client.__aenter__()
    assert (await sign_in(client, email, PASSWORD, staff=True)).status_code == 303
    return client


async def refunds_of(db, tenant_id) -> list[Decimal]:
    async with db.transaction(tenant_id) as s:
        return [r.amount for r in (await s.scalars(select(PaymentRefund).order_by(PaymentRefund.number))).all()]


async def test_staff_refund_part_then_the_rest_from_the_order_page(stripe_app, db, tenant_a, shop, paid):
    order_id, payment_id = paid
    staff = await staff_client(stripe_app, db, tenant_a, "olga@acme.test", "sales")
    order_page = await staff.get(f"/admin/sales/orders/{order_id}")
    assert f'hx-get="/admin/sales/orders/{order_id}/payments"' in order_page.text
    fragment = await staff.get(f"/admin/sales/orders/{order_id}/payments", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Paid" in fragment.text and "•••• 4242" in fragment.text and "Refund" in fragment.text
    url = f"/admin/sales/orders/{order_id}/payments/{payment_id}/refund"
    part = await post_form(staff, url, {"amount": "21,00", "reason": "Two chairs scratched"})
    assert part.status_code == 303 and part.headers["location"] == f"/admin/sales/orders/{order_id}"
    shown = await staff.get(f"/admin/sales/orders/{order_id}/payments")
    assert "Partially refunded" in shown.text and "Two chairs scratched" in shown.text
    rest = await post_form(staff, url, {"amount": "", "reason": "Order returned"})
    assert rest.status_code == 303
    assert await refunds_of(db, tenant_a.id) == [Decimal("21.0000"), Decimal("100.0000")]
    async with db.transaction(tenant_a.id) as s:
        assert (await s.get(Payment, (tenant_a.id, payment_id))).status == "refunded"
    again = await post_form(staff, url, {"amount": "1", "reason": "Once more"})
    assert again.status_code == 400 and "already refunded in full" in again.text
    await staff.__aexit__(None, None, None)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"amount": "121.01", "reason": "Too much"}, "At most 121.00 EUR can still be refunded"),
        ({"amount": "10", "reason": " "}, "Say why the money goes back"),
        ({"amount": "ten", "reason": "Bad"}, "Enter an amount such as 12.50."),
        ({"amount": "-5", "reason": "Negative"}, "must not be negative"),
        ({"amount": "1e400", "reason": "Huge"}, "Enter an amount"),
    ],
)
async def test_refusals_come_back_beside_their_fields_and_refund_nothing(
    stripe_app, db, tenant_a, shop, paid, form, message
):
    order_id, payment_id = paid
    staff = await staff_client(stripe_app, db, tenant_a, "olga@acme.test", "owner")
    refused = await post_form(staff, f"/admin/sales/orders/{order_id}/payments/{payment_id}/refund", form)
    assert refused.status_code == 400 and message in refused.text
    assert await refunds_of(db, tenant_a.id) == []
    await staff.__aexit__(None, None, None)


async def test_warehouse_staff_cannot_refund(stripe_app, db, tenant_a, shop, paid):
    order_id, payment_id = paid
    staff = await staff_client(stripe_app, db, tenant_a, "wally@acme.test", "warehouse")
    url = f"/admin/sales/orders/{order_id}/payments/{payment_id}/refund"
    refused = await post_form(staff, url, {"amount": "", "reason": "Not mine to give"})
    assert refused.status_code in (302, 303, 403)
    assert await refunds_of(db, tenant_a.id) == []
    await staff.__aexit__(None, None, None)


async def test_another_tenant_or_order_gets_a_404(stripe_app, db, tenant_a, tenant_b, shop, paid):
    order_id, payment_id = paid
    other = await staff_client(stripe_app, db, tenant_b, "gus@globex.test", "owner")
    assert (await other.get(f"/admin/sales/orders/{order_id}/payments")).status_code == 404
    url = f"/admin/sales/orders/{order_id}/payments/{payment_id}/refund"
    assert (await post_form(other, url, {"amount": "", "reason": "Steal"})).status_code == 404
    await other.__aexit__(None, None, None)
    own = await staff_client(stripe_app, db, tenant_a, "olga@acme.test", "owner")
    wrong_order = f"/admin/sales/orders/{uuid.uuid4()}/payments/{payment_id}/refund"
    assert (await post_form(own, wrong_order, {"amount": "", "reason": "Mismatch"})).status_code == 404
    assert await refunds_of(db, tenant_a.id) == []
    await own.__aexit__(None, None, None)

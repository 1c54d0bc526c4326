"""What the payment service tests share: the sales tests' shop (tests.integration.sales.conftest), an order placed
by card awaiting its payment, and a gateway to the session's localstripe."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app import payments, sales
from tests.integration.sales.conftest import Sales, build_sales, english, order  # noqa: F401 - english: fixture

VISA = "4242424242424242"
DECLINED = "4000000000000341"
THREE_DS = "4000000000003220"


def card(number: str) -> payments.CardDetails:
    return payments.CardDetails(number, 12, 2030, "123")


@dataclass
class CardOrder:
    shop: Sales
    order_id: object
    number: str
    to_pay: payments.OrderToPay


async def card_order(db, shop: Sales, user: str = "carl", qty: int = 1) -> CardOrder:
    placed = await order(db, shop, user, ("CHAIR", qty), payment="card")
    assert placed.status == "awaiting_payment"
    return CardOrder(
        shop, placed.order_id, placed.number, payments.OrderToPay(placed.order_id, placed.number, "EUR", placed.gross)
    )


async def pay(db, shop: Sales, to_pay, gateway, number: str):
    """Pay in its own transaction and hand the outcome to sales, as the storefront does."""
    async with db.transaction(shop.tenant_id) as s:
        outcome = await payments.pay_order(s, shop.tenant_id, to_pay, gateway, card(number))
        if outcome.order_action is payments.OrderAction.CONFIRM:
            await sales.confirm_paid(s, shop.tenant_id, to_pay.order_id, shop.actor("carl"))
        return outcome


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


@pytest.fixture
def gateway(stripe_settings) -> payments.StripeGateway:
    return payments.StripeGateway(stripe_settings)

"""What the sales tests share: inventory's stocked shop with its articles published and priced, customer
companies with buyers and approvers, and a helper that places an order through the service."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.actor import SYSTEM, Actor
from app.catalog.models import ProductVariant
from app.catalog.services import change_product_status
from app.identity.services import NewUser, create_user
from app.parties import AddressInput, NewCustomer, add_address, create_customer
from app.pricing.models import PriceList
from app.pricing.services import FixedPrice, set_fixed_prices
from app.sales import OrderLineRequest, PlaceOrder, place_order, set_spending_limits
from tests.integration.inventory.conftest import Shop, build_shop, receive

PRICES = {"CHAIR": Decimal("100"), "DESK": Decimal("250"), "LAMP": Decimal("20")}


@dataclass
class Sales:
    """A tenant's shop, its customer companies by code and their users by name."""

    shop: Shop
    customers: dict[str, uuid.UUID] = field(default_factory=dict)
    users: dict[str, uuid.UUID] = field(default_factory=dict)
    addresses: dict[str, uuid.UUID] = field(default_factory=dict)

    @property
    def tenant_id(self) -> uuid.UUID:
        return self.shop.tenant_id

    def sku(self, code: str) -> uuid.UUID:
        return self.shop.skus[code]

    def actor(self, user: str) -> Actor:
        return Actor("customer", self.users[user], user)


# company code -> [(user name, role, per-order limit)]
COMPANIES = {
    "ROCA": [("ana", "buyer", Decimal("500")), ("bea", "approver", None), ("carl", "buyer", None)],
    "OTRA": [("otto", "approver", None)],
}


async def build_sales(db, tenant, *, chairs: int = 10) -> Sales:
    sales = Sales(await build_shop(db, tenant))
    async with db.transaction(tenant.id) as s:
        product_id = await s.scalar(select(ProductVariant.product_id).where(ProductVariant.id == sales.sku("CHAIR")))
        await change_product_status(s, tenant.id, product_id, "active", SYSTEM)
        base = await s.scalar(select(PriceList.id).where(PriceList.is_base.is_(True)))
        prices = [FixedPrice(base, sku, Decimal(1), value, None, None) for sku, value in PRICES.items()]
        await set_fixed_prices(s, tenant.id, prices, SYSTEM)
        for code, people in COMPANIES.items():
            customer = await create_customer(s, tenant.id, NewCustomer(code, code.title() + " S.A."), SYSTEM)
            sales.customers[code] = customer.id
            place = AddressInput("Sede", code.title(), "Calle Mayor 1", "28001", "Madrid", "ES")
            sales.addresses[code] = (await add_address(s, tenant.id, customer.id, place, SYSTEM)).id
            for name, role, limit in people:
                data = NewUser(
                    "customer", f"{name}@{code.lower()}.test", name.title(), (role,), "secret-pass-1", customer.id
                )
                user = await create_user(s, tenant.id, data, SYSTEM)
                sales.users[name] = user.id
                if limit is not None:
                    await set_spending_limits(s, tenant.id, user.id, "EUR", limit, None)
    if chairs:
        await receive(db, sales.shop, "CHAIR", chairs)
    return sales


async def order(db, sales: Sales, user: str, *lines, key: str | None = None, company: str = "ROCA", **choices):
    """Place an order of (sku, qty) lines as `user` in its own transaction; returns the PlacedOrder."""
    data = PlaceOrder(
        sales.customers[company],
        sales.users[user],
        key or uuid.uuid4().hex,
        tuple(OrderLineRequest(sales.sku(sku), qty) for sku, qty in lines),
        **choices,
    )
    async with db.transaction(sales.tenant_id) as s:
        return await place_order(s, sales.tenant_id, data, sales.actor(user))


@pytest.fixture(autouse=True)
def english():
    """Messages in English, as the assertions read them (the default locale is Spanish)."""
    from app.i18n import current_locale

    token = current_locale.set("en")
    yield
    current_locale.reset(token)


@pytest.fixture
async def sales_a(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)

"""What the purchasing tests share: a stocked shop (inventory's), two suppliers with price lists, and helpers to
order, send and receive through the services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import pytest

from app.actor import SYSTEM
from app.i18n import use_locale
from app.parties import SupplierInput, create_supplier
from app.purchasing import services
from app.purchasing.services import OrderInput, OrderLineInput, ReceiveLineInput, SupplierPriceInput
from tests.integration.inventory.conftest import Shop, build_shop

TODAY = date(2026, 12, 7)
# supplier code -> (country, lead time days, [(sku, min qty, unit price, lead days, pack size)])
SUPPLIERS = {
    "MADERAS": (
        "ES",
        10,
        [("CHAIR", "1", "38", "10", ""), ("CHAIR", "10", "35", "10", ""), ("DESK", "1", "140", "12", "")],
    ),
    "LUZ": (
        "IT",
        20,
        [("CHAIR", "1", "36.50", "20", ""), ("LAMP", "1", "11", "15", "6"), ("GLUE", "1", "2.50", "5", "")],
    ),
}


@dataclass
class Buying:
    """A tenant's shop and its suppliers by code."""

    shop: Shop
    suppliers: dict[str, uuid.UUID] = field(default_factory=dict)

    @property
    def tenant_id(self) -> uuid.UUID:
        return self.shop.tenant_id

    def sku(self, code: str) -> uuid.UUID:
        return self.shop.skus[code]


async def build_buying(db, tenant, **shop) -> Buying:
    buying = Buying(await build_shop(db, tenant, **shop))
    async with db.transaction(tenant.id) as s:
        for code, (country, lead, prices) in SUPPLIERS.items():
            data = SupplierInput(
                code,
                code.title() + " S.A.",
                "EUR",
                country,
                email=f"pedidos@{code.lower()}.test",
                default_lead_time_days=lead,
            )
            supplier = await create_supplier(s, tenant.id, data, SYSTEM)
            buying.suppliers[code] = supplier.id
            for sku, min_qty, price, days, pack in prices:
                line = SupplierPriceInput(buying.sku(sku), price, min_qty, lead_time_days=days, pack_size=pack)
                await services.add_supplier_price(s, tenant.id, supplier.id, line, SYSTEM)
    return buying


async def order(
    db, buying: Buying, supplier: str, *lines, warehouse: str = "MAIN", submit: bool = True, send: bool = True
):
    """An order of (sku, qty[, price]) lines, submitted and sent unless told otherwise; returns its id."""
    typed = tuple(OrderLineInput(buying.sku(sku), str(qty), *rest) for sku, qty, *rest in lines)
    data = OrderInput(buying.suppliers[supplier], buying.shop.warehouses[warehouse], typed)
    async with db.transaction(buying.tenant_id) as s:
        created = await services.create_order(s, buying.tenant_id, data, SYSTEM, today=TODAY)
        if submit:
            submitted = await services.submit_order(s, buying.tenant_id, created.id, SYSTEM)
            if send and submitted.status == "to_approve":
                await services.approve_order(s, buying.tenant_id, created.id, SYSTEM)
            if send:
                await services.send_order(
                    s, buying.tenant_id, created.id, SYSTEM, link="https://x.test/po/{token}", today=TODAY
                )
        return created.id


async def receive(db, buying: Buying, order_id, *lines, on: date = TODAY):
    """Receive (sku, qty) or (sku, qty, {extra fields}) lines on an order; returns the receipt."""
    typed = tuple(
        ReceiveLineInput(str(line[1]), variant_id=buying.sku(line[0]), **(line[2] if len(line) > 2 else {}))
        for line in lines
    )
    async with db.transaction(buying.tenant_id) as s:
        return await services.receive_order(s, buying.tenant_id, order_id, typed, SYSTEM, received_on=on)


@pytest.fixture(autouse=True)
async def in_english():
    """The messages these tests read are the English ones (the services speak the request's language)."""
    with use_locale("en"):
        yield


@pytest.fixture
async def buying_a(db, tenant_a) -> Buying:
    return await build_buying(db, tenant_a)

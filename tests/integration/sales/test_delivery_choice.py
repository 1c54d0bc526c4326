"""The delivery method at checkout, through the services: the cheapest by default, a chosen service priced again
on the server (a rate changed after the page was shown is the one charged), a service that does not deliver to
the address refused on its field with nothing written, the shipping charge taxed into the order's totals, each
line's available-to-promise date, and a tenant without carriers ordering as before.

The carriers are the shipping tests' (tests.integration.shipping.carriers): COURIER (fuel surcharge 10 %) with
STD (peninsula 4 days, 5.00 + 1.00 base -> 6.60; Balearics 6 days -> 11.00) and ECO (peninsula only, 7 days,
4.50 -> 4.95), and EXPRESS 24H (all Spain, 1 day, 9.90). The sales shop's customer ROCA is in Madrid 28001.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import shipping
from app.actor import SYSTEM
from app.cache import stats as cache_stats
from app.changes import ChangeFeed
from app.db import plain_dsn
from app.errors import ValidationFailed
from app.parties import AddressInput, SupplierInput, add_address, create_supplier
from app.purchasing import services as purchasing
from app.purchasing.services import OrderInput, SupplierPriceInput
from app.purchasing.services import OrderLineInput as PurchaseLine
from app.sales import OrderLineRequest, delivery_options
from app.sales._delivery_promise import delivered_on
from app.sales.models import SalesOrder
from app.shipping import RateInput
from tests.integration.sales.conftest import build_sales, order
from tests.integration.shipping.carriers import build_carriers

D = Decimal


async def _weigh(owner, tenant_id, kg: str = "5") -> None:
    await owner.execute("UPDATE product_variants SET weight_kg = $2 WHERE tenant_id = $1", tenant_id, D(kg))


@pytest.fixture
async def shop(db, tenant_a, owner):
    sales = await build_sales(db, tenant_a)
    sales.carriers = await build_carriers(db, tenant_a)
    await _weigh(owner, tenant_a.id)
    return sales


async def _stored(db, sales, order_id) -> SalesOrder:
    async with db.transaction(sales.tenant_id) as s:
        return await s.get(SalesOrder, (sales.tenant_id, order_id))


async def _address(db, sales, postcode: str, country: str = "ES") -> uuid.UUID:
    place = AddressInput("Almacén", "Roca", "Calle del Mar 3", postcode, "Palma", country)
    async with db.transaction(sales.tenant_id) as s:
        return (await add_address(s, sales.tenant_id, sales.customers["ROCA"], place, SYSTEM)).id


async def test_without_a_choice_the_cheapest_service_is_charged_and_taxed_into_the_totals(db, shop):
    placed = await order(db, shop, "carl", ("CHAIR", 2))
    stored = await _stored(db, shop, placed.order_id)
    assert stored.delivery_service_id == shop.carriers["eco"].id
    assert stored.delivery_label == "Courier · Economy"
    assert (stored.shipping_net, stored.shipping_tax) == (D("4.95"), D("1.04"))  # 21 % of 4.95, rounded
    assert (stored.net, stored.tax, stored.gross) == (D("204.95"), D("43.04"), D("247.99"))
    assert placed.gross == D("247.99")
    chairs_leave_today = delivered_on(date.today(), 7)
    assert stored.promised_date == chairs_leave_today


async def test_a_chosen_service_is_priced_again_on_the_server_when_the_order_is_placed(db, shop):
    fast = shop.carriers["fast"].id
    async with db.transaction(shop.tenant_id) as s:
        shown = await delivery_options(
            s, shop.tenant_id, shop.customers["ROCA"], shop.users["carl"], service_id=fast,
            lines=(OrderLineRequest(shop.sku("CHAIR"), 1),),
        )  # fmt: skip
    assert shown.chosen.service_id == fast and shown.chosen.price == D("9.90")
    spain = await _zone(db, shop, "EXPRESS", "ES")
    async with db.transaction(shop.tenant_id) as s:  # the rate changes while the buyer looks at the page
        await shipping.set_rate(s, shop.tenant_id, fast, RateInput(spain, 1, "2", "1.00", "30; 9.90"), SYSTEM)
    placed = await order(db, shop, "carl", ("CHAIR", 1), delivery_service_id=fast)
    stored = await _stored(db, shop, placed.order_id)
    assert stored.delivery_service_id == fast and stored.delivery_label == "Express · Next day"
    assert stored.shipping_net == D("11.90")  # the rate at placing, not the page's 9.90
    assert (stored.tax, stored.gross) == (D("23.50"), D("135.40"))  # 21.00 + 2.50, each line rounded
    assert stored.promised_date == delivered_on(date.today(), 1)


async def _zone(db, shop, carrier: str, code: str) -> uuid.UUID:
    async with db.transaction(shop.tenant_id) as s:
        carriers = await s.scalars(select(shipping.CarrierRecord).where(shipping.CarrierRecord.code == carrier))
        carrier_id = carriers.one().id
        zones = await s.scalars(
            select(shipping.ShippingZone).where(
                shipping.ShippingZone.carrier_id == carrier_id, shipping.ShippingZone.code == code
            )
        )
        return zones.one().id


async def test_a_service_that_does_not_deliver_to_the_address_is_refused_on_its_field(db, shop):
    palma = await _address(db, shop, "07001")
    with pytest.raises(ValidationFailed) as refused:
        await order(db, shop, "carl", ("CHAIR", 1), ship_address_id=palma, delivery_service_id=shop.carriers["eco"].id)
    assert "does not deliver this order to this address" in refused.value.errors["delivery_service_id"]
    placed = await order(db, shop, "carl", ("CHAIR", 1), ship_address_id=palma)  # the cheapest that goes there
    stored = await _stored(db, shop, placed.order_id)
    assert stored.delivery_service_id == shop.carriers["fast"].id and stored.shipping_net == D("9.90")
    async with db.transaction(shop.tenant_id) as s:
        assert len((await s.scalars(select(SalesOrder.id))).all()) == 1  # the refused one wrote nothing


async def test_an_address_no_carrier_serves_is_refused_with_the_reason(db, shop):
    paris = await _address(db, shop, "75001", "FR")
    with pytest.raises(ValidationFailed) as refused:
        await order(db, shop, "carl", ("CHAIR", 1), ship_address_id=paris)
    assert "None of our carriers delivers" in refused.value.errors["delivery_service_id"]


async def test_another_tenants_service_is_never_used(db, shop, tenant_b):
    other = await build_carriers(db, tenant_b)
    with pytest.raises(ValidationFailed) as refused:
        await order(db, shop, "carl", ("CHAIR", 1), delivery_service_id=other["fast"].id)
    assert "delivery_service_id" in refused.value.errors


async def test_a_package_over_every_limit_is_refused(db, shop, owner):
    await _weigh(owner, shop.tenant_id, "40")  # 40 kg: over STD and ECO's 30 kg and EXPRESS's last bracket
    with pytest.raises(ValidationFailed) as refused:
        await order(db, shop, "carl", ("CHAIR", 1), delivery_service_id=shop.carriers["std"].id)
    assert refused.value.errors["delivery_service_id"]


async def test_the_options_mark_the_cheapest_and_the_fastest_and_date_each_line(db, shop, owner):
    await _weigh(owner, shop.tenant_id, "2")  # 8 items, 16 kg: every service carries it
    supplier_date = date.today() + timedelta(days=12)
    await _purchase(db, shop, "LAMP", 50, supplier_date)
    lines = (OrderLineRequest(shop.sku("CHAIR"), 3), OrderLineRequest(shop.sku("LAMP"), 4))
    lines += (OrderLineRequest(shop.sku("DESK"), 1),)
    async with db.transaction(shop.tenant_id) as s:
        shown = await delivery_options(s, shop.tenant_id, shop.customers["ROCA"], shop.users["carl"], lines=lines)
    offers = {o.service_code: o for o in shown.offers}
    assert [o.service_code for o in shown.offers] == ["ECO", "STD", "24H"]  # cheapest first
    assert offers["ECO"].cheapest and not offers["ECO"].fastest and offers["24H"].fastest
    assert shown.chosen.service_code == "ECO"
    dates = {line.sku: line.available_on for line in shown.lines}
    assert dates == {"CHAIR": date.today(), "LAMP": supplier_date, "DESK": None}  # DESK: on request
    assert shown.first_ship_on == date.today() and shown.complete_on is None
    assert offers["24H"].arrives_on == delivered_on(date.today(), 1) and offers["24H"].complete_on is None
    totals = shown.totals
    assert totals.shipping == offers["ECO"].price
    assert totals.gross == totals.net + totals.tax and totals.net == totals.subtotal + totals.shipping


async def _purchase(db, shop, sku: str, qty: int, on: date) -> None:
    """A purchase order sent to a supplier, expected on `on`: the line's incoming supply."""
    tid = shop.tenant_id
    async with db.transaction(tid) as s:
        supplier = await create_supplier(
            s, tid, SupplierInput("LUZ", "Luz S.A.", "EUR", "ES", email="pedidos@luz.test"), SYSTEM
        )
        price = SupplierPriceInput(shop.sku(sku), "5", "1", lead_time_days="5")
        await purchasing.add_supplier_price(s, tid, supplier.id, price, SYSTEM)
        lines = (PurchaseLine(shop.sku(sku), str(qty), "5", on),)
        data = OrderInput(supplier.id, shop.shop.warehouses["MAIN"], lines)
        created = await purchasing.create_order(s, tid, data, SYSTEM)
        submitted = await purchasing.submit_order(s, tid, created.id, SYSTEM)
        if submitted.status == "to_approve":
            await purchasing.approve_order(s, tid, created.id, SYSTEM)
        await purchasing.send_order(s, tid, created.id, SYSTEM, link="https://x.test/po/{token}")


async def test_a_tenant_without_carriers_orders_as_before(db, tenant_b):
    plain = await build_sales(db, tenant_b)
    placed = await order(db, plain, "carl", ("CHAIR", 2))
    stored = await _stored(db, plain, placed.order_id)
    assert (stored.delivery_service_id, stored.delivery_label, stored.shipping_net) == (None, "", D(0))
    assert (stored.net, stored.tax, stored.gross) == (D("200"), D("42"), D("242"))
    assert stored.promised_date is None
    with pytest.raises(ValidationFailed) as refused:
        await order(db, plain, "carl", ("CHAIR", 1), delivery_service_id=uuid.uuid4())
    assert "delivery_service_id" in refused.value.errors


async def test_remembered_carriers_serve_the_next_order_and_a_rate_change_is_seen_at_once(db, shop):
    """With the change feed listening, the carriers and rates are read once and remembered; a committed change to
    a rate moves the `shipping` token on, so the next quote charges the new rate."""
    feed = ChangeFeed(plain_dsn(db.engine.url.render_as_string(hide_password=False)))
    await feed.start()
    try:
        assert feed.listening
        fast = shop.carriers["fast"].id

        async def price_now():
            async with db.transaction(shop.tenant_id) as s:
                shown = await delivery_options(
                    s, shop.tenant_id, shop.customers["ROCA"], shop.users["carl"], service_id=fast,
                    lines=(OrderLineRequest(shop.sku("CHAIR"), 1),),
                )  # fmt: skip
            return shown.chosen.price

        before = next(c for c in cache_stats() if c.name == "shipping.carriers")
        assert await price_now() == D("9.90")
        assert await price_now() == D("9.90")
        after = next(c for c in cache_stats() if c.name == "shipping.carriers")
        assert after.hits > before.hits  # the second quote was served from memory
        spain = await _zone(db, shop, "EXPRESS", "ES")
        seen = feed.notices
        async with db.transaction(shop.tenant_id) as s:
            await shipping.set_rate(s, shop.tenant_id, fast, RateInput(spain, 1, "2", "1.00", "30; 9.90"), SYSTEM)
        for _ in range(100):  # the notice arrives right after the commit
            if feed.notices > seen:
                break
            await asyncio.sleep(0.05)
        assert await price_now() == D("11.90")
    finally:
        await feed.stop()

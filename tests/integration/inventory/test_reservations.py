"""Reservations: hold, release and ship what was reserved; availability and ATP with incoming supply."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.base import new_id
from app.inventory import queries, services
from app.inventory.values import (
    InsufficientStock,
    InventorySettingsInput,
    IssueLine,
    ReservationKey,
    StockDocument,
    Supply,
)
from tests.integration.inventory.conftest import receive


async def test_reserve_release_and_ship_what_was_reserved(db, shop_a, owner):
    await receive(db, shop_a, "DESK", 10, "A-01")
    chair, main = shop_a.skus["DESK"], shop_a.warehouses["MAIN"]
    order, line = new_id(), new_id()
    async with db.transaction(shop_a.tenant_id) as s:
        assert await services.reserve(s, shop_a.tenant_id, main, chair, Decimal(6), "sales_order", order, line) == 6
        assert await services.release(s, shop_a.tenant_id, main, chair, "sales_order", line, Decimal(2)) == 4
    with pytest.raises(InsufficientStock) as short:
        async with db.transaction(shop_a.tenant_id) as s:
            await services.reserve(s, shop_a.tenant_id, main, chair, Decimal(7), "sales_order", new_id(), new_id())
    assert short.value.errors["qty"] == "Only 6 of DESK available at MAIN."
    # another order cannot ship the reserved units, the reserving line can
    other = IssueLine(chair, shop_a.places["A-01"], Decimal(7))
    with pytest.raises(InsufficientStock):
        async with db.transaction(shop_a.tenant_id) as s:
            await services.ship(s, shop_a.tenant_id, StockDocument("delivery", new_id(), "DN-1"), [other], SYSTEM)
    mine = IssueLine(chair, shop_a.places["A-01"], Decimal(5), reservation=ReservationKey("sales_order", line))
    async with db.transaction(shop_a.tenant_id) as s:
        await services.ship(s, shop_a.tenant_id, StockDocument("delivery", new_id(), "DN-2"), [mine], SYSTEM)
        (level,) = await queries.availability(s, [chair])
    assert (level.on_hand, level.reserved, level.available) == (5, 0, 5)
    assert await owner.fetchval("SELECT count(*) FROM reservations") == 0


async def test_atp_counts_transfers_in_transit_and_plugged_in_supply(db, shop_a):
    await receive(db, shop_a, "LAMP", 8, "A-01")
    lamp, mad = shop_a.skus["LAMP"], shop_a.warehouses["MAD"]
    today = date.today()
    soon = today + timedelta(days=5)
    from app.inventory.values import TransferInput

    async with db.transaction(shop_a.tenant_id) as s:
        transfer = await services.create_transfer(
            s,
            shop_a.tenant_id,
            TransferInput(shop_a.warehouses["MAIN"], mad, ((lamp, Decimal(3)),), expected_on=soon),
            SYSTEM,
        )
        await services.ship_transfer(s, shop_a.tenant_id, transfer.id, SYSTEM)
    async with db.transaction(shop_a.tenant_id) as s:
        assert (await queries.atp(s, [lamp], today=today)).available_now(lamp) == 5
        figures = await queries.atp(s, [lamp], by_warehouse=True, today=today)
        assert figures.available_now(lamp, shop_a.warehouses["MAIN"]) == 5
        assert figures.promise_date(lamp, Decimal(2), mad) == soon
        assert figures.promise_date(lamp, Decimal(4), mad) is None
        later = today + timedelta(days=20)
        supply = [Supply(lamp, mad, later, Decimal(10))]
        plugged = await queries.atp(s, [lamp], by_warehouse=True, today=today, incoming=supply)
        assert plugged.promise_date(lamp, Decimal(4), mad) == later
        shown = await queries.storefront_availability(s, shop_a.tenant_id, [lamp], today=today)
        assert (shown[lamp].signal, shown[lamp].qty) == ("low_stock", None)  # by default: levels, 5 or less is low
        rules = InventorySettingsInput(availability_mode="exact", low_stock_at=Decimal(0))
        await services.set_inventory_settings(s, shop_a.tenant_id, rules, SYSTEM)
        shown = await queries.storefront_availability(s, shop_a.tenant_id, [lamp], today=today)
        assert shown[lamp].qty == 5
        wanted = {lamp: Decimal(7)}
        shown = await queries.storefront_availability(s, shop_a.tenant_id, [lamp], requested=wanted, today=today)
        assert (shown[lamp].signal, shown[lamp].available_from) == ("available_from", soon)

"""What the storefront shows of the stock, remembered: only what is not kept is read (in one round), each quantity
asked for its own, nothing kept while the change feed is not listening; kits as available as their components;
the products in stock for the facet; and none of it across tenants."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

import app.inventory.queries.shown as shown_module
from app import changes
from app.actor import SYSTEM
from app.base import new_id
from app.catalog.models import ProductVariant
from app.catalog.services import (
    Component,
    ProductInput,
    VariantInput,
    change_product_status,
    create_product,
    set_kit_components,
)
from app.inventory import queries, services
from app.inventory.values import InventorySettingsInput, TransferInput
from tests.integration.inventory.conftest import build_shop, receive

D = Decimal
TODAY = date.today()


class Feed:
    """A listening change feed standing at generations the test sets (app.changes.answering)."""

    def __init__(self) -> None:
        self.generation = 0

    def token(self, tenant_id, topic):
        return (1, self.generation)


@pytest.fixture
def rounds(monkeypatch):
    """The variants each round of reading the figures was asked for."""
    asked: list[list] = []
    real = shown_module.storefront_availability

    async def counted(session, tenant_id, variant_ids, **kwargs):
        asked.append(list(variant_ids))
        return await real(session, tenant_id, variant_ids, **kwargs)

    monkeypatch.setattr(shown_module, "storefront_availability", counted)
    return asked


async def shown(db, shop, variant_ids, **kwargs):
    async with db.transaction(shop.tenant_id) as s:
        return await queries.shown_availability(s, shop.tenant_id, variant_ids, **kwargs)


async def test_only_what_is_not_kept_is_read_and_in_one_round(db, shop_a, rounds):
    chair, desk, lamp = (shop_a.skus[k] for k in ("CHAIR", "DESK", "LAMP"))
    await receive(db, shop_a, "CHAIR", 12)
    await receive(db, shop_a, "DESK", 2)
    feed = Feed()
    with changes.answering(feed):
        first = await shown(db, shop_a, [chair, desk])
        assert (first[chair].signal, first[desk].signal) == ("in_stock", "low_stock")
        again = await shown(db, shop_a, [chair, desk, lamp])
        assert again[lamp].signal == "out_of_stock" and again[chair] == first[chair]
        assert rounds == [[chair, desk], [lamp]]
        asked = await shown(db, shop_a, [chair], requested={chair: D(20)})  # a quantity is kept for itself
        assert asked[chair].signal == "out_of_stock" and rounds[-1] == [chair]
        await shown(db, shop_a, [chair], requested={chair: D(20)})
        assert len(rounds) == 3

        await receive(db, shop_a, "LAMP", 7)
        assert (await shown(db, shop_a, [lamp]))[lamp].signal == "out_of_stock"  # the token has not moved
        feed.generation += 1  # the notice of the receipt's commit
        assert (await shown(db, shop_a, [lamp]))[lamp].signal == "in_stock"


async def test_nothing_is_kept_while_the_feed_is_not_listening(db, shop_a, rounds):
    chair = shop_a.skus["CHAIR"]
    await shown(db, shop_a, [chair])
    await shown(db, shop_a, [chair])
    assert rounds == [[chair], [chair]]


async def kit_of(db, shop, parts: dict[str, Decimal]):
    """An active kit product "SET" made of these SKUs; its product and its variant's id."""
    async with db.transaction(shop.tenant_id) as s:
        data = ProductInput({"en": "Desk set", "es": "Puesto"}, is_kit=True)
        kit = await create_product(s, shop.tenant_id, data, SYSTEM, [VariantInput("SET")])
        await s.flush()
        set_id = await s.scalar(select(ProductVariant.id).where(ProductVariant.sku == "SET"))
        components = [Component(shop.skus[sku], qty) for sku, qty in parts.items()]
        await set_kit_components(s, shop.tenant_id, set_id, components, SYSTEM)
        await change_product_status(s, shop.tenant_id, kit.id, "active", SYSTEM)
    return kit.id, set_id


async def test_a_kit_is_as_available_as_its_components(db, shop_a):
    kit, set_id = await kit_of(db, shop_a, {"CHAIR": D(2), "DESK": D(1)})
    async with db.transaction(shop_a.tenant_id) as s:
        rules = InventorySettingsInput(availability_mode="exact")
        await services.set_inventory_settings(s, shop_a.tenant_id, rules, SYSTEM)
    await receive(db, shop_a, "CHAIR", 7)
    async with db.transaction(shop_a.tenant_id) as s:
        assert kit not in await queries.in_stock_products(s, shop_a.tenant_id)  # chairs, but no desk
    await receive(db, shop_a, "DESK", 5)
    assert (await shown(db, shop_a, [set_id]))[set_id].qty == 3  # seven chairs make three sets
    async with db.transaction(shop_a.tenant_id) as s:
        assert kit in await queries.in_stock_products(s, shop_a.tenant_id)
    soon = TODAY + timedelta(days=4)
    await receive(db, shop_a, "CHAIR", 4, place="MAD-STOCK")
    async with db.transaction(shop_a.tenant_id) as s:
        move = TransferInput(shop_a.warehouses["MAD"], shop_a.warehouses["MAIN"], ((shop_a.skus["CHAIR"], D(4)),), soon)
        transfer = await services.create_transfer(s, shop_a.tenant_id, move, SYSTEM)
        await services.ship_transfer(s, shop_a.tenant_id, transfer.id, SYSTEM)
    later = (await shown(db, shop_a, [set_id], requested={set_id: D(5)}))[set_id]
    assert (later.signal, later.qty, later.available_from) == ("available_from", 3, soon)  # eleven chairs by then
    never = (await shown(db, shop_a, [set_id], requested={set_id: D(6)}))[set_id]
    assert (never.signal, never.qty) == ("on_request", 3)  # the sixth desk is not coming


async def test_the_products_in_stock_have_an_active_variant_available_now(db, shop_a, tenant_b):
    kit, _set_id = await kit_of(db, shop_a, {"LAMP": D(1)})
    await receive(db, shop_a, "LAMP", 3)
    async with db.transaction(shop_a.tenant_id) as s:
        office = await s.scalar(select(ProductVariant.product_id).where(ProductVariant.sku == "LAMP"))
        assert await queries.in_stock_products(s, shop_a.tenant_id) == frozenset({office, kit})
        lamp, main = shop_a.skus["LAMP"], shop_a.warehouses["MAIN"]
        await services.reserve(s, shop_a.tenant_id, main, lamp, D(3), "sales_order", new_id(), new_id())
    async with db.transaction(shop_a.tenant_id) as s:
        assert await queries.in_stock_products(s, shop_a.tenant_id) == frozenset()  # all of it is promised
    other = await build_shop(db, tenant_b, second_warehouse=False)
    async with db.transaction(other.tenant_id) as s:
        assert await queries.in_stock_products(s, other.tenant_id) == frozenset()
        theirs = await queries.shown_availability(s, other.tenant_id, [shop_a.skus["CHAIR"]])
        assert theirs[shop_a.skus["CHAIR"]].signal == "out_of_stock"  # tenant A's variant, asked by id: nothing

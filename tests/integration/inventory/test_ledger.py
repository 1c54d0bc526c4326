"""The stock ledger through the services: receipts and issues, quants and levels, valuation, reversals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.base import new_id
from app.errors import ValidationFailed
from app.inventory import queries, services
from app.inventory.values import InsufficientStock, IssueLine, StockDocument
from tests.integration.inventory.conftest import receive


async def levels(db, shop, sku):
    async with db.transaction(shop.tenant_id) as s:
        rows = await queries.availability(s, [shop.skus[sku]])
    return {r.warehouse_id: (r.on_hand, r.reserved, r.available) for r in rows}


async def test_a_receipt_puts_stock_on_hand_at_its_cost(db, shop_a, owner):
    posted = await receive(db, shop_a, "CHAIR", 10, "A-01", cost="42.50")
    assert posted.document.reference == "GR-00001"
    (move,) = posted.moves
    assert (move.sequence, move.qty, move.value, move.unit_cost) == (1, Decimal(10), Decimal("425.00"), Decimal("42.5"))
    assert (await levels(db, shop_a, "CHAIR"))[shop_a.warehouses["MAIN"]] == (10, 0, 10)
    row = await owner.fetchrow("SELECT qty, value, unit_cost, moves FROM stock_valuations")
    assert tuple(row) == (10, Decimal("425.00"), Decimal("42.5"), 1)
    assert await owner.fetchval("SELECT count(*) FROM outbox WHERE topic = 'inventory.moved'") == 1


async def test_issues_take_the_average_and_refuse_more_than_the_location_holds(db, shop_a, owner):
    await receive(db, shop_a, "CHAIR", 10, "A-01", cost="40")
    await receive(db, shop_a, "CHAIR", 10, "A-02", cost="50")
    async with db.transaction(shop_a.tenant_id) as s:
        doc = StockDocument("delivery", new_id(), "DN-1")
        posted = await services.ship(
            s, shop_a.tenant_id, doc, [IssueLine(shop_a.skus["CHAIR"], shop_a.places["A-01"], Decimal(4))], SYSTEM
        )
    assert posted.moves[0].value == Decimal("-180.00")
    with pytest.raises(InsufficientStock) as short:
        async with db.transaction(shop_a.tenant_id) as s:
            doc = StockDocument("delivery", new_id(), "DN-2")
            await services.ship(
                s, shop_a.tenant_id, doc, [IssueLine(shop_a.skus["CHAIR"], shop_a.places["A-01"], Decimal(7))], SYSTEM
            )
    assert "Only 6 of CHAIR available at A-01" in short.value.errors["qty"]
    assert await owner.fetchval("SELECT count(*) FROM stock_moves") == 3
    assert (
        await owner.fetchval(
            "SELECT sum(on_hand) FROM stock_quants q JOIN locations l ON l.id = q.location_id AND l.kind = 'internal'"
        )
        == 16
    )


async def test_a_reversal_posts_the_opposite_moves(db, shop_a, owner):
    posted = await receive(db, shop_a, "LAMP", 5, cost="10")
    async with db.transaction(shop_a.tenant_id) as s:
        back = await services.reverse_moves(s, shop_a.tenant_id, "receipt", posted.document.id, SYSTEM)
    assert back.moves[0].value == Decimal("-50.00")
    assert (await levels(db, shop_a, "LAMP"))[shop_a.warehouses["MAIN"]] == (0, 0, 0)
    with pytest.raises(ValidationFailed):
        async with db.transaction(shop_a.tenant_id) as s:
            await services.reverse_moves(s, shop_a.tenant_id, "receipt", posted.document.id, SYSTEM)
    assert await owner.fetchval("SELECT value FROM stock_valuations") == 0

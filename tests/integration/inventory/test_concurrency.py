"""Concurrency through the services with real transactions: the last units go once, nobody sees a deadlock."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from app.actor import SYSTEM
from app.base import new_id
from app.errors import ValidationFailed
from app.inventory import queries, services
from app.inventory.values import IssueLine, MoveLine, StockDocument
from tests.integration.inventory.conftest import receive


async def test_fifty_reservations_for_the_last_ten_units_reserve_exactly_ten(db, shop_a, owner):
    await receive(db, shop_a, "CHAIR", 10)
    chair, main = shop_a.skus["CHAIR"], shop_a.warehouses["MAIN"]

    async def one() -> bool:
        try:
            async with db.transaction(shop_a.tenant_id) as s:
                await services.reserve(s, shop_a.tenant_id, main, chair, Decimal(1), "sales_order", new_id(), new_id())
        except ValidationFailed:
            return False
        return True

    results = await asyncio.gather(*(one() for _ in range(50)))
    assert sum(results) == 10
    assert await owner.fetchval("SELECT reserved FROM stock_levels") == 10
    assert await owner.fetchval("SELECT sum(qty) FROM reservations") == 10


async def test_two_issues_of_the_last_units_of_a_lot_one_wins(db, shop_a, owner):
    await receive(db, shop_a, "GLUE", 5, "A-01", lot_code="L-7")
    async with db.transaction(shop_a.tenant_id) as s:
        lot = (await queries.picking_stock(s, shop_a.warehouses["MAIN"], [shop_a.skus["GLUE"]]))[
            shop_a.skus["GLUE"]
        ].lot_ids["L-7"]
    line = IssueLine(shop_a.skus["GLUE"], shop_a.places["A-01"], Decimal(5), lot_id=lot)

    async def one(n: int):
        try:
            async with db.transaction(shop_a.tenant_id) as s:
                await services.ship(s, shop_a.tenant_id, StockDocument("delivery", new_id(), f"DN-{n}"), [line], SYSTEM)
        except ValidationFailed as exc:
            return exc.errors["qty"]
        return "shipped"

    outcomes = sorted(await asyncio.gather(one(1), one(2)))
    assert outcomes == ["Only 0 of GLUE available at A-01 (lot L-7).", "shipped"]
    assert await owner.fetchval("SELECT count(*) FROM stock_moves WHERE reference LIKE 'DN-%'") == 1


async def test_crossing_documents_never_show_a_deadlock(db, shop_a, owner):
    """Many documents moving two articles in opposite line orders at once: every one posts, none sees a deadlock."""
    await receive(db, shop_a, "CHAIR", 100, "A-01")
    await receive(db, shop_a, "DESK", 100, "A-01")
    a01, a02 = shop_a.places["A-01"], shop_a.places["A-02"]
    chair, desk = shop_a.skus["CHAIR"], shop_a.skus["DESK"]

    main = shop_a.warehouses["MAIN"]

    async def move(n: int):
        lines = [MoveLine(chair, a01, a02, Decimal(1)), MoveLine(desk, a02, shop_a.virtual["customer"], Decimal(1))]
        lines = lines if n % 2 else lines[::-1]
        async with db.transaction(shop_a.tenant_id) as s:
            await services.post_moves(s, shop_a.tenant_id, StockDocument("move", new_id(), f"M-{n}"), lines, SYSTEM)

    async def hold(n: int):
        requests = [
            services.ReserveRequest(main, sku, Decimal(1), "so", new_id(), new_id())
            for sku in (desk, chair)[:: 1 if n % 2 else -1]
        ]
        async with db.transaction(shop_a.tenant_id) as s:
            await services.reserve_many(s, shop_a.tenant_id, requests)

    await receive(db, shop_a, "DESK", 20, "A-02")
    await asyncio.gather(*(move(n) for n in range(20)), *(hold(n) for n in range(20)))
    assert await owner.fetchval("SELECT count(*) FROM stock_moves WHERE reference LIKE 'M-%'") == 40
    assert await owner.fetchval("SELECT sum(reserved) FROM stock_levels") == 40


async def test_a_deadlock_is_retried_once_inside_the_service(db, shop_a, owner):
    """What a deadlock victim did is rolled back to the savepoint and the work runs again; a second one is raised."""
    import asyncpg
    import pytest
    from sqlalchemy import text

    from app.inventory.services.ledger import retrying

    attempts = []

    async def work(session, fail_times: int, skus=("LAMP", "DESK")):
        sku = skus[len(attempts)]
        attempts.append(sku)
        await session.execute(
            text("INSERT INTO stock_items (tenant_id, variant_id, tracking) VALUES (:t, :v, 'lot')"),
            {"t": shop_a.tenant_id, "v": shop_a.skus[sku]},
        )
        if len(attempts) <= fail_times:
            raise asyncpg.exceptions.DeadlockDetectedError("deadlock detected")
        return sku

    async with db.transaction(shop_a.tenant_id) as s:
        assert await retrying(s, lambda: work(s, 1)) == "DESK"
    tracked = await owner.fetch(
        "SELECT v.sku FROM stock_items i JOIN product_variants v ON v.id = i.variant_id ORDER BY 1"
    )
    assert [r[0] for r in tracked] == ["DESK", "GLUE", "SCANNER"]
    attempts.clear()
    with pytest.raises(asyncpg.exceptions.DeadlockDetectedError):
        async with db.transaction(shop_a.tenant_id) as s:
            await retrying(s, lambda: work(s, 2, ("CHAIR", "LAMP")))

"""Tenant B asking for tenant A's inventory rows by id gets NotFound (or nothing), and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.base import new_id
from app.errors import NotFound
from app.inventory import queries, services
from app.inventory.values import (
    CountEntry,
    IssueLine,
    LocationInput,
    MoveLine,
    Receipt,
    ReceiptLine,
    ReorderRuleInput,
    StockDocument,
    TransferInput,
    WarehouseInput,
)
from tests.integration.inventory.conftest import build_shop, receive


async def test_another_tenants_inventory_is_not_found(db, tenant_a, tenant_b, owner):
    a = await build_shop(db, tenant_a)
    b = await build_shop(db, tenant_b, second_warehouse=False)
    posted = await receive(db, a, "GLUE", 5, "A-01", lot_code="L-A")
    chair, main = a.skus["CHAIR"], a.warehouses["MAIN"]
    async with db.transaction(a.tenant_id) as s:
        transfer = await services.create_transfer(
            s, a.tenant_id, TransferInput(main, a.warehouses["MAD"], ((chair, Decimal(1)),)), SYSTEM
        )
        count = await services.start_count(s, a.tenant_id, main, SYSTEM)
        rule = await services.set_reorder_rule(
            s, a.tenant_id, ReorderRuleInput(chair, main, "min_max", Decimal(1), Decimal(5)), SYSTEM
        )
    before = await owner.fetchval("SELECT count(*) FROM stock_moves")
    tid = b.tenant_id
    attempts = [
        lambda s: queries.warehouse(s, main),
        lambda s: queries.location(s, a.places["A-01"]),
        lambda s: queries.transfer_detail(s, transfer.id),
        lambda s: queries.count_detail(s, count.id),
        lambda s: queries.variant_stock(s, chair, "EUR"),
        lambda s: services.update_warehouse(s, tid, main, WarehouseInput("X", "Taken"), SYSTEM),
        lambda s: services.create_location(s, tid, main, LocationInput("B-1", "x"), SYSTEM),
        lambda s: services.update_location(s, tid, a.places["A-01"], LocationInput("B-1", "x"), SYSTEM),
        lambda s: services.receive(s, tid, Receipt(main, (ReceiptLine(chair, Decimal(1)),)), SYSTEM),
        lambda s: services.receive(s, tid, Receipt(b.warehouses["MAIN"], (ReceiptLine(chair, Decimal(1)),)), SYSTEM),
        lambda s: services.receive(
            s,
            tid,
            Receipt(b.warehouses["MAIN"], (ReceiptLine(b.skus["CHAIR"], Decimal(1), location_id=a.places["A-01"]),)),
            SYSTEM,
        ),
        lambda s: services.post_moves(
            s,
            tid,
            StockDocument("x", new_id(), "X"),
            [MoveLine(b.skus["CHAIR"], b.virtual["supplier"], a.places["A-01"], Decimal(1))],
            SYSTEM,
        ),
        lambda s: services.ship(
            s, tid, StockDocument("x", new_id(), "X"), [IssueLine(chair, a.places["A-01"], Decimal(1))], SYSTEM
        ),
        lambda s: services.reserve(s, tid, main, chair, Decimal(1), "so", new_id(), new_id()),
        lambda s: services.reverse_moves(s, tid, "receipt", posted.document.id, SYSTEM),
        lambda s: services.ship_transfer(s, tid, transfer.id, SYSTEM),
        lambda s: services.set_transfer_line(s, tid, transfer.id, chair, Decimal(1), SYSTEM),
        lambda s: services.record_count(s, tid, count.id, CountEntry(chair, a.places["A-01"], Decimal(1)), SYSTEM),
        lambda s: services.validate_count(s, tid, count.id, SYSTEM),
        lambda s: services.set_reorder_rule(
            s, tid, ReorderRuleInput(chair, main, "min_max", Decimal(1), Decimal(5)), SYSTEM
        ),
        lambda s: services.delete_reorder_rule(s, tid, rule.id, SYSTEM),
        lambda s: services.set_tracking(s, tid, chair, "lot", None, SYSTEM),
        lambda s: services.create_transfer(s, tid, TransferInput(main, b.warehouses["MAIN"]), SYSTEM),
    ]
    for number, attempt in enumerate(attempts):
        with pytest.raises(NotFound):
            async with db.transaction(tid) as s:
                await attempt(s)
            pytest.fail(f"attempt {number} was not refused")
    async with db.transaction(tid) as s:
        assert await queries.availability(s, [chair]) == []
        assert (await queries.atp(s, [chair])).available_now(chair) == 0
        assert await services.release(s, tid, main, chair, "so", new_id()) == 0
        assert await queries.reorder_rules(s) == []
        assert await queries.transfers(s) == []
        assert [c.count.number for c in await queries.counts(s)] == []
        assert (await queries.variant_ledger(s, chair)).rows == []
        assert await queries.picking_stock(s, main, [chair]) == {}
    assert await owner.fetchval("SELECT count(*) FROM stock_moves") == before


async def test_the_app_role_can_never_change_a_posted_move(db, shop_a):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    await receive(db, shop_a, "LAMP", 1)
    for statement in ("UPDATE stock_moves SET qty = 2", "DELETE FROM stock_moves"):
        with pytest.raises(DBAPIError, match="permission denied"):
            async with db.transaction(shop_a.tenant_id) as s:
                await s.execute(text(statement))

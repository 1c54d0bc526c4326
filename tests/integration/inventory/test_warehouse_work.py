"""Warehouse work: transfers through transit (partial receipts), cycle counts, adjustments and scrap, FIFO cost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.errors import ValidationFailed
from app.inventory import queries, services
from app.inventory.values import Adjustment, CountEntry, InsufficientStock, InventorySettingsInput, TransferInput
from tests.integration.inventory.conftest import receive


async def on_hand(db, shop, sku) -> dict[str, Decimal]:
    async with db.transaction(shop.tenant_id) as s:
        rows = await queries.availability(s, [shop.skus[sku]])
    codes = {v: k for k, v in shop.warehouses.items()}
    return {codes[r.warehouse_id]: r.on_hand for r in rows if r.on_hand}


async def test_a_transfer_ships_into_transit_and_arrives_in_parts(db, shop_a, owner):
    await receive(db, shop_a, "GLUE", 4, "A-01", lot_code="OLD", expiry=date(2030, 1, 1))
    await receive(db, shop_a, "GLUE", 6, "A-02", lot_code="NEW", expiry=date(2031, 1, 1))
    glue = shop_a.skus["GLUE"]
    data = TransferInput(shop_a.warehouses["MAIN"], shop_a.warehouses["MAD"], ((glue, Decimal(7)),))
    async with db.transaction(shop_a.tenant_id) as s:
        transfer = await services.create_transfer(s, shop_a.tenant_id, data, SYSTEM)
        shipped = await services.ship_transfer(s, shop_a.tenant_id, transfer.id, SYSTEM)
    assert [(m.qty, m.value) for m in shipped.moves] == [(4, 0), (3, 0)]  # FEFO: the old lot first; still ours
    assert await on_hand(db, shop_a, "GLUE") == {"MAIN": 3}
    async with db.transaction(shop_a.tenant_id) as s:
        _t, (line,) = await queries.transfer_detail(s, transfer.id)
        await services.receive_transfer(s, shop_a.tenant_id, transfer.id, {line.id: Decimal(5)}, SYSTEM)
    assert await on_hand(db, shop_a, "GLUE") == {"MAIN": 3, "MAD": 5}
    with pytest.raises(ValidationFailed):
        async with db.transaction(shop_a.tenant_id) as s:
            await services.receive_transfer(s, shop_a.tenant_id, transfer.id, {line.id: Decimal(3)}, SYSTEM)
    async with db.transaction(shop_a.tenant_id) as s:
        await services.receive_transfer(s, shop_a.tenant_id, transfer.id, {line.id: Decimal(2)}, SYSTEM)
        done, _lines = await queries.transfer_detail(s, transfer.id)
    assert done.status == "done"
    lots = await owner.fetch(
        "SELECT lot.code, q.on_hand FROM stock_quants q JOIN lots lot ON lot.id = q.lot_id "
        "JOIN locations l ON l.id = q.location_id WHERE l.code = 'MAD-STOCK' ORDER BY lot.code"
    )
    assert [tuple(r) for r in lots] == [("NEW", 3), ("OLD", 4)]
    assert (
        await owner.fetchval(
            "SELECT sum(on_hand) FROM stock_quants q JOIN locations l ON l.id = q.location_id WHERE l.kind = 'transit'"
        )
        == 0
    )


async def test_a_transfer_short_of_stock_names_the_sku(db, shop_a):
    data = TransferInput(shop_a.warehouses["MAIN"], shop_a.warehouses["MAD"], ((shop_a.skus["DESK"], Decimal(2)),))
    with pytest.raises(InsufficientStock) as short:
        async with db.transaction(shop_a.tenant_id) as s:
            transfer = await services.create_transfer(s, shop_a.tenant_id, data, SYSTEM)
            await services.ship_transfer(s, shop_a.tenant_id, transfer.id, SYSTEM)
    assert short.value.errors["qty"] == "Only 0 of DESK available at MAIN."


async def test_a_count_posts_adjustments_for_the_differences(db, shop_a, owner):
    await receive(db, shop_a, "LAMP", 10, "A-01", cost="10")
    await receive(db, shop_a, "CHAIR", 3, "A-02", cost="40")
    async with db.transaction(shop_a.tenant_id) as s:
        count = await services.start_count(s, shop_a.tenant_id, shop_a.warehouses["MAIN"], SYSTEM)
        _c, lines = await queries.count_detail(s, count.id)
        assert sorted((ln.sku, ln.location, ln.qty) for ln in lines) == [("CHAIR", "A-02", 3), ("LAMP", "A-01", 10)]
        lamp = next(ln for ln in lines if ln.sku == "LAMP")
        await services.set_counted(s, shop_a.tenant_id, count.id, lamp.id, Decimal(8), SYSTEM)
        entry = CountEntry(shop_a.skus["DESK"], shop_a.places["A-02"], Decimal(2))
        await services.record_count(s, shop_a.tenant_id, count.id, entry, SYSTEM)
    async with db.transaction(shop_a.tenant_id) as s:
        posted = await services.validate_count(s, shop_a.tenant_id, count.id, SYSTEM)
    assert sorted((m.qty, m.value) for m in posted.moves) == [(2, Decimal("-20.00")), (2, Decimal("300.00"))]
    reasons = await owner.fetch("SELECT DISTINCT reason FROM stock_moves WHERE document_kind = 'count'")
    assert [r[0] for r in reasons] == ["count"]
    assert await on_hand(db, shop_a, "LAMP") == {"MAIN": 8}
    assert await on_hand(db, shop_a, "CHAIR") == {"MAIN": 3}
    with pytest.raises(ValidationFailed):
        async with db.transaction(shop_a.tenant_id) as s:
            await services.validate_count(s, shop_a.tenant_id, count.id, SYSTEM)


async def test_adjustments_and_scrap_carry_their_reasons(db, shop_a, owner):
    await receive(db, shop_a, "DESK", 5, "A-01", cost="100")
    desk, a01 = shop_a.skus["DESK"], shop_a.places["A-01"]
    async with db.transaction(shop_a.tenant_id) as s:
        await services.adjust_stock(
            s, shop_a.tenant_id, Adjustment(a01, desk, Decimal(-1), "damage", scrap=True), SYSTEM
        )
        await services.adjust_stock(s, shop_a.tenant_id, Adjustment(a01, desk, Decimal(2), "found"), SYSTEM)
    for wrong in (
        Adjustment(a01, desk, Decimal(1), "damage"),
        Adjustment(a01, desk, Decimal(-1), "found"),
        Adjustment(a01, desk, Decimal(-1), "whim"),
        Adjustment(a01, desk, Decimal(1), "damage", scrap=True),
    ):
        with pytest.raises(ValidationFailed) as refused:
            async with db.transaction(shop_a.tenant_id) as s:
                await services.adjust_stock(s, shop_a.tenant_id, wrong, SYSTEM)
        assert "reason" in refused.value.errors
    rows = await owner.fetch(
        "SELECT t.kind, m.reason, m.value FROM stock_moves m JOIN locations t ON t.id = m.to_location_id "
        "JOIN locations f ON f.id = m.from_location_id WHERE m.document_kind IN ('scrap', 'adjustment') "
        "ORDER BY m.sequence"
    )
    assert [tuple(r) for r in rows] == [
        ("scrap", "damage", Decimal("-100.00")),
        ("internal", "found", Decimal("200.00")),
    ]
    assert await on_hand(db, shop_a, "DESK") == {"MAIN": 6}


async def test_fifo_values_issues_from_the_oldest_receipts(db, shop_a, owner):
    async with db.transaction(shop_a.tenant_id) as s:
        await services.set_inventory_settings(s, shop_a.tenant_id, InventorySettingsInput(cost_method="fifo"), SYSTEM)
    await receive(db, shop_a, "CHAIR", 2, "A-01", cost="10")
    await receive(db, shop_a, "CHAIR", 2, "A-01", cost="20")
    async with db.transaction(shop_a.tenant_id) as s:
        posted = await services.adjust_stock(
            s, shop_a.tenant_id, Adjustment(shop_a.places["A-01"], shop_a.skus["CHAIR"], Decimal(-3), "loss"), SYSTEM
        )
    assert posted.moves[0].value == Decimal("-40.00")
    assert await owner.fetchval("SELECT value FROM stock_valuations") == Decimal("20.00")
    assert await owner.fetchval("SELECT count(*) FROM cost_layers WHERE qty_remaining > 0") == 1
    with pytest.raises(ValidationFailed):
        async with db.transaction(shop_a.tenant_id) as s:
            await services.set_inventory_settings(
                s, shop_a.tenant_id, InventorySettingsInput(cost_method="average"), SYSTEM
            )


async def test_negative_stock_only_where_the_tenant_allows_it(db, shop_a, owner):
    from app.base import new_id
    from app.inventory.values import IssueLine, StockDocument

    line = IssueLine(shop_a.skus["LAMP"], shop_a.places["A-01"], Decimal(2))
    with pytest.raises(InsufficientStock):
        async with db.transaction(shop_a.tenant_id) as s:
            await services.ship(s, shop_a.tenant_id, StockDocument("delivery", new_id(), "DN-1"), [line], SYSTEM)
    async with db.transaction(shop_a.tenant_id) as s:
        await services.set_inventory_settings(s, shop_a.tenant_id, InventorySettingsInput(allow_negative=True), SYSTEM)
        posted = await services.ship(s, shop_a.tenant_id, StockDocument("delivery", new_id(), "DN-2"), [line], SYSTEM)
    assert posted.moves[0].value == Decimal("-25.00")  # at the standard cost, settled by the next receipt
    after = await receive(db, shop_a, "LAMP", 4, "A-01", cost="15")
    assert (after.moves[0].value, after.moves[0].adjustment) == (Decimal("60.00"), Decimal("-5.00"))
    assert await owner.fetchval("SELECT value FROM stock_valuations") == Decimal("30.00")


@pytest.mark.parametrize("method", ["average", "fifo"])
async def test_a_landed_cost_goes_to_stock_and_to_cost_of_sales(db, shop_a, owner, method):
    from app.base import new_id
    from app.inventory.values import StockDocument

    async with db.transaction(shop_a.tenant_id) as s:
        await services.set_inventory_settings(s, shop_a.tenant_id, InventorySettingsInput(cost_method=method), SYSTEM)
    posted = await receive(db, shop_a, "DESK", 4, "A-01", cost="100")
    async with db.transaction(shop_a.tenant_id) as s:
        loss = Adjustment(shop_a.places["A-01"], shop_a.skus["DESK"], Decimal(-1), "loss")
        await services.adjust_stock(s, shop_a.tenant_id, loss, SYSTEM)
        doc = StockDocument("landed_cost", new_id(), "LC-1")
        split = await services.revalue_receipt(s, shop_a.tenant_id, doc, posted.moves[0].id, Decimal("40.00"), SYSTEM)
    assert (split.to_stock, split.to_cogs) == (Decimal("30.00"), Decimal("10.00"))
    assert await owner.fetchval("SELECT value FROM stock_valuations") == Decimal("330.00")
    assert await owner.fetchval("SELECT count(*) FROM outbox WHERE topic = 'inventory.revalued'") == 1
    with pytest.raises(ValidationFailed):
        async with db.transaction(shop_a.tenant_id) as s:
            doc = StockDocument("landed_cost", new_id(), "LC-2")
            await services.revalue_receipt(s, shop_a.tenant_id, doc, posted.moves[0].id, Decimal("0.001"), SYSTEM)


async def test_picks_come_earliest_expiry_first_and_never_expired(db, shop_a):
    from datetime import timedelta

    today = date.today()
    await receive(db, shop_a, "GLUE", 3, "A-01", lot_code="LATE", expiry=today + timedelta(days=900))
    await receive(db, shop_a, "GLUE", 2, "A-02", lot_code="SOON", expiry=today + timedelta(days=30))
    await receive(db, shop_a, "GLUE", 9, "A-02", lot_code="GONE", expiry=today - timedelta(days=1))
    glue = shop_a.skus["GLUE"]
    async with db.transaction(shop_a.tenant_id) as s:
        plans = await queries.plan_picks(s, shop_a.warehouses["MAIN"], [(glue, Decimal(4))], today=today)
        short = await queries.plan_picks(s, shop_a.warehouses["MAIN"], [(glue, Decimal(8))], today=today)
    plan = plans[glue]
    assert [(p.location_id, p.qty) for p in plan.picks] == [(shop_a.places["A-02"], 2), (shop_a.places["A-01"], 2)]
    assert (plan.shortfall, short[glue].shortfall) == (0, 3)

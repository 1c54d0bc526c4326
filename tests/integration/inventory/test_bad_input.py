"""Bad input is a clear error naming its field, and nothing is posted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.errors import ValidationFailed
from app.inventory import queries, services
from app.inventory.values import CountEntry, LocationInput, WarehouseInput
from tests.integration.inventory.conftest import receive


async def moves(owner) -> int:
    return await owner.fetchval("SELECT count(*) FROM stock_moves")


async def test_receiving_into_another_warehouses_location_is_refused(db, shop_a, owner):
    from app.inventory.values import Receipt, ReceiptLine

    receipt = Receipt(
        shop_a.warehouses["MAD"], (ReceiptLine(shop_a.skus["CHAIR"], Decimal(1), location_id=shop_a.places["A-01"]),)
    )
    with pytest.raises(ValidationFailed) as refused:
        async with db.transaction(shop_a.tenant_id) as s:
            await services.receive(s, shop_a.tenant_id, receipt, SYSTEM)
    assert refused.value.errors == {"location": "Location A-01 belongs to another warehouse."}
    assert await moves(owner) == 0


async def test_a_serial_number_twice_is_refused(db, shop_a, owner):
    await receive(db, shop_a, "SCANNER", 2, serials=("SN-1", "SN-2"))
    with pytest.raises(ValidationFailed) as twice:
        await receive(db, shop_a, "SCANNER", 1, "A-02", serials=("SN-2",))
    assert twice.value.errors == {"serials": "Serial number SN-2 of SCANNER is already in stock."}
    with pytest.raises(ValidationFailed) as repeated:
        await receive(db, shop_a, "SCANNER", 2, serials=("SN-3", "SN-3"))
    assert "serials" in repeated.value.errors
    with pytest.raises(ValidationFailed) as uncounted:
        await receive(db, shop_a, "SCANNER", 2, serials=("SN-4",))
    assert "serials" in uncounted.value.errors
    assert await moves(owner) == 2


async def test_a_negative_count_is_refused(db, shop_a, owner):
    await receive(db, shop_a, "LAMP", 4, "A-01")
    async with db.transaction(shop_a.tenant_id) as s:
        count = await services.start_count(s, shop_a.tenant_id, shop_a.warehouses["MAIN"], SYSTEM)
    entry = CountEntry(shop_a.skus["LAMP"], shop_a.places["A-01"], Decimal(-1))
    with pytest.raises(ValidationFailed) as refused:
        async with db.transaction(shop_a.tenant_id) as s:
            await services.record_count(s, shop_a.tenant_id, count.id, entry, SYSTEM)
    assert refused.value.errors == {"counted": "A count is never negative."}
    assert await owner.fetchval("SELECT count(*) FROM stock_count_lines WHERE counted_qty IS NOT NULL") == 0


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("8412345678900", "wrong check digit"),
        ("(01)12345678901234", "wrong check digit"),
        ("(17)991340(10)X", "not a date"),
    ],
)
async def test_a_malformed_barcode_is_refused(db, shop_a, code, reason):
    async with db.transaction(shop_a.tenant_id) as s:
        with pytest.raises(ValidationFailed) as refused:
            await queries.scan(s, code)
    assert reason in refused.value.errors["code"]


async def test_a_scan_finds_the_article_its_lot_and_expiry(db, shop_a):
    async with db.transaction(shop_a.tenant_id) as s:
        found = await queries.scan(s, "(01)08412345678905(17)271231(10)L-9")
        by_sku = await queries.scan(s, " chair ")
        place = await queries.scan(s, "a-01")
    assert (found.sku, found.lot, str(found.expiry)) == ("CHAIR", "L-9", "2027-12-31")
    assert by_sku.variant_id == found.variant_id
    assert place.location_code == "A-01"


async def test_lot_tracking_quantities_and_codes_are_checked(db, shop_a, owner):
    with pytest.raises(ValidationFailed) as no_lot:
        await receive(db, shop_a, "GLUE", 1)
    assert no_lot.value.errors == {"lot": "GLUE is tracked by lot: give the lot."}
    for qty in ("0", "-2", "1.00001", "1e12"):
        with pytest.raises(ValidationFailed):
            await receive(db, shop_a, "CHAIR", Decimal(qty))
    with pytest.raises(ValidationFailed) as cost:
        await receive(db, shop_a, "CHAIR", 1, cost="-1")
    assert "unit_cost" in cost.value.errors
    await receive(db, shop_a, "GLUE", 1, lot_code="L-1", expiry=__import__("datetime").date(2030, 1, 1))
    with pytest.raises(ValidationFailed) as expiry:
        await receive(db, shop_a, "GLUE", 1, lot_code="L-1", expiry=__import__("datetime").date(2031, 1, 1))
    assert "expiry" in expiry.value.errors
    async with db.transaction(shop_a.tenant_id) as s:
        for bad in ("", "has space", "x" * 41, "Ñ"):
            with pytest.raises(ValidationFailed):
                await services.create_location(
                    s, shop_a.tenant_id, shop_a.warehouses["MAIN"], LocationInput(bad, "x"), SYSTEM
                )
        with pytest.raises(ValidationFailed) as taken:
            await services.create_warehouse(s, shop_a.tenant_id, WarehouseInput("A-01", "Clash"), SYSTEM)
        assert taken.value.errors == {"code": "Code A-01 is taken."}
    assert await moves(owner) == 1


async def test_a_view_or_another_tenants_or_virtual_only_move_is_refused(db, shop_a, owner):
    from app.base import new_id
    from app.inventory.values import MoveLine, StockDocument

    main_view = await owner.fetchval("SELECT id FROM locations WHERE code = 'MAIN'")
    chair, supplier = shop_a.skus["CHAIR"], shop_a.virtual["supplier"]
    for target, message in (
        (main_view, "MAIN groups other locations and holds no stock: choose one of them."),
        (shop_a.virtual["customer"], "A move must come from or go to a stock location."),
    ):
        with pytest.raises(ValidationFailed) as refused:
            async with db.transaction(shop_a.tenant_id) as s:
                line = MoveLine(chair, supplier, target, Decimal(1))
                await services.post_moves(s, shop_a.tenant_id, StockDocument("x", new_id(), "X-1"), [line], SYSTEM)
        assert refused.value.errors == {"location": message}
    assert await moves(owner) == 0

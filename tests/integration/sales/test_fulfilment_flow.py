"""Fulfilment through the services on a real database: pick lists FEFO by lot, picking by scanning (a wrong lot
is refused), packing against what was picked, shipping with carrier and tracking (stock moves consume the
reservation, the order becomes partially shipped then shipped, the buyer's e-mail is queued), backorders reserved
when stock arrives, shipping more than reserved refused with nothing written, and another tenant seeing nothing.

The shop: tests.integration.sales.conftest (CHAIR 100 €, ten chairs in MAIN-STOCK; GLUE is tracked by lot)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import sales
from app.actor import Actor
from app.errors import NotFound, ValidationFailed
from app.pricing.models import PriceList
from app.pricing.services import FixedPrice, set_fixed_prices
from app.sales.models import SalesOrderLine
from tests.integration.inventory.conftest import receive
from tests.integration.sales.conftest import Sales, order

STAFF = Actor("staff", None, "Marta (warehouse)")
D = Decimal


async def _lines(db, shop: Sales, order_id) -> list[SalesOrderLine]:
    async with db.transaction(shop.tenant_id) as s:
        rows = await s.scalars(select(SalesOrderLine).where(SalesOrderLine.order_id == order_id))
        return list(rows)


async def _price_glue(db, shop: Sales) -> None:
    async with db.transaction(shop.tenant_id) as s:
        base = await s.scalar(select(PriceList.id).where(PriceList.is_base.is_(True)))
        await set_fixed_prices(s, shop.tenant_id, [FixedPrice(base, "GLUE", D(1), D(5), None, None)], STAFF)


async def _pick_all(db, shop: Sales, order_id, *, codes: list[str], lot: str = ""):
    """One pick list for the order, every stop confirmed by scanning, finished, packed with `codes`."""
    main = shop.shop.warehouses["MAIN"]
    async with db.transaction(shop.tenant_id) as s:
        (pick,) = await sales.create_pick_lists(s, shop.tenant_id, main, STAFF, order_ids=[order_id], batch=False)
        pick_id = pick.id
    async with db.transaction(shop.tenant_id) as s:
        detail = await sales.fulfilment_queries.pick_list(s, pick_id)
        for stop in detail.stops:
            scan = sales.PickScan(stop.location_code, stop.sku, stop.lot_code or lot)
            await sales.record_pick(s, shop.tenant_id, pick_id, scan, STAFF)
        await sales.finish_pick_list(s, shop.tenant_id, pick_id, STAFF)
    async with db.transaction(shop.tenant_id) as s:
        parcel = await sales.pack_order(s, shop.tenant_id, order_id, codes, sales.Parcel(2, D("12.5")), STAFF)
        return pick_id, parcel.id


async def test_fefo_pick_list_scanned_packed_and_shipped_with_tracking(db, sales_a, owner):
    shop = sales_a
    await _price_glue(db, shop)
    soon, later = date.today() + timedelta(days=30), date.today() + timedelta(days=200)
    await receive(db, shop.shop, "GLUE", 5, "A-01", lot_code="L-LATE", expiry=later)
    await receive(db, shop.shop, "GLUE", 3, "A-02", lot_code="L-SOON", expiry=soon)
    placed = await order(db, shop, "carl", ("GLUE", 4))
    main = shop.shop.warehouses["MAIN"]
    async with db.transaction(shop.tenant_id) as s:
        (pick,) = await sales.create_pick_lists(s, shop.tenant_id, main, STAFF)
        detail = await sales.fulfilment_queries.pick_list(s, pick.id)
    stops = [(st.location_code, st.lot_code, st.qty) for st in detail.stops]
    assert stops == [("A-01", "L-LATE", D(1)), ("A-02", "L-SOON", D(3))]  # walking order; the soonest lot in full
    async with db.transaction(shop.tenant_id) as s:
        with pytest.raises(ValidationFailed) as wrong:
            await sales.record_pick(s, shop.tenant_id, pick.id, sales.PickScan("A-02", "GLUE", "L-LATE"), STAFF)
        assert "lot" in wrong.value.errors and "L-SOON" in wrong.value.errors["lot"]
        with pytest.raises(ValidationFailed) as nothing_there:
            await sales.record_pick(s, shop.tenant_id, pick.id, sales.PickScan("A-02", "CHAIR"), STAFF)
        assert "product" in nothing_there.value.errors
        with pytest.raises(ValidationFailed) as too_many:
            await sales.record_pick(s, shop.tenant_id, pick.id, sales.PickScan("A-02", "GLUE", "L-SOON", D(4)), STAFF)
        assert "qty" in too_many.value.errors
        await sales.record_pick(s, shop.tenant_id, pick.id, sales.PickScan("A-02", "GLUE", "L-SOON"), STAFF)
        await sales.record_pick(s, shop.tenant_id, pick.id, sales.PickScan("A-01", "GLUE", "l-late"), STAFF)
        await sales.finish_pick_list(s, shop.tenant_id, pick.id, STAFF)
    async with db.transaction(shop.tenant_id) as s:
        with pytest.raises(ValidationFailed) as short:
            await sales.pack_order(s, shop.tenant_id, placed.order_id, ["GLUE*3"], sales.Parcel(), STAFF)
        assert "GLUE: 1 more" in short.value.errors["scanned"]
    async with db.transaction(shop.tenant_id) as s:
        parcel = await sales.pack_order(s, shop.tenant_id, placed.order_id, ["GLUE*3", "GLUE"], sales.Parcel(), STAFF)
        parcel_id = parcel.id
    services = await owner.fetch("SELECT id FROM carrier_services WHERE tenant_id = $1", shop.tenant_id)
    assert services == []  # this shop has no carrier: a shipment without one needs no tracking number
    async with db.transaction(shop.tenant_id) as s:
        dispatch = sales.Dispatch(None, "", "https://track.example/ABC")
        shipped = await sales.ship_packed(s, shop.tenant_id, parcel_id, dispatch, STAFF)
        assert shipped.status == "shipped" and shipped.number.startswith("DN-")
    (line,) = await _lines(db, shop, placed.order_id)
    assert (line.shipped_qty, line.reserved_qty) == (D(4), D(0))
    assert await owner.fetchval("SELECT status FROM sales_orders WHERE id = $1", placed.order_id) == "shipped"
    by_lot = dict(
        await owner.fetch(
            "SELECT l.code, q.on_hand FROM stock_quants q JOIN lots l ON l.id = q.lot_id WHERE q.variant_id = $1",
            shop.sku("GLUE"),
        )
    )
    assert by_lot.get("L-SOON", D(0)) == 0 and by_lot["L-LATE"] == 4
    assert await owner.fetchval("SELECT reserved FROM stock_levels WHERE variant_id = $1", shop.sku("GLUE")) == 0
    mails = await owner.fetch("SELECT payload::text AS p FROM outbox WHERE payload->>'template' = 'mail/order_shipped'")
    assert len(mails) == 1 and "carl@roca.test" in mails[0]["p"] and "https://track.example/ABC" in mails[0]["p"]
    shipped_events = await owner.fetchval("SELECT count(*) FROM outbox WHERE topic = 'sales.shipment_shipped'")
    assert shipped_events == 1


async def test_partial_shipment_then_backorder_arrives_and_ships(db, sales_a, owner):
    shop = sales_a
    placed = await order(db, shop, "carl", ("CHAIR", 12))
    (line,) = await _lines(db, shop, placed.order_id)
    assert line.reserved_qty == 10  # two backordered
    await _pick_all(db, shop, placed.order_id, codes=["8412345678905*10"])  # the chair's EAN, ten times
    async with db.transaction(shop.tenant_id) as s:
        parcel = (await sales.fulfilment_queries.order_fulfilment(s, placed.order_id)).shipments[0]
        await sales.ship_packed(s, shop.tenant_id, parcel.id, sales.Dispatch(), STAFF)
    assert await owner.fetchval("SELECT status FROM sales_orders WHERE id = $1", placed.order_id) == "partially_shipped"
    await receive(db, shop.shop, "CHAIR", 5)
    async with db.transaction(shop.tenant_id) as s:
        gained = await sales.reserve_backorders(s, shop.tenant_id)
    assert gained == 2
    (line,) = await _lines(db, shop, placed.order_id)
    assert (line.reserved_qty, line.shipped_qty) == (D(2), D(10))
    async with db.transaction(shop.tenant_id) as s:
        await sales.ship_order(s, shop.tenant_id, placed.order_id, sales.DirectShipment({line.id: D(2)}), STAFF)
    assert await owner.fetchval("SELECT status FROM sales_orders WHERE id = $1", placed.order_id) == "shipped"
    steps = await owner.fetch(
        "SELECT to_status FROM sales_order_events WHERE order_id = $1 ORDER BY created_at", placed.order_id
    )
    assert [r["to_status"] for r in steps] == ["confirmed", "partially_shipped", "shipped"]
    assert await owner.fetchval("SELECT on_hand FROM stock_levels WHERE variant_id = $1", shop.sku("CHAIR")) == 3


async def test_the_stock_moved_event_reserves_backorders(db, sales_a, owner):
    shop = sales_a
    placed = await order(db, shop, "carl", ("CHAIR", 13))
    await receive(db, shop.shop, "CHAIR", 5)
    event = await owner.fetchrow(
        "SELECT id, tenant_id, payload FROM outbox WHERE topic = 'inventory.moved' ORDER BY created_at DESC LIMIT 1"
    )
    from app.outbox.models import OutboxEvent

    async with db.transaction(shop.tenant_id) as s:
        await sales.on_stock_moved(s, await s.get(OutboxEvent, (event["tenant_id"], event["id"])))
    (line,) = await _lines(db, shop, placed.order_id)
    assert line.reserved_qty == 13


async def test_shipping_more_than_reserved_is_refused_and_nothing_is_written(db, sales_a, owner):
    shop = sales_a
    placed = await order(db, shop, "carl", ("CHAIR", 12))
    (line,) = await _lines(db, shop, placed.order_id)
    counts = (
        "SELECT (SELECT count(*) FROM shipments), (SELECT count(*) FROM stock_moves), (SELECT count(*) FROM outbox)"
    )
    before = await owner.fetchrow(counts)
    for qty in (D(11), D(13)):
        async with db.transaction(shop.tenant_id) as s:
            with pytest.raises(ValidationFailed) as refused:
                await sales.ship_order(s, shop.tenant_id, placed.order_id, sales.DirectShipment({line.id: qty}), STAFF)
        message = refused.value.errors[f"qty_{line.id}"]
        assert "more than reserved" in message and "CHAIR" in message and "10 reserved" in message
    assert await owner.fetchrow(counts) == before
    (after,) = await _lines(db, shop, placed.order_id)
    assert (after.shipped_qty, after.reserved_qty) == (D(0), D(10))


async def test_a_pick_list_never_promises_the_same_units_twice(db, sales_a):
    shop = sales_a
    first = await order(db, shop, "carl", ("CHAIR", 6))
    second = await order(db, shop, "carl", ("CHAIR", 4))
    main = shop.shop.warehouses["MAIN"]
    async with db.transaction(shop.tenant_id) as s:
        (batch,) = await sales.create_pick_lists(s, shop.tenant_id, main, STAFF)
        detail = await sales.fulfilment_queries.pick_list(s, batch.id)
        assert {st.order_id for st in detail.stops} == {first.order_id, second.order_id}
        assert sum(st.qty for st in detail.stops) == 10
    async with db.transaction(shop.tenant_id) as s:
        with pytest.raises(ValidationFailed) as again:
            await sales.create_pick_lists(s, shop.tenant_id, main, STAFF)
        assert "orders" in again.value.errors
        (line,) = (await sales.fulfilment_queries.order_fulfilment(s, first.order_id)).lines
        with pytest.raises(ValidationFailed):  # what the list holds cannot also ship directly
            await sales.ship_order(s, shop.tenant_id, first.order_id, sales.DirectShipment({line.id: D(1)}), STAFF)


async def test_another_tenant_sees_no_pick_list_shipment_or_order(db, sales_a, tenant_b):
    shop = sales_a
    placed = await order(db, shop, "carl", ("CHAIR", 2))
    pick_id, parcel_id = await _pick_all(db, shop, placed.order_id, codes=["CHAIR*2"])
    async with db.transaction(tenant_b.id) as s:
        for read in (
            sales.fulfilment_queries.pick_list(s, pick_id),
            sales.fulfilment_queries.shipment(s, parcel_id),
            sales.fulfilment_queries.order_fulfilment(s, placed.order_id),
        ):
            with pytest.raises(NotFound):
                await read
        assert await sales.fulfilment_queries.pick_lists(s) == []
        assert await sales.fulfilment_queries.shipments(s) == []
        with pytest.raises(NotFound):
            await sales.ship_packed(s, tenant_b.id, parcel_id, sales.Dispatch(), STAFF)
        with pytest.raises(NotFound):
            await sales.pack_order(s, tenant_b.id, placed.order_id, ["CHAIR*2"], sales.Parcel(), STAFF)


async def test_a_carriers_tracking_page_makes_the_link_from_the_number(db, sales_a, owner):
    """With no link typed, the shipment's link is the carrier's tracking page with the number percent-encoded in
    it (what the buyer's e-mail and order page show); a link typed wins."""
    from app import shipping
    from app.shipping import CarrierInput, ServiceInput

    shop = sales_a
    first = await order(db, shop, "carl", ("CHAIR", 1))  # before the carrier: checkout would quote a delivery
    second = await order(db, shop, "carl", ("CHAIR", 1))
    template = "https://track.carrier.example/parcel?n={tracking}&lang=es"
    async with db.transaction(shop.tenant_id) as s:
        carrier = await shipping.create_carrier(
            s, shop.tenant_id, CarrierInput("FAST", "Fast", "EUR", "5000", "0", template), STAFF
        )
        service = await shipping.add_service(
            s, shop.tenant_id, carrier.id, ServiceInput("STD", {"en": "Standard"}), STAFF
        )
        service_id = service.id
    links = []
    for placed, typed in ((first, ""), (second, "https://elsewhere.example/x")):
        (line,) = await _lines(db, shop, placed.order_id)
        dispatch = sales.Dispatch(service_id, "AB 12/3", typed)
        async with db.transaction(shop.tenant_id) as s:
            parcel = await sales.ship_order(
                s, shop.tenant_id, placed.order_id, sales.DirectShipment({line.id: D(1)}, dispatch), STAFF
            )
            links.append(parcel.tracking_url)
    assert links == ["https://track.carrier.example/parcel?n=AB%2012%2F3&lang=es", "https://elsewhere.example/x"]
    mails = await owner.fetch("SELECT payload::text AS p FROM outbox WHERE payload->>'template' = 'mail/order_shipped'")
    assert any("n=AB%2012%2F3" in m["p"] for m in mails)

"""Invariants of the stock ledger under any sequence of receipts, reservations, releases, transfers, adjustments
and issues, through the services (hypothesis; each example in a transaction that is rolled back):

on hand equals the sum of the moves, reserved never exceeds on hand, nothing goes negative unless the tenant
allows it, and the stock value equals the sum of the moves' values.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from app.actor import SYSTEM
from app.base import new_id
from app.errors import ValidationFailed
from app.inventory import services
from app.inventory.values import (
    Adjustment,
    InventorySettingsInput,
    IssueLine,
    Receipt,
    ReceiptLine,
    ReservationKey,
    StockDocument,
    TransferInput,
)
from tests.integration.inventory.conftest import build_shop

SKUS = ("CHAIR", "DESK", "GLUE")
PLACES = ("A-01", "A-02", "MAD-STOCK")
qty = st.integers(min_value=1, max_value=12).map(Decimal)
operation = st.one_of(
    st.tuples(st.just("receive"), st.sampled_from(SKUS), st.sampled_from(PLACES), qty, st.integers(1, 90).map(Decimal)),
    st.tuples(st.just("reserve"), st.sampled_from(SKUS), st.sampled_from(("MAIN", "MAD")), qty),
    st.tuples(st.just("release"), st.integers(0, 5), st.sampled_from((None, Decimal(1)))),
    st.tuples(st.just("transfer"), st.sampled_from(SKUS), qty, st.booleans()),
    st.tuples(
        st.just("adjust"), st.sampled_from(SKUS), st.sampled_from(PLACES), st.integers(-6, 6).filter(bool).map(Decimal)
    ),
    st.tuples(st.just("issue"), st.sampled_from(SKUS), st.sampled_from(PLACES), qty, st.integers(0, 5)),
    st.tuples(st.just("revalue"), st.sampled_from(SKUS), st.integers(-30, 60).map(Decimal)),
)


class Run:
    """One example: the shop, its open transaction and the reservations made so far."""

    def __init__(self, shop, session) -> None:
        self.shop, self.s, self.held = shop, session, []

    def warehouse_of(self, place: str):
        return self.shop.warehouses["MAD" if place.startswith("MAD") else "MAIN"]

    async def receive(self, sku, place, n, cost):
        lot = "L1" if sku == "GLUE" else None
        line = ReceiptLine(self.shop.skus[sku], n, cost, self.shop.places[place], lot_code=lot)
        await services.receive(self.s, self.shop.tenant_id, Receipt(self.warehouse_of(place), (line,)), SYSTEM)

    async def reserve(self, sku, warehouse, n):
        key = (self.shop.warehouses[warehouse], self.shop.skus[sku], new_id())
        await services.reserve(self.s, self.shop.tenant_id, key[0], key[1], n, "so", new_id(), key[2])
        self.held.append(key)

    async def release(self, index, n):
        if self.held:
            warehouse, variant, line = self.held[index % len(self.held)]
            await services.release(self.s, self.shop.tenant_id, warehouse, variant, "so", line, n)

    async def transfer(self, sku, n, arrive):
        data = TransferInput(self.shop.warehouses["MAIN"], self.shop.warehouses["MAD"], ((self.shop.skus[sku], n),))
        transfer = await services.create_transfer(self.s, self.shop.tenant_id, data, SYSTEM)
        await services.ship_transfer(self.s, self.shop.tenant_id, transfer.id, SYSTEM)
        if arrive:
            from app.inventory import queries

            _t, (line,) = await queries.transfer_detail(self.s, transfer.id)
            await services.receive_transfer(self.s, self.shop.tenant_id, transfer.id, {line.id: n}, SYSTEM)

    async def adjust(self, sku, place, change):
        lot = "L1" if sku == "GLUE" else None
        reason = "found" if change > 0 else "loss"
        data = Adjustment(self.shop.places[place], self.shop.skus[sku], change, reason, lot_code=lot)
        await services.adjust_stock(self.s, self.shop.tenant_id, data, SYSTEM)

    async def issue(self, sku, place, n, index):
        lot = None
        if sku == "GLUE":
            lot = await self.s.scalar(text("SELECT id FROM lots WHERE code = 'L1'"))
            if lot is None:
                return
        reservation = None
        if self.held and index:
            warehouse, variant, line = self.held[index % len(self.held)]
            if variant == self.shop.skus[sku] and warehouse == self.warehouse_of(place):
                reservation = ReservationKey("so", line)
        doc = StockDocument("delivery", new_id(), "DN")
        issue = IssueLine(self.shop.skus[sku], self.shop.places[place], n, lot, reservation=reservation)
        await services.ship(self.s, self.shop.tenant_id, doc, [issue], SYSTEM)

    async def revalue(self, sku, amount):
        """A landed cost on the variant's latest receipt from a supplier."""
        move = await self.s.scalar(
            text(
                "SELECT m.id FROM stock_moves m JOIN locations f ON f.id = m.from_location_id AND f.kind = 'supplier' "
                "WHERE m.variant_id = :v ORDER BY m.sequence DESC LIMIT 1"
            ),
            {"v": self.shop.skus[sku]},
        )
        if move is not None:
            doc = StockDocument("landed_cost", new_id(), "LC")
            await services.revalue_receipt(self.s, self.shop.tenant_id, doc, move, amount, SYSTEM)


CHECKS = {
    "quant differs from its moves": """
        SELECT q.variant_id FROM stock_quants q LEFT JOIN LATERAL (
          SELECT coalesce(sum(CASE WHEN m.to_location_id = q.location_id THEN m.qty ELSE -m.qty END), 0) AS total
          FROM stock_moves m WHERE m.variant_id = q.variant_id AND m.lot_id IS NOT DISTINCT FROM q.lot_id
            AND (m.to_location_id = q.location_id OR m.from_location_id = q.location_id)) x ON true
        WHERE q.on_hand <> x.total""",
    "level differs from its quants": """
        SELECT s.variant_id FROM stock_levels s WHERE s.on_hand <> (
          SELECT coalesce(sum(q.on_hand), 0) FROM stock_quants q JOIN locations l ON l.id = q.location_id
          WHERE q.variant_id = s.variant_id AND l.warehouse_id = s.warehouse_id AND l.kind = 'internal')""",
    "reserved differs from the reservations": """
        SELECT s.variant_id FROM stock_levels s WHERE s.reserved <> (SELECT coalesce(sum(r.qty), 0) FROM reservations r
          WHERE r.variant_id = s.variant_id AND r.warehouse_id = s.warehouse_id)""",
    "value differs from the moves' values and revaluations": """
        SELECT v.variant_id FROM stock_valuations v WHERE v.value <> (
          SELECT coalesce(sum(m.value + m.adjustment), 0) FROM stock_moves m WHERE m.variant_id = v.variant_id) + (
          SELECT coalesce(sum(r.to_stock), 0) FROM stock_revaluations r WHERE r.variant_id = v.variant_id)""",
    "valued quantity differs from the stock": """
        SELECT v.variant_id FROM stock_valuations v WHERE v.qty <> (
          SELECT coalesce(sum(q.on_hand), 0) FROM stock_quants q JOIN locations l ON l.id = q.location_id
          WHERE q.variant_id = v.variant_id AND l.kind IN ('internal', 'transit'))""",
    "FIFO layers differ from the value": """
        SELECT v.variant_id FROM stock_valuations v WHERE v.method = 'fifo' AND v.value <> (
          SELECT coalesce(sum(c.value_remaining), 0) FROM cost_layers c
          WHERE c.variant_id = v.variant_id) - v.owed_value""",
}
STRICT = {
    "reserved exceeds on hand": "SELECT variant_id FROM stock_levels WHERE reserved > on_hand",
    "negative level": "SELECT variant_id FROM stock_levels WHERE on_hand < 0",
    "negative quant": "SELECT variant_id FROM stock_quants WHERE on_hand < 0",
}


async def broken(session, allow_negative: bool) -> list[str]:
    checks = CHECKS if allow_negative else {**CHECKS, **STRICT}
    return [name for name, sql in checks.items() if (await session.execute(text(sql))).first() is not None]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    method=st.sampled_from(("average", "fifo")),
    allow_negative=st.booleans(),
    stocked=st.booleans(),
    operations=st.lists(operation, min_size=1, max_size=14),
)
async def test_the_ledger_invariants_hold_for_any_sequence(db, tenant_a, method, allow_negative, stocked, operations):
    shop = await _shop(db, tenant_a)
    async with db.session(tenant_a.id) as session:
        await session.begin()
        try:
            rules = InventorySettingsInput(cost_method=method, allow_negative=allow_negative)
            await services.set_inventory_settings(session, shop.tenant_id, rules, SYSTEM)
            run = Run(shop, session)
            opening = [("receive", sku, "A-01", Decimal(20), Decimal(10)) for sku in SKUS] if stocked else []
            for name, *args in opening + operations:
                try:
                    async with session.begin_nested():
                        await getattr(run, name)(*args)
                except ValidationFailed:
                    pass
                assert await broken(session, allow_negative) == [], (name, args)
        finally:
            await session.rollback()


_SHOPS: dict = {}


async def _shop(db, tenant):
    """The articles and places, built once per test (each example rolls its own writes back)."""
    if tenant.id not in _SHOPS:
        _SHOPS.clear()
        _SHOPS[tenant.id] = await build_shop(db, tenant)
    return _SHOPS[tenant.id]

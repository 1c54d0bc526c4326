"""Landed costs flowing into the stock valuation, replenishment suggestions turned into purchase orders, requests
for quotation compared side by side and ordered, and the supply cost analysis."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.errors import ValidationFailed
from app.inventory import services as stock_services
from app.inventory.queries import stock_value
from app.inventory.values import ReorderRuleInput
from app.purchasing import queries, replenishment, rfq_queries, services, supply_analysis
from app.purchasing.services import AnswerInput, LandedCostInput, RfqInput, RfqLineInput
from tests.integration.purchasing.conftest import TODAY, order, receive


async def test_a_landed_cost_is_spread_by_value_and_raises_the_stock_value(db, buying_a):
    tid = buying_a.tenant_id
    placed = await order(db, buying_a, "MADERAS", ("CHAIR", 6), ("DESK", 2))
    receipt = await receive(db, buying_a, placed, ("CHAIR", 6), ("DESK", 2))  # 6 x 38 = 228.00 + 280.00
    async with db.transaction(tid) as s:
        before = await stock_value(s, "EUR")
        data = LandedCostInput(receipt.id, "freight", "50", "value", "Transportes Levante")
        cost = await services.add_landed_cost(s, tid, data, SYSTEM)
        assert cost.status == "valued"
        assert await stock_value(s, "EUR") == before + 50
        detail = await queries.receipt_detail(s, receipt.id)
        shares = {row.sku: row.line.landed_cost for row in detail.lines}
        assert shares == {"CHAIR": Decimal("22.44"), "DESK": Decimal("27.56")}
        ((_cost, allocations),) = detail.landed_costs
        assert sum(a.to_stock for a in allocations) == 50 and sum(a.to_cogs for a in allocations) == 0
        with pytest.raises(ValidationFailed) as weightless:
            await services.add_landed_cost(s, tid, LandedCostInput(receipt.id, "duty", "10", "weight"), SYSTEM)
        assert "basis" in weightless.value.errors
        with pytest.raises(ValidationFailed) as cents:
            await services.add_landed_cost(s, tid, LandedCostInput(receipt.id, "duty", "10.001"), SYSTEM)
        assert "amount" in cents.value.errors


async def test_suggestions_become_orders_grouped_by_best_supplier(db, buying_a):
    tid, main = buying_a.tenant_id, buying_a.shop.warehouses["MAIN"]
    async with db.transaction(tid) as s:
        for sku, low, high in (("CHAIR", "5", "20"), ("LAMP", "2", "10"), ("DESK", "1", "3"), ("SCANNER", "1", "2")):
            rule = ReorderRuleInput(buying_a.sku(sku), main, "min_max", Decimal(low), Decimal(high))
            await stock_services.set_reorder_rule(s, tid, rule, SYSTEM)
        rows = {row.suggestion.sku: row for row in await replenishment(s, tid, today=TODAY)}
    assert rows["CHAIR"].supplier_code == "MADERAS" and rows["CHAIR"].unit_price == 35  # 20 reach the 10+ break
    assert rows["LAMP"].supplier_code == "LUZ" and rows["LAMP"].suggestion.qty == 12  # packs of 6
    assert rows["SCANNER"].supplier_id is None  # nobody sells it
    async with db.transaction(tid) as s:
        keys = [rows[sku].key for sku in ("CHAIR", "LAMP", "DESK", "SCANNER")]
        created = await services.order_suggestions(s, tid, keys, SYSTEM, today=TODAY)
        by_supplier = {(await queries.order_detail(s, o.id)).supplier.code: o for o in created}
        assert set(by_supplier) == {"MADERAS", "LUZ"} and all(o.status == "draft" for o in created)
        lines = {row.sku: row.line.qty for row in (await queries.order_detail(s, by_supplier["MADERAS"].id)).lines}
        assert lines == {"CHAIR": 20, "DESK": 3}
    async with db.transaction(tid) as s:  # approved orders count as incoming: nothing is suggested twice
        for o in created:
            await services.submit_order(s, tid, o.id, SYSTEM)
            await services.approve_order(s, tid, o.id, SYSTEM) if o.status == "to_approve" else None
        left = {row.suggestion.sku for row in await replenishment(s, tid, today=TODAY)}
        assert left == {"SCANNER"}


async def test_an_rfq_compares_answers_and_orders_the_chosen_ones(db, buying_a):
    tid = buying_a.tenant_id
    suppliers = (buying_a.suppliers["MADERAS"], buying_a.suppliers["LUZ"])
    lines = (RfqLineInput(buying_a.sku("CHAIR"), "20"), RfqLineInput(buying_a.sku("DESK"), "4"))
    async with db.transaction(tid) as s:
        rfq = await services.create_rfq(s, tid, RfqInput(buying_a.shop.warehouses["MAIN"], suppliers, lines), SYSTEM)
        detail = await rfq_queries.rfq_detail(s, rfq.id)
        chair, desk = (row.line.id for row in detail.lines)
        answers = (AnswerInput(chair, "34", "12"), AnswerInput(desk, "150", "10"))
        await services.record_answer(s, tid, rfq.id, suppliers[0], answers, SYSTEM)
        await services.record_answer(s, tid, rfq.id, suppliers[1], (AnswerInput(chair, "33.50", "25"),), SYSTEM)
        comparison = (await rfq_queries.rfq_detail(s, rfq.id)).comparison
        marks = {c.supplier: (c.best_price, c.best_lead_time) for c in comparison.rows[0].cells}
        assert marks == {suppliers[0]: (False, True), suppliers[1]: (True, False)}
        totals = {c.supplier: c.total for c in comparison.columns}
        assert totals == {suppliers[0]: Decimal("1280.00"), suppliers[1]: None}  # LUZ left the desk out
        orders = await services.order_from_rfq(s, tid, rfq.id, {chair: suppliers[1], desk: suppliers[0]}, SYSTEM)
        assert len(orders) == 2 and (await rfq_queries.rfq_detail(s, rfq.id)).rfq.status == "ordered"
        luz = next(o for o in orders if o.supplier_id == suppliers[1])
        assert luz.total == Decimal("670.00") and luz.rfq_id == rfq.id


async def test_the_supply_analysis_sets_landed_cost_against_list_price_and_lead_times(db, buying_a):
    tid = buying_a.tenant_id
    placed = await order(db, buying_a, "MADERAS", ("CHAIR", 10))  # promised in 10 days
    receipt = await receive(db, buying_a, placed, ("CHAIR", 10), on=TODAY.replace(day=21))  # came in 14
    async with db.transaction(tid) as s:
        await services.add_landed_cost(s, tid, LandedCostInput(receipt.id, "freight", "35"), SYSTEM)
        analysis = await supply_analysis(s, tid, today=TODAY.replace(day=31))
    (route,) = analysis.routes
    figures = route.analysis
    assert (route.supplier_code, route.sku, figures.list_per_unit, figures.landed_per_unit) == (
        "MADERAS",
        "CHAIR",
        35,
        Decimal("38.5"),
    )
    assert (figures.uplift_pct, figures.promised_lead_days, figures.actual_lead_days) == (10, 10, 14)
    assert figures.late and route.flagged  # 4 days late against at most 2
    assert analysis.suppliers[0].uplift_pct == 10

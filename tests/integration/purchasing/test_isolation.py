"""Tenant B asking for tenant A's purchasing rows by id gets NotFound (or nothing), and changes nothing."""

from __future__ import annotations

import pytest

from app.actor import SYSTEM
from app.errors import NotFound, ValidationFailed
from app.parties import SupplierInput, get_supplier, set_supplier_status, update_supplier
from app.parties import queries as parties
from app.purchasing import bill_queries, buying_rules, open_order_supply, queries, rfq_queries, services
from app.purchasing.services import (
    AnswerInput,
    BillInput,
    BillLineInput,
    LandedCostInput,
    OrderInput,
    OrderLineInput,
    ReceiveLineInput,
    RfqInput,
    RfqLineInput,
    SupplierPriceInput,
)
from tests.integration.purchasing.conftest import TODAY, build_buying, order, receive

TABLES = (
    "suppliers",
    "supplier_prices",
    "rfqs",
    "rfq_lines",
    "rfq_suppliers",
    "rfq_responses",
    "purchase_orders",
    "purchase_order_lines",
    "purchase_receipts",
    "purchase_receipt_lines",
    "vendor_bills",
    "vendor_bill_lines",
    "landed_costs",
    "landed_cost_allocations",
    "purchasing_settings",
)


async def _a_of_everything(db, a):
    """One row of every purchasing table in tenant A."""
    tid = a.tenant_id
    placed = await order(db, a, "MADERAS", ("CHAIR", 4), ("DESK", 1))
    receipt = await receive(db, a, placed, ("CHAIR", 4))
    async with db.transaction(tid) as s:
        await services.set_buying_rules(s, tid, services.RulesInput("100"), SYSTEM)
        lines = (await queries.order_detail(s, placed)).lines
        bill = await services.record_bill(
            s, tid, BillInput(placed, "A-1", TODAY, (BillLineInput(lines[1].line.id, "1", "140"),)), SYSTEM
        )
        await services.add_landed_cost(s, tid, LandedCostInput(receipt.id, "freight", "10"), SYSTEM)
        rfq_in = RfqInput(a.shop.warehouses["MAIN"], (a.suppliers["LUZ"],), (RfqLineInput(a.sku("LAMP"), "6"),))
        rfq = await services.create_rfq(s, tid, rfq_in, SYSTEM)
        rfq_line = (await rfq_queries.rfq_detail(s, rfq.id)).lines[0].line.id
        await services.record_answer(s, tid, rfq.id, a.suppliers["LUZ"], (AnswerInput(rfq_line, "10", "5"),), SYSTEM)
        price = (await queries.price_list(s, a.suppliers["LUZ"]))[0].line.id
    return placed, lines, receipt, bill, rfq, rfq_line, price


async def test_another_tenants_purchasing_is_not_found(db, tenant_a, tenant_b, owner):
    a = await build_buying(db, tenant_a)
    b = await build_buying(db, tenant_b, second_warehouse=False)
    placed, lines, receipt, bill, rfq, rfq_line, price = await _a_of_everything(db, a)
    counts = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in TABLES)
    before = await owner.fetch(counts)
    assert all(n > 0 for _t, n in before), before
    tid, supplier = b.tenant_id, a.suppliers["MADERAS"]
    own = SupplierInput("X", "X", "EUR", "ES")
    attempts = [
        lambda s: get_supplier(s, supplier),
        lambda s: queries.supplier(s, supplier),
        lambda s: queries.order_detail(s, placed),
        lambda s: queries.order_document(s, tid, placed, "es"),
        lambda s: queries.receipt_detail(s, receipt.id),
        lambda s: queries.supplier_price_line(s, price),
        lambda s: bill_queries.bill_detail(s, bill.id),
        lambda s: rfq_queries.rfq_detail(s, rfq.id),
        lambda s: update_supplier(s, tid, supplier, own, SYSTEM),
        lambda s: set_supplier_status(s, tid, supplier, "blocked", SYSTEM),
        lambda s: services.add_supplier_price(s, tid, supplier, SupplierPriceInput(b.sku("CHAIR"), "1"), SYSTEM),
        lambda s: services.update_supplier_price(s, tid, price, SupplierPriceInput(None, "1"), SYSTEM),
        lambda s: services.remove_supplier_price(s, tid, price, SYSTEM),
        lambda s: services.add_order_line(s, tid, placed, OrderLineInput(b.sku("CHAIR"), "1"), SYSTEM),
        lambda s: services.remove_order_line(s, tid, placed, lines[0].line.id, SYSTEM),
        lambda s: services.submit_order(s, tid, placed, SYSTEM),
        lambda s: services.approve_order(s, tid, placed, SYSTEM),
        lambda s: services.reject_order(s, tid, placed, "no", SYSTEM),
        lambda s: services.send_order(s, tid, placed, SYSTEM, link="{token}"),
        lambda s: services.cancel_order(s, tid, placed, SYSTEM),
        lambda s: services.close_order(s, tid, placed, SYSTEM),
        lambda s: services.receive_order(s, tid, placed, (ReceiveLineInput("1", variant_id=a.sku("CHAIR")),), SYSTEM),
        lambda s: services.record_bill(
            s, tid, BillInput(placed, "B", TODAY, (BillLineInput(lines[0].line.id, "1", "1"),)), SYSTEM
        ),
        lambda s: services.rematch_bill(s, tid, bill.id, SYSTEM),
        lambda s: services.approve_bill(s, tid, bill.id, "ok", SYSTEM),
        lambda s: services.add_landed_cost(s, tid, LandedCostInput(receipt.id, "freight", "5"), SYSTEM),
        lambda s: services.record_answer(s, tid, rfq.id, a.suppliers["LUZ"], (AnswerInput(rfq_line, "1"),), SYSTEM),
        lambda s: services.order_from_rfq(s, tid, rfq.id, {rfq_line: a.suppliers["LUZ"]}, SYSTEM),
        lambda s: services.cancel_rfq(s, tid, rfq.id, SYSTEM),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            async with db.transaction(tid) as s:
                await attempt(s)
    crossing = [  # naming A's rows inside B's own documents is refused as a bad choice
        lambda s: services.create_order(s, tid, OrderInput(supplier, b.shop.warehouses["MAIN"]), SYSTEM),
        lambda s: services.create_order(
            s,
            tid,
            OrderInput(b.suppliers["MADERAS"], b.shop.warehouses["MAIN"], (OrderLineInput(a.sku("CHAIR"), "1"),)),
            SYSTEM,
        ),
        lambda s: services.create_rfq(
            s, tid, RfqInput(b.shop.warehouses["MAIN"], (supplier,), (RfqLineInput(b.sku("CHAIR"), "1"),)), SYSTEM
        ),
    ]
    for attempt in crossing:
        with pytest.raises(ValidationFailed):
            async with db.transaction(tid) as s:
                await attempt(s)
    async with db.transaction(tid) as s:
        assert await parties.suppliers_by_id(s, [supplier]) == {}
        assert await queries.orders(s) == [] and await bill_queries.bills(s) == []
        assert await rfq_queries.rfqs(s) == [] and await bill_queries.payable_bills(s) == []
        assert await open_order_supply(s, [a.sku("DESK")], None) == []
        assert (await buying_rules(s, tid)).approval_threshold == 5000  # the default: A's 100 is A's
    assert await owner.fetch(counts) == before

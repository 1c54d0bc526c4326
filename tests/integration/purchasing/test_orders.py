"""Purchase orders through the services: prices from the price list, the approval threshold, the states an order
may go through, the e-mail to the supplier and its PDF."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from app.actor import SYSTEM, Actor
from app.errors import ValidationFailed
from app.purchasing import queries, render_order, services
from app.purchasing.services import OrderLineInput, RulesInput
from tests.integration.purchasing.conftest import TODAY, order, receive

BOSS = Actor(kind="staff", id=None, label="Lucía (owner)")


async def _status(db, buying, order_id) -> str:
    async with db.transaction(buying.tenant_id) as s:
        return (await queries.order_detail(s, order_id)).order.status


async def test_orders_above_the_threshold_wait_for_approval_and_may_be_rejected(db, buying_a):
    tid = buying_a.tenant_id
    async with db.transaction(tid) as s:
        await services.set_buying_rules(s, tid, RulesInput(approval_threshold="1000", price_tolerance_pct="2"), SYSTEM)
    small = await order(db, buying_a, "MADERAS", ("CHAIR", 10), send=False)
    large = await order(db, buying_a, "MADERAS", ("DESK", 10), send=False)
    other = await order(db, buying_a, "MADERAS", ("DESK", 8), send=False)
    assert await _status(db, buying_a, small) == "approved"  # 10 x 35.00 = 350 <= 1000
    assert await _status(db, buying_a, large) == "to_approve"  # 10 x 140 = 1400 > 1000
    async with db.transaction(tid) as s:
        approved = await services.approve_order(s, tid, large, BOSS)
        assert (approved.status, approved.approved_by) == ("approved", "Lucía (owner)")
        with pytest.raises(ValidationFailed) as blank:
            await services.reject_order(s, tid, other, "  ", BOSS)
        assert "reason" in blank.value.errors
        await services.reject_order(s, tid, other, "Too many desks", BOSS)
    assert await _status(db, buying_a, other) == "draft"


async def test_lines_are_priced_from_the_price_list_in_whole_packs(db, buying_a):
    tid = buying_a.tenant_id
    lamps = await order(db, buying_a, "LUZ", ("LAMP", 7), ("CHAIR", 2, "30"), submit=False)
    async with db.transaction(tid) as s:
        detail = await queries.order_detail(s, lamps)
        lamp, chair = detail.lines
        assert (lamp.line.qty, lamp.line.unit_price, lamp.line.expected_on) == (12, 11, TODAY + timedelta(days=15))
        assert (chair.line.qty, chair.line.unit_price) == (2, 30)  # a typed price wins
        assert detail.order.total == Decimal("192.00") and detail.order.expected_on == TODAY + timedelta(days=20)
        with pytest.raises(ValidationFailed) as none:
            await services.add_order_line(s, tid, lamps, OrderLineInput(buying_a.sku("SCANNER"), "1"), SYSTEM)
        assert "has no price for SCANNER" in none.value.errors["unit_price"]


async def test_an_order_goes_only_where_its_state_allows(db, buying_a):
    tid = buying_a.tenant_id
    draft = await order(db, buying_a, "MADERAS", ("CHAIR", 4), submit=False)
    sent = await order(db, buying_a, "MADERAS", ("CHAIR", 4))
    partly = await order(db, buying_a, "MADERAS", ("CHAIR", 10))
    await receive(db, buying_a, partly, ("CHAIR", 4))
    async with db.transaction(tid) as s:
        with pytest.raises(ValidationFailed) as unsent:
            await services.send_order(s, tid, draft, SYSTEM, link="https://x.test/{token}")
        assert unsent.value.errors["status"] == "A purchase order that is draft cannot become sent."
        with pytest.raises(ValidationFailed):
            await services.cancel_order(s, tid, partly, SYSTEM)
    async with db.transaction(tid) as s:
        assert (await services.cancel_order(s, tid, sent, SYSTEM)).status == "cancelled"
        assert (await services.close_order(s, tid, partly, SYSTEM)).status == "closed"
        with pytest.raises(ValidationFailed):
            await services.add_order_line(s, tid, sent, OrderLineInput(buying_a.sku("CHAIR"), "1"), SYSTEM)


async def test_sending_mails_the_supplier_a_link_to_the_orders_pdf(db, buying_a, owner):
    sent = await order(db, buying_a, "MADERAS", ("CHAIR", 12), ("DESK", 1))
    mail = await owner.fetchrow("SELECT payload FROM outbox WHERE topic = 'mail.send' ORDER BY created_at DESC LIMIT 1")
    payload = __import__("json").loads(mail["payload"])
    async with db.transaction(buying_a.tenant_id) as s:
        placed = await queries.order_detail(s, sent)
        token = placed.order.share_token
        assert payload["to"] == "pedidos@maderas.test" and payload["template"] == "mail/purchase_order"
        assert (
            payload["context"]["url"] == f"https://x.test/po/{token}"
            and payload["context"]["number"] == placed.order.number
        )
        assert (await queries.order_by_token(s, token)).id == sent
        document = await queries.order_document(s, buying_a.tenant_id, sent, "es")
    pdf = render_order(document, "es")
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    assert document.total == Decimal("560.00") and document.supplier[0] == "Maderas S.A."


async def test_a_price_list_is_taken_in_whole_or_refused_naming_the_line(db, buying_a, owner):
    tid, luz = buying_a.tenant_id, buying_a.suppliers["LUZ"]
    lines = [
        services.SupplierPriceInput(buying_a.sku("DESK"), "131.50", "1", lead_time_days="25"),
        services.SupplierPriceInput(buying_a.sku("DESK"), "125", "5"),
        services.SupplierPriceInput(buying_a.sku("LAMP"), "10.90", "1"),  # LAMP from 1 is on the list already
    ]
    before = await owner.fetchval("SELECT count(*) FROM supplier_prices")
    async with db.transaction(tid) as s:
        with pytest.raises(ValidationFailed) as twice:
            await services.add_supplier_prices(s, tid, luz, lines, SYSTEM)
        assert twice.value.errors == {"lines": "Line 3: This article already has a price from this quantity and date."}
    assert await owner.fetchval("SELECT count(*) FROM supplier_prices") == before
    async with db.transaction(tid) as s:
        assert await services.add_supplier_prices(s, tid, luz, lines[:2], SYSTEM) == 2
        desk = [row.line for row in await queries.price_list(s, luz) if row.sku == "DESK"]
        assert [(line.min_qty, line.unit_price, line.lead_time_days) for line in desk] == [
            (1, Decimal("131.50"), 25),
            (5, 125, 20),
        ]

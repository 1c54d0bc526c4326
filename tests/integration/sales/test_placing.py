"""Placing an order: numbered, priced and taxed on the server, stock reserved in the same transaction."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

from app.actor import SYSTEM
from app.identity.services import NewUser, create_user
from app.parties import NewCustomer, create_customer
from app.sales import order_detail
from app.web.mail import render_mail
from tests.integration.inventory.conftest import receive
from tests.integration.sales.conftest import order


async def test_placing_an_order_numbers_it_and_reserves_stock(db, sales_a, owner):
    placed = await order(db, sales_a, "carl", ("CHAIR", 3), ("LAMP", 2), po_number="PO-77")
    assert placed.created and placed.number.startswith("SO-") and placed.status == "confirmed"
    assert placed.gross == Decimal("411.40")  # (3 x 100 + 2 x 20) + 21 % VAT
    assert await owner.fetchval("SELECT reserved FROM stock_levels WHERE variant_id = $1", sales_a.sku("CHAIR")) == 3
    async with db.transaction(sales_a.tenant_id) as s:
        detail = await order_detail(s, placed.order_id)
    chair = next(line for line in detail.lines if line.sku == "CHAIR")
    lamp = next(line for line in detail.lines if line.sku == "LAMP")
    assert (chair.reserved_qty, lamp.reserved_qty) == (3, 0)  # no lamps in stock: backordered
    assert (detail.net, detail.tax, detail.summary.po_number) == (Decimal("340"), Decimal("71.40"), "PO-77")
    assert [(e.from_status, e.to_status) for e in detail.timeline] == [(None, "confirmed")]
    topics = await owner.fetch("SELECT topic FROM outbox ORDER BY created_at")
    assert {"sales.order_placed", "mail.send"} <= {t["topic"] for t in topics}


async def test_the_same_key_twice_gives_the_same_order(db, sales_a, owner):
    first = await order(db, sales_a, "carl", ("CHAIR", 2), key="k-1")
    again = await order(db, sales_a, "carl", ("CHAIR", 5), key="k-1")
    assert (again.order_id, again.number, again.created) == (first.order_id, first.number, False)
    assert await owner.fetchval("SELECT count(*) FROM sales_orders") == 1
    assert await owner.fetchval("SELECT reserved FROM stock_levels WHERE variant_id = $1", sales_a.sku("CHAIR")) == 2


async def test_two_concurrent_calls_with_one_key_make_one_order(db, sales_a, owner):
    results = await asyncio.gather(*(order(db, sales_a, "carl", ("CHAIR", 1), key="k-2") for _ in range(2)))
    assert len({r.order_id for r in results}) == 1 and sorted(r.created for r in results) == [False, True]
    assert await owner.fetchval("SELECT count(*) FROM sales_orders") == 1
    assert await owner.fetchval("SELECT sum(qty) FROM reservations") == 1


async def test_card_orders_with_one_key_make_one_order(db, sales_a, owner):
    results = await asyncio.gather(
        *(order(db, sales_a, "carl", ("CHAIR", 1), key="k-3", payment="card") for _ in range(3))
    )
    assert len({r.order_id for r in results}) == 1 and results[0].status == "awaiting_payment"
    assert await owner.fetchval("SELECT count(*) FROM sales_orders") == 1


async def test_a_hundred_buyers_for_ten_chairs_reserve_exactly_ten(db, sales_a, owner):
    """Every order is placed (the rest is backordered, as both delivery choices allow); exactly the ten chairs
    on the shelf are reserved, none below zero, and no deadlock or serialization error reaches a buyer."""
    gate = asyncio.Semaphore(40)  # the embedded server's connection limit: 100 tasks, 40 transactions at once

    async def one(n: int):
        async with gate:
            return await order(db, sales_a, "carl", ("CHAIR", 1), key=f"rush-{n}")

    results = await asyncio.gather(*(one(n) for n in range(100)))
    assert len({r.order_id for r in results}) == 100
    assert len({r.number for r in results}) == 100
    level = await owner.fetchrow(
        "SELECT on_hand, reserved FROM stock_levels WHERE variant_id = $1", sales_a.sku("CHAIR")
    )
    assert (level["on_hand"], level["reserved"]) == (10, 10)
    assert await owner.fetchval("SELECT sum(qty) FROM reservations") == 10
    assert await owner.fetchval("SELECT sum(reserved_qty) FROM sales_order_lines") == 10
    assert await owner.fetchval("SELECT count(*) FROM sales_order_lines WHERE reserved_qty = 1") == 10


async def test_the_confirmation_mail_goes_to_the_buyer_through_the_outbox(db, sales_a, owner):
    placed = await order(db, sales_a, "ana", ("CHAIR", 5), po_number="PO-9")
    payload = json.loads(
        await owner.fetchval("SELECT payload FROM outbox WHERE payload->>'template' = 'mail/order_confirmation'")
    )
    assert (payload["to"], payload["template"]) == ("ana@roca.test", "mail/order_confirmation")
    mail = render_mail(payload["template"], payload["context"], "en")
    assert placed.number in mail.subject and "PO-9" in mail.text
    assert "waits for an approver" in mail.text and "605.00" in mail.html


async def test_many_companies_racing_for_two_articles_never_oversell_or_deadlock(db, sales_a, owner):
    """Orders of ten companies at once (no customer lock between them), lines named in both orders: the
    stock levels are the only thing they share, and they still never go below zero."""
    await receive(db, sales_a.shop, "DESK", 10)
    async with db.transaction(sales_a.tenant_id) as s:
        for n in range(10):
            customer = await create_customer(s, sales_a.tenant_id, NewCustomer(f"C{n}", f"Company {n}"), SYSTEM)
            sales_a.customers[f"C{n}"] = customer.id
            data = NewUser("customer", f"u{n}@c.test", f"U{n}", ("buyer",), "secret-pass-1", customer.id)
            sales_a.users[f"u{n}"] = (await create_user(s, sales_a.tenant_id, data, SYSTEM)).id
    gate = asyncio.Semaphore(40)

    async def one(n: int):
        lines = (("CHAIR", 1), ("DESK", 1)) if n % 2 else (("DESK", 1), ("CHAIR", 1))
        async with gate:
            return await order(db, sales_a, f"u{n % 10}", *lines, company=f"C{n % 10}", payment="card")

    results = await asyncio.gather(*(one(n) for n in range(60)))
    assert len({r.order_id for r in results}) == 60
    levels = await owner.fetch("SELECT on_hand, reserved FROM stock_levels ORDER BY variant_id")
    assert [(r["on_hand"], r["reserved"]) for r in levels] == [(10, 10), (10, 10)]
    assert await owner.fetchval("SELECT sum(qty) FROM reservations") == 20

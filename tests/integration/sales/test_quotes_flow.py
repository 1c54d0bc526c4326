"""Quotes through the services: a buyer's request from the cart, staff revisions (versions kept, differences),
sending, and accepting into one sales order at the quoted prices, however often it is accepted; an expired quote
is refused; a revision request keeps the versions; another company's or tenant's quote is not found."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import sales
from app.actor import Actor
from app.errors import NotFound, ValidationFailed
from app.outbox.models import OutboxEvent
from app.sales.models import SalesOrder, SalesOrderLine
from tests.integration.sales.conftest import Sales, build_sales

STAFF = Actor("staff", None, "Lucía (sales)")
LINK = "https://shop.example/account/quotes/x"


def d(value) -> Decimal:
    return Decimal(str(value))


async def requested(db, shop: Sales, user: str = "carl", **lines) -> sales.QuoteRef:
    """`user` fills the cart with SKU=qty lines and asks for a quote."""
    async with db.transaction(shop.tenant_id) as s:
        for sku, qty in lines.items():
            await sales.add_to_cart(s, shop.tenant_id, shop.users[user], shop.sku(sku), qty)
        return await sales.request_quote(
            s, shop.tenant_id, shop.users[user], shop.actor(user), note="For the new office"
        )


async def revised(db, shop: Sales, ref, lines, *, days=10, added=(), note="") -> sales.QuoteRef:
    revision = sales.QuoteRevision(
        tuple(sales.RevisedLine(shop.sku(sku), *values) for sku, values in lines),
        date.today() + timedelta(days=days),
        note,
        tuple(added),
    )
    async with db.transaction(shop.tenant_id) as s:
        return await sales.revise_quote(s, shop.tenant_id, ref.quote_id, revision, STAFF)


async def sent(db, shop: Sales, ref) -> sales.QuoteRef:
    async with db.transaction(shop.tenant_id) as s:
        return await sales.send_quote(s, shop.tenant_id, ref.quote_id, STAFF, link=LINK)


async def accepted(db, shop: Sales, ref, user: str = "carl") -> sales.PlacedOrder:
    async with db.transaction(shop.tenant_id) as s:
        return await sales.accept_quote(s, shop.tenant_id, ref.quote_id, shop.users[user], shop.actor(user))


async def detail(db, shop: Sales, ref, company: str | None = "ROCA") -> sales.QuoteDetail:
    async with db.transaction(shop.tenant_id) as s:
        customer = shop.customers[company] if company else None
        return await sales.quote_detail(s, ref.quote_id, customer_id=customer)


async def test_request_revise_send_accept_makes_one_order_at_the_quoted_prices(db, sales_a, owner):
    ref = await requested(db, sales_a, CHAIR=4, LAMP=10)
    assert (ref.status, ref.version, ref.number) == ("draft", 1, "QT-00001")
    async with db.transaction(sales_a.tenant_id) as s:
        assert await sales.cart_count(s, sales_a.users["carl"]) == 0  # the cart became the request
    first = await detail(db, sales_a, ref)
    assert [(line.sku, line.unit_price) for line in first.current.lines] == [("CHAIR", d(100)), ("LAMP", d(20))]
    assert first.current.net == d(600) and first.current.gross == d(726)
    assert not first.acceptable and first.events[0].note == "For the new office"

    ref = await revised(
        db, sales_a, ref, [("CHAIR", ("4", "90", "5")), ("LAMP", ("12", "20", "0"))],
        added=[("desk", "1")], note="Volume price on chairs",
    )  # fmt: skip
    assert (ref.status, ref.version) == ("draft", 2)
    ref = await sent(db, sales_a, ref)
    assert ref.status == "sent"
    mail = json.loads(await owner.fetchval("SELECT payload FROM outbox WHERE topic = 'mail.send' ORDER BY id DESC"))
    assert (mail["template"], mail["to"], mail["context"]["link"]) == ("mail/quote_sent", "carl@roca.test", LINK)
    assert mail["context"]["version"] == 2 and mail["context"]["total"] == "1006.7200"

    shown = await detail(db, sales_a, ref)
    assert shown.acceptable and [v.number for v in shown.versions] == [2, 1]
    change = shown.diffs[2]
    assert [line.sku for line in change.added] == ["DESK"] and change.removed == ()
    assert {c.sku: dict(c.changes) for c in change.changed} == {
        "CHAIR": {"unit_price": (d(100), d(90)), "discount_pct": (d(0), d(5))},
        "LAMP": {"qty": (d(10), d(12))},
    }
    # 4 x 90 less 5 % = 342, 12 x 20 = 240, 1 x 250: 832 net, 21 % tax
    assert shown.current.net == d(832) and shown.current.gross == d("1006.72")

    placed = await accepted(db, sales_a, ref)
    again = await accepted(db, sales_a, ref)
    assert placed.created and not again.created and again.order_id == placed.order_id
    assert placed.gross == d("1006.72") and placed.status == "confirmed"
    async with db.transaction(sales_a.tenant_id) as s:
        assert len((await s.scalars(select(SalesOrder.id))).all()) == 1
        lines = (await s.scalars(select(SalesOrderLine).order_by(SalesOrderLine.sku))).all()
    assert [(x.sku, x.unit_price, x.discount_pct, x.net) for x in lines] == [
        ("CHAIR", d(90), d(5), d(342)),
        ("DESK", d(250), d(0), d(250)),
        ("LAMP", d(20), d(0), d(240)),
    ]
    assert await owner.fetchval("SELECT reserved FROM stock_levels WHERE reserved > 0") == 4  # chairs in stock
    final = await detail(db, sales_a, ref)
    assert final.summary.status == "accepted" and final.order_number == placed.number
    with pytest.raises(ValidationFailed):
        await revised(db, sales_a, ref, [("CHAIR", ("1", "1", "0"))])


async def test_two_acceptances_at_once_make_one_order(db, sales_a, owner):
    ref = await sent(db, sales_a, await requested(db, sales_a, CHAIR=2))
    results = await asyncio.gather(accepted(db, sales_a, ref), accepted(db, sales_a, ref), return_exceptions=True)
    assert all(isinstance(r, sales.PlacedOrder) for r in results), results
    assert sorted(r.created for r in results) == [False, True]
    assert await owner.fetchval("SELECT count(*) FROM sales_orders") == 1
    assert await owner.fetchval("SELECT reserved FROM stock_levels WHERE reserved > 0") == 2


async def test_an_expired_quote_cannot_be_accepted(db, sales_a, owner):
    ref = await sent(db, sales_a, await requested(db, sales_a, LAMP=3))
    yesterday = date.today() - timedelta(days=1)
    await owner.execute("UPDATE quotes SET valid_until = $1", yesterday)
    await owner.execute("UPDATE quote_versions SET valid_until = $1", yesterday)
    with pytest.raises(ValidationFailed) as refused:
        await accepted(db, sales_a, ref)
    assert refused.value.errors["quote"] == f"This quote expired on {yesterday.isoformat()}: ask us for a new one."
    shown = await detail(db, sales_a, ref)
    assert shown.summary.state == "expired" and not shown.acceptable and "expired" in shown.refusal
    assert await owner.fetchval("SELECT count(*) FROM sales_orders") == 0
    async with db.transaction(sales_a.tenant_id) as s:
        found = await sales.quotes(s, state="expired")
        assert [q.id for q in found.quotes] == [ref.quote_id]
        assert (await sales.quotes(s, state="sent")).total == 0


async def test_a_revision_request_keeps_the_versions_and_blocks_accepting(db, sales_a):
    ref = await sent(db, sales_a, await requested(db, sales_a, CHAIR=1))
    async with db.transaction(sales_a.tenant_id) as s:
        with pytest.raises(ValidationFailed) as empty:
            await sales.ask_revision(
                s, sales_a.tenant_id, ref.quote_id, sales_a.users["ana"], sales_a.actor("ana"), " "
            )
        assert "comment" in empty.value.errors
    async with db.transaction(sales_a.tenant_id) as s:
        asked = await sales.ask_revision(
            s, sales_a.tenant_id, ref.quote_id, sales_a.users["ana"], sales_a.actor("ana"), "Can you do 80?"
        )
    assert asked.status == "revision_requested"
    with pytest.raises(ValidationFailed) as refused:
        await accepted(db, sales_a, ref)
    assert "You asked for a revision" in refused.value.errors["quote"]
    ref = await sent(db, sales_a, await revised(db, sales_a, ref, [("CHAIR", ("1", "80", "0"))]))
    shown = await detail(db, sales_a, ref)
    assert [v.number for v in shown.versions] == [2, 1]
    assert [v.current.lines[0].unit_price for v in (shown,)] == [d(80)]
    assert shown.versions[1].lines[0].unit_price == d(100)  # version 1 as it was
    assert [e.to_status for e in shown.events] == ["draft", "sent", "revision_requested", "draft", "sent"]
    assert shown.events[2].note == "Can you do 80?"
    async with db.transaction(sales_a.tenant_id) as s:
        rejected = await sales.reject_quote(
            s, sales_a.tenant_id, ref.quote_id, sales_a.users["carl"], sales_a.actor("carl")
        )
    assert rejected.status == "rejected"
    with pytest.raises(ValidationFailed) as final:
        await accepted(db, sales_a, ref)
    assert "already rejected" in final.value.errors["quote"]


async def test_bad_revisions_are_refused_by_field_and_nothing_is_written(db, sales_a, owner):
    ref = await requested(db, sales_a, CHAIR=1, LAMP=2)
    with pytest.raises(ValidationFailed) as bad:
        await revised(db, sales_a, ref, [("CHAIR", ("0", "-1", "101")), ("LAMP", ("abc", "NaN", "1e400"))])
    assert set(bad.value.errors) == {
        "lines.0.qty", "lines.0.unit_price", "lines.0.discount_pct",
        "lines.1.qty", "lines.1.unit_price", "lines.1.discount_pct",
    }  # fmt: skip
    with pytest.raises(ValidationFailed) as past:
        await revised(db, sales_a, ref, [("CHAIR", ("1", "90", "0"))], days=-1)
    assert "valid_until" in past.value.errors
    with pytest.raises(ValidationFailed) as empty:
        await revised(db, sales_a, ref, [])
    assert "lines" in empty.value.errors
    with pytest.raises(ValidationFailed) as unknown:
        await revised(db, sales_a, ref, [("CHAIR", ("1", "90", "0"))], added=[("NOPE-1", "1")])
    assert "NOPE-1" in unknown.value.errors["added.0.sku"]
    with pytest.raises(ValidationFailed) as twice:
        await revised(db, sales_a, ref, [("CHAIR", ("1", "90", "0"))], added=[("CHAIR", "1")])
    assert "quoted twice" in next(iter(twice.value.errors.values()))
    assert await owner.fetchval("SELECT count(*) FROM quote_versions") == 1
    with pytest.raises(ValidationFailed):  # a draft is not accepted
        await accepted(db, sales_a, ref)


async def test_staff_write_a_quote_for_a_customer_and_decline_one(db, sales_a):
    async with db.transaction(sales_a.tenant_id) as s:
        ref = await sales.create_quote(s, sales_a.tenant_id, sales_a.customers["OTRA"], [("desk", "2")], STAFF)
        shown = await sales.quote_detail(s, ref.quote_id)
        assert shown.current.lines[0].unit_price == d(250) and shown.requested_by is None
        with pytest.raises(ValidationFailed) as bad:
            await sales.create_quote(s, sales_a.tenant_id, sales_a.customers["OTRA"], [("GONE", "1")], STAFF)
        assert "lines.0.sku" in bad.value.errors
    ref = await sent(db, sales_a, ref)
    async with db.transaction(sales_a.tenant_id) as s:
        mails = await s.scalars(select(OutboxEvent.payload).where(OutboxEvent.topic == "mail.send"))
        mail = next(m for m in mails if m["template"] == "mail/quote_sent")
        assert (mail["template"], mail["to"]) == ("mail/quote_sent", "otto@otra.test")
    other = await requested(db, sales_a, CHAIR=1)
    async with db.transaction(sales_a.tenant_id) as s:
        declined = await sales.decline_quote(s, sales_a.tenant_id, other.quote_id, STAFF, "Discontinued")
    assert declined.status == "rejected"


async def test_another_companys_or_tenants_quote_is_not_found(db, sales_a, tenant_b):
    ref = await sent(db, sales_a, await requested(db, sales_a, CHAIR=1))
    with pytest.raises(NotFound):
        await detail(db, sales_a, ref, "OTRA")
    with pytest.raises(NotFound):
        await accepted(db, sales_a, ref, "otto")
    async with db.transaction(sales_a.tenant_id) as s:
        with pytest.raises(NotFound):
            await sales.reject_quote(s, sales_a.tenant_id, ref.quote_id, sales_a.users["otto"], sales_a.actor("otto"))
    shop_b = await build_sales(db, tenant_b, chairs=0)
    async with db.transaction(shop_b.tenant_id) as s:
        with pytest.raises(NotFound):
            await sales.quote_detail(s, ref.quote_id)
        with pytest.raises(NotFound):
            await sales.send_quote(s, shop_b.tenant_id, ref.quote_id, STAFF, link=LINK)
        assert (await sales.quotes(s)).total == 0


async def test_0017_downgrades_and_upgrades(database_url, owner):
    from tests.integration.sales.test_migration import _migrate

    _migrate(database_url, f"downgrade({database_url!r}, '0016')")
    assert await owner.fetchval("SELECT to_regclass('quotes')") is None
    assert await owner.fetchval("SELECT to_regclass('saved_list_lines')") is None
    _migrate(database_url, f"upgrade({database_url!r})")
    assert await owner.fetchval("SELECT to_regclass('quote_versions')") is not None
    privileges = await owner.fetchval("SELECT has_table_privilege('bodega_app', 'quote_versions', 'UPDATE')")
    assert privileges is False  # a version, once written, is never changed

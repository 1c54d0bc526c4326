"""Approving by e-mail, through HTTP: an over-limit order placed at checkout waits; delivering its outbox event
mails the company's approver (never the buyer, never another company) a single-use link on the tenant's own
address; the link works signed out, GET changes nothing, POST approves or rejects, and an expired, used, another
order's or another tenant's link is a 404. Also the approver's "waiting for my approval" page.

The shop is tests.integration.sales.conftest.build_sales: ROCA with ana (buyer, 500 per order), bea (approver)
and carl (buyer without limit); OTRA with otto (approver)."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from app.events import topic_handlers
from app.outbox.delivery import deliver
from tests.integration.sales.conftest import Sales, build_sales, order
from tests.web.test_auth_sign_in import csrf, post_form
from tests.web.test_storefront_ordering import as_user, key_of


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


async def deliver_order_events(db, settings, owner, tenant_id) -> None:
    """Run the worker's handlers for the tenant's pending order events (as the worker would after commit)."""
    rows = await owner.fetch(
        "SELECT id FROM outbox WHERE tenant_id = $1 AND topic LIKE 'sales.%' AND status = 'pending' ORDER BY id",
        tenant_id,
    )
    for row in rows:
        assert await deliver(db, tenant_id, row["id"], topic_handlers(settings)) == "delivered"


async def approval_mails(owner) -> list[dict]:
    rows = await owner.fetch(
        "SELECT payload FROM outbox WHERE payload->>'template' = 'mail/order_approval' ORDER BY created_at, id"
    )
    return [json.loads(r["payload"]) for r in rows]


def link_of(mail: dict) -> str:
    """The link's path (the mail's absolute address minus scheme and host)."""
    return re.sub(r"^https?://[^/]+", "", mail["context"]["url"])


async def status_of(owner, order_id) -> str:
    return await owner.fetchval("SELECT status FROM sales_orders WHERE id = $1", order_id)


async def test_an_over_limit_checkout_waits_and_the_approver_approves_from_the_mailed_link(
    client_a, db, settings, owner, shop
):
    await as_user(client_a, "ana@roca.test")
    await post_form(client_a, "/cart/add", {"variant": str(shop.sku("CHAIR")), "qty": "5"})  # 605.00 > 500
    key = key_of((await client_a.get("/checkout")).text)
    placed = await post_form(
        client_a, "/checkout", {"idempotency_key": key, "payment": "account", "delivery_mode": "ship_available"}
    )
    order_id = uuid.UUID(placed.headers["location"].rsplit("/", 1)[1])
    assert await status_of(owner, order_id) == "awaiting_approval"
    assert "Awaiting approval" in (await client_a.get(f"/account/orders/{order_id}")).text

    await deliver_order_events(db, settings, owner, shop.tenant_id)
    mails = await approval_mails(owner)
    assert [m["to"] for m in mails] == ["bea@roca.test"]  # not ana (the buyer), not carl, not OTRA's otto
    assert mails[0]["context"]["url"].startswith("https://acme.localhost/approval/")
    assert mails[0]["context"]["approve_url"].endswith("?decision=approve")

    await deliver_order_events(db, settings, owner, shop.tenant_id)  # nothing pending: no second mail
    assert len(await approval_mails(owner)) == 1

    client_a.cookies.clear()  # signed out: the link names the approver
    link = link_of(mails[0])
    shown = await client_a.get(link + "?decision=approve")
    assert shown.status_code == 200 and "Your decision, Bea" in shown.text and "CHAIR" in shown.text
    assert shown.headers["cache-control"] == "no-store"
    assert await status_of(owner, order_id) == "awaiting_approval"  # GET changes nothing

    approved = await post_form(client_a, link, {"decision": "approve", "comment": "Budget OK"})
    assert approved.status_code == 200 and "Order approved." in approved.text
    assert await status_of(owner, order_id) == "confirmed"
    event = await owner.fetchrow(
        "SELECT actor_kind, actor_label, note FROM sales_order_events WHERE order_id = $1 AND to_status = 'confirmed'",
        order_id,
    )
    assert tuple(event) == ("customer", "bea@roca.test", "Budget OK")

    assert (await client_a.get(link)).status_code == 404  # single use
    again = await post_form(client_a, link, {"decision": "reject", "comment": "changed my mind"})
    assert again.status_code == 404 and await status_of(owner, order_id) == "confirmed"

    await as_user(client_a, "ana@roca.test")  # the buyer sees the state
    page = await client_a.get(f"/account/orders/{order_id}")
    assert "Confirmed" in page.text and "Budget OK" in page.text


async def _mailed_link(db, settings, owner, shop) -> tuple[uuid.UUID, str]:
    placed = await order(db, shop, "ana", ("CHAIR", 5))
    assert placed.status == "awaiting_approval"
    await deliver_order_events(db, settings, owner, shop.tenant_id)
    return placed.order_id, link_of((await approval_mails(owner))[-1])


async def test_a_rejection_by_link_needs_a_comment_and_keeps_the_link_until_it_succeeds(
    client_a, db, settings, owner, shop
):
    order_id, link = await _mailed_link(db, settings, owner, shop)
    shown = await client_a.get(link + "?decision=reject")
    assert 'value="reject" checked' in shown.text
    refused = await post_form(client_a, link, {"decision": "reject", "comment": ""})
    assert refused.status_code == 400 and "Say why the order is rejected" in refused.text
    odd = await post_form(client_a, link, {"decision": "maybe"})
    assert odd.status_code == 400 and "Choose to approve or to reject." in odd.text
    assert await status_of(owner, order_id) == "awaiting_approval"
    rejected = await post_form(client_a, link, {"decision": "reject", "comment": "Not this quarter"})
    assert rejected.status_code == 200 and "Order rejected." in rejected.text
    assert await status_of(owner, order_id) == "rejected"


async def test_an_expired_link_or_one_for_another_order_is_not_found(client_a, db, settings, owner, shop):
    order_id, link = await _mailed_link(db, settings, owner, shop)
    token = link.rsplit("/", 1)[1]
    other = await order(db, shop, "carl", ("LAMP", 1))
    assert (await client_a.get(f"/approval/{other.order_id}/{token}")).status_code == 404
    assert (await client_a.get(f"/approval/{order_id}/{'x' * 43}")).status_code == 404
    refused = await post_form(client_a, f"/approval/{other.order_id}/{token}", {"decision": "approve"})
    assert refused.status_code == 404 and await status_of(owner, other.order_id) == "confirmed"
    await owner.execute("UPDATE sales_approval_links SET expires_at = now() - interval '1 minute'")
    expired = await client_a.get(link)
    assert expired.status_code == 404 and "expired or was already used" in expired.text
    assert (await post_form(client_a, link, {"decision": "approve"})).status_code == 404
    assert await status_of(owner, order_id) == "awaiting_approval"


async def test_another_tenants_host_does_not_know_the_link(client_a, client_b, db, settings, owner, shop, tenant_b):
    order_id, link = await _mailed_link(db, settings, owner, shop)
    await build_sales(db, tenant_b, chairs=0)
    assert (await client_b.get(link)).status_code == 404
    await client_b.get("/sign-in")
    refused = await client_b.post(link, data={"decision": "approve"}, headers={"x-csrftoken": await csrf(client_b)})
    assert refused.status_code == 404 and await status_of(owner, order_id) == "awaiting_approval"


async def test_a_decision_in_the_portal_leaves_the_link_showing_the_outcome(client_a, db, settings, owner, shop):
    order_id, link = await _mailed_link(db, settings, owner, shop)
    await as_user(client_a, "bea@roca.test")
    await post_form(client_a, f"/account/orders/{order_id}/approve", {"comment": ""})
    shown = await client_a.get(link)
    assert (
        "no longer waits for approval" in shown.text and '<form method="post" class="approval-form"' not in shown.text
    )
    late = await post_form(client_a, link, {"decision": "reject", "comment": "late"})
    assert late.status_code == 400 and await status_of(owner, order_id) == "confirmed"


async def test_the_approvers_waiting_list_leaves_out_their_own_orders_and_other_companies(client_a, db, shop):
    theirs = await order(db, shop, "ana", ("CHAIR", 5))
    await as_user(client_a, "bea@roca.test")
    page = await client_a.get("/account/approvals")
    assert page.status_code == 200 and theirs.number in page.text
    await post_form(client_a, "/sign-out", {})
    await as_user(client_a, "otto@otra.test")
    assert theirs.number not in (await client_a.get("/account/approvals")).text
    await as_user(client_a, "carl@roca.test")
    assert (await client_a.get("/account/approvals")).status_code == 403

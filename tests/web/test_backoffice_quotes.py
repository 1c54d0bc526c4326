"""Quotes in the back office through HTTP: the list and its filters, a new quote for a customer, the quote's
page with versions and differences, writing the next version (prices, discounts, quantities, added and removed
lines, validity, a note) with errors beside their fields, sending (the buyer's mail links the tenant's own
address), declining, the role guard, and another tenant's quote (404)."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest

from app import sales
from tests.integration.sales.conftest import Sales, build_sales
from tests.web.test_auth_sign_in import post_form
from tests.web.test_backoffice_catalog import sign_in_staff

BASE = "/admin/sales/quotes"


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


async def buyer_request(db, shop: Sales, **lines) -> sales.QuoteRef:
    async with db.transaction(shop.tenant_id) as s:
        for sku, qty in lines.items():
            await sales.add_to_cart(s, shop.tenant_id, shop.users["carl"], shop.sku(sku), qty)
        return await sales.request_quote(s, shop.tenant_id, shop.users["carl"], shop.actor("carl"), note="Urgent")


async def test_create_revise_and_send_a_quote(client_a, db, tenant_a, shop, owner):
    await sign_in_staff(client_a, db, tenant_a, "sonia@acme.test", "sales")
    new = await client_a.get(f"{BASE}/new")
    assert new.status_code == 200 and "OTRA" in new.text
    refused = await post_form(client_a, BASE, {"customer": "OTRA", "lines": "NOPE 2\nLAMP 1 2"})
    assert refused.status_code == 400 and "write a SKU and a quantity" in refused.text and "NOPE" in refused.text
    unknown = await post_form(client_a, BASE, {"customer": "OTRA", "lines": "NOPE 2"})
    assert unknown.status_code == 400 and "NOPE: no article for sale has this SKU." in unknown.text
    made = await post_form(client_a, BASE, {"customer": "OTRA", "lines": "chair 4\nLAMP;10"})
    assert made.status_code == 303
    url = made.headers["location"]
    page = await client_a.get(url)
    assert "QT-00001" in page.text and "Otra S.A." in page.text and "Draft" in page.text
    quote_id = url.rsplit("/", 1)[1]
    variants = re.findall(r'name="variant" value="([0-9a-f-]{36})"', page.text)
    assert len(variants) == 2

    later = (date.today() + timedelta(days=20)).isoformat()
    bad = {
        "variant": variants, "qty": ["0", "10"], "unit_price": ["-5", "18"], "discount_pct": ["", "200"],
        "valid_until": later, "note": "",
    }  # fmt: skip
    refused = await post_form(client_a, f"{url}/revise", bad)
    assert refused.status_code == 400 and refused.text.count('aria-invalid="true"') == 3
    assert 'value="-5"' in refused.text  # what was typed is kept
    good = {
        "variant": variants, "qty": ["4", "10"], "unit_price": ["95", "18"], "discount_pct": ["5", "0"],
        "remove": [variants[1]], "added": "DESK 2", "valid_until": later, "note": "Price held for 20 days",
    }  # fmt: skip
    saved = await post_form(client_a, f"{url}/revise", good)
    assert saved.status_code == 303
    page = await client_a.get(url)
    assert "Version 2 saved" in page.text and "Removed: LAMP" in page.text and "Added: DESK" in page.text
    assert "€100.00 → €95.00" in page.text and "Price held for 20 days" in page.text

    sent = await post_form(client_a, f"{url}/send")
    assert sent.status_code == 303
    page = await client_a.get(url)
    assert "Version 2 sent to the customer." in page.text and "Sent" in page.text
    mail = await owner.fetchval("SELECT payload::text FROM outbox WHERE payload->>'template' = 'mail/quote_sent'")
    assert f"/account/quotes/{quote_id}" in mail and "otto@otra.test" in mail
    assert re.search(r'"link": "https?://acme\.localhost(:\d+)?/account/quotes/', mail), mail
    again = await post_form(client_a, f"{url}/send")
    assert again.status_code == 400 and "cannot become" in again.text

    listed = await client_a.get(BASE)
    assert "QT-00001" in listed.text and 'href="/admin/sales/quotes"' in listed.text
    assert "QT-00001" in (await client_a.get(f"{BASE}?state=sent&customer=OTRA")).text
    assert "QT-00001" not in (await client_a.get(f"{BASE}?state=expired")).text
    assert "QT-00001" not in (await client_a.get(f"{BASE}?customer=ROCA")).text
    junk = await client_a.get(f"{BASE}?state=bogus&customer=NOPE&page=x&q=%25_")
    assert junk.status_code == 200 and "No quotes here." in junk.text


async def test_a_buyers_request_shows_its_note_and_can_be_declined(client_a, db, tenant_a, shop):
    ref = await buyer_request(db, shop, CHAIR=2)
    await sign_in_staff(client_a, db, tenant_a, "sonia@acme.test", "sales")
    url = f"{BASE}/{ref.quote_id}"
    page = await client_a.get(url)
    assert "requested by Carl" in page.text and "Urgent" in page.text
    declined = await post_form(client_a, f"{url}/decline", {"reason": "Out of range"})
    assert declined.status_code == 303
    page = await client_a.get(url)
    assert "Quote declined." in page.text and "Rejected" in page.text and 'id="revise-form"' not in page.text
    refused = await post_form(client_a, f"{url}/revise", {"valid_until": date.today().isoformat()})
    assert refused.status_code == 400 and "already rejected" in refused.text


async def test_other_roles_and_other_tenants_are_kept_out(client_a, client_b, db, tenant_a, tenant_b, shop):
    ref = await buyer_request(db, shop, LAMP=1)
    await sign_in_staff(client_a, db, tenant_a, "wanda@acme.test", "warehouse")
    assert (await client_a.get(BASE)).status_code == 403
    assert (await post_form(client_a, f"{BASE}/{ref.quote_id}/send")).status_code == 403
    await sign_in_staff(client_b, db, tenant_b, "olga@globex.test", "owner")
    for path in ("", "/send", "/decline", "/revise"):
        method = client_b.get if not path else None
        answer = await (
            method(f"{BASE}/{ref.quote_id}") if method else post_form(client_b, f"{BASE}/{ref.quote_id}{path}")
        )
        assert answer.status_code == 404, path
    assert (await client_b.get(f"{BASE}/{uuid.uuid4()}")).status_code == 404
    assert ref.number not in (await client_b.get(BASE)).text
    await build_sales(db, tenant_b, chairs=0)
    refused = await post_form(client_b, BASE, {"customer": "ROCA", "lines": "CHAIR 1"})
    assert refused.status_code == 303  # tenant B's own ROCA, never tenant A's

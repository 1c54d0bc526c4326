"""Back-office purchasing through real HTTP: suppliers and prices, an order from draft to received and billed (its
PDF and the supplier's copy), bad input is a 400 with the field's message and writes nothing, the roles, and another
tenant's ids are 404."""

from __future__ import annotations

import json
import re

import pytest

from app.actor import SYSTEM
from app.purchasing import queries, services
from app.purchasing.services import LandedCostInput, RfqInput, RfqLineInput
from app.web.mail import render_mail
from tests.conftest import client_for
from tests.integration.purchasing.conftest import build_buying, order, receive
from tests.web.test_auth_sign_in import post_form
from tests.web.test_backoffice_catalog import sign_in_staff

BASE = "/admin/purchasing"


@pytest.fixture
async def buying_a(client_a, db, tenant_a):
    """Acme's shop and suppliers, and Lucía (owner) signed in."""
    built = await build_buying(db, tenant_a)
    await sign_in_staff(client_a, db, tenant_a, "lucia@acme.test", "owner")
    return built


async def test_suppliers_and_their_price_lists(client_a, owner, buying_a):
    listing = await client_a.get(f"{BASE}/suppliers")
    assert (
        listing.status_code == 200 and "MADERAS" in listing.text and 'href="/admin/purchasing/orders"' in listing.text
    )
    created = await post_form(
        client_a,
        f"{BASE}/suppliers",
        {
            "code": "sillas-norte",
            "name": "Sillas del Norte S.L.",
            "currency": "eur",
            "country": "es",
            "email": "Pedidos@Norte.test",
            "default_lead_time_days": "9",
            "payment_terms_days": "60",
        },
    )
    assert created.status_code == 303
    row = await owner.fetchrow("SELECT * FROM suppliers WHERE code = 'SILLAS-NORTE'")
    assert (row["currency"], row["email"], row["default_lead_time_days"]) == ("EUR", "pedidos@norte.test", 9)
    page = created.headers["location"]
    price = await post_form(
        client_a, f"{page}/prices", {"code": "8412345678905", "unit_price": "33,40", "min_qty": "5"}
    )
    assert price.status_code == 303
    detail = await client_a.get(page)
    assert "€33.40" in detail.text and "CHAIR" in detail.text and "supplier_price.added" in detail.text
    before = await owner.fetchval("SELECT count(*) FROM supplier_prices")
    bad = await post_form(client_a, f"{page}/prices", {"code": "CHAIR", "unit_price": "abc", "pack_size": "0"})
    assert bad.status_code == 400 and 'id="f-price-unit_price-error">Enter a number.' in bad.text
    assert 'id="f-price-pack_size-error"' in bad.text and 'value="CHAIR"' in bad.text
    unknown = await post_form(client_a, f"{page}/prices", {"code": "NOPE", "unit_price": "1"})
    assert unknown.status_code == 400 and "Nothing has the code NOPE." in unknown.text
    refused = await post_form(client_a, f"{BASE}/suppliers", {"code": "X", "name": "Typed", "currency": "EURO"})
    assert refused.status_code == 400 and 'id="f-currency-error"' in refused.text and 'value="Typed"' in refused.text
    assert await owner.fetchval("SELECT count(*) FROM supplier_prices") == before


async def test_an_order_from_draft_to_received_and_billed(client_a, app, owner, buying_a):
    main = buying_a.shop.warehouses["MAIN"]
    created = await post_form(
        client_a, f"{BASE}/orders", {"supplier_id": str(buying_a.suppliers["MADERAS"]), "warehouse_id": str(main)}
    )
    assert created.status_code == 303
    page = created.headers["location"]
    assert (await post_form(client_a, f"{page}/lines", {"code": "CHAIR", "qty": "12"})).status_code == 303
    assert (await post_form(client_a, f"{page}/submit")).status_code == 303  # 12 x 35 = 420, below 5,000
    sent = await post_form(client_a, f"{page}/send")
    assert sent.status_code == 303
    mail = await owner.fetchrow("SELECT payload FROM outbox WHERE topic = 'mail.send' ORDER BY created_at DESC LIMIT 1")
    payload = json.loads(mail["payload"])
    url = payload["context"]["url"]
    assert url.startswith("https://acme.localhost/admin/purchasing/po/")
    rendered = render_mail(payload["template"], {**payload["context"], "tenant_name": "Acme S.L."}, "es")
    assert rendered.subject.startswith("Pedido de compra PO-") and url in rendered.text and url in rendered.html
    pdf = await client_a.get(f"{page}/pdf")
    assert (
        pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    )
    async with client_for(app, "acme.localhost") as supplier:  # no sign-in: the token opens the supplier's copy
        copy = await supplier.get(url.removeprefix("https://acme.localhost"))
        assert copy.status_code == 200 and copy.headers["content-type"] == "application/pdf"
        assert (await supplier.get(f"{BASE}/po/{'x' * 32}")).status_code == 404
        assert (await supplier.get(f"{page}/pdf")).status_code in (303, 401)
    receiving = await client_a.get(f"{page}/receive")
    assert receiving.status_code == 200 and re.search(r'name="code"[^>]* autofocus', receiving.text)
    moves = await owner.fetchval("SELECT count(*) FROM stock_moves")
    over = await post_form(client_a, f"{page}/receive", {"code": "CHAIR", "qty": "13"})
    assert over.status_code == 400
    assert (
        "Receiving 13 of CHAIR is over the tolerance: 12 ordered, 0 received, at most 12.6 more may come" in over.text
    )
    assert await owner.fetchval("SELECT count(*) FROM stock_moves") == moves
    first = await post_form(client_a, f"{page}/receive", {"code": "8412345678905", "qty": "5"})
    assert first.status_code == 303 and first.headers["location"].endswith("/receive")
    await post_form(client_a, f"{page}/receive", {"code": "CHAIR", "qty": "7"})
    done = await client_a.get(page)
    assert 'data-status="received"' in done.text and "GR-" in done.text
    bill = await post_form(
        client_a,
        f"{page}/bill",
        {"supplier_reference": "F-77", "bill_date": "2026-12-10", **await _bill_fields(client_a, page, "36")},
    )
    assert bill.status_code == 303
    held = await client_a.get(f"{BASE}/bills?status=held")
    assert "F-77" in held.text and "Price over tolerance" in held.text
    shown = await client_a.get(bill.headers["location"])
    assert "36 a unit billed, 35 ordered (EUR)." in shown.text


async def _bill_fields(client, page: str, price: str) -> dict:
    form = await client.get(f"{page}/bill")
    assert form.status_code == 200
    names = re.findall(r'name="(qty_[0-9a-f-]+)" type="text" inputmode="decimal" value="([^"]*)"', form.text)
    return {name: value for name, value in names} | {name.replace("qty_", "unit_price_"): price for name, _v in names}


async def test_bad_input_is_a_400_with_the_fields_message_and_writes_nothing(client_a, db, owner, buying_a):
    placed = await order(db, buying_a, "MADERAS", ("CHAIR", 4), ("DESK", 1))
    receipt = await receive(db, buying_a, placed, ("CHAIR", 4))
    page = f"{BASE}/orders/{placed}"
    tables = (
        "SELECT (SELECT count(*) FROM vendor_bills), (SELECT count(*) FROM landed_costs), "
        "(SELECT count(*) FROM purchase_orders)"
    )
    before = await owner.fetchrow(tables)
    bill = await post_form(client_a, f"{page}/bill", {"supplier_reference": "", "bill_date": "31/12/2026"})
    assert (
        bill.status_code == 400
        and 'id="f-supplier_reference-error"' in bill.text
        and 'id="f-bill_date-error"' in bill.text
    )
    landed = await post_form(
        client_a, f"{BASE}/receipts/{receipt.id}/landed-costs", {"kind": "freight", "amount": "-5"}
    )
    assert landed.status_code == 400 and 'id="f-amount-error">Enter 0 or more.' in landed.text
    weight = await post_form(
        client_a, f"{BASE}/receipts/{receipt.id}/landed-costs", {"kind": "duty", "amount": "5", "basis": "weight"}
    )
    assert weight.status_code == 400 and "No line of this receipt has a weight" in weight.text
    rate = await post_form(
        client_a,
        f"{BASE}/orders",
        {
            "supplier_id": str(buying_a.suppliers["LUZ"]),
            "warehouse_id": str(buying_a.shop.warehouses["MAIN"]),
            "currency": "USD",
        },
    )
    assert rate.status_code == 400 and "An order in USD needs its rate to EUR." in rate.text
    rules = await post_form(client_a, f"{BASE}/settings", {"approval_threshold": "1e400", "receipt_under_pct": "101"})
    assert rules.status_code == 400 and 'id="f-approval_threshold-error">Enter a number.' in rules.text
    assert await owner.fetchrow(tables) == before
    assert await owner.fetchval("SELECT count(*) FROM purchasing_settings") == 0


async def test_other_pages_and_who_may_use_them(client_a, client_b, db, tenant_a, tenant_b, buying_a):
    placed = await order(db, buying_a, "MADERAS", ("DESK", 40), send=False)  # 5,600 > 5,000: waits for approval
    receipt = await receive(db, buying_a, await order(db, buying_a, "LUZ", ("LAMP", 6)), ("LAMP", 6))
    async with db.transaction(tenant_a.id) as s:
        await services.add_landed_cost(s, tenant_a.id, LandedCostInput(receipt.id, "freight", "12"), SYSTEM)
        rfq_in = RfqInput(
            buying_a.shop.warehouses["MAIN"],
            tuple(buying_a.suppliers.values()),
            (RfqLineInput(buying_a.sku("CHAIR"), "8"),),
        )
        rfq = await services.create_rfq(s, tenant_a.id, rfq_in, SYSTEM)
        bill_id = (await queries.order_detail(s, placed)).order.id
    for path, text in (
        (f"{BASE}/rfqs/{rfq.id}", "No answers yet"),
        (f"{BASE}/rfqs", rfq.number),
        (f"{BASE}/replenishment", "Nothing to buy now"),
        (f"{BASE}/analysis", "LUZ"),
        (f"{BASE}/receipts/{receipt.id}", "Freight"),
        (f"{BASE}/settings", "Buying rules"),
        (f"{BASE}/orders/{placed}", "Approve"),
    ):
        answer = await client_a.get(path)
        assert answer.status_code == 200 and text in answer.text, path
    await sign_in_staff(client_b, db, tenant_b, "marta@globex.test", "owner")
    for path in (
        f"{BASE}/suppliers/{buying_a.suppliers['MADERAS']}",
        f"{BASE}/orders/{placed}",
        f"{BASE}/orders/{placed}/pdf",
        f"{BASE}/orders/{placed}/receive",
        f"{BASE}/orders/{placed}/bill",
        f"{BASE}/receipts/{receipt.id}",
        f"{BASE}/rfqs/{rfq.id}",
        f"{BASE}/bills/{bill_id}",
    ):
        assert (await client_b.get(path)).status_code == 404, path
    assert (await post_form(client_b, f"{BASE}/orders/{placed}/approve")).status_code == 404
    assert (await post_form(client_b, f"{BASE}/receipts/{receipt.id}/landed-costs", {"amount": "1"})).status_code == 404


async def test_roles_buyers_warehouse_and_owners(client_a, db, tenant_a):
    built = await build_buying(db, tenant_a)
    placed = await order(db, built, "MADERAS", ("DESK", 40), send=False)  # waits for approval
    await sign_in_staff(client_a, db, tenant_a, "pau@acme.test", "purchasing")
    assert (await client_a.get(f"{BASE}/suppliers")).status_code == 200
    assert (await post_form(client_a, f"{BASE}/orders/{placed}/approve")).status_code == 403  # not their own order
    assert (await client_a.get(f"{BASE}/settings")).status_code == 403
    await post_form(client_a, "/admin/sign-out")
    await sign_in_staff(client_a, db, tenant_a, "marta@acme.test", "warehouse")
    assert (await client_a.get(f"{BASE}/orders/{placed}/receive")).status_code == 200
    assert (await client_a.get(f"{BASE}/suppliers")).status_code == 403
    nav = await client_a.get(f"{BASE}/orders")
    assert nav.status_code == 200 and 'href="/admin/purchasing/suppliers"' not in nav.text

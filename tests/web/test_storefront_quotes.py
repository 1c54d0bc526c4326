"""Quotes, saved lists and reorder in the storefront through HTTP: "Request a quote" from the cart, the quote's
page with its versions and differences, accepting (a price in the form is ignored; twice is one order), an
expired quote refused with a clear message, a revision request with its comment; lists shared by the company;
reorder from an order; and another company's or another tenant's quote, list or order is a 404."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from app import sales
from app.actor import Actor
from tests.integration.sales.conftest import Sales, build_sales, order
from tests.web.test_auth_sign_in import post_form
from tests.web.test_storefront_ordering import as_user, order_count

STAFF = Actor("staff", None, "Lucía (sales)")


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


async def requested_over_http(client, shop: Sales) -> uuid.UUID:
    await post_form(client, "/cart/add", {"variant": str(shop.sku("CHAIR")), "qty": "3"})
    await post_form(client, "/cart/add", {"variant": str(shop.sku("LAMP")), "qty": "5"})
    cart = await client.get("/cart")
    assert 'action="/account/quotes"' in cart.text and "Request a quote" in cart.text
    asked = await post_form(client, "/account/quotes", {"note": "Delivery to Valencia please"})
    assert asked.status_code == 303
    return uuid.UUID(asked.headers["location"].rsplit("/", 1)[1])


async def revise_and_send(db, shop: Sales, quote_id: uuid.UUID, chair_price: str = "90", days: int = 14) -> None:
    revision = sales.QuoteRevision(
        (sales.RevisedLine(shop.sku("CHAIR"), "3", chair_price, "10"), sales.RevisedLine(shop.sku("LAMP"), "5", "20")),
        date.today() + timedelta(days=days),
        "Our best price",
    )
    async with db.transaction(shop.tenant_id) as s:
        await sales.revise_quote(s, shop.tenant_id, quote_id, revision, STAFF)
        await sales.send_quote(s, shop.tenant_id, quote_id, STAFF, link="https://x.test/q")


async def test_request_revise_and_accept_over_http_at_the_quoted_prices(client_a, db, shop):
    await as_user(client_a, "carl@roca.test")
    quote_id = await requested_over_http(client_a, shop)
    page = await client_a.get(f"/account/quotes/{quote_id}")
    assert page.status_code == 200 and "Being prepared" in page.text and "Delivery to Valencia please" in page.text
    assert "Accept and order" not in page.text
    assert "Your cart is empty." in (await client_a.get("/cart")).text

    await revise_and_send(db, shop, quote_id)
    page = await client_a.get(f"/account/quotes/{quote_id}")
    assert "Awaiting your answer" in page.text and "Version 2" in page.text and "Our best price" in page.text
    assert "€100.00 → €90.00" in page.text and "Discount % 0 → 10" in page.text  # the differences from version 1
    assert 'id="version-1"' in page.text
    listed = await client_a.get("/account/quotes")
    assert "QT-00001" in listed.text and "Awaiting your answer" in listed.text

    form = {"po_number": "PO-77", "unit_price": "0.01", "lines.0.unit_price": "0.01", "gross": "1"}
    accepted = await post_form(client_a, f"/account/quotes/{quote_id}/accept", form)
    assert accepted.status_code == 303 and accepted.headers["location"].startswith("/account/orders/")
    order_page = await client_a.get(accepted.headers["location"])
    # 3 x 90 less 10 % = 243 and 5 x 20 = 100: 343 net, 72.03 tax, 415.03 (the form's prices never read)
    assert "€243.00" in order_page.text and "€415.03" in order_page.text and "PO-77" in order_page.text
    again = await post_form(client_a, f"/account/quotes/{quote_id}/accept", form)
    assert again.headers["location"] == accepted.headers["location"]
    assert await order_count(db, shop.tenant_id) == 1
    final = await client_a.get(f"/account/quotes/{quote_id}")
    assert "Accepted" in final.text and accepted.headers["location"] in final.text


async def test_an_expired_quote_is_refused_with_a_clear_message(client_a, db, shop, owner):
    await as_user(client_a, "carl@roca.test")
    quote_id = await requested_over_http(client_a, shop)
    await revise_and_send(db, shop, quote_id)
    past = date.today() - timedelta(days=2)
    await owner.execute("UPDATE quotes SET valid_until = $1", past)
    await owner.execute("UPDATE quote_versions SET valid_until = $1", past)
    page = await client_a.get(f"/account/quotes/{quote_id}")
    message = f"This quote expired on {past.isoformat()}: ask us for a new one."
    assert "Expired" in page.text and message in page.text and "Accept and order" not in page.text
    refused = await post_form(client_a, f"/account/quotes/{quote_id}/accept", {})
    assert refused.status_code == 400 and message in refused.text
    assert await order_count(db, shop.tenant_id) == 0


async def test_asking_for_a_revision_needs_a_comment_and_keeps_it(client_a, db, shop):
    await as_user(client_a, "carl@roca.test")
    quote_id = await requested_over_http(client_a, shop)
    await revise_and_send(db, shop, quote_id)
    empty = await post_form(client_a, f"/account/quotes/{quote_id}/revision", {"comment": "  "})
    assert empty.status_code == 400 and "Say what should change." in empty.text and 'aria-invalid="true"' in empty.text
    asked = await post_form(client_a, f"/account/quotes/{quote_id}/revision", {"comment": "Can you do 85 on chairs?"})
    assert asked.status_code == 303
    page = await client_a.get(f"/account/quotes/{quote_id}")
    assert "Revision requested" in page.text and "Can you do 85 on chairs?" in page.text
    refused = await post_form(client_a, f"/account/quotes/{quote_id}/accept", {})
    assert refused.status_code == 400 and "You asked for a revision" in refused.text
    await revise_and_send(db, shop, quote_id, chair_price="85")
    page = await client_a.get(f"/account/quotes/{quote_id}")
    assert "Version 3" in page.text and "€90.00 → €85.00" in page.text
    rejected = await post_form(client_a, f"/account/quotes/{quote_id}/reject", {"comment": "Too late"})
    assert rejected.status_code == 303
    assert "Rejected" in (await client_a.get(f"/account/quotes/{quote_id}")).text


async def test_lists_are_shared_by_the_company_and_reorder_fills_the_cart(client_a, db, shop):
    await as_user(client_a, "carl@roca.test")
    await post_form(client_a, "/cart/add", {"variant": str(shop.sku("LAMP")), "qty": "2"})
    saved = await post_form(client_a, "/account/lists", {"name": "Lamps", "from_cart": "1"})
    assert saved.status_code == 303
    list_url = saved.headers["location"]
    page = await client_a.get(list_url)
    assert "Lamps" in page.text and "LAMP" in page.text
    taken = await post_form(client_a, "/account/lists", {"name": "lamps"})
    assert taken.status_code == 400 and "already has a list with this name" in taken.text
    changed = await post_form(client_a, f"{list_url}/lines/{shop.sku('LAMP')}", {"qty": "abc"})
    assert changed.status_code == 400 and "Enter a number." in changed.text and 'value="abc"' in changed.text
    await post_form(client_a, f"{list_url}/lines/{shop.sku('LAMP')}", {"qty": "7"})

    placed = await order(db, shop, "ana", ("CHAIR", 1), ("DESK", 1))
    client_a.cookies.clear()
    await as_user(client_a, "ana@roca.test")  # a colleague sees the list
    assert "Lamps" in (await client_a.get("/account/lists")).text
    to_cart = await post_form(client_a, f"{list_url}/to-cart", {})
    assert to_cart.headers["location"] == "/cart"
    cart = await client_a.get("/cart")
    assert "1 lines added to your cart" in cart.text and 'value="7"' in cart.text
    order_page = await client_a.get(f"/account/orders/{placed.order_id}")
    assert 'id="reorder"' in order_page.text and 'name="list_id"' in order_page.text
    again = await post_form(client_a, f"/account/orders/{placed.order_id}/reorder", {})
    assert again.headers["location"] == "/cart"
    cart = await client_a.get("/cart")
    assert "2 lines added" in cart.text and "CHAIR" in cart.text and "DESK" in cart.text
    listed = await post_form(client_a, f"/account/orders/{placed.order_id}/to-list", {"list_id": list_url[-36:]})
    assert listed.headers["location"] == list_url
    assert "CHAIR" in (await client_a.get(list_url)).text
    deleted = await post_form(client_a, f"{list_url}/delete", {})
    assert deleted.headers["location"] == "/account/lists"
    assert (await client_a.get(list_url)).status_code == 404


async def test_another_companys_or_tenants_quote_list_or_order_is_not_found(client_a, client_b, db, shop, tenant_b):
    await as_user(client_a, "carl@roca.test")
    quote_id = await requested_over_http(client_a, shop)
    await post_form(client_a, "/cart/add", {"variant": str(shop.sku("LAMP")), "qty": "1"})
    list_url = (await post_form(client_a, "/account/lists", {"name": "Ours", "from_cart": "1"})).headers["location"]
    placed = await order(db, shop, "carl", ("CHAIR", 1))
    client_a.cookies.clear()
    await as_user(client_a, "otto@otra.test")
    await build_sales(db, tenant_b, chairs=0)
    await as_user(client_b, "carl@roca.test")
    for client in (client_a, client_b):
        assert (await client.get(f"/account/quotes/{quote_id}")).status_code == 404
        assert (await client.get(list_url)).status_code == 404
        for path in (
            f"/account/quotes/{quote_id}/accept",
            f"/account/quotes/{quote_id}/reject",
            f"/account/quotes/{quote_id}/revision",
            f"{list_url}/to-cart",
            f"{list_url}/rename",
            f"{list_url}/delete",
            f"/account/orders/{placed.order_id}/reorder",
        ):
            assert (await post_form(client, path, {"comment": "x", "name": "x"})).status_code == 404, path
        assert "QT-" not in (await client.get("/account/quotes")).text
        assert not re.search(r"Ours", (await client.get("/account/lists")).text)
    assert await order_count(db, shop.tenant_id) == 1


async def test_accepting_a_quote_ships_it_with_the_delivery_method_chosen(
    client_a, db, shop, owner, tenant_a, tenant_b
):
    """With carriers, the quote's answer offers their services for its lines to the company's address (the
    cheapest checked); the order carries the one chosen at the server's price, taxed with the quoted lines;
    another tenant's service is refused beside the methods and nothing is placed."""
    from tests.integration.shipping.carriers import build_carriers

    await as_user(client_a, "carl@roca.test")
    quote_id = await requested_over_http(client_a, shop)
    await revise_and_send(db, shop, quote_id)
    carriers = await build_carriers(db, tenant_a)
    other = await build_carriers(db, tenant_b)
    await owner.execute("UPDATE product_variants SET weight_kg = 2 WHERE tenant_id = $1", shop.tenant_id)
    page = await client_a.get(f"/account/quotes/{quote_id}")
    methods = page.text.split('id="quote-delivery"')[1].split("</fieldset>")[0]
    eco, fast = carriers["eco"].id, carriers["fast"].id
    assert f'value="{eco}" checked' in methods and "Cheapest" in methods and "€9.90" in methods
    refused = await post_form(
        client_a, f"/account/quotes/{quote_id}/accept", {"delivery_service_id": str(other["fast"].id)}
    )
    assert refused.status_code == 400 and 'id="f-delivery_service_id-error"' in refused.text
    assert await order_count(db, shop.tenant_id) == 0
    accepted = await post_form(client_a, f"/account/quotes/{quote_id}/accept", {"delivery_service_id": str(fast)})
    assert accepted.status_code == 303
    row = await owner.fetchrow("SELECT delivery_service_id, shipping_net, net FROM sales_orders")
    # the quoted lines (243 + 100) and the express service's 9.90, taxed together
    assert (row["delivery_service_id"], row["shipping_net"]) == (fast, Decimal("9.90"))
    assert row["net"] == Decimal("352.90")


async def test_a_quote_no_carrier_delivers_is_still_accepted_for_staff_to_arrange(client_a, db, shop, owner, tenant_a):
    from tests.integration.shipping.carriers import build_carriers

    await as_user(client_a, "carl@roca.test")
    quote_id = await requested_over_http(client_a, shop)
    await revise_and_send(db, shop, quote_id)
    await build_carriers(db, tenant_a)  # the articles have no weight: no carrier can quote them
    page = await client_a.get(f"/account/quotes/{quote_id}")
    assert "we will arrange the delivery with you" in page.text
    accepted = await post_form(client_a, f"/account/quotes/{quote_id}/accept", {})
    assert accepted.status_code == 303
    row = await owner.fetchrow("SELECT id, delivery_service_id, shipping_net FROM sales_orders")
    assert row["delivery_service_id"] is None and row["shipping_net"] == 0
    note = await owner.fetchval("SELECT note FROM sales_order_events WHERE order_id = $1", row["id"])
    assert "arrange the delivery" in note

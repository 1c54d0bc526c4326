"""B2B ordering in the storefront through HTTP: the cart (htmx and without), add to cart, quick order, checkout on
account with its idempotency key, the order history and an order's page, buyer approvals, and what must be
refused: bad quantities, a price in the form, a missing CSRF token, another company's or another tenant's order.

The shop is the sales tests' one (tests.integration.sales.conftest.build_sales): CHAIR 100, DESK 250, LAMP 20
(without tax; 21 % on top), ten chairs in stock; ROCA with ana (buyer, 500 per order), bea (approver) and carl
(buyer without limit); OTRA with otto (approver). Every user's password is "secret-pass-1".
"""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from app.sales.models import SalesOrder
from tests.integration.sales.conftest import Sales, build_sales, order
from tests.web.test_auth_sign_in import csrf, post_form, sign_in

HTMX = {"HX-Request": "true"}
PASSWORD = "secret-pass-1"


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


async def as_user(client, email: str) -> None:
    assert (await sign_in(client, email, PASSWORD, staff=False)).status_code == 303


async def htmx_post(client, url: str, data: dict | None = None):
    return await client.post(url, data=data or {}, headers=HTMX | {"x-csrftoken": await csrf(client)})


async def order_count(db, tenant_id) -> int:
    async with db.transaction(tenant_id) as s:
        return len((await s.scalars(select(SalesOrder.id))).all())


def key_of(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html).group(1)


# --- the cart ------------------------------------------------------------------------------------------------


async def test_an_empty_cart_says_so_and_the_badge_is_empty(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    page = await client_a.get("/cart")
    assert page.status_code == 200 and "Your cart is empty." in page.text
    assert 'hx-get="/cart/count"' in page.text
    assert "badge" not in (await client_a.get("/cart/count")).text


async def test_add_to_cart_without_js_redirects_back_with_a_flash_and_prices_on_the_server(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    chair = shop.sku("CHAIR")
    added = await post_form(client_a, "/cart/add", {"variant": str(chair), "qty": "2", "unit_price": "0.01"})
    assert added.status_code == 303 and added.headers["location"] == "/cart"
    back = await post_form(client_a, "/cart/add", {"variant": str(chair), "qty": "1", "back": "/p/office-kit"})
    assert back.headers["location"] == "/p/office-kit"
    offsite = await post_form(client_a, "/cart/add", {"variant": str(chair), "qty": "1", "back": "//evil.test/p/"})
    assert offsite.headers["location"] == "/cart"
    page = await client_a.get("/cart")
    assert "CHAIR" in page.text and 'value="4"' in page.text
    assert "€100.00 each" in page.text and "€400.00" in page.text  # the form's 0.01 was never read
    assert "€84.00" in page.text and "€484.00" in page.text  # tax and gross
    assert "Added to your cart." in page.text
    assert ">1<" in (await client_a.get("/cart/count")).text


async def test_add_to_cart_with_htmx_answers_a_fragment_and_refreshes_the_badge(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    added = await htmx_post(client_a, "/cart/add", {"variant": str(shop.sku("LAMP")), "qty": "3"})
    assert added.status_code == 200 and "Added to your cart." in added.text and "<html" not in added.text
    assert added.headers["HX-Trigger"] == "cart-changed"
    unknown = await htmx_post(client_a, "/cart/add", {"variant": str(uuid.uuid4()), "qty": "1"})
    assert "This item does not exist." in unknown.text
    junk = await htmx_post(client_a, "/cart/add", {"variant": "not-an-id", "qty": "1"})
    assert "This item does not exist." in junk.text


async def test_the_product_page_offers_add_to_cart_to_a_signed_in_buyer(client_a, shop, owner):
    slug = await owner.fetchval("SELECT slug FROM products WHERE tenant_id = $1", shop.tenant_id)
    chair = shop.sku("CHAIR")
    anonymous = await client_a.get(f"/p/{slug}?variant={chair}")
    assert anonymous.status_code == 200 and 'action="/cart/add"' not in anonymous.text
    await as_user(client_a, "carl@roca.test")
    page = await client_a.get(f"/p/{slug}?variant={chair}&qty=3")
    assert 'action="/cart/add"' in page.text and "Add to cart" in page.text
    form = page.text.split('id="add-to-cart"')[1].split("</form>")[0]
    assert f'name="variant" value="{chair}"' in form and 'name="qty" value="3"' in form and "csrf" in form
    fragment = await client_a.get(f"/p/{slug}/offer?variant={chair}&qty=5", headers=HTMX)
    assert 'id="add-to-cart"' in fragment.text and 'name="qty" value="5"' in fragment.text
    assert 'href="/cart"' in page.text and 'hx-get="/cart/count"' in page.text  # the header's cart and badge


async def test_changing_a_quantity_with_htmx_rerenders_the_cart_block(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    lamp = shop.sku("LAMP")
    await post_form(client_a, "/cart/add", {"variant": str(lamp), "qty": "1"})
    changed = await htmx_post(client_a, f"/cart/lines/{lamp}", {"qty": "5"})
    assert changed.status_code == 200 and 'id="cart"' in changed.text and "<html" not in changed.text
    assert "€100.00" in changed.text and "€121.00" in changed.text
    removed = await htmx_post(client_a, f"/cart/lines/{lamp}/remove")
    assert "Your cart is empty." in removed.text


@pytest.mark.parametrize(
    ("qty", "message"),
    [
        ("0", "greater than zero"),
        ("-3", "greater than zero"),
        ("1e400", "Enter a quantity up to"),
        ("abc", "Enter a number."),
        ("NaN", "Enter a number."),
    ],
)
async def test_bad_quantities_are_refused_beside_the_line_and_keep_what_was_typed(client_a, shop, qty, message):
    await as_user(client_a, "carl@roca.test")
    lamp = shop.sku("LAMP")
    await post_form(client_a, "/cart/add", {"variant": str(lamp), "qty": "2"})
    refused = await htmx_post(client_a, f"/cart/lines/{lamp}", {"qty": qty})
    assert refused.status_code == 200 and message in refused.text
    assert f'value="{qty}"' in refused.text and 'aria-invalid="true"' in refused.text
    plain = await post_form(client_a, f"/cart/lines/{lamp}", {"qty": qty})
    assert plain.status_code == 400 and message in plain.text
    assert 'value="2"' in (await client_a.get("/cart")).text  # unchanged


async def test_a_quantity_rule_is_shown_and_applied(client_a, shop, owner):
    await owner.execute("UPDATE product_variants SET order_multiple = 4 WHERE sku = 'LAMP'")
    await as_user(client_a, "carl@roca.test")
    lamp = shop.sku("LAMP")
    assert (await post_form(client_a, "/cart/add", {"variant": str(lamp), "qty": "8"})).status_code == 303
    page = await client_a.get("/cart")
    assert "in packs of 4" in page.text
    refused = await htmx_post(client_a, f"/cart/lines/{lamp}", {"qty": "6"})
    assert "multiples of 4" in refused.text


async def test_posts_without_the_csrf_token_are_refused(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    lamp = str(shop.sku("LAMP"))
    for url, data in (
        ("/cart/add", {"variant": lamp, "qty": "1"}),
        (f"/cart/lines/{lamp}", {"qty": "2"}),
        ("/quick-order", {"lines": "LAMP 1", "action": "add"}),
        ("/checkout", {"idempotency_key": "k1", "payment": "account"}),
    ):
        assert (await client_a.post(url, data=data)).status_code == 403, url
    assert "Your cart is empty." in (await client_a.get("/cart")).text


async def test_the_ordering_pages_need_a_signed_in_customer(client_a, shop):
    for url in ("/cart", "/quick-order", "/checkout", "/account/orders"):
        response = await client_a.get(url)
        assert response.status_code in (302, 303) and "/sign-in" in response.headers["location"], url
    assert (await client_a.get("/cart/count")).text.strip() == ""


# --- quick order ---------------------------------------------------------------------------------------------


async def test_quick_order_reports_each_line_and_adds_the_good_ones(client_a, shop, owner):
    await owner.execute("UPDATE product_variants SET order_multiple = 4 WHERE sku = 'LAMP'")
    await as_user(client_a, "carl@roca.test")
    pasted = "CHAIR 2\nNOPE 1\nLAMP 3\nDESK 0\nchair;1"
    checked = await post_form(client_a, "/quick-order", {"lines": pasted, "action": "check"})
    assert checked.status_code == 200
    assert "We do not know the SKU NOPE." in checked.text
    assert "Order in multiples of 4." in checked.text
    assert "Enter a quantity greater than zero." in checked.text
    assert "Added to line 1." in checked.text
    assert "Your cart is empty." in (await client_a.get("/cart")).text  # checking adds nothing
    added = await post_form(client_a, "/quick-order", {"lines": pasted, "action": "add"})
    assert added.status_code == 200 and "1 line added to your cart." in added.text
    assert "CHAIR 2" not in added.text.split("<textarea")[1]  # the box keeps only the lines to fix
    cart = await client_a.get("/cart")
    assert 'value="3"' in cart.text and "€300.00" in cart.text


async def test_quick_order_of_good_lines_goes_to_the_cart(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    added = await post_form(client_a, "/quick-order", {"lines": "CHAIR\t2\nLAMP,5", "action": "add"})
    assert added.status_code == 303 and added.headers["location"] == "/cart"
    assert "€300.00" in (await client_a.get("/cart")).text


async def test_quick_order_refuses_empty_and_huge_lists(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    empty = await post_form(client_a, "/quick-order", {"lines": "  \n", "action": "check"})
    assert empty.status_code == 400 and "at least one line" in empty.text
    huge = await post_form(client_a, "/quick-order", {"lines": "L 1\n" * 10_000, "action": "add"})
    assert huge.status_code == 400 and "at most 500 lines" in huge.text


# --- checkout and orders -------------------------------------------------------------------------------------


async def test_checkout_places_the_cart_once_per_key_and_shows_the_order(client_a, db, shop):
    await as_user(client_a, "carl@roca.test")
    await post_form(client_a, "/cart/add", {"variant": str(shop.sku("CHAIR")), "qty": "2"})
    page = await client_a.get("/checkout")
    assert page.status_code == 200 and "Card payment is not available in this shop" in page.text
    key = key_of(page.text)
    form = {
        "idempotency_key": key,
        "ship_address_id": str(shop.addresses["ROCA"]),
        "po_number": "PO-77",
        "delivery_mode": "ship_available",
        "payment": "account",
        "gross": "0.01",
    }
    placed = await post_form(client_a, "/checkout", form)
    assert placed.status_code == 303 and placed.headers["location"].startswith("/account/orders/")
    again = await post_form(client_a, "/checkout", form)  # a double click
    assert again.status_code == 303 and again.headers["location"] == placed.headers["location"]
    assert await order_count(db, shop.tenant_id) == 1
    detail = await client_a.get(placed.headers["location"])
    assert detail.status_code == 200 and "is placed" in detail.text
    assert "PO-77" in detail.text and "CHAIR" in detail.text and "€242.00" in detail.text and "Confirmed" in detail.text
    history = await client_a.get("/account/orders")
    assert "PO-77" in history.text and "€242.00" in history.text
    assert "Your cart is empty." in (await client_a.get("/cart")).text
    empty = await client_a.get("/checkout")
    assert empty.status_code == 303 and empty.headers["location"] == "/cart"


async def test_checkout_refusals_come_back_beside_their_fields_and_keep_the_cart(client_a, db, shop, owner):
    await owner.execute("UPDATE customers SET credit_limit = 100 WHERE code = 'ROCA'")
    await as_user(client_a, "carl@roca.test")
    await post_form(client_a, "/cart/add", {"variant": str(shop.sku("CHAIR")), "qty": "2"})
    key = key_of((await client_a.get("/checkout")).text)
    base = {"idempotency_key": key, "payment": "account", "delivery_mode": "ship_available"}
    over = await post_form(client_a, "/checkout", base | {"po_number": "PO-1"})
    assert over.status_code == 400 and "credit limit" in over.text and 'value="PO-1"' in over.text
    assert key_of(over.text) == key
    for field, value, message in (
        ("requested_date", "2001-01-01", "Choose a date from today on."),
        ("requested_date", "not-a-date", "Enter a date."),
        ("payment", "card", "Card payment is not available in this shop"),
        ("delivery_mode", "teleport", "Choose how to deliver."),
        ("ship_address_id", str(uuid.uuid4()), "Choose one of your addresses."),
        ("po_number", "P" * 61, "At most 60 characters."),
    ):
        refused = await post_form(client_a, "/checkout", base | {field: value})
        assert refused.status_code == 400 and message in refused.text, field
    assert await order_count(db, shop.tenant_id) == 0
    assert "CHAIR" in (await client_a.get("/cart")).text


async def test_another_companys_or_tenants_order_is_not_found(client_a, client_b, db, shop, tenant_b):
    placed = await order(db, shop, "carl", ("LAMP", 1))
    await as_user(client_a, "otto@otra.test")
    assert (await client_a.get(f"/account/orders/{placed.order_id}")).status_code == 404
    assert placed.number not in (await client_a.get("/account/orders")).text
    refused = await post_form(client_a, f"/account/orders/{placed.order_id}/approve", {"comment": "x"})
    assert refused.status_code == 404
    await build_sales(db, tenant_b, chairs=0)
    await as_user(client_b, "carl@roca.test")
    assert (await client_b.get(f"/account/orders/{placed.order_id}")).status_code == 404
    assert (await client_b.get(f"/account/orders/{uuid.uuid4()}")).status_code == 404


async def test_an_approver_approves_from_the_order_page_and_a_buyer_cannot(client_a, db, shop):
    placed = await order(db, shop, "ana", ("CHAIR", 5))  # 605.00, over ana's 500
    assert placed.status == "awaiting_approval"
    await as_user(client_a, "ana@roca.test")
    own = await client_a.get(f"/account/orders/{placed.order_id}")
    assert "Awaiting approval" in own.text and "waits for an approver" in own.text
    assert "/approve" not in own.text
    refused = await post_form(client_a, f"/account/orders/{placed.order_id}/approve", {"comment": ""})
    assert refused.status_code == 400 and "approve" in refused.text
    await client_a.post("/sign-out", headers={"x-csrftoken": await csrf(client_a)})
    await as_user(client_a, "bea@roca.test")
    history = await client_a.get("/account/orders")
    assert "Waiting for my approval" in history.text and placed.number in history.text
    page = await client_a.get(f"/account/orders/{placed.order_id}")
    assert f'action="/account/orders/{placed.order_id}/approve"' in page.text
    approved = await post_form(client_a, f"/account/orders/{placed.order_id}/approve", {"comment": "Fine by me"})
    assert approved.status_code == 303
    after = await client_a.get(f"/account/orders/{placed.order_id}")
    assert "Order approved." in after.text and "Confirmed" in after.text and "Fine by me" in after.text


async def test_a_rejection_needs_a_comment(client_a, db, shop):
    placed = await order(db, shop, "ana", ("CHAIR", 5))
    await as_user(client_a, "bea@roca.test")
    refused = await post_form(client_a, f"/account/orders/{placed.order_id}/reject", {"comment": ""})
    assert refused.status_code == 400
    rejected = await post_form(client_a, f"/account/orders/{placed.order_id}/reject", {"comment": "Too many"})
    assert rejected.status_code == 303
    assert "Rejected" in (await client_a.get(f"/account/orders/{placed.order_id}")).text

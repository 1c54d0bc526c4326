"""Bad input to ordering through HTTP, beyond tests/web/test_storefront_ordering.py: lists far too long for a
quick order, a full-size list answered line by line in time, the customer's assortment checked when adding to
the cart, in quick order and again when the order is placed, an article that stops being sold while it waits
in a cart, and absurd quantities. Every answer is a clear 4xx (or a report), never a 5xx or a timeout.

The shop is the sales tests' one (tests.integration.sales.conftest.build_sales): CHAIR 100, DESK 250, LAMP 20.
"""

from __future__ import annotations

import time

import pytest

from app.actor import SYSTEM
from app.catalog.services import assign_catalog, create_catalog
from tests.integration.sales.conftest import Sales, build_sales
from tests.web.test_auth_sign_in import post_form
from tests.web.test_storefront_ordering import as_user, htmx_post, key_of, order_count


def form(key: str) -> dict[str, str]:
    return {"idempotency_key": key, "payment": "account", "delivery_mode": "ship_available"}


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


async def test_ten_thousand_pasted_lines_get_a_clear_limit_message_at_once(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    for pasted, message in (
        ("L 1\n" * 10_000, "at most 500 lines; this one has 10000"),  # within the form's size: counted
        ("CHAIR 1\n" * 10_000, "too long"),  # beyond what any form field takes: refused at the door
    ):
        started = time.monotonic()
        refused = await post_form(client_a, "/quick-order", {"lines": pasted, "action": "add"})
        assert time.monotonic() - started < 3
        assert refused.status_code == 400 and message in refused.text, refused.text[:500]
    assert "Your cart is empty." in (await client_a.get("/cart")).text


async def test_a_full_500_line_list_is_answered_line_by_line_in_time(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    pasted = "\n".join(f"{'CHAIR' if n % 2 else f'NOPE{n}'} 1" for n in range(500))
    started = time.monotonic()
    added = await post_form(client_a, "/quick-order", {"lines": pasted, "action": "add"})
    assert time.monotonic() - started < 5
    assert added.status_code == 200 and "1 line added to your cart." in added.text
    assert added.text.count("We do not know the SKU") == 250 and added.text.count("Added to line 2.") == 249
    assert 'value="250"' in (await client_a.get("/cart")).text


@pytest.mark.parametrize(
    ("qty", "message"),
    [("99999999999", "Enter a quantity up to"), ("0.00001", "at most 4 decimals"), ("-0", "greater than zero")],
)
async def test_absurd_quantities_are_refused_when_adding(client_a, shop, qty, message):
    await as_user(client_a, "carl@roca.test")
    refused = await htmx_post(client_a, "/cart/add", {"variant": str(shop.sku("LAMP")), "qty": qty})
    assert refused.status_code == 200 and message in refused.text
    assert "Your cart is empty." in (await client_a.get("/cart")).text


async def _limit_roca(db, shop) -> None:
    """ROCA's assortment becomes one empty catalogue (the shop's articles are one product: all leave it)."""
    tid = shop.tenant_id
    async with db.transaction(tid) as s:
        catalog = await create_catalog(s, tid, "NOTHING", "Nothing yet", SYSTEM)
        await assign_catalog(s, tid, catalog.id, SYSTEM, customer_id=shop.customers["ROCA"])


async def test_the_assortment_is_checked_when_adding_and_in_quick_order(client_a, db, shop):
    await _limit_roca(db, shop)
    await as_user(client_a, "carl@roca.test")
    outside = await htmx_post(client_a, "/cart/add", {"variant": str(shop.sku("CHAIR")), "qty": "1"})
    assert "CHAIR is not in your assortment." in outside.text
    checked = await post_form(client_a, "/quick-order", {"lines": "CHAIR 1\nDESK 1", "action": "add"})
    assert "CHAIR is not in your assortment." in checked.text and "DESK is not in your assortment." in checked.text
    assert "Your cart is empty." in (await client_a.get("/cart")).text


async def test_placing_checks_the_assortment_again(client_a, db, shop):
    await as_user(client_a, "carl@roca.test")
    await post_form(client_a, "/cart/add", {"variant": str(shop.sku("CHAIR")), "qty": "1"})
    key = key_of((await client_a.get("/checkout")).text)
    await _limit_roca(db, shop)  # the catalogue changes while the cart waits
    cart = await client_a.get("/cart")
    assert "cannot be ordered" in cart.text  # no price shown for what may no longer be bought
    refused = await post_form(client_a, "/checkout", form(key))
    assert refused.status_code == 400 and "CHAIR is not in your assortment." in refused.text
    assert await order_count(db, shop.tenant_id) == 0


async def test_an_article_withdrawn_while_in_the_cart_is_refused_at_checkout(client_a, db, shop, owner):
    await as_user(client_a, "carl@roca.test")
    await post_form(client_a, "/cart/add", {"variant": str(shop.sku("LAMP")), "qty": "2"})
    key = key_of((await client_a.get("/checkout")).text)
    await owner.execute("UPDATE product_variants SET status = 'discontinued' WHERE sku = 'LAMP'")
    refused = await post_form(client_a, "/checkout", form(key))
    assert refused.status_code == 400 and "LAMP is not for sale." in refused.text
    assert await order_count(db, shop.tenant_id) == 0


async def test_a_checkout_without_its_key_or_with_tampered_totals_is_refused_or_repriced(client_a, db, shop, owner):
    await as_user(client_a, "carl@roca.test")
    await post_form(client_a, "/cart/add", {"variant": str(shop.sku("CHAIR")), "qty": "1"})
    expired = await post_form(client_a, "/checkout", {"idempotency_key": "", "payment": "account"})
    assert expired.status_code == 400 and "The order form expired" in expired.text
    key = key_of((await client_a.get("/checkout")).text)
    tampered = form(key) | {"unit_price": "1", "net": "1", "gross": "1.21"}
    placed = await post_form(client_a, "/checkout", tampered)
    assert placed.status_code == 303
    assert await owner.fetchval("SELECT gross FROM sales_orders") == 121  # the server's price, with tax
    assert await owner.fetchval("SELECT unit_price FROM sales_order_lines") == 100

"""The delivery method at checkout through HTTP: the page offers the carrier services with the cheapest and the
fastest marked and dates each line (available now, from a supplier's date, on request); the methods are
re-quoted with htmx for another address; placing with a chosen service stores it with the server's price
(whatever the form says); another tenant's service is refused and never used.

The shop is the sales tests' (CHAIR 100 with ten in stock, DESK 250 none, LAMP 20 none; 21 % tax), ROCA's carl
signs in; the carriers are the shipping tests' (see tests/integration/sales/test_delivery_choice.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.actor import SYSTEM
from app.i18n import format_date
from app.parties import AddressInput, add_address
from app.sales.models import SalesOrder
from tests.integration.sales.conftest import Sales, build_sales
from tests.integration.sales.test_delivery_choice import _purchase
from tests.integration.shipping.carriers import build_carriers
from tests.web.test_auth_sign_in import post_form
from tests.web.test_storefront_ordering import HTMX, as_user, key_of, order_count

D = Decimal


@pytest.fixture
async def shop(db, tenant_a, owner) -> Sales:
    sales = await build_sales(db, tenant_a)
    sales.carriers = await build_carriers(db, tenant_a)
    await owner.execute("UPDATE product_variants SET weight_kg = 2 WHERE tenant_id = $1", tenant_a.id)
    return sales


async def _cart(client, shop, *lines) -> None:
    await as_user(client, "carl@roca.test")
    for sku, qty in lines:
        await post_form(client, "/cart/add", {"variant": str(shop.sku(sku)), "qty": str(qty)})


async def test_the_page_offers_the_methods_marked_and_dates_each_line(client_a, db, shop):
    coming = date.today() + timedelta(days=12)
    await _purchase(db, shop, "LAMP", 50, coming)
    await _cart(client_a, shop, ("CHAIR", 2), ("LAMP", 2), ("DESK", 1))
    page = await client_a.get("/checkout")
    assert page.status_code == 200
    methods = page.text.split('id="delivery-methods"')[1].split("</fieldset>")[0]
    eco, std, fast = (shop.carriers[name].id for name in ("eco", "std", "fast"))
    assert methods.index(str(eco)) < methods.index(str(std)) < methods.index(str(fast))  # cheapest first
    assert "Cheapest" in methods and "Fastest" in methods and "€4.95" in methods and "€9.90" in methods
    assert f'value="{eco}" checked' in methods and "Estimated delivery" in methods
    summary = page.text.split('id="checkout-summary"')[1]
    assert "Available now" in summary and "On request" in summary
    shown = format_date(coming, "d MMM" if coming.year == date.today().year else "medium", locale="en")
    assert f"From {shown}" in summary
    assert "Courier · Economy" in summary and "€4.95" in summary  # the shipping line of the summary
    net = D("200") + D("40") + D("250") + D("4.95")
    assert f"€{net:,.2f}" in summary


async def test_another_address_is_requoted_with_htmx(client_a, db, shop):
    async with db.transaction(shop.tenant_id) as s:
        place = AddressInput("Palma", "Roca", "Calle del Mar 3", "07001", "Palma", "ES")
        palma = (await add_address(s, shop.tenant_id, shop.customers["ROCA"], place, SYSTEM)).id
    await _cart(client_a, shop, ("CHAIR", 1))
    eco = shop.carriers["eco"].id
    query = {"ship_address_id": str(palma), "delivery_service_id": str(eco), "delivery_mode": "ship_available"}
    fragment = await client_a.get("/checkout/delivery", params=query, headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert str(eco) not in fragment.text and "Economy" not in fragment.text  # ECO does not go to the Balearics
    assert f'value="{shop.carriers["std"].id}"' in fragment.text and "€11.00" in fragment.text
    assert 'hx-swap-oob="true"' in fragment.text and 'id="checkout-summary"' in fragment.text
    plain = await client_a.get("/checkout/delivery", params=query)
    assert plain.status_code == 303 and plain.headers["location"] == "/checkout"


async def test_placing_with_a_chosen_service_stores_it_with_the_servers_price(client_a, db, shop):
    await _cart(client_a, shop, ("CHAIR", 2))
    key = key_of((await client_a.get("/checkout")).text)
    fast = shop.carriers["fast"].id
    form = {
        "idempotency_key": key,
        "ship_address_id": str(shop.addresses["ROCA"]),
        "delivery_service_id": str(fast),
        "delivery_mode": "ship_available",
        "payment": "account",
        "shipping": "0.01",  # a tampered price: never read
        "shipping_net": "0",
    }
    placed = await post_form(client_a, "/checkout", form)
    assert placed.status_code == 303
    async with db.transaction(shop.tenant_id) as s:
        stored = (await s.scalars(select(SalesOrder))).one()
    assert stored.delivery_service_id == fast and stored.shipping_net == D("9.90")
    assert stored.gross == D("253.98")  # (200 + 9.90) + 42.00 + 2.08
    detail = await client_a.get(placed.headers["location"])
    assert "Express · Next day" in detail.text and "€9.90" in detail.text and "€253.98" in detail.text
    assert "Promised delivery" in detail.text
    pdf = await client_a.get(f"{placed.headers['location']}/confirmation.pdf")  # with its shipping line
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_another_tenants_service_is_refused_and_never_used(client_a, db, shop, tenant_b):
    other = await build_carriers(db, tenant_b)
    await _cart(client_a, shop, ("CHAIR", 1))
    key = key_of((await client_a.get("/checkout")).text)
    form = {"idempotency_key": key, "payment": "account", "delivery_mode": "ship_available"}
    refused = await post_form(client_a, "/checkout", form | {"delivery_service_id": str(other["fast"].id)})
    assert refused.status_code == 400 and "does not deliver this order to this address" in refused.text
    junk = await post_form(client_a, "/checkout", form | {"delivery_service_id": "not-an-id"})
    assert junk.status_code == 400 and "Choose one of the delivery methods." in junk.text
    assert await order_count(db, shop.tenant_id) == 0
    fragment = await client_a.get(
        "/checkout/delivery", params={"delivery_service_id": str(other["fast"].id)}, headers=HTMX
    )
    assert fragment.status_code == 200 and str(other["fast"].id) not in fragment.text

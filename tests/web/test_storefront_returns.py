"""Shipments and returns in the buyer's account through HTTP: the order's page shows the shipment with carrier
and tracking link and its delivery note PDF; a return is requested for shipped goods (more than shipped is
refused beside the line, what was typed kept), listed and shown; another company's or another tenant's order,
return and delivery note are 404.

The shop is the sales tests' one (tests.integration.sales.conftest.build_sales): carl buys for ROCA, otto is
OTRA's approver; every password is "secret-pass-1"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app import sales
from app.actor import Actor
from tests.integration.sales.conftest import Sales, build_sales, order
from tests.web.test_auth_sign_in import post_form
from tests.web.test_storefront_ordering import as_user

STAFF = Actor("staff", None, "Marta")


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


async def _shipped(db, shop: Sales, owner, qty: int = 3):
    placed = await order(db, shop, "carl", ("CHAIR", qty))
    line = await owner.fetchval("SELECT id FROM sales_order_lines WHERE order_id = $1", placed.order_id)
    dispatch = sales.Dispatch(None, "TRK-9", "https://track.example/TRK-9")
    async with db.transaction(shop.tenant_id) as s:
        direct = sales.DirectShipment({line: Decimal(qty)}, dispatch)
        parcel = await sales.ship_order(s, shop.tenant_id, placed.order_id, direct, STAFF)
    return placed, line, parcel.id


async def test_the_order_shows_tracking_and_the_delivery_note(client_a, db, shop, owner):
    placed, _line, shipment_id = await _shipped(db, shop, owner)
    await as_user(client_a, "carl@roca.test")
    page = await client_a.get(f"/account/orders/{placed.order_id}")
    assert page.status_code == 200 and "Shipped" in page.text
    assert 'href="https://track.example/TRK-9"' in page.text and "TRK-9" in page.text
    pdf = await client_a.get(f"/account/shipments/{shipment_id}/delivery-note.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_a_return_is_requested_listed_and_shown(client_a, db, shop, owner):
    placed, line, _shipment = await _shipped(db, shop, owner)
    await as_user(client_a, "carl@roca.test")
    form = await client_a.get(f"/account/returns/new?order={placed.order_id}")
    assert form.status_code == 200 and "returnable 3" in form.text
    data = {"order": str(placed.order_id), f"qty_{line}": "4", f"reason_{line}": "Scratched"}
    refused = await post_form(client_a, "/account/returns", data)
    assert refused.status_code == 400 and "You can return at most 3 of CHAIR" in refused.text
    assert 'value="Scratched"' in refused.text
    junk = await post_form(client_a, "/account/returns", {"order": str(placed.order_id), f"qty_{line}": "abc"})
    assert junk.status_code == 400
    made = await post_form(client_a, "/account/returns", data | {f"qty_{line}": "2"})
    assert made.status_code == 303
    page = await client_a.get(made.headers["location"])
    assert "requested" in page.text and "Scratched" in page.text and "RMA-" in page.text
    listing = await client_a.get("/account/returns")
    assert "RMA-" in listing.text and placed.number in listing.text


async def test_another_company_and_tenant_get_404(client_a, client_b, db, shop, owner, tenant_b):
    placed, line, shipment_id = await _shipped(db, shop, owner)
    async with db.transaction(shop.tenant_id) as s:
        request = sales.ReturnRequest(placed.order_id, shop.customers["ROCA"], None, {line: Decimal(1)})
        rma_id = (await sales.request_return(s, shop.tenant_id, request, STAFF)).id
    await as_user(client_a, "otto@otra.test")
    for url in (
        f"/account/returns/{rma_id}",
        f"/account/shipments/{shipment_id}/delivery-note.pdf",
        f"/account/returns/new?order={placed.order_id}",
    ):
        assert (await client_a.get(url)).status_code == 404, url
    stolen = await post_form(client_a, "/account/returns", {"order": str(placed.order_id), f"qty_{line}": "1"})
    assert stolen.status_code == 404
    assert placed.number not in (await client_a.get("/account/returns")).text
    other = await build_sales(db, tenant_b, chairs=0)
    assert other.tenant_id == tenant_b.id
    await as_user(client_b, "carl@roca.test")
    for url in (f"/account/returns/{rma_id}", f"/account/shipments/{shipment_id}/delivery-note.pdf"):
        assert (await client_b.get(url)).status_code == 404, url

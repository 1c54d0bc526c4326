"""The company administrator's portal pages: colleagues (one role each, spending limits per order and per month,
deactivate) and the company's addresses (add, edit, defaults, archive, offered at checkout). Only the company's
admin may manage (a buyer gets 403), another company's user or address is a 404, and so is another tenant's.

The shop is tests.integration.sales.conftest.build_sales (ROCA: ana buyer 500/order, bea approver, carl buyer;
OTRA: otto approver); ROCA gets an administrator, Rosa."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.identity.services import NewUser, create_user
from tests.integration.sales.conftest import Sales, build_sales, order
from tests.web.test_auth_sign_in import post_form
from tests.web.test_storefront_ordering import as_user


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    sales = await build_sales(db, tenant_a)
    async with db.transaction(tenant_a.id) as s:
        data = NewUser(
            "customer", "rosa@roca.test", "Rosa", ("customer_admin",), "secret-pass-1", sales.customers["ROCA"]
        )
        sales.users["rosa"] = (await create_user(s, tenant_a.id, data, SYSTEM)).id
    return sales


async def test_the_admin_sees_colleagues_with_roles_and_limits_and_only_their_company(client_a, shop):
    await as_user(client_a, "rosa@roca.test")
    page = await client_a.get("/account/users")
    assert page.status_code == 200
    assert "ana@roca.test" in page.text and "€500.00" in page.text and "Approver" in page.text
    assert "otto@otra.test" not in page.text
    assert 'href="/account/addresses"' in page.text and 'href="/account/approvals"' in page.text


async def test_the_admin_sets_a_role_and_limits_that_then_send_orders_to_approval(client_a, db, owner, shop):
    await as_user(client_a, "rosa@roca.test")
    carl = shop.users["carl"]
    form = await client_a.get(f"/account/users/{carl}")
    assert form.status_code == 200 and 'name="per_order"' in form.text
    saved = await post_form(client_a, f"/account/users/{carl}", {"role": "buyer", "per_order": "", "per_month": "300"})
    assert saved.status_code == 303
    row = await owner.fetchrow("SELECT currency, per_order, per_month FROM buyer_limits WHERE user_id = $1", carl)
    assert tuple(row) == ("EUR", None, Decimal("300"))
    assert (await order(db, shop, "carl", ("LAMP", 5))).status == "confirmed"  # 121.00 of 300 this month
    assert (await order(db, shop, "carl", ("LAMP", 10))).status == "awaiting_approval"  # 363.00 > 300
    promoted = await post_form(
        client_a, f"/account/users/{carl}", {"role": "approver", "per_order": "", "per_month": ""}
    )
    assert promoted.status_code == 303
    assert await owner.fetchval("SELECT count(*) FROM buyer_limits WHERE user_id = $1", carl) == 0
    roles = await owner.fetch(
        "SELECT r.code FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = $1", carl
    )
    assert [r["code"] for r in roles] == ["approver"]


async def test_bad_limits_and_roles_are_refused_beside_their_field_and_change_nothing(client_a, owner, shop):
    await as_user(client_a, "rosa@roca.test")
    ana = shop.users["ana"]
    for field, value, message in (
        ("per_order", "-5", "Enter 0 or more."),
        ("per_order", "abc", "Enter a number."),
        ("per_month", "1e400", "Enter a number."),
        ("role", "owner", "Choose buyer, approver or administrator."),
    ):
        typed = {"role": "buyer", "per_order": "100", "per_month": ""} | {field: value}
        refused = await post_form(client_a, f"/account/users/{ana}", typed)
        assert refused.status_code == 400 and message in refused.text, field
    assert await owner.fetchval("SELECT per_order FROM buyer_limits WHERE user_id = $1", ana) == Decimal("500")
    me = shop.users["rosa"]
    demoted = await post_form(client_a, f"/account/users/{me}", {"role": "buyer"})
    assert demoted.status_code == 400 and "your own administrator role" in demoted.text


async def test_the_admin_deactivates_and_reactivates_a_colleague_but_not_themself(client_a, owner, shop):
    await as_user(client_a, "rosa@roca.test")
    ana = shop.users["ana"]
    assert (await post_form(client_a, f"/account/users/{ana}/deactivate", {})).status_code == 303
    assert await owner.fetchval("SELECT is_active FROM users WHERE id = $1", ana) is False
    assert "Deactivated" in (await client_a.get("/account/users")).text
    assert (await post_form(client_a, f"/account/users/{ana}/reactivate", {})).status_code == 303
    assert await owner.fetchval("SELECT is_active FROM users WHERE id = $1", ana) is True
    refused = await post_form(client_a, f"/account/users/{shop.users['rosa']}/deactivate", {})
    assert refused.status_code == 400 and "You cannot deactivate your own account." in refused.text


async def test_another_companys_users_and_addresses_are_not_found(client_a, owner, shop):
    await as_user(client_a, "rosa@roca.test")
    otto, otra_address = shop.users["otto"], shop.addresses["OTRA"]
    assert (await client_a.get(f"/account/users/{otto}")).status_code == 404
    assert (await post_form(client_a, f"/account/users/{otto}", {"role": "buyer", "per_order": "1"})).status_code == 404
    assert (await post_form(client_a, f"/account/users/{otto}/deactivate", {})).status_code == 404
    assert (await client_a.get(f"/account/addresses/{otra_address}")).status_code == 404
    edit = {"recipient": "X", "line1": "Y", "postcode": "1", "city": "Z", "country": "ES", "usage": "both"}
    assert (await post_form(client_a, f"/account/addresses/{otra_address}", edit)).status_code == 404
    assert (await post_form(client_a, f"/account/addresses/{otra_address}/archive", {})).status_code == 404
    assert await owner.fetchval("SELECT is_active FROM users WHERE id = $1", otto) is True
    assert await owner.fetchval("SELECT is_archived FROM addresses WHERE id = $1", otra_address) is False
    assert (await client_a.get(f"/account/users/{uuid.uuid4()}")).status_code == 404


async def test_another_tenant_sees_nothing_of_the_company(client_b, db, shop, tenant_b):
    other = await build_sales(db, tenant_b, chairs=0)
    async with db.transaction(tenant_b.id) as s:
        data = NewUser(
            "customer", "rosa@roca.test", "Rosa B", ("customer_admin",), "secret-pass-1", other.customers["ROCA"]
        )
        await create_user(s, tenant_b.id, data, SYSTEM)
    await as_user(client_b, "rosa@roca.test")
    assert (await client_b.get(f"/account/users/{shop.users['ana']}")).status_code == 404
    assert (await client_b.get(f"/account/addresses/{shop.addresses['ROCA']}")).status_code == 404
    assert "ana@roca.test" in (await client_b.get("/account/users")).text  # tenant B's own Ana only
    assert str(shop.users["ana"]) not in (await client_b.get("/account/users")).text


async def test_only_the_admin_manages(client_a, shop):
    await as_user(client_a, "bea@roca.test")
    for path in ("/account/users", f"/account/users/{shop.users['ana']}", "/account/addresses"):
        assert (await client_a.get(path)).status_code == 403, path
    refused = await post_form(client_a, f"/account/users/{shop.users['ana']}", {"role": "buyer", "per_order": ""})
    assert refused.status_code == 403


async def test_addresses_are_added_edited_made_default_and_archived_and_checkout_offers_them(client_a, owner, shop):
    await as_user(client_a, "rosa@roca.test")
    new = {
        "label": "Almacén Norte",
        "recipient": "Recepción",
        "line1": "Polígono 4",
        "postcode": "46980",
        "city": "Paterna",
        "country": "es",
        "usage": "shipping",
        "default_shipping": "1",
    }
    assert (await post_form(client_a, "/account/addresses", new)).status_code == 303
    row = await owner.fetchrow("SELECT id, country, is_default_shipping FROM addresses WHERE label = 'Almacén Norte'")
    assert (row["country"], row["is_default_shipping"]) == ("ES", True)
    assert (
        await owner.fetchval("SELECT is_default_shipping FROM addresses WHERE id = $1", shop.addresses["ROCA"]) is False
    )
    bad = await post_form(client_a, "/account/addresses", new | {"city": "", "label": "Kept"})
    assert bad.status_code == 400 and "Fill in this field." in bad.text and 'value="Kept"' in bad.text
    edited = await post_form(client_a, f"/account/addresses/{row['id']}", new | {"city": "Valencia"})
    assert edited.status_code == 303
    assert await owner.fetchval("SELECT city FROM addresses WHERE id = $1", row["id"]) == "Valencia"
    await as_user(client_a, "carl@roca.test")
    await post_form(client_a, "/cart/add", {"variant": str(shop.sku("LAMP")), "qty": "1"})
    checkout = await client_a.get("/checkout")
    assert "Almacén Norte" in checkout.text and str(shop.addresses["ROCA"]) in checkout.text
    await as_user(client_a, "rosa@roca.test")
    assert (await post_form(client_a, f"/account/addresses/{row['id']}/archive", {})).status_code == 303
    await as_user(client_a, "carl@roca.test")
    assert "Almacén Norte" not in (await client_a.get("/checkout")).text

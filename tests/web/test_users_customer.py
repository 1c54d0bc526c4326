"""Customer admins manage their own colleagues, and never see another customer's users."""

from __future__ import annotations

import json

import pytest

from tests.web.test_auth_sign_in import add_customer, add_customer_user, post_form, sign_in


@pytest.fixture
async def buyer_co(client_a, db, tenant_a):
    """Buyer Co with its admin Cam signed in on client_a, and a rival company with one user."""
    customer = await add_customer(db, tenant_a, "C001", "Buyer Co")
    rival = await add_customer(db, tenant_a, "C002", "Rival Ltd")
    await add_customer_user(db, tenant_a, customer, "cam@buyer.test", "customer_admin", name="Cam Admin")
    await add_customer_user(db, tenant_a, customer, "bea@buyer.test", "buyer", name="Bea Buyer")
    await add_customer_user(db, tenant_a, rival, "rob@rival.test", "customer_admin", name="Rob Rival")
    assert (await sign_in(client_a, "cam@buyer.test", staff=False)).status_code == 303
    return customer, rival


async def test_account_shows_the_company_and_the_user(client_a, buyer_co):
    page = await client_a.get("/account")
    assert page.status_code == 200
    assert "Buyer Co" in page.text and "C001" in page.text and "Cam Admin" in page.text
    assert 'href="/account/users"' in page.text


async def test_colleagues_are_only_of_the_same_customer(client_a, buyer_co):
    page = await client_a.get("/account/users")
    assert page.status_code == 200
    assert "Bea Buyer" in page.text and "Cam Admin" in page.text
    assert "Rob Rival" not in page.text and "rob@rival.test" not in page.text


async def test_customer_admin_invites_a_colleague_into_their_own_company(client_a, owner, buyer_co):
    customer, rival = buyer_co

    response = await post_form(
        client_a,
        "/account/users",
        {"name": "Nia New", "email": "nia@buyer.test", "roles": ["buyer", "approver"], "customer_id": str(rival.id)},
    )

    assert (response.status_code, response.headers["location"]) == (303, "/account/users")
    row = await owner.fetchrow("SELECT kind, customer_id, password_hash FROM users WHERE email = 'nia@buyer.test'")
    assert (row["kind"], row["customer_id"], row["password_hash"]) == ("customer", customer.id, None)
    payload = json.loads(await owner.fetchval("SELECT payload FROM outbox WHERE payload->>'to' = 'nia@buyer.test'"))
    assert payload["template"] == "mail/user_invitation"
    assert payload["context"]["url"].startswith("https://acme.localhost/invite/")
    entry = await owner.fetchrow(
        "SELECT actor_kind, actor_label FROM audit_log WHERE action = 'user.created' "
        "AND changes->'email'->>1 = 'nia@buyer.test'"
    )
    assert (entry["actor_kind"], entry["actor_label"]) == ("customer", "cam@buyer.test")
    page = await client_a.get("/account/users")
    assert "Nia New" in page.text and "Invitation sent to nia@buyer.test." in page.text


async def test_invite_refuses_staff_roles_and_keeps_the_input(client_a, owner, buyer_co):
    response = await post_form(
        client_a, "/account/users", {"name": "Nia New", "email": "nia@buyer.test", "roles": ["owner"]}
    )
    assert response.status_code == 400
    assert "Unknown role: owner." in response.text and 'value="nia@buyer.test"' in response.text
    assert await owner.fetchval("SELECT count(*) FROM users WHERE email = 'nia@buyer.test'") == 0

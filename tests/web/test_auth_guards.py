"""Guards: each face only counts its own kind of session, roles decide, strangers are sent to sign in."""

from __future__ import annotations

from tests.web.test_auth_sign_in import add_customer, add_customer_user, add_staff, sign_in


async def test_unauthenticated_page_redirects_to_the_faces_sign_in(client_a, tenant_a):
    admin = await client_a.get("/admin/users?q=ana")
    assert (admin.status_code, admin.headers["location"]) == (303, "/admin/sign-in?next=%2Fadmin%2Fusers%3Fq%3Dana")
    account = await client_a.get("/account")
    assert (account.status_code, account.headers["location"]) == (303, "/sign-in?next=%2Faccount")


async def test_htmx_and_non_html_requests_get_401(client_a, tenant_a):
    htmx = await client_a.get("/admin/users", headers={"hx-request": "true"})
    assert htmx.status_code == 401
    assert htmx.headers["hx-redirect"].startswith("/admin/sign-in?next=")
    api = await client_a.get("/admin", headers={"accept": "application/json"})
    assert api.status_code == 401


async def test_customer_session_cannot_open_the_back_office(client_a, db, tenant_a):
    customer = await add_customer(db, tenant_a)
    await add_customer_user(db, tenant_a, customer, "cam@buyer.test", "customer_admin")
    await sign_in(client_a, "cam@buyer.test", staff=False)

    response = await client_a.get("/admin")

    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/sign-in")
    assert (await client_a.get("/account")).status_code == 200  # still signed in on the storefront


async def test_staff_session_cannot_open_the_customer_account(client_a, db, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test", "owner")
    await sign_in(client_a, "olga@acme.test", staff=True)

    response = await client_a.get("/account")

    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in")
    home = await client_a.get("/")
    assert 'href="/sign-in"' in home.text  # the storefront sees a visitor
    assert (await client_a.get("/admin")).status_code == 200


async def test_session_of_one_tenant_means_nothing_on_another(app, client_a, db, tenant_a, tenant_b):
    from tests.conftest import client_for

    await add_staff(db, tenant_a, "olga@acme.test", "owner")
    await sign_in(client_a, "olga@acme.test", staff=True)
    async with client_for(app, "globex.localhost") as other:
        other.cookies.set("bodega_session", client_a.cookies["bodega_session"])
        response = await other.get("/admin")
    assert response.status_code == 303


async def test_role_guard_gives_403_to_a_warehouse_user(client_a, db, tenant_a):
    await add_staff(db, tenant_a, "wes@acme.test", "warehouse")
    await sign_in(client_a, "wes@acme.test", staff=True)

    assert (await client_a.get("/admin")).status_code == 200
    response = await client_a.get("/admin/users")

    assert response.status_code == 403
    assert "does not have access" in response.text
    assert 'href="/admin/users"' not in (await client_a.get("/admin")).text


async def test_owner_passes_every_staff_guard(client_a, db, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test", "owner")
    await sign_in(client_a, "olga@acme.test", staff=True)
    assert (await client_a.get("/admin/users")).status_code == 200


async def test_buyer_gets_403_on_colleagues_but_customer_admin_passes(client_a, db, tenant_a):
    customer = await add_customer(db, tenant_a)
    await add_customer_user(db, tenant_a, customer, "bea@buyer.test", "buyer")
    await add_customer_user(db, tenant_a, customer, "cam@buyer.test", "customer_admin")

    await sign_in(client_a, "bea@buyer.test", staff=False)
    assert (await client_a.get("/account/users")).status_code == 403
    await sign_in(client_a, "cam@buyer.test", staff=False)
    assert (await client_a.get("/account/users")).status_code == 200

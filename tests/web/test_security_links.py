"""Links in e-mails come from the tenant's own address, whatever Host, X-Forwarded-Host or request line say.

Each flow that mails a link (staff reset, customer reset, customer-company invitation, staff invitation)
is asked with three kinds of poisoned request; each either answers 400 or mails a link to
https://acme.localhost (the tenant's primary domain with the scheme and port from settings).
"""

from __future__ import annotations

import json

import pytest

from tests.web.test_auth_sign_in import add_customer, add_customer_user, add_staff, csrf, sign_in

POISONS = ["userinfo-host", "forwarded-host", "absolute-uri"]
OWN = "https://acme.localhost/"


async def poisoned_post(client, path: str, data: dict, poison: str):
    token = await csrf(client)
    cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    headers = {"x-csrftoken": token, "cookie": cookies}
    if poison == "userinfo-host":
        headers["host"] = "acme.localhost:443@evil.example"
        return await client.post(f"https://acme.localhost{path}", data=data, headers=headers)
    if poison == "forwarded-host":
        headers |= {"x-forwarded-host": "evil.example", "forwarded": "host=evil.example;proto=http"}
        return await client.post(path, data=data, headers=headers)
    # The request line names another host (absolute-form); the Host header names the tenant.
    headers["host"] = "acme.localhost"
    return await client.post(f"http://evil.example:8000{path}", data=data, headers=headers)


async def mailed_urls(owner, template: str) -> list[str]:
    rows = await owner.fetch("SELECT payload FROM outbox WHERE topic = 'mail.send' ORDER BY created_at, id")
    payloads = [json.loads(r["payload"]) for r in rows]
    return [p["context"]["url"] for p in payloads if p["template"] == template]


def assert_refused_or_own(response, urls: list[str]) -> None:
    if response.status_code == 400:
        assert urls == []
        return
    assert response.status_code in (200, 303), response.text[:300]
    assert urls, "a link was expected in the mail"
    for url in urls:
        assert url.startswith(OWN), url
        assert "evil" not in url


@pytest.mark.parametrize("poison", POISONS)
async def test_staff_reset_link_points_at_the_tenant(client_a, db, owner, tenant_a, poison):
    await add_staff(db, tenant_a, "olga@acme.test")
    response = await poisoned_post(client_a, "/admin/forgot-password", {"email": "olga@acme.test"}, poison)
    assert_refused_or_own(response, await mailed_urls(owner, "mail/password_reset"))


@pytest.mark.parametrize("poison", POISONS)
async def test_customer_reset_link_points_at_the_tenant(client_a, db, owner, tenant_a, poison):
    customer = await add_customer(db, tenant_a)
    await add_customer_user(db, tenant_a, customer, "cam@buyer.test")
    response = await poisoned_post(client_a, "/forgot-password", {"email": "cam@buyer.test"}, poison)
    assert_refused_or_own(response, await mailed_urls(owner, "mail/password_reset"))


@pytest.mark.parametrize("poison", POISONS)
async def test_customer_invitation_link_points_at_the_tenant(client_a, db, owner, tenant_a, poison):
    customer = await add_customer(db, tenant_a)
    await add_customer_user(db, tenant_a, customer, "cam@buyer.test", "customer_admin")
    assert (await sign_in(client_a, "cam@buyer.test", staff=False)).status_code == 303
    data = {"name": "Nia", "email": "nia@buyer.test", "roles": ["buyer"]}
    response = await poisoned_post(client_a, "/account/users", data, poison)
    assert_refused_or_own(response, await mailed_urls(owner, "mail/user_invitation"))


@pytest.mark.parametrize("poison", POISONS)
async def test_staff_invitation_link_points_at_the_tenant(client_a, db, owner, tenant_a, poison):
    await add_staff(db, tenant_a, "olga@acme.test", "owner")
    assert (await sign_in(client_a, "olga@acme.test", staff=True)).status_code == 303
    data = {"name": "Sam", "email": "sam@acme.test", "roles": ["sales"], "locale": "en"}
    response = await poisoned_post(client_a, "/admin/users", data, poison)
    assert_refused_or_own(response, await mailed_urls(owner, "mail/user_invitation"))


async def test_the_link_follows_the_primary_domain_and_public_address(app, db, owner, tenant_a):
    """A custom primary domain wins over the subdomain the request came in on."""
    from dataclasses import replace

    from app.factory import create_app
    from tests.conftest import client_for

    await owner.execute("UPDATE tenant_domains SET is_primary = false WHERE tenant_id = $1", tenant_a.id)
    await owner.execute(
        "INSERT INTO tenant_domains (id, tenant_id, host, kind, is_primary) "
        "VALUES (gen_random_uuid(), $1, 'shop.acme.example', 'custom', true)",
        tenant_a.id,
    )
    await add_staff(db, tenant_a, "olga@acme.test")
    public = create_app(replace(app.state.settings, public_scheme="https", public_port=8443), database=db)
    async with client_for(public, "acme.localhost") as client:
        response = await poisoned_post(client, "/admin/forgot-password", {"email": "olga@acme.test"}, "forwarded-host")
    assert response.status_code == 200
    [url] = await mailed_urls(owner, "mail/password_reset")
    assert url.startswith("https://shop.acme.example:8443/admin/reset-password/")


@pytest.mark.parametrize(
    "host",
    [
        "acme.localhost:443@evil.example",
        "acme.localhost:abc",
        "acme.localhost:99999999",
        "acme.localhost:-1",
        "acme.localhost evil.example",
        "",
    ],
)
@pytest.mark.parametrize("path", ["/", "/static/css/bodega.css", "/admin/sign-in", "/healthz", "/no-such-page"])
async def test_a_bad_host_header_is_a_400_before_anything_else(client_a, host, path):
    response = await client_a.get(path, headers={"host": host})
    assert response.status_code == 400
    assert "Host header" in response.text
    assert "set-cookie" not in response.headers

"""Operator sign-in on the platform host: one message for every refusal, rate limits, CSRF, sessions."""

from __future__ import annotations

import hashlib

import pytest

from app.identity.operators import create_operator
from tests.conftest import client_for

EMAIL = "ops@bodega.test"
PASSWORD = "Operator-pass-2026"
REFUSED = "The e-mail or the password is not correct."


async def make_operator(db):
    async with db.transaction(None) as session:
        return await create_operator(session, EMAIL, "Olga Operator", PASSWORD)


@pytest.fixture
async def operator(db):
    return await make_operator(db)


async def csrf_token(client) -> str:
    """The CSRF cookie's value, fetched from the sign-in page the first time."""
    if "bodega_csrf" not in client.cookies:
        await client.get("/platform/sign-in")
    return client.cookies["bodega_csrf"]


async def post_form(client, url: str, data: dict):
    return await client.post(url, data=data, headers={"x-csrftoken": await csrf_token(client)})


async def sign_in(client, email: str = EMAIL, password: str = PASSWORD, next_path: str = ""):
    return await post_form(client, "/platform/sign-in", {"email": email, "password": password, "next": next_path})


async def signed_in(client, db):
    """`client` with a live operator session."""
    await make_operator(db)
    response = await sign_in(client)
    assert response.status_code == 303
    return client


@pytest.fixture
async def operator_client(platform_client, db):
    return await signed_in(platform_client, db)


async def test_pages_ask_for_sign_in(platform_client):
    response = await platform_client.get("/platform/tenants?q=acme")
    assert response.status_code == 303
    assert response.headers["location"] == "/platform/sign-in?next=/platform/tenants%3Fq%3Dacme"
    assert (await platform_client.get("/platform")).headers["location"] == "/platform/tenants"
    page = await platform_client.get("/platform/sign-in?next=/platform/tenants")
    assert page.status_code == 200
    assert 'name="password"' in page.text


async def test_htmx_request_without_session_gets_hx_redirect(platform_client):
    response = await platform_client.get("/platform/tenants", headers={"hx-request": "true"})
    assert response.headers["hx-redirect"].startswith("/platform/sign-in")


async def test_sign_in_sets_a_strict_cookie_and_opens_the_console(platform_client, operator, owner):
    response = await sign_in(platform_client, next_path="/platform/tenants?status=active")
    assert response.status_code == 303
    assert response.headers["location"] == "/platform/tenants?status=active"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("bodega_platform="))
    attributes = {a.strip().lower() for a in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite=strict", "max-age=43200", "path=/platform"} <= attributes
    token = platform_client.cookies["bodega_platform"]
    stored = await owner.fetchval("SELECT id FROM platform_sessions")
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    page = await platform_client.get("/platform/tenants")
    assert page.status_code == 200
    assert "Sign out" in page.text


async def test_new_session_id_at_each_sign_in(operator_client, owner):
    first = operator_client.cookies["bodega_platform"]
    assert (await sign_in(operator_client)).status_code == 303
    second = operator_client.cookies["bodega_platform"]
    assert first != second
    ids = await owner.fetch("SELECT id FROM platform_sessions")
    assert [r["id"] for r in ids] == [hashlib.sha256(second.encode()).hexdigest()]


async def test_same_message_for_unknown_email_and_wrong_password(platform_client, operator, owner):
    unknown = await sign_in(platform_client, email="nobody@bodega.test")
    wrong = await sign_in(platform_client, password="Wrong-password-1")
    for response in (unknown, wrong):
        assert response.status_code == 400
        assert REFUSED in response.text
        assert "bodega_platform=" not in response.headers.get("set-cookie", "")
    assert 'value="nobody@bodega.test"' in unknown.text
    assert await owner.fetchval("SELECT count(*) FROM sign_in_attempts WHERE key LIKE 'account:operator:%'") == 2
    assert await owner.fetchval("SELECT count(*) FROM platform_sessions") == 0


async def test_rate_limited_per_email_even_with_the_right_password(platform_client, operator, settings):
    for _ in range(settings.login_max_per_account):
        assert (await sign_in(platform_client, password="Wrong-password-1")).status_code == 400
    response = await sign_in(platform_client)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.text
    assert "bodega_platform=" not in response.headers.get("set-cookie", "")


async def test_rate_limited_per_address(platform_client, operator, owner, settings):
    await owner.executemany(
        "INSERT INTO sign_in_attempts (key) VALUES ($1)",
        [("address:127.0.0.1",) for _ in range(settings.login_max_per_address)],
    )
    response = await sign_in(platform_client)
    assert response.status_code == 429


async def test_successful_sign_in_clears_the_failures(platform_client, operator, owner):
    await sign_in(platform_client, password="Wrong-password-1")
    assert (await sign_in(platform_client)).status_code == 303
    assert (
        await owner.fetchval("SELECT count(*) FROM sign_in_attempts WHERE key = $1", f"account:operator:{EMAIL}") == 0
    )


async def test_post_without_csrf_is_refused(platform_client, operator):
    await platform_client.get("/platform/sign-in")
    response = await platform_client.post("/platform/sign-in", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 403
    assert "bodega_platform" not in platform_client.cookies


async def test_sign_out_ends_the_session(operator_client, owner):
    response = await post_form(operator_client, "/platform/sign-out", {})
    assert response.status_code == 303
    assert response.headers["location"] == "/platform/sign-in"
    assert await owner.fetchval("SELECT count(*) FROM platform_sessions") == 0
    assert (await operator_client.get("/platform/tenants")).status_code == 303


async def test_expired_session_is_refused(operator_client, owner):
    await owner.execute("UPDATE platform_sessions SET expires_at = now() - interval '1 minute'")
    assert (await operator_client.get("/platform/tenants")).status_code == 303


async def test_inactive_operator_is_refused(operator_client, owner):
    await owner.execute("UPDATE platform_operators SET is_active = false")
    assert (await operator_client.get("/platform/tenants")).status_code == 303


async def test_next_cannot_leave_the_console(platform_client, operator):
    response = await sign_in(platform_client, next_path="//evil.example/x")
    assert response.headers["location"] == "/platform/tenants"


async def test_platform_is_not_served_on_a_tenant_host(app, tenant_a, operator):
    async with client_for(app, "acme.localhost") as client:
        assert (await client.get("/platform/sign-in")).status_code == 404
        assert (await client.get("/platform/tenants")).status_code == 404

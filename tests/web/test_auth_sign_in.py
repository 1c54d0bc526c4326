"""Signing in and out on both faces: sessions, one answer for every refusal, rate limits, CSRF.

The helpers at the top are shared by the other identity web tests.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from sqlalchemy import event

from app.actor import SYSTEM
from app.factory import create_app
from app.identity.services import NewUser, create_user
from app.parties import NewCustomer, create_customer
from tests.conftest import client_for

PASSWORD = "Correct-horse-9"
REFUSED = "Wrong e-mail or password."


async def csrf(client) -> str:
    """The CSRF cookie's value (a GET of any page sets it)."""
    if "bodega_csrf" not in client.cookies:
        await client.get("/sign-in")
    return client.cookies["bodega_csrf"]


async def post_form(client, url: str, data: dict | None = None, **kwargs):
    return await client.post(url, data=data or {}, headers={"x-csrftoken": await csrf(client)}, **kwargs)


async def add_staff(db, tenant, email: str, *roles: str, password: str | None = PASSWORD, name: str = "Sam Staff"):
    async with db.transaction(tenant.id) as session:
        data = NewUser("staff", email, name, roles=roles or ("owner",), password=password)
        return await create_user(session, tenant.id, data, SYSTEM)


async def add_customer(db, tenant, code: str = "C001", name: str = "Buyer Co"):
    async with db.transaction(tenant.id) as session:
        return await create_customer(session, tenant.id, NewCustomer(code=code, name=name), SYSTEM)


async def add_customer_user(
    db, tenant, customer, email: str, *roles: str, password: str | None = PASSWORD, name: str = "Cam Customer"
):
    async with db.transaction(tenant.id) as session:
        data = NewUser("customer", email, name, roles=roles or ("buyer",), password=password, customer_id=customer.id)
        return await create_user(session, tenant.id, data, SYSTEM)


async def sign_in(client, email: str, password: str = PASSWORD, *, staff: bool, next_path: str = ""):
    url = "/admin/sign-in" if staff else "/sign-in"
    return await post_form(client, url, {"email": email, "password": password, "next": next_path})


def session_hash(client) -> str:
    return hashlib.sha256(client.cookies["bodega_session"].encode()).hexdigest()


async def test_staff_sign_in_reaches_the_dashboard(client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test", "owner", name="Olga Owner")

    response = await sign_in(client_a, "Olga@Acme.test ", staff=True)

    assert response.status_code == 303
    assert response.headers["location"] == "/admin"
    cookie = response.headers["set-cookie"]
    assert "bodega_session=" in cookie and "HttpOnly" in cookie and "Secure" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Max-Age=1209600" in cookie
    row = await owner.fetchrow(
        "SELECT user_id, expires_at - created_at AS ttl FROM user_sessions WHERE id = $1", session_hash(client_a)
    )
    assert row["ttl"].days == 14
    page = await client_a.get("/admin")
    assert page.status_code == 200
    assert "Welcome, Olga Owner" in page.text
    assert "Acme S.L." in page.text
    assert 'href="/admin/users"' in page.text


async def test_customer_sign_in_reaches_the_account(client_a, db, tenant_a):
    customer = await add_customer(db, tenant_a, name="Buyer Co")
    await add_customer_user(db, tenant_a, customer, "cam@buyer.test", "buyer", name="Cam")

    response = await sign_in(client_a, "cam@buyer.test", staff=False, next_path="/account")

    assert response.status_code == 303
    assert response.headers["location"] == "/account"
    page = await client_a.get("/account")
    assert page.status_code == 200
    assert "Buyer Co" in page.text and "cam@buyer.test" in page.text
    assert 'action="/sign-out"' in (await client_a.get("/")).text


async def test_every_sign_in_gets_a_new_session_and_ends_the_old_one(client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")
    await sign_in(client_a, "olga@acme.test", staff=True)
    first = session_hash(client_a)

    await sign_in(client_a, "olga@acme.test", staff=True)

    second = session_hash(client_a)
    assert first != second
    ids = {r["id"] for r in await owner.fetch("SELECT id FROM user_sessions")}
    assert ids == {second}


async def test_wrong_password_and_unknown_email_get_the_same_answer(client_a, db, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")

    wrong = await sign_in(client_a, "olga@acme.test", "Not-the-password-1", staff=True)
    unknown = await sign_in(client_a, "nobody@acme.test", "Not-the-password-1", staff=True)

    assert wrong.status_code == unknown.status_code == 400
    assert REFUSED in wrong.text and REFUSED in unknown.text
    assert 'value="olga@acme.test"' in wrong.text
    assert "bodega_session=" not in wrong.headers.get("set-cookie", "")


async def test_inactive_user_blocked_customer_and_other_kind_are_refused_alike(client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "gone@acme.test")
    await owner.execute("UPDATE users SET is_active = false WHERE email = 'gone@acme.test'")
    customer = await add_customer(db, tenant_a)
    await add_customer_user(db, tenant_a, customer, "cam@buyer.test")
    await owner.execute("UPDATE customers SET status = 'blocked'")

    for email, staff in (("gone@acme.test", True), ("cam@buyer.test", False), ("cam@buyer.test", True)):
        response = await sign_in(client_a, email, staff=staff)
        assert response.status_code == 400
        assert REFUSED in response.text


async def test_invited_user_without_password_cannot_sign_in(client_a, db, tenant_a):
    response = await sign_in(client_a, "admin@acme.test", "", staff=True)
    assert response.status_code == 400
    assert "Enter your password." in response.text
    response = await sign_in(client_a, "admin@acme.test", "Anything-at-all-1", staff=True)
    assert REFUSED in response.text


async def test_next_only_goes_to_a_local_path_on_the_same_face(client_a, db, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")
    for next_path, expected in (
        ("/admin/users?q=a", "/admin/users?q=a"),
        ("https://evil.test/admin", "/admin"),
        ("//evil.test", "/admin"),
        ("/\\evil.test", "/admin"),
        ("/account", "/admin"),
    ):
        response = await sign_in(client_a, "olga@acme.test", staff=True, next_path=next_path)
        assert response.headers["location"] == expected, next_path


async def test_sign_in_page_keeps_next_and_redirects_when_signed_in(client_a, db, tenant_a):
    page = await client_a.get("/admin/sign-in?next=/admin/users")
    assert page.status_code == 200
    assert 'name="next" value="/admin/users"' in page.text
    await add_staff(db, tenant_a, "olga@acme.test")
    await sign_in(client_a, "olga@acme.test", staff=True)
    again = await client_a.get("/admin/sign-in?next=/admin/users")
    assert (again.status_code, again.headers["location"]) == (303, "/admin/users")


async def test_post_without_csrf_token_is_forbidden(client_a, db, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")
    await client_a.get("/admin/sign-in")
    response = await client_a.post("/admin/sign-in", data={"email": "olga@acme.test", "password": PASSWORD})
    assert response.status_code == 403
    assert "bodega_session" not in client_a.cookies


async def test_sign_out_ends_the_session(client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")
    await sign_in(client_a, "olga@acme.test", staff=True)

    response = await post_form(client_a, "/admin/sign-out")

    assert (response.status_code, response.headers["location"]) == (303, "/admin/sign-in")
    assert "bodega_session" not in client_a.cookies
    assert await owner.fetchval("SELECT count(*) FROM user_sessions") == 0
    assert (await client_a.get("/admin")).status_code == 303


async def test_sign_in_sets_the_language_of_the_user(client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")
    await owner.execute("UPDATE users SET locale = 'en' WHERE email = 'olga@acme.test'")
    response = await sign_in(client_a, "olga@acme.test", staff=True)
    assert "bodega_lang=en" in response.headers.get("set-cookie", "")
    assert '<html lang="en">' in (await client_a.get("/admin")).text


async def test_rate_limit_per_account(settings, db, tenant_a):
    app = create_app(replace(settings, login_max_per_account=3, login_max_per_address=50), database=db)
    await add_staff(db, tenant_a, "olga@acme.test")
    async with client_for(app, "acme.localhost") as client:
        for _ in range(3):
            assert (await sign_in(client, "olga@acme.test", "Wrong-password-1", staff=True)).status_code == 400

        locked = await sign_in(client, "olga@acme.test", staff=True)  # even the right password waits

        assert locked.status_code == 429
        assert "Please wait 15 minutes" in locked.text
        assert "bodega_session" not in client.cookies
        other = await sign_in(client, "other@acme.test", "Wrong-password-1", staff=True)
        assert other.status_code == 400


async def test_rate_limit_per_address(settings, db, tenant_a):
    app = create_app(replace(settings, login_max_per_account=50, login_max_per_address=4), database=db)
    await add_staff(db, tenant_a, "olga@acme.test")
    async with client_for(app, "acme.localhost") as client:
        for n in range(4):
            response = await sign_in(client, f"guess{n}@acme.test", "Wrong-password-1", staff=False)
            assert response.status_code == 400
        locked = await sign_in(client, "olga@acme.test", staff=True)
    assert locked.status_code == 429
    assert "minutes" in locked.text


async def test_successful_sign_in_clears_the_accounts_failures(settings, db, owner, tenant_a):
    app = create_app(replace(settings, login_max_per_account=3, login_max_per_address=50), database=db)
    await add_staff(db, tenant_a, "olga@acme.test")
    async with client_for(app, "acme.localhost") as client:
        for _ in range(2):
            await sign_in(client, "olga@acme.test", "Wrong-password-1", staff=True)
        assert (await sign_in(client, "olga@acme.test", staff=True)).status_code == 303
        assert await owner.fetchval("SELECT count(*) FROM sign_in_attempts WHERE key LIKE 'account:%'") == 0
        for _ in range(2):
            await sign_in(client, "olga@acme.test", "Wrong-password-1", staff=True)
        assert (await sign_in(client, "olga@acme.test", staff=True)).status_code == 303


def _watch_statements(db) -> list[str]:
    """Every statement the app's connections send from now on, through SQLAlchemy or asyncpg directly."""
    seen: list[str] = []
    watched: set[int] = set()

    def logged(record) -> None:
        seen.append(record.query)

    def checkout(dbapi_connection, _record, _proxy) -> None:
        driver = dbapi_connection.driver_connection
        if id(driver) not in watched:
            watched.add(id(driver))
            driver.add_query_logger(logged)

    event.listen(db.engine.sync_engine, "checkout", checkout)
    return seen


async def test_signed_out_home_does_not_look_for_a_user(client_a, db, tenant_a):
    seen = _watch_statements(db)
    response = await client_a.get("/")
    assert response.status_code == 200
    assert not [s for s in seen if "user_sessions" in s or "users" in s]


async def test_signed_in_page_loads_the_user_with_one_query(client_a, db, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")
    await sign_in(client_a, "olga@acme.test", staff=True)
    seen = _watch_statements(db)
    response = await client_a.get("/admin")
    assert response.status_code == 200
    assert len([s for s in seen if "user_sessions" in s]) == 1
    assert len([s for s in seen if "FROM users" in s or "JOIN users" in s]) == 1


async def test_session_expiry_slides(client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")
    await sign_in(client_a, "olga@acme.test", staff=True)
    await owner.execute(
        "UPDATE user_sessions SET last_seen_at = now() - interval '1 day', expires_at = now() + interval '13 days'"
    )
    response = await client_a.get("/admin")
    assert "bodega_session=" in response.headers.get("set-cookie", "")
    row = await owner.fetchrow("SELECT expires_at - now() AS left, now() - last_seen_at AS idle FROM user_sessions")
    assert row["left"].days == 13 and row["left"].seconds > 23 * 3600
    assert row["idle"].total_seconds() < 60
    quiet = await client_a.get("/admin")  # just touched: no write, no cookie
    assert "bodega_session=" not in quiet.headers.get("set-cookie", "")


async def test_expired_session_is_signed_out_and_its_cookie_cleared(client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")
    await sign_in(client_a, "olga@acme.test", staff=True)
    await owner.execute("UPDATE user_sessions SET expires_at = now() - interval '1 second'")
    response = await client_a.get("/admin")
    assert response.status_code == 303
    assert "bodega_session=" in response.headers.get("set-cookie", "")
    assert "bodega_session" not in client_a.cookies


async def test_signing_in_over_a_stale_cookie_keeps_the_new_session(client_a, db, owner, tenant_a):
    await add_staff(db, tenant_a, "olga@acme.test")
    await sign_in(client_a, "olga@acme.test", staff=True)
    await owner.execute("DELETE FROM user_sessions")

    response = await sign_in(client_a, "olga@acme.test", staff=True)

    sessions = [c for c in response.headers.get_list("set-cookie") if c.startswith("bodega_session=")]
    assert len(sessions) == 1 and not sessions[0].startswith("bodega_session=;")
    assert (await client_a.get("/admin")).status_code == 200

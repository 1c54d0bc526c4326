"""The sign-in limit holds when the attempts arrive at once, and across tenants.

Attempts are fired concurrently through the app (asyncio.gather over real HTTP requests and real
transactions). A 400 is an attempt whose password was evaluated; a 429 one refused before it was.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from httpx import ASGITransport, AsyncClient

from app.factory import create_app
from tests.conftest import make_tenant
from tests.web.test_auth_sign_in import PASSWORD, add_customer, add_customer_user, add_staff, csrf

WRONG = "Wrong-password-1"


def client(app, host: str, ip: str = "203.0.113.7") -> AsyncClient:
    transport = ASGITransport(app=app, client=(ip, 40000))
    return AsyncClient(transport=transport, base_url=f"https://{host}", headers={"accept-language": "en"})


async def attempt(c: AsyncClient, email: str, password: str, *, staff: bool = True) -> int:
    url = "/admin/sign-in" if staff else "/sign-in"
    response = await c.post(url, data={"email": email, "password": password}, headers={"x-csrftoken": await csrf(c)})
    return response.status_code


async def test_twenty_parallel_wrong_passwords_evaluate_at_most_five(settings, db, tenant_a, owner):
    app = create_app(replace(settings, login_max_per_account=5, login_max_per_address=100), database=db)
    await add_staff(db, tenant_a, "olga@acme.test")
    async with client(app, "acme.localhost") as c:
        await csrf(c)
        statuses = await asyncio.gather(*(attempt(c, "olga@acme.test", WRONG) for _ in range(20)))
    assert statuses.count(400) <= 5
    assert statuses.count(400) + statuses.count(429) == 20
    rows = await owner.fetchval("SELECT count(*) FROM sign_in_attempts WHERE key = 'account:staff:olga@acme.test'")
    assert rows == statuses.count(400)


async def test_the_right_password_among_parallel_guesses_waits_once_the_limit_is_reached(settings, db, tenant_a):
    app = create_app(replace(settings, login_max_per_account=5, login_max_per_address=100), database=db)
    await add_staff(db, tenant_a, "olga@acme.test")
    async with client(app, "acme.localhost") as c:
        await csrf(c)
        first = await asyncio.gather(*(attempt(c, "olga@acme.test", WRONG) for _ in range(11)))
        assert first.count(400) == 5 and first.count(429) == 6
        second = await asyncio.gather(
            *(attempt(c, "olga@acme.test", WRONG) for _ in range(5)),
            attempt(c, "olga@acme.test", PASSWORD),
            *(attempt(c, "olga@acme.test", WRONG) for _ in range(5)),
        )
        assert set(second) == {429}
        assert "bodega_session" not in c.cookies


async def test_eleven_wrong_and_the_right_one_at_once_never_evaluate_more_than_the_limit(settings, db, tenant_a, owner):
    app = create_app(replace(settings, login_max_per_account=5, login_max_per_address=100), database=db)
    await add_staff(db, tenant_a, "olga@acme.test")
    async with client(app, "acme.localhost") as c:
        await csrf(c)
        statuses = await asyncio.gather(
            *(attempt(c, "olga@acme.test", WRONG) for _ in range(11)), attempt(c, "olga@acme.test", PASSWORD)
        )
    wrong_evaluated = statuses[:11].count(400)
    # A success forgives the account: the rows left are the guesses evaluated after it, each in a fresh slot.
    after = await owner.fetchval("SELECT count(*) FROM sign_in_attempts WHERE key = 'account:staff:olga@acme.test'")
    if statuses[11] == 303:
        assert wrong_evaluated - after <= 4  # the right password had one of the five slots
        assert after <= 5
    else:
        assert statuses[11] == 429 and wrong_evaluated == after <= 5


async def test_one_address_has_one_allowance_across_tenants(settings, db, tenant_a):
    await make_tenant(db, "globex")
    app = create_app(replace(settings, login_max_per_account=100, login_max_per_address=20), database=db)
    async with client(app, "acme.localhost") as a, client(app, "globex.localhost") as b:
        await csrf(a), await csrf(b)
        statuses = await asyncio.gather(
            *(attempt(a, f"guess{n}@acme.test", WRONG) for n in range(15)),
            *(attempt(b, f"guess{n}@globex.test", WRONG) for n in range(15)),
        )
    assert statuses.count(400) <= 20
    assert statuses.count(400) + statuses.count(429) == 30


async def test_one_account_has_one_allowance_across_tenants(settings, db, tenant_a):
    globex = await make_tenant(db, "globex")
    for tenant in (tenant_a, globex):
        customer = await add_customer(db, tenant)
        await add_customer_user(db, tenant, customer, "cam@buyer.test")
    app = create_app(replace(settings, login_max_per_account=5, login_max_per_address=100), database=db)
    async with (
        client(app, "acme.localhost", "198.51.100.1") as a,
        client(app, "globex.localhost", "198.51.100.2") as b,
    ):
        await csrf(a), await csrf(b)
        statuses = await asyncio.gather(
            *(attempt(a, "cam@buyer.test", WRONG, staff=False) for _ in range(6)),
            *(attempt(b, "cam@buyer.test", WRONG, staff=False) for _ in range(6)),
        )
        assert statuses.count(400) <= 5
        assert await attempt(b, "cam@buyer.test", PASSWORD, staff=False) == 429


async def test_a_staff_user_and_a_customer_with_one_email_are_counted_apart(settings, db, tenant_a):
    customer = await add_customer(db, tenant_a)
    await add_customer_user(db, tenant_a, customer, "sam@both.test")
    await add_staff(db, tenant_a, "sam@both.test")
    app = create_app(replace(settings, login_max_per_account=3, login_max_per_address=100), database=db)
    async with client(app, "acme.localhost") as c:
        await csrf(c)
        for _ in range(3):
            assert await attempt(c, "sam@both.test", WRONG, staff=True) == 400
        assert await attempt(c, "sam@both.test", PASSWORD, staff=True) == 429
        assert await attempt(c, "sam@both.test", PASSWORD, staff=False) == 303


async def test_a_success_does_not_use_up_the_address(settings, db, tenant_a):
    """Colleagues behind one office address sign in all day: only failures count against it."""
    await add_staff(db, tenant_a, "olga@acme.test")
    app = create_app(replace(settings, login_max_per_account=5, login_max_per_address=3), database=db)
    async with client(app, "acme.localhost") as c:
        for _ in range(5):
            c.cookies.delete("bodega_session")
            assert await attempt(c, "olga@acme.test", PASSWORD) == 303

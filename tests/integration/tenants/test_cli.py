"""`bodega tenants|users|operators` through click, against the test database."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import CliRunner

from app.cli import main


@pytest.fixture
def cli(database_url, monkeypatch):
    """Invoke the real CLI in a thread (it runs its own event loop) with DATABASE_URL set."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret-" + "x" * 32)
    for name in ("APP_DATABASE_URL", "PORT", "PUBLIC_SCHEME", "BASE_DOMAIN"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    async def invoke(*args: str):
        return await asyncio.to_thread(runner.invoke, main, list(args), catch_exceptions=False)

    return invoke


async def test_tenants_create_list_suspend_resume(cli, owner):
    result = await cli(
        "tenants", "create", "--name", "Sillas Norte S.L.", "--slug", "sillas", "--country", "ES",
        "--currency", "EUR", "--locale", "es", "--admin-email", "jefe@sillas.test",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "created tenant sillas" in result.output
    tenant_id = await owner.fetchval("SELECT id FROM tenants WHERE slug = 'sillas'")
    assert await owner.fetchval("SELECT count(*) FROM outbox WHERE tenant_id = $1", tenant_id) == 1
    assert await owner.fetchval("SELECT count(*) FROM roles WHERE tenant_id = $1", tenant_id) > 0

    listed = await cli("tenants", "list", "--search", "sill")
    assert "sillas" in listed.output and "Sillas Norte S.L." in listed.output

    assert (await cli("tenants", "suspend", "sillas")).exit_code == 0
    assert await owner.fetchval("SELECT status FROM tenants WHERE id = $1", tenant_id) == "suspended"
    assert (await cli("tenants", "resume", "sillas")).exit_code == 0
    assert await owner.fetchval("SELECT status FROM tenants WHERE id = $1", tenant_id) == "active"


async def test_tenants_create_reports_field_errors_with_exit_code_2(cli, owner):
    result = await cli(
        "tenants", "create", "--name", "X", "--slug", "Bad Slug", "--country", "ZZ", "--admin-email", "nope",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "slug:" in result.output and "country:" in result.output and "admin_email:" in result.output
    assert await owner.fetchval("SELECT count(*) FROM tenants") == 0
    assert (await cli("tenants", "suspend", "nobody")).exit_code == 2


async def test_users_and_operators_create(cli, owner, db):
    from app.actor import SYSTEM
    from app.parties import NewCustomer, create_customer
    from tests.conftest import make_tenant

    tenant = await make_tenant(db, "acme")
    async with db.transaction(tenant.id) as session:
        await create_customer(session, tenant.id, NewCustomer("C1", "Cliente Uno S.A."), SYSTEM)

    staff = await cli(
        "users", "create", "--tenant", "acme", "--email", "ventas@acme.test", "--name", "Vera Ventas",
        "--role", "sales", "--role", "sales_rep", "--password", "Ventas-pass-2026",
    )  # fmt: skip
    assert staff.exit_code == 0, staff.output
    invited = await cli(
        "users", "create", "--tenant", "acme", "--email", "compras@uno.test", "--name", "Carlos Compras",
        "--role", "buyer", "--customer", "c1",
    )  # fmt: skip
    assert invited.exit_code == 0, invited.output
    assert "invited" in invited.output
    rows = await owner.fetch("SELECT email, kind, password_hash IS NOT NULL AS has_pw FROM users ORDER BY email")
    found = {r["email"]: (r["kind"], r["has_pw"]) for r in rows}
    assert found["ventas@acme.test"] == ("staff", True)
    assert found["compras@uno.test"] == ("customer", False)
    mail = await owner.fetchval("SELECT payload FROM outbox WHERE payload->>'to' = 'compras@uno.test'")
    assert "http://acme.localhost:8000/invite/" in mail

    bad_role = await cli(
        "users", "create", "--tenant", "acme", "--email", "x@acme.test", "--name", "X", "--role", "pilot",
    )  # fmt: skip
    assert bad_role.exit_code == 2 and "roles:" in bad_role.output

    op = await cli("operators", "create", "--email", "ops@bodega.test", "--name", "Olga", "--password", "Op-pass-2026")
    assert op.exit_code == 0, op.output
    assert await owner.fetchval("SELECT count(*) FROM platform_operators") == 1
    weak = await cli("operators", "create", "--email", "o2@bodega.test", "--name", "O", "--password", "short")
    assert weak.exit_code == 2 and "password:" in weak.output

"""Row-level security, tested as the application role itself with plain SQL."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tenants.schema_check import GLOBAL_TABLES


def _app_dsn(settings) -> str:
    return make_url(settings.app_database_url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
async def app_conn(settings):
    conn = await asyncpg.connect(_app_dsn(settings))
    yield conn
    await conn.close()


async def _tenant_tables(owner) -> list[str]:
    rows = await owner.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1"
    )
    return [r["relname"] for r in rows if r["relname"] not in GLOBAL_TABLES]


async def _as_tenant(conn, tenant_id) -> None:
    await conn.execute("SELECT set_config('app.tenant_id', $1, false)", str(tenant_id) if tenant_id else "")


async def test_app_role_cannot_bypass_rls(app_conn):
    role = await app_conn.fetchrow(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
    )
    assert dict(role) == {"rolsuper": False, "rolbypassrls": False, "rolcreaterole": False, "rolcreatedb": False}
    owned = await app_conn.fetchval(
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = current_user"
    )
    assert owned == 0


async def test_tenant_a_sees_only_its_rows_in_every_table(owner, app_conn, tenant_a, tenant_b):
    tables = await _tenant_tables(owner)
    assert {"users", "roles", "audit_log", "outbox", "warehouses"} <= set(tables)
    await _as_tenant(app_conn, tenant_a.id)
    seen_own = 0
    for table in tables:
        foreign = await app_conn.fetchval(f"SELECT count(*) FROM {table} WHERE tenant_id <> $1", tenant_a.id)
        assert foreign == 0, f"{table} shows another tenant's rows"
        seen_own += await app_conn.fetchval(f"SELECT count(*) FROM {table}")
    assert seen_own > 0
    total_b = await owner.fetchval("SELECT count(*) FROM users WHERE tenant_id = $1", tenant_b.id)
    assert total_b > 0  # tenant B's rows exist; A just cannot see them


async def test_no_tenant_set_returns_nothing(owner, app_conn, tenant_a, tenant_b):
    await _as_tenant(app_conn, None)
    for table in await _tenant_tables(owner):
        assert await app_conn.fetchval(f"SELECT count(*) FROM {table}") == 0, table


async def test_cannot_write_rows_for_another_tenant(app_conn, tenant_a, tenant_b):
    await _as_tenant(app_conn, tenant_a.id)
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await app_conn.execute(
            "INSERT INTO warehouses (tenant_id, id, code, name, is_default) VALUES ($1, $2, 'X', 'X', false)",
            tenant_b.id,
            uuid.uuid4(),
        )
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await app_conn.execute("UPDATE warehouses SET tenant_id = $1", tenant_b.id)
    # Tenant B's rows are invisible to updates and deletes: nothing is touched.
    assert await app_conn.execute("DELETE FROM warehouses WHERE tenant_id = $1", tenant_b.id) == "DELETE 0"


async def test_truncate_and_audit_rewrites_are_refused(app_conn, tenant_a):
    await _as_tenant(app_conn, tenant_a.id)
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await app_conn.execute("TRUNCATE users CASCADE")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await app_conn.execute("UPDATE audit_log SET action = 'forged'")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await app_conn.execute("DELETE FROM audit_log")


async def test_tenant_setting_is_per_transaction_through_the_app(db, tenant_a, tenant_b):
    from sqlalchemy import select

    from app.identity.models import User

    async with db.transaction(tenant_a.id) as session:
        emails_a = set((await session.scalars(select(User.email))).all())
    async with db.transaction(tenant_b.id) as session:
        emails_b = set((await session.scalars(select(User.email))).all())
    async with db.transaction(None) as session:
        nobody = (await session.scalars(select(User.email))).all()
    assert emails_a == {"admin@acme.test"}
    assert emails_b == {"admin@globex.test"}
    assert nobody == []

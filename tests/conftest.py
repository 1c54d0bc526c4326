"""Test fixtures: a real PostgreSQL, migrated once into a template, cloned per test.

The server is the embedded one (started under .data/test-pg) unless TEST_DATABASE_URL
names another (CI also runs against the machine's PostgreSQL 15 that way).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

os.environ["BODEGA_CHEAP_PASSWORD_HASH"] = "1"  # before app.identity.passwords is imported: see its comment
from collections.abc import AsyncIterator

import asyncpg
import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy.engine import make_url

from app.actor import SYSTEM
from app.assembly import assemble
from app.db import Database
from app.factory import create_app
from app.settings import ROOT, Settings, asyncpg_url
from tenants.services import NewTenant, create_tenant
from tests.stripe_fake import localstripe_url, stripe_app, stripe_settings  # noqa: F401 - fixtures

assemble()  # tenant seeders and task kinds, as every entry point registers them
TEMPLATE = f"bodega_tmpl_{os.getpid()}"
METRICS_TOKEN = "test-metrics-token"
METRICS_AUTH = {"authorization": f"Bearer {METRICS_TOKEN}"}


def _server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return asyncpg_url(url)
    from app.pgserver import start_embedded

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # one embedded server per pytest-xdist worker
    return start_embedded(ROOT / ".data" / (f"test-{worker}" if worker else "test"))


def _dsn(url: str, database: str) -> str:
    """A plain libpq DSN for asyncpg (admin connections outside SQLAlchemy)."""
    parsed = make_url(url).set(drivername="postgresql", database=database)
    return parsed.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server_url() -> str:
    return _server_url()


@pytest.fixture(scope="session")
async def template_db(server_url: str) -> AsyncIterator[str]:
    """Migrate once into a template database (in a subprocess: Alembic runs its own event loop)."""
    admin = await asyncpg.connect(_dsn(server_url, "postgres"))
    await admin.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}"')
    await admin.execute(f'CREATE DATABASE "{TEMPLATE}"')
    url = make_url(server_url).set(database=TEMPLATE).render_as_string(hide_password=False)
    # Workers sharing one server (TEST_DATABASE_URL) migrate one at a time: roles are the cluster's, not a
    # database's, and two migrations creating the app's role at once collide.
    await admin.execute("SELECT pg_advisory_lock(20261207)")
    try:
        subprocess.run(
            [sys.executable, "-c", f"from app.migrate import upgrade; upgrade({url!r})"],
            check=True,
            cwd=ROOT,
        )
    finally:
        await admin.execute("SELECT pg_advisory_unlock(20261207)")
    await admin.execute(f'ALTER DATABASE "{TEMPLATE}" WITH ALLOW_CONNECTIONS false')
    yield url
    await admin.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
    await admin.close()


@pytest.fixture
async def database_url(server_url: str, template_db: str) -> AsyncIterator[str]:
    """A fresh copy of the migrated template for one test (tens of milliseconds)."""
    name = f"bodega_t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_dsn(server_url, "postgres"))
    await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


@pytest.fixture
def settings(database_url: str, tmp_path) -> Settings:
    base = Settings(
        data_dir=tmp_path / "data",
        secret_key="test-secret-" + "x" * 32,
        base_domain="localhost",
        cookie_secure=True,
        tenant_cache_seconds=0.0,
        port=443,
        public_scheme="https",
        metrics_token=METRICS_TOKEN,
    )
    return base.with_database(database_url)


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = Database(settings, null_pool=True)
    yield database
    await database.dispose()


@pytest.fixture
async def owner(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection as the owner (superuser), for arranging data RLS would hide."""
    conn = await asyncpg.connect(_dsn(database_url, make_url(database_url).database))
    yield conn
    await conn.close()


@pytest.fixture
def app(settings: Settings, db: Database):
    return create_app(settings, database=db)


async def make_tenant(db: Database, slug: str, **overrides: str):
    data = NewTenant(
        name=overrides.get("name", slug.title() + " S.L."),
        slug=slug,
        country=overrides.get("country", "ES"),
        currency=overrides.get("currency", "EUR"),
        locale=overrides.get("locale", "es"),
        admin_email=overrides.get("admin_email", f"admin@{slug}.test"),
    )
    return await create_tenant(db, data, SYSTEM, invite_url="https://{slug}.localhost/invite/{token}")


@pytest.fixture
async def tenant_a(db: Database):
    return await make_tenant(db, "acme")


@pytest.fixture
async def tenant_b(db: Database):
    return await make_tenant(db, "globex")


def client_for(app, host: str, language: str = "en") -> AsyncClient:
    """HTTP through the real app (ASGI), as a browser on `host` would send it (English unless told)."""
    return AsyncClient(
        transport=ASGITransport(app=app),
        base_url=f"https://{host}",
        follow_redirects=False,
        headers={"accept-language": language},
    )


@pytest.fixture
async def client_a(app, tenant_a) -> AsyncIterator[AsyncClient]:
    async with client_for(app, "acme.localhost") as client:
        yield client


@pytest.fixture
async def client_b(app, tenant_b) -> AsyncIterator[AsyncClient]:
    async with client_for(app, "globex.localhost") as client:
        yield client


@pytest.fixture
async def platform_client(app) -> AsyncIterator[AsyncClient]:
    async with client_for(app, "localhost") as client:
        yield client

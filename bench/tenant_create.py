"""Tenant creation at scale: create_tenant() (as the platform console calls it) with 1,000 and 10,000 tenants present.

    python -m bench.tenant_create [--sizes 1000 10000] [--runs 50]

Uses the embedded PostgreSQL in a throwaway folder under /tmp/bodega-bench (or the server named by
DATABASE_URL), in a database of its own that is migrated first and dropped afterwards. Filler tenants
are inserted in bulk as the owner, each with the rows a real tenant starts with, so tables and indexes
have a realistic size; then each creation is timed through the real service. The tenant list queries
of the console are timed too. Target: a creation takes at most 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg
from sqlalchemy.engine import make_url

TARGET_MS = 100.0
FILL_BATCH = 2_000
STAFF_ROLES = ("owner", "sales", "sales_rep", "warehouse", "purchasing", "production", "accounting")
CUSTOMER_ROLES = ("buyer", "approver", "customer_admin")
SERIES = ("sales_order", "quote", "invoice", "credit_note", "purchase_order", "delivery")


def _dsn(url: str, database: str) -> str:
    return make_url(url).set(drivername="postgresql", database=database).render_as_string(hide_password=False)


def _with_db(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


# Filler tenants as real ones look after create_tenant: domain, roles, defaults, owner, audit entry.
_FILL = f"""
WITH new AS (
  INSERT INTO tenants (id, slug, name, country, currency, locale, status, settings, created_at)
  SELECT gen_random_uuid(), 'filler-' || lpad(i::text, 6, '0'), 'Filler Company ' || i || ' S.L.',
         'ES', 'EUR', 'es', CASE WHEN i % 50 = 0 THEN 'suspended' ELSE 'active' END, '{{}}',
         now() - (i || ' minutes')::interval
  FROM generate_series($1::int, $2::int) AS i
  RETURNING id, slug
), domains AS (
  INSERT INTO tenant_domains (id, tenant_id, host, kind, is_primary)
  SELECT gen_random_uuid(), id, slug, 'subdomain', true FROM new
), roles AS (
  INSERT INTO roles (tenant_id, id, code, kind, name)
  SELECT n.id, gen_random_uuid(), r.code, r.kind, r.code FROM new n CROSS JOIN (
    SELECT unnest(ARRAY{list(STAFF_ROLES)}) AS code, 'staff' AS kind
    UNION ALL SELECT unnest(ARRAY{list(CUSTOMER_ROLES)}), 'customer') r
), wh AS (
  INSERT INTO warehouses (tenant_id, id, code, name, is_default)
  SELECT id, gen_random_uuid(), 'MAIN', 'Main', true FROM new
), tax AS (
  INSERT INTO tax_rates (tenant_id, id, code, name, rate, is_default)
  SELECT id, gen_random_uuid(), 'STD', 'Standard', 21, true FROM new
), pl AS (
  INSERT INTO price_lists (tenant_id, id, code, name, currency, is_base)
  SELECT id, gen_random_uuid(), 'BASE', 'Base', 'EUR', true FROM new
), ns AS (
  INSERT INTO number_series (tenant_id, id, code, name, prefix, padding, next_number)
  SELECT n.id, gen_random_uuid(), s, s, upper(left(s, 2)) || '-', 5, 1 FROM new n
  CROSS JOIN unnest(ARRAY{list(SERIES)}) AS s
), users AS (
  INSERT INTO users (tenant_id, id, kind, email, name, is_active)
  SELECT id, gen_random_uuid(), 'staff', 'admin@' || slug || '.test', 'Admin', true FROM new
)
INSERT INTO audit_log (tenant_id, id, actor_kind, actor_label, action, entity_type, entity_id, changes)
SELECT id, gen_random_uuid(), 'system', 'bench', 'tenant.created', 'tenant', id, '{{}}' FROM new
"""


async def fill(owner: asyncpg.Connection, target: int) -> int:
    """Insert filler tenants until `target` tenants exist; returns how many were added."""
    have = await owner.fetchval("SELECT count(*) FROM tenants")
    start = await owner.fetchval("SELECT count(*) FROM tenants WHERE slug LIKE 'filler-%'") + 1
    missing = max(0, target - have)
    for first in range(start, start + missing, FILL_BATCH):
        await owner.execute(_FILL, first, min(first + FILL_BATCH, start + missing) - 1)
    await owner.execute("ANALYZE")
    return missing


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def timed(runs: int, call: Callable[[int], Awaitable[object]]) -> list[float]:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        await call(i)
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label: str, times: list[float], target: float | None = None) -> str:
    p50, p95 = statistics.median(times), percentile(times, 95)
    verdict = "" if target is None else ("  ok" if p95 <= target else "  OVER TARGET")
    return f"{label:<34} median {p50:7.1f} ms   p95 {p95:7.1f} ms   max {max(times):7.1f} ms{verdict}"


async def bench(url: str, sizes: list[int], runs: int) -> None:
    from app.actor import Actor
    from app.assembly import assemble
    from app.db import Database
    from app.settings import Settings
    from tenants.services import NewTenant, create_tenant, list_tenants

    assemble()

    settings = Settings(secret_key="bench-" + "x" * 32, port=443, public_scheme="https").with_database(url)
    db = Database(settings)
    owner = await asyncpg.connect(_dsn(url, make_url(url).database))
    actor = Actor(kind="operator", id=uuid.uuid4(), label="bench@bodega.test")
    invite = settings.public_url("{slug}." + settings.base_domain, "/admin/invite/{token}")
    run_id = uuid.uuid4().hex[:6]
    try:

        async def create(i: int, size: int) -> None:
            slug = f"bench-{run_id}-{size}-{i}"
            data = NewTenant(f"Bench {size} {i} S.L.", slug, "ES", "EUR", "es", f"admin@{slug}.test")
            await create_tenant(db, data, actor, invite_url=invite)

        await timed(3, lambda i: create(i, 0))  # warm the pool, the statement caches and the templates
        for size in sizes:
            started = time.perf_counter()
            added = await fill(owner, size)
            total = await owner.fetchval("SELECT count(*) FROM tenants")
            rows = await owner.fetchval("SELECT count(*) FROM roles")
            took = time.perf_counter() - started
            print(f"\n{total:,} tenants ({rows:,} role rows); filled {added:,} in {took:.1f} s")
            print(report(f"create_tenant() x{runs}", await timed(runs, lambda i, s=size: create(i, s)), TARGET_MS))

            async def listing(search: str = "", status: str = "", page: int = 1) -> None:
                async with db.session(None) as session:
                    await list_tenants(session, search=search, status=status, page=page)

            print(report("tenant list, first page", await timed(runs, lambda i: listing())))
            print(report("tenant list, search 'company 42'", await timed(runs, lambda i: listing("company 42"))))
            print(report("tenant list, suspended, page 3", await timed(runs, lambda i: listing("", "suspended", 3))))
    finally:
        await owner.close()
        await db.dispose()


async def _admin(server_url: str, sql: str) -> None:
    conn = await asyncpg.connect(_dsn(server_url, "postgres"))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tenant_create", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000], help="tenants present (ascending)")
    parser.add_argument("--runs", type=int, default=50, help="timed creations per size (default 50)")
    args = parser.parse_args(argv)
    from app.migrate import upgrade
    from bench.http import database

    name = f"bodega_bench_{os.getpid()}"
    print(f"create_tenant() against the {TARGET_MS:.0f} ms target; {args.runs} runs at {args.sizes} tenants")
    try:
        with database() as server_url:
            asyncio.run(_admin(server_url, f'CREATE DATABASE "{name}"'))
            try:
                upgrade(_with_db(server_url, name))
                asyncio.run(bench(_with_db(server_url, name), sorted(args.sizes), args.runs))
            finally:
                asyncio.run(_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    except KeyboardInterrupt:
        print("\ninterrupted; everything started was stopped", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

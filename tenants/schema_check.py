"""Inspect a migrated database and list every way a table breaks the tenancy rules.

Run by the schema test on every migrated database, so each new table is held to
the rules automatically: tenant_id, forced RLS with a policy, a primary key that
starts with tenant_id, foreign keys and unique keys that include tenant_id, and no
TRUNCATE for the application role.
"""

from __future__ import annotations

from typing import Any

from app.settings import APP_ROLE

GLOBAL_TABLES = frozenset(
    {
        "alembic_version",
        "tenants",
        "tenant_domains",
        "platform_operators",
        "platform_sessions",
        "sign_in_attempts",
        "pgqueuer",
        "pgqueuer_log",
        "pgqueuer_statistics",
        "pgqueuer_schedules",
    }
)

_TABLES = """
SELECT c.oid, c.relname, c.relrowsecurity, c.relforcerowsecurity,
       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
               AND NOT a.attisdropped) AS has_tenant,
       EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid) AS has_policy
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
ORDER BY c.relname
"""

_CONSTRAINTS = """
SELECT con.conrelid, con.conname, con.contype::text AS contype, con.confrelid::regclass::text AS target,
       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) AS cols,
       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i) AS target_cols
FROM pg_constraint con
WHERE con.contype IN ('p', 'f', 'u') AND con.connamespace = 'public'::regnamespace
"""

_UNIQUE_INDEXES = """
SELECT i.indrelid, ic.relname AS index_name,
       ARRAY(SELECT a.attname FROM unnest(i.indkey) k(n)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) AS cols
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE i.indisunique AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""

_OTHER_RELATIONS = """
SELECT c.relname, c.relkind::text AS relkind, c.reloptions
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')
"""


async def schema_problems(conn: Any) -> list[str]:
    """Every rule broken, one line each naming the table; empty when the schema is sound (asyncpg connection)."""
    problems: list[str] = []
    tables = await conn.fetch(_TABLES)
    constraints = await conn.fetch(_CONSTRAINTS)
    unique_indexes = await conn.fetch(_UNIQUE_INDEXES)
    by_oid: dict[int, list] = {}
    for con in constraints:
        by_oid.setdefault(con["conrelid"], []).append(con)
    idx_by_oid: dict[int, list] = {}
    for idx in unique_indexes:
        idx_by_oid.setdefault(idx["indrelid"], []).append(idx)
    for t in tables:
        name = t["relname"]
        if name in GLOBAL_TABLES:
            continue
        if not t["has_tenant"]:
            problems.append(f"{name}: no tenant_id column (add it, or list the table in GLOBAL_TABLES)")
            continue
        if not t["relrowsecurity"]:
            problems.append(f"{name}: row-level security is not enabled")
        if not t["relforcerowsecurity"]:
            problems.append(f"{name}: row-level security is not forced")
        if not t["has_policy"]:
            problems.append(f"{name}: no row-level security policy")
        cons = by_oid.get(t["oid"], [])
        pks = [c for c in cons if c["contype"] == "p"]
        if not pks:
            problems.append(f"{name}: no primary key")
        elif pks[0]["cols"][0] != "tenant_id":
            problems.append(f"{name}: primary key ({', '.join(pks[0]['cols'])}) does not start with tenant_id")
        for c in cons:
            if c["contype"] == "f" and c["target"] not in GLOBAL_TABLES:
                pairs = dict(zip(c["cols"], c["target_cols"], strict=False))
                if pairs.get("tenant_id") != "tenant_id":
                    problems.append(f"{name}: foreign key {c['conname']} to {c['target']} does not include tenant_id")
            if c["contype"] == "u" and "tenant_id" not in c["cols"]:
                problems.append(f"{name}: unique constraint {c['conname']} does not include tenant_id")
        for idx in idx_by_oid.get(t["oid"], []):
            if "tenant_id" not in idx["cols"]:
                problems.append(f"{name}: unique index {idx['index_name']} does not include tenant_id")
        if await conn.fetchval("SELECT has_table_privilege($1, $2::regclass, 'TRUNCATE')", APP_ROLE, name):
            problems.append(f"{name}: the application role may TRUNCATE it (TRUNCATE ignores RLS)")
    for rel in await conn.fetch(_OTHER_RELATIONS):
        options = rel["reloptions"] or []
        if rel["relkind"] == "m":
            problems.append(f"{rel['relname']}: a materialized view has no RLS; filter by tenant in a function")
        elif "security_invoker=true" not in options:
            problems.append(f"{rel['relname']}: a view must be created WITH (security_invoker = true)")
    return problems

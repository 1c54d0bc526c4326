"""The schema test: every table obeys the tenancy rules, and the check itself catches each kind of breach."""

from __future__ import annotations

import pytest

from tenants.schema_check import schema_problems


async def test_migrated_schema_obeys_tenancy_rules(owner):
    assert await schema_problems(owner) == []


BREACHES = {
    "no tenant_id": (
        "CREATE TABLE bad (id uuid PRIMARY KEY)",
        "bad: no tenant_id column",
    ),
    "rls off": (
        "CREATE TABLE bad (tenant_id uuid, id uuid, PRIMARY KEY (tenant_id, id))",
        "bad: row-level security is not enabled",
    ),
    "rls not forced": (
        "CREATE TABLE bad (tenant_id uuid, id uuid, PRIMARY KEY (tenant_id, id));"
        "ALTER TABLE bad ENABLE ROW LEVEL SECURITY;"
        "CREATE POLICY p ON bad USING (true)",
        "bad: row-level security is not forced",
    ),
    "no policy": (
        "CREATE TABLE bad (tenant_id uuid, id uuid, PRIMARY KEY (tenant_id, id));"
        "ALTER TABLE bad ENABLE ROW LEVEL SECURITY; ALTER TABLE bad FORCE ROW LEVEL SECURITY",
        "bad: no row-level security policy",
    ),
    "primary key without tenant first": (
        "CREATE TABLE bad (tenant_id uuid, id uuid PRIMARY KEY)",
        "bad: primary key (id) does not start with tenant_id",
    ),
    "foreign key without tenant": (
        "CREATE TABLE bad (tenant_id uuid, id uuid, customer_id uuid, PRIMARY KEY (tenant_id, id));"
        "ALTER TABLE customers ADD CONSTRAINT customers_id_key UNIQUE (id);"
        "ALTER TABLE bad ADD CONSTRAINT bad_customer FOREIGN KEY (customer_id) REFERENCES customers (id)",
        "bad: foreign key bad_customer to customers does not include tenant_id",
    ),
    "unique key without tenant": (
        "CREATE TABLE bad (tenant_id uuid, id uuid, sku text UNIQUE, PRIMARY KEY (tenant_id, id))",
        "bad: unique constraint bad_sku_key does not include tenant_id",
    ),
    "unique index without tenant": (
        "CREATE TABLE bad (tenant_id uuid, id uuid, sku text, PRIMARY KEY (tenant_id, id));"
        "CREATE UNIQUE INDEX bad_sku ON bad (lower(sku), id)",
        "bad: unique index bad_sku does not include tenant_id",
    ),
    "truncate granted": (
        "CREATE TABLE bad (tenant_id uuid, id uuid, PRIMARY KEY (tenant_id, id));GRANT TRUNCATE ON bad TO bodega_app",
        "bad: the application role may TRUNCATE it",
    ),
    "view running as owner": (
        "CREATE VIEW bad_view AS SELECT * FROM users",
        "bad_view: a view must be created WITH (security_invoker = true)",
    ),
}


@pytest.mark.parametrize("breach", list(BREACHES))
async def test_schema_check_names_the_offending_table(owner, breach):
    ddl, expected = BREACHES[breach]
    await owner.execute(ddl)
    problems = await schema_problems(owner)
    assert any(p.startswith(expected) for p in problems), problems

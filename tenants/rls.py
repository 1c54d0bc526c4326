"""Row-level security, declared once per table from migrations.

`tenant_table(name)` is the one call a migration makes after creating a tenant-owned
table: it enables and forces RLS, adds the isolation policy and grants the
application role exactly the privileges it needs (never TRUNCATE).
"""

from __future__ import annotations

from alembic import op
from sqlalchemy.util import await_only

from app.settings import APP_ROLE

TENANT_PREDICATE = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"
READ_WRITE = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY = "SELECT, INSERT"


def tenant_table(table: str, privileges: str = READ_WRITE) -> None:
    """Force RLS on `table`, isolate it by app.tenant_id and grant the app role."""
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})")
    op.execute(f"GRANT {privileges} ON {table} TO {APP_ROLE}")


def global_table(table: str, privileges: str = "SELECT") -> None:
    """A platform table without tenant rows; listed in the schema test's global tables."""
    op.execute(f"GRANT {privileges} ON {table} TO {APP_ROLE}")


def ensure_app_role(password: str = "") -> None:
    """Create the login role that owns nothing and cannot bypass RLS (idempotent; roles are per cluster)."""
    op.execute(
        f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
            CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
          END IF;
        END $$;
        """
    )
    if password:
        escaped = password.replace("'", "''")
        op.execute(f"ALTER ROLE {APP_ROLE} PASSWORD '{escaped}'")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")


def run_script(sql: str) -> None:
    """Run a multi-statement script through asyncpg's simple protocol (plpgsql bodies included)."""
    driver = op.get_bind().connection.dbapi_connection.driver_connection
    await_only(driver.execute(sql))

"""Migration 0014 goes down and up again cleanly (in a subprocess: Alembic runs its own event loop)."""

from __future__ import annotations

import subprocess
import sys

from app.settings import ROOT


def _migrate(url: str, call: str) -> None:
    subprocess.run([sys.executable, "-c", f"from app import migrate; migrate.{call}"], check=True, cwd=ROOT)


async def test_0014_downgrades_and_upgrades(database_url, owner):
    _migrate(database_url, f"downgrade({database_url!r}, '0013')")
    assert await owner.fetchval("SELECT to_regclass('sales_orders')") is None
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'customers' AND column_name = 'credit_limit'"
        )
        == 0
    )
    _migrate(database_url, f"upgrade({database_url!r})")
    assert await owner.fetchval("SELECT to_regclass('sales_orders')") is not None
    assert await owner.fetchval("SELECT conname FROM pg_constraint WHERE conname = 'ck_customers_credit'")

"""Migration 0009 gives tenants that existed before it what seed_tenant gives a new one."""

from __future__ import annotations

import importlib.util

from app.settings import ROOT


def _migration():
    path = ROOT / "migrations" / "versions" / "2026-12-07_0009_inventory.py"
    spec = importlib.util.spec_from_file_location("migration_0009", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_existing_tenants_get_their_places_settings_and_series(tenant_a, owner, monkeypatch):
    migration = _migration()
    statements: list[str] = []
    monkeypatch.setattr(migration.op, "execute", statements.append, raising=False)
    # the tenant as it was before 0009: a warehouse MAIN, no locations, settings or inventory series
    await owner.execute("UPDATE warehouses SET receipt_location_id = NULL")
    await owner.execute("DELETE FROM locations; DELETE FROM inventory_settings")
    await owner.execute("DELETE FROM number_series WHERE code IN ('goods_receipt', 'transfer', 'stock_count')")
    migration._existing_tenants()
    for sql in statements:
        await owner.execute(sql)
    kinds = await owner.fetch("SELECT kind, code FROM locations WHERE tenant_id = $1 ORDER BY code", tenant_a.id)
    assert [tuple(r) for r in kinds] == [
        ("adjustment", "ADJUSTMENT"),
        ("customer", "CUSTOMER"),
        ("view", "MAIN"),
        ("internal", "MAIN-STOCK"),
        ("production", "PRODUCTION"),
        ("scrap", "SCRAP"),
        ("supplier", "SUPPLIER"),
        ("transit", "TRANSIT"),
    ]
    receiving = await owner.fetchval(
        "SELECT l.code FROM warehouses w JOIN locations l ON l.id = w.receipt_location_id WHERE w.tenant_id = $1",
        tenant_a.id,
    )
    assert receiving == "MAIN-STOCK"
    assert (
        await owner.fetchval("SELECT cost_method FROM inventory_settings WHERE tenant_id = $1", tenant_a.id)
        == "average"
    )
    series = await owner.fetch("SELECT code FROM number_series WHERE tenant_id = $1 ORDER BY code", tenant_a.id)
    assert {"goods_receipt", "transfer", "stock_count", "stock_adjustment"} <= {r[0] for r in series}

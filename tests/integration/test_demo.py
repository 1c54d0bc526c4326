"""The demo tenant is created through the services, once; running it again creates nothing."""

from __future__ import annotations

from app.demo import PASSWORD, ensure_demo
from app.identity.passwords import verify_password
from tests.web.test_platform_tenants import table_counts


async def test_ensure_demo_creates_the_demo_once(settings, owner):
    lines = await ensure_demo(settings)
    text = "\n".join(lines)
    assert "https://demo.localhost" in text and "https://demo.localhost/admin" in text
    assert "https://localhost/platform" in text
    for email in ("admin@demo.bodega.test", "comercial@demo.bodega.test", "compras@cowork-valencia.test"):
        assert email in text
    assert PASSWORD in text

    tenant = await owner.fetchrow("SELECT id, name, country, currency, locale FROM tenants WHERE slug = 'demo'")
    assert (tenant["name"], tenant["country"], tenant["currency"], tenant["locale"]) == (
        "Muebles Levante S.L.",
        "ES",
        "EUR",
        "es",
    )
    staff = await owner.fetch(
        "SELECT u.email, u.password_hash, array_agg(r.code) AS roles FROM users u "
        "JOIN user_roles ur ON ur.tenant_id = u.tenant_id AND ur.user_id = u.id "
        "JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id "
        "WHERE u.kind = 'staff' GROUP BY u.email, u.password_hash"
    )
    by_email = {r["email"]: r for r in staff}
    assert by_email["admin@demo.bodega.test"]["roles"] == ["owner"]
    assert "warehouse" in by_email["almacen@demo.bodega.test"]["roles"]
    assert "accounting" in by_email["contabilidad@demo.bodega.test"]["roles"]
    assert all(verify_password(r["password_hash"], PASSWORD) for r in staff)
    assert await owner.fetchval("SELECT count(*) FROM customers") >= 4
    buyer = await owner.fetchrow("SELECT kind, customer_id FROM users WHERE email = 'compras@cowork-valencia.test'")
    assert buyer["kind"] == "customer" and buyer["customer_id"] is not None
    assert await owner.fetchval("SELECT count(*) FROM users WHERE locale = 'en'") >= 1
    operator_hash = await owner.fetchval(
        "SELECT password_hash FROM platform_operators WHERE email = 'operator@bodega.test'"
    )
    assert verify_password(operator_hash, PASSWORD)
    assert await owner.fetchval("SELECT count(*) FROM sales_orders WHERE status = 'confirmed'") >= 8
    assert await owner.fetchval("SELECT count(*) FROM sales_orders WHERE status = 'awaiting_approval'") == 1
    assert "awaiting a customer's approval" in text

    before = await table_counts(owner)
    assert await ensure_demo(settings) == lines
    assert await table_counts(owner) == before


async def test_demo_operator_can_sign_in_to_the_console(settings, app, owner):
    from tests.conftest import client_for
    from tests.web.test_platform_auth import sign_in

    await ensure_demo(settings)
    async with client_for(app, "localhost") as client:
        response = await sign_in(client, "operator@bodega.test", PASSWORD)
    assert response.status_code == 303

"""The platform console's tenant pages: list, search, create through the form, suspend and resume."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import client_for
from tests.web.test_platform_auth import csrf_token, post_form, signed_in

NEW = {
    "name": "Nueva Oficina S.L.",
    "slug": "nueva",
    "country": "ES",
    "currency": "EUR",
    "locale": "es",
    "admin_email": "jefa@nueva.test",
}


@pytest.fixture
async def operator_client(platform_client, db):
    return await signed_in(platform_client, db)


async def table_counts(owner) -> dict[str, int]:
    """Rows in every table of the schema, to prove a refused request left nothing behind."""
    names = await owner.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return {r["tablename"]: await owner.fetchval(f'SELECT count(*) FROM "{r["tablename"]}"') for r in names}


async def test_list_search_and_status_filter(operator_client, tenant_a, tenant_b, owner):
    await owner.execute("UPDATE tenants SET status = 'suspended' WHERE slug = 'globex'")
    page = await operator_client.get("/platform/tenants")
    assert page.status_code == 200
    assert "Acme S.L." in page.text and "Globex S.L." in page.text
    found = await operator_client.get("/platform/tenants?q=glob")
    assert "Globex S.L." in found.text and "Acme S.L." not in found.text
    suspended = await operator_client.get("/platform/tenants?status=suspended")
    assert "Globex S.L." in suspended.text and "Acme S.L." not in suspended.text
    none = await operator_client.get("/platform/tenants?q=100%25")
    assert "No tenant matches this search." in none.text


async def test_live_search_returns_only_the_results_fragment(operator_client, tenant_a):
    response = await operator_client.get("/platform/tenants?q=acme", headers={"hx-request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="results"')
    assert "Acme S.L." in response.text and "<html" not in response.text
    restore = await operator_client.get(
        "/platform/tenants?q=acme", headers={"hx-request": "true", "hx-history-restore-request": "true"}
    )
    assert "<html" in restore.text


async def test_pagination_by_fifty(operator_client, owner):
    await owner.execute(
        "INSERT INTO tenants (id, slug, name, country, currency, locale, status, created_at) "
        "SELECT gen_random_uuid(), 'filler-' || i, 'Filler ' || i, 'ES', 'EUR', 'es', 'active', "
        "now() - i * interval '1 minute' FROM generate_series(1, 51) i"
    )
    first = await operator_client.get("/platform/tenants")
    assert first.text.count("<tr>") == 1 + 50
    assert "Filler 1<" in first.text and "Filler 51<" not in first.text
    assert "page=2" in first.text
    second = await operator_client.get("/platform/tenants?page=2")
    assert "Filler 51<" in second.text and "Filler 1<" not in second.text
    assert "page=3" not in second.text


async def test_create_tenant_through_the_form(operator_client, app, owner):
    form = await operator_client.get("/platform/tenants/new")
    assert form.status_code == 200 and 'name="slug"' in form.text
    response = await post_form(operator_client, "/platform/tenants", NEW)
    assert response.status_code == 303
    tenant_id = await owner.fetchval("SELECT id FROM tenants WHERE slug = 'nueva'")
    assert response.headers["location"] == f"/platform/tenants/{tenant_id}"
    page = await operator_client.get(response.headers["location"])
    assert "Nueva Oficina S.L." in page.text
    assert "Tenant Nueva Oficina S.L. created" in page.text
    assert "tenant.created" in page.text and "ops@bodega.test" in page.text
    assert "https://nueva.localhost/admin" in page.text
    mail = await owner.fetchrow("SELECT payload FROM outbox WHERE tenant_id = $1 AND topic = 'mail.send'", tenant_id)
    assert mail is not None and '"jefa@nueva.test"' in mail["payload"]
    assert "https://nueva.localhost/admin/invite/" in mail["payload"]
    async with client_for(app, "nueva.localhost") as shop:
        home = await shop.get("/")
    assert home.status_code == 200 and "Nueva Oficina S.L." in home.text


async def test_duplicate_slug_is_a_field_error_and_creates_nothing(operator_client, tenant_a, owner):
    await csrf_token(operator_client)
    before = await table_counts(owner)
    response = await post_form(operator_client, "/platform/tenants", {**NEW, "slug": "acme"})
    assert response.status_code == 400
    assert "The address “acme” is already taken." in response.text
    assert 'id="slug-error"' in response.text
    assert 'value="Nueva Oficina S.L."' in response.text
    assert await table_counts(owner) == before


async def test_bad_fields_are_reported_next_to_each_input(operator_client, owner):
    bad = {**NEW, "country": "XX", "currency": "EURO", "admin_email": "not-an-email", "slug": "-bad-"}
    response = await post_form(operator_client, "/platform/tenants", bad)
    assert response.status_code == 400
    for field in ("country", "currency", "admin_email", "slug"):
        assert f'id="{field}-error"' in response.text
    assert "Enter a two-letter ISO country code" in response.text
    assert "Enter a three-letter ISO currency code" in response.text
    assert "Enter a valid e-mail address." in response.text
    assert 'value="not-an-email"' in response.text
    assert await owner.fetchval("SELECT count(*) FROM tenants") == 0


async def test_suspend_and_resume(operator_client, app, tenant_a):
    async with client_for(app, "acme.localhost") as shop:
        assert (await shop.get("/")).status_code == 200
        page = await operator_client.get(f"/platform/tenants/{tenant_a.id}")
        assert "Yes, suspend Acme S.L." in page.text
        response = await post_form(operator_client, f"/platform/tenants/{tenant_a.id}/suspend", {})
        assert response.status_code == 303
        suspended = await shop.get("/")
        assert suspended.status_code == 403
        assert "This shop is suspended" in suspended.text
        page = await operator_client.get(f"/platform/tenants/{tenant_a.id}")
        assert "tenant.suspended" in page.text and "Resume Acme S.L." in page.text
        await post_form(operator_client, f"/platform/tenants/{tenant_a.id}/resume", {})
        assert (await shop.get("/")).status_code == 200


async def test_unknown_tenant_id_is_404(operator_client, tenant_a):
    missing = uuid.uuid4()
    assert (await operator_client.get(f"/platform/tenants/{missing}")).status_code == 404
    assert (await post_form(operator_client, f"/platform/tenants/{missing}/suspend", {})).status_code == 404
    assert (await operator_client.get("/platform/tenants/not-a-uuid")).status_code == 404


async def test_tenant_pages_need_an_operator(platform_client, tenant_a, owner):
    token = await csrf_token(platform_client)
    response = await platform_client.post("/platform/tenants", data=NEW, headers={"x-csrftoken": token})
    assert response.status_code == 303 and response.headers["location"] == "/platform/sign-in"
    suspend = await platform_client.post(f"/platform/tenants/{tenant_a.id}/suspend", headers={"x-csrftoken": token})
    assert suspend.status_code == 303
    assert await owner.fetchval("SELECT count(*) FROM tenants") == 1
    assert await owner.fetchval("SELECT status FROM tenants") == "active"

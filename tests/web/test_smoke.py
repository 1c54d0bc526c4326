"""The app answers on the right hosts and refuses the wrong ones."""

from __future__ import annotations


async def test_storefront_home_on_tenant_host(client_a):
    response = await client_a.get("/")
    assert response.status_code == 200
    assert "Acme S.L." in response.text
    assert "content-security-policy" in response.headers


async def test_unknown_host_is_404(app, tenant_a):
    from tests.conftest import client_for

    async with client_for(app, "nobody.localhost") as client:
        response = await client.get("/")
    assert response.status_code == 404


async def test_health_on_bare_ip(app):
    from tests.conftest import client_for

    async with client_for(app, "10.1.2.3") as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = await client.get("/readyz")
    assert ready.status_code == 200

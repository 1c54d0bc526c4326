"""Every kind of response carries the security headers, and the policy allows no inline code."""

from __future__ import annotations

import pytest

from app.web.headers import CSP
from tests.conftest import METRICS_AUTH, client_for


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_secured(response) -> None:
    policy = response.headers.get("content-security-policy")
    assert policy, f"{response.request.url} ({response.status_code}) has no Content-Security-Policy"
    parsed = directives(policy)
    assert parsed["script-src"] == ["'self'"]
    assert parsed["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("referrer-policy")
    assert response.headers.get("x-request-id")


def test_policy_has_no_unsafe_sources():
    parsed = directives(CSP)
    assert parsed["default-src"] == ["'self'"]
    assert parsed["object-src"] == ["'none'"]
    assert parsed["base-uri"] == ["'self'"]
    for name, values in parsed.items():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(values), name
        assert "data:" not in values or name == "img-src", name


async def test_page(client_a):
    response = await client_a.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert_secured(response)


async def test_not_found_for_an_unknown_host(app, tenant_a):
    async with client_for(app, "nobody.localhost") as client:
        response = await client.get("/")
    assert response.status_code == 404
    assert_secured(response)


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
async def test_not_found_for_an_unknown_path(client_a, accept):
    """Litestar answers an unrouted path before any route middleware: the headers must still be there."""
    response = await client_a.get("/no/such/page", headers={"accept": accept})
    assert response.status_code == 404
    assert_secured(response)


async def test_method_not_allowed(client_a):
    response = await client_a.post("/healthz")
    assert response.status_code == 405
    assert_secured(response)


async def test_redirect(platform_client):
    response = await platform_client.get("/platform")
    assert response.status_code in {301, 302, 303, 307, 308}
    assert response.headers["location"]
    assert_secured(response)


async def test_static_file(client_a):
    response = await client_a.get("/static/css/bodega.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert_secured(response)


async def test_missing_static_file(client_a):
    response = await client_a.get("/static/css/nope.css")
    assert response.status_code == 404
    assert_secured(response)


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
async def test_operations_endpoints(platform_client, path):
    response = await platform_client.get(path, headers=METRICS_AUTH)
    assert response.status_code == 200
    assert_secured(response)

"""Operations: health on any host, readiness against the database, metrics by route template, access logs."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import uuid

import pytest
from structlog.testing import capture_logs

from app.factory import create_app
from app.settings import ROOT, Settings
from tests.conftest import METRICS_AUTH, client_for

HOSTS = ["acme.localhost", "localhost", "10.1.2.3", "10.1.2.3:8000", "[::1]:8000", "[::1]", "nobody.localhost"]


def access_lines(logs: list[dict]) -> list[dict]:
    return [entry for entry in logs if entry.get("event") == "request"]


# -- health and readiness ----------------------------------------------------------------------


async def test_health_and_readiness_answer_on_any_host(app, tenant_a):
    for host in HOSTS:
        async with client_for(app, host) as client:
            health = await client.get("/healthz")
            ready = await client.get("/readyz")
        assert (health.status_code, health.json()) == (200, {"status": "ok"}), host
        assert (ready.status_code, ready.json()) == (200, {"status": "ok", "database": "ok"}), host


@pytest.mark.parametrize(
    "database_url",
    [
        "postgresql://bodega@127.0.0.1:1/bodega",  # nothing listens on port 1
        "postgresql://bodega@/bodega?host=/nonexistent/socket-dir",  # no such unix socket
    ],
    ids=["closed-port", "missing-socket"],
)
async def test_readiness_is_503_when_the_database_is_unreachable(database_url):
    settings = Settings(secret_key="x" * 40, tenant_cache_seconds=0.0).with_database(database_url)
    app = create_app(settings)
    try:
        for host in ("acme.localhost", "localhost", "[::1]:8000"):
            async with client_for(app, host) as client:
                ready = await client.get("/readyz")
                health = await client.get("/healthz")
            assert ready.status_code == 503
            assert ready.json() == {"status": "unavailable", "database": "unreachable"}
            assert health.status_code == 200, "liveness must not depend on the database"
    finally:
        await app.state.db.dispose()


# -- metrics -------------------------------------------------------------------------------------


async def test_metrics_group_requests_by_route_template(app, tenant_a, platform_client, client_a):
    tenant_id = uuid.uuid4()
    missing = uuid.uuid4()
    await platform_client.get(f"/platform/tenants/{tenant_id}")
    await client_a.get("/static/css/bodega.css")
    await client_a.get(f"/no/such/page/{missing}")

    response = await platform_client.get("/metrics", headers=METRICS_AUTH)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert "# TYPE litestar_requests_total counter" in text
    assert re.search(r'litestar_requests_total\{[^}]*path="/platform/tenants/\{tenant_id\}"', text)
    assert re.search(r'litestar_requests_total\{[^}]*path="/static/\{file_path\}"', text)
    assert str(tenant_id) not in text, "a raw id in a label: one time series per id"
    assert str(missing) not in text
    assert "bodega.css" not in text
    assert not re.search(r'path="/(healthz|readyz|metrics)"', text)


def requests_total(metrics: str, method: str, path: str, status: int) -> float:
    """One counter value from the exposition text (the registry is per process: compare before and after)."""
    labels = f'app_name="bodega",method="{method}",path="{path}",status_code="{status}"'
    match = re.search(r"^litestar_requests_total\{" + re.escape(labels) + r"\} (\S+)$", metrics, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def test_a_csrf_refusal_is_counted_with_its_status_and_rendered_in_the_request_locale(client_a, platform_client):
    """Litestar's CSRF check raises below our middleware: its 403 must still pass through them."""
    before = (await platform_client.get("/metrics", headers=METRICS_AUTH)).text
    response = await client_a.post(
        "/admin/sign-in", data={"email": "a@example.com"}, headers={"cookie": "bodega_lang=en", "accept": "text/html"}
    )
    after = (await platform_client.get("/metrics", headers=METRICS_AUTH)).text
    assert response.status_code == 403
    assert '<html lang="en">' in response.text
    for status, added in ((403, 1), (200, 0)):
        counted = requests_total(after, "POST", "/admin/sign-in", status) - requests_total(
            before, "POST", "/admin/sign-in", status
        )
        assert counted == added, status


# -- access log ---------------------------------------------------------------------------------


async def test_access_log_line_has_the_request_facts(client_a):
    with capture_logs() as logs:
        response = await client_a.get("/?page=2", headers={"x-request-id": "req-42"})
    assert response.status_code == 200
    [line] = access_lines(logs)
    assert line["request_id"] == "req-42"
    assert line["tenant"] == "acme"
    assert line["method"] == "GET"
    assert line["route"] == "/"
    assert line["status"] == 200
    assert line["log_level"] == "info"
    assert isinstance(line["ms"], float)


async def test_access_log_has_no_cookies_passwords_or_bodies(platform_client):
    secret = "hunter2-" + uuid.uuid4().hex
    with capture_logs() as logs:
        response = await platform_client.post(
            f"/platform/sign-in?token={secret}",
            data={"email": "op@example.com", "password": secret},
            headers={"cookie": f"bodega_csrf=abc; bodega_platform={secret}", "authorization": f"Bearer {secret}"},
        )
    assert response.status_code >= 400  # no CSRF token: refused before anything happens
    [line] = access_lines(logs)
    assert line["method"] == "POST"
    assert line["route"] == "/platform/sign-in"
    assert line["status"] == response.status_code
    assert line["tenant"] is None
    assert secret not in repr(logs)
    assert not {"cookie", "cookies", "headers", "body", "password", "query"} & set(line)


async def test_unrouted_requests_are_logged_too(client_a):
    with capture_logs() as logs:
        missing = await client_a.get("/no/such/page", headers={"x-request-id": "req-404"})
        wrong_method = await client_a.delete("/healthz")
    assert (missing.status_code, wrong_method.status_code) == (404, 405)
    first, second = access_lines(logs)
    assert (first["route"], first["status"], first["request_id"]) == ("unmatched", 404, "req-404")
    assert (second["route"], second["status"], second["method"]) == ("unmatched", 405, "DELETE")
    assert second["request_id"] == wrong_method.headers["x-request-id"]


async def test_access_log_is_json_on_stderr(database_url, tenant_a):
    """The real logging configuration (as granian's worker sets it up) prints one JSON object per line."""
    script = f"""
import asyncio
from httpx import ASGITransport, AsyncClient
from app.factory import create_app
from app.settings import Settings
from app.web.ops import configure_logging

configure_logging()
settings = Settings(secret_key="x" * 40, tenant_cache_seconds=0.0).with_database({database_url!r})

async def main():
    app = create_app(settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="https://acme.localhost") as client:
        await client.get("/", headers={{"x-request-id": "json-1", "cookie": "bodega_lang=en; sid=cookie-secret"}})
    await app.state.db.dispose()

asyncio.run(main())
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(raw) for raw in done.stderr.splitlines() if raw.startswith("{")]
    [line] = [entry for entry in lines if entry.get("event") == "request"]
    assert line["request_id"] == "json-1"
    assert line["tenant"] == "acme"
    assert (line["method"], line["route"], line["status"], line["level"]) == ("GET", "/", 200, "info")
    assert "timestamp" in line
    assert "cookie-secret" not in done.stderr


# -- request ids --------------------------------------------------------------------------------


async def test_incoming_request_id_is_echoed(client_a):
    for path in ["/", "/healthz", "/static/css/bodega.css", "/no/such/page"]:
        response = await client_a.get(path, headers={"x-request-id": "abc-123.XYZ_9"})
        assert response.headers["x-request-id"] == "abc-123.XYZ_9", path


async def test_request_id_is_generated_when_missing(client_a):
    first = (await client_a.get("/healthz")).headers["x-request-id"]
    second = (await client_a.get("/healthz")).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{16}", first)
    assert first != second


async def test_implausible_request_ids_are_replaced(client_a):
    """The id goes into every log line and a response header: a caller must not choose arbitrary text."""
    for bad in ["has spaces", "x" * 65, 'quote"s', "back\\slash", "{json}"]:
        with capture_logs() as logs:
            response = await client_a.get("/healthz", headers={"x-request-id": bad})
        echoed = response.headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{16}", echoed), bad
        assert access_lines(logs)[0]["request_id"] == echoed


# -- host resolution cache ----------------------------------------------------------------------


async def test_a_bare_host_does_not_poison_the_cache_for_a_subdomain(settings, db, tenant_a):
    """'acme' (a custom host) and 'acme.localhost' (the label acme) are different cache entries."""
    cached = create_app(dataclasses.replace(settings, tenant_cache_seconds=60.0), database=db)
    async with client_for(cached, "acme") as bare:
        assert (await bare.get("/")).status_code == 404
    async with client_for(cached, "acme.localhost") as client:
        assert (await client.get("/")).status_code == 200
    async with client_for(cached, "acme") as bare:
        assert (await bare.get("/")).status_code == 404


# -- guards ------------------------------------------------------------------------------------------------------


def test_every_guard_runs_on_the_event_loop(app):
    """Litestar runs a plain-function guard in a worker thread: a hop per request (most pages pass two guards).
    Guards only read the request's state, so every one of them, the routers' included, is a coroutine function."""
    from litestar.utils.predicates import is_async_callable

    threaded = {
        getattr(getattr(guard, "func", guard), "__name__", repr(guard))  # a sync guard comes back wrapped
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        for guard in handler.resolve_guards()
        if not is_async_callable(guard)
    }
    assert not threaded

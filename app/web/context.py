"""Per-request context: request id, tenant (from the Host header) and locale."""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie

import structlog
from litestar.datastructures import Headers
from litestar.types import ASGIApp, Receive, Scope, Send

from app.i18n import current_locale, pick_locale
from tenants.directory import TenantDirectory

LANG_COOKIE = "bodega_lang"
BYPASS_PREFIXES = ("/healthz", "/readyz", "/metrics", "/static/")


def request_cookie(headers: Headers, name: str) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    jar = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def context_middleware(app: ASGIApp) -> ASGIApp:
    """Resolve the tenant once, pick the locale and bind both to logs for the whole request."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        headers = Headers.from_scope(scope)
        request_id = headers.get("x-request-id") or secrets.token_hex(8)
        state["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        path = scope["path"]
        if path.startswith(BYPASS_PREFIXES):
            state["host_kind"], state["tenant"] = "bypass", None
            await app(scope, receive, send)
            return
        directory: TenantDirectory = scope["litestar_app"].state.tenants
        kind, tenant = await directory.resolve(headers.get("host", ""))
        state["host_kind"], state["tenant"] = kind, tenant
        if tenant:
            structlog.contextvars.bind_contextvars(tenant=tenant.slug)
        locale = pick_locale(
            request_cookie(headers, LANG_COOKIE),
            headers.get("accept-language", ""),
            tenant.locale if tenant else None,
        )
        state["locale"] = locale
        token = current_locale.set(locale)
        try:
            await app(scope, receive, send)
        finally:
            current_locale.reset(token)

    return middleware

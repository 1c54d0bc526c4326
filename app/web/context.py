"""Per-request context: request id, tenant (from the Host header) and locale; the path and query checked."""

from __future__ import annotations

import ipaddress
import re
import secrets
from functools import lru_cache

import structlog
from litestar.datastructures import Headers
from litestar.types import ASGIApp, Receive, Scope, Send

from app.i18n import current_locale, pick_locale
from app.web.input import check_path, check_query
from tenants.directory import TenantDirectory

LANG_COOKIE = "bodega_lang"
BYPASS_PREFIXES = ("/healthz", "/readyz", "/metrics", "/static/")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def request_cookie(headers: Headers, name: str) -> str | None:
    """One cookie's value, read pair by pair.

    Not SimpleCookie: it gives up on the whole header at the first cookie it finds malformed
    (another site script's JSON value, a space), which silently lost our own cookies.
    """
    for pair in (headers.get("cookie") or "").split(";"):
        key, sep, value = pair.partition("=")
        if sep and key.strip() == name:
            value = value.strip()
            return value[1:-1] if len(value) > 1 and value[0] == value[-1] == '"' else value
    return None


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(n, strict=False) for n in trusted)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_address(scope: Scope, trusted: tuple[str, ...]) -> str | None:
    """The client's IP address: the peer's, unless the peer is a trusted proxy (TRUSTED_PROXIES).

    Behind trusted proxies, X-Forwarded-For is read from the right and the first address that is not a
    trusted proxy is the client: whatever a client writes further left is its own claim and ignored.
    X-Forwarded-Host and Forwarded are never read: the tenant comes from Host, links from settings.
    """
    client = scope.get("client")
    peer = _address(client[0]) if client else None
    networks = _networks(trusted)
    if peer is None or not any(peer in n for n in networks):
        return str(peer) if peer else None
    hops = (Headers.from_scope(scope).get("x-forwarded-for") or "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return str(peer)
        if not any(address in n for n in networks):
            return str(address)
    return str(peer)


def request_id(scope: Scope) -> str:
    """The request's id: the caller's X-Request-Id when it looks like one (it is logged and echoed), else new."""
    state = scope.setdefault("state", {})
    if "request_id" not in state:
        incoming = Headers.from_scope(scope).get("x-request-id") or ""
        state["request_id"] = incoming if REQUEST_ID_RE.match(incoming) else secrets.token_hex(8)
    return state["request_id"]


def context_middleware(app: ASGIApp) -> ASGIApp:
    """Resolve the tenant once, pick the locale and bind both to logs for the whole request."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        headers = Headers.from_scope(scope)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id(scope))
        path = scope["path"]
        if path.startswith(BYPASS_PREFIXES):
            state["host_kind"], state["tenant"] = "bypass", None
            check_path(scope.get("raw_path"), path)
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
            check_path(scope.get("raw_path"), path)
            check_query(scope.get("query_string", b""))
            await app(scope, receive, send)
        finally:
            current_locale.reset(token)

    return middleware

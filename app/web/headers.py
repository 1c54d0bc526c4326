"""Security headers on every response, and who may keep a copy of it (Cache-Control).

A before_send hook rather than a middleware: Litestar runs route middleware only for
requests that matched a route, so an unknown path (404) or a wrong method (405) would
otherwise go out without the policy; before_send hooks see every response.
"""

from __future__ import annotations

from litestar.datastructures import Headers, MutableScopeHeaders
from litestar.types import Message, Scope

from app.web.context import request_cookie, request_id

SESSION_COOKIE = "bodega_session"
PLATFORM_COOKIE = "bodega_platform"
SHARED_PREFIXES = ("/static/", "/media/")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}
_OWN_POLICY = frozenset({"content-security-policy", "x-frame-options"})


async def security_headers(message: Message, scope: Scope) -> None:
    """Add the policy headers and echo the request id on the response start."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in SECURITY_HEADERS.items():
        if name in _OWN_POLICY and name in headers:
            continue  # a page's own stricter policy, e.g. the sandboxed mail preview
        headers[name] = value
    headers["x-request-id"] = request_id(scope)
    headers["cache-control"] = cache_control(scope, headers.get("cache-control"))


def cache_control(scope: Scope, own: str | None) -> str:
    """no-store for anyone signed in; private for other pages (they carry the visitor's CSRF token and
    language); a static or media file is the same for everyone: public (revalidated unless it says more)."""
    state = scope.get("state", {})
    cookies = Headers.from_scope(scope)
    signed_in = state.get("user") is not None or any(
        request_cookie(cookies, name) for name in (SESSION_COOKIE, PLATFORM_COOKIE)
    )
    if signed_in and not scope["path"].startswith(SHARED_PREFIXES):
        return "no-store"
    if own:
        return own
    return "public, no-cache" if scope["path"].startswith(SHARED_PREFIXES) else "private, no-cache"

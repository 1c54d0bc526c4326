"""Security headers on every response.

A before_send hook rather than a middleware: Litestar runs route middleware only for
requests that matched a route, so an unknown path (404) or a wrong method (405) would
otherwise go out without the policy; before_send hooks see every response.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from app.web.context import request_id

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

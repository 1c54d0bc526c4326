"""What every request passes before routing: a strict Host header, and HEAD answered as GET without a body.

Litestar runs the app's middleware only for requests that matched a route, after routing; these two must
hold for every request (a static file, an unknown path) and before the tenant is resolved.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.datastructures import Headers
from litestar.types import Message, Receive, Scope, Send

from tenants.directory import BadHost, parse_host

_BAD_HOST = (
    b"<!doctype html><title>400 Bad Request</title>"
    b"<h1>Bad Request</h1><p>The Host header is not a valid host name and port.</p>"
)


async def _refuse_host(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(_BAD_HOST)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": _BAD_HOST})


def _without_body(send: Send) -> Send:
    """A HEAD answer: the GET's status and headers (Content-Length included), no body bytes."""

    async def head_send(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return head_send


class Bodega(Litestar):
    """The Litestar app with the front door: strict Host first, HEAD on every GET route."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            try:
                parse_host(Headers.from_scope(scope).get("host", ""))
            except BadHost:
                await _refuse_host(send)
                return
            if scope["method"] == "HEAD":
                scope = {**scope, "method": "GET"}  # type: ignore[typeddict-item]
                send = _without_body(send)
        await super().__call__(scope, receive, send)

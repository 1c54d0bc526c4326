"""The operator's cookie, the `requires_operator` guard and the actor it puts into services."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect

from app.actor import Actor
from app.identity.operators import SESSION_TTL, OperatorInfo, operator_for_token
from app.web.context import request_cookie
from app.web.transaction import provide_db

COOKIE = "bodega_platform"
COOKIE_PATH = "/platform"
SIGN_IN = "/platform/sign-in"
HOME = "/platform/tenants"


class SignInRequired(Exception):
    """No live operator session: pages send the browser to the sign-in form."""

    def __init__(self, next_path: str | None) -> None:
        super().__init__("sign-in required")
        self.next_path = next_path


def session_cookie(token: str, secure: bool) -> Cookie:
    return Cookie(
        key=COOKIE,
        value=token,
        path=COOKIE_PATH,
        max_age=int(SESSION_TTL.total_seconds()),
        httponly=True,
        secure=secure,
        samesite="strict",
    )


def cleared_cookie(secure: bool) -> Cookie:
    return Cookie(key=COOKIE, value="", path=COOKIE_PATH, max_age=0, httponly=True, secure=secure, samesite="strict")


def cookie_token(connection: ASGIConnection) -> str | None:
    return request_cookie(connection.headers, COOKIE) or None


def safe_next(value: str | None) -> str:
    """Only a path inside the console: never an open redirect to another host."""
    if value and value.startswith("/platform") and not value.startswith("//") and "\\" not in value:
        return value
    return HOME


async def requires_operator(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Load the operator from the cookie into the request state, or ask for a sign-in."""
    token = cookie_token(connection)
    session = await provide_db(connection, connection.app.state)  # type: ignore[arg-type]
    operator = await operator_for_token(session, token) if token else None
    if operator is None:
        path = connection.url.path
        if connection.scope.get("method") == "GET" and connection.url.query:
            path += "?" + connection.url.query
        raise SignInRequired(path if connection.scope.get("method") == "GET" else None)
    connection.scope["state"]["operator"] = operator


def to_sign_in(request: Request, exc: SignInRequired) -> Response:
    """A full page goes to the sign-in form; an htmx request asks htmx to do the same."""
    target = SIGN_IN + (f"?next={quote(exc.next_path, safe='/')}" if exc.next_path else "")
    if request.headers.get("hx-request"):
        return Response(content="", status_code=200, headers={"HX-Redirect": target})
    return Redirect(path=target, status_code=303)


def current_operator(request: Request) -> OperatorInfo:
    return request.scope["state"]["operator"]


def operator_actor(request: Request) -> Actor:
    """Who acts in a platform request, for the audit log."""
    operator = current_operator(request)
    return Actor(
        kind="operator",
        id=operator.id,
        label=operator.email,
        ip=request.client.host if request.client else None,
        request_id=request.scope["state"].get("request_id"),
    )


GUARDED = {"guards": [requires_operator], "exception_handlers": {SignInRequired: to_sign_in}}

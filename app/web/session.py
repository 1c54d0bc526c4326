"""Identity on the HTTP side: the current-user middleware, the session and language cookies, the Actor."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, Headers, MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app import changes
from app.actor import Actor
from app.cache import cache
from app.identity.domain import SESSION_TTL, CurrentUser, session_authenticates
from app.identity.sessions import SESSION_COOKIE, session_id, session_user
from app.settings import Settings
from app.web.context import LANG_COOKIE, client_address, request_cookie
from app.web.transaction import close_leftover_session, request_session

LANG_MAX_AGE = 365 * 24 * 3600
NO_SESSION_PREFIXES = ("/media/", "/static/")
# A signed-in session found is trusted from memory this long (or until a change notice says otherwise); the
# expiry slides (a write) at the first look-up after SESSION_TOUCH_EVERY, so at most this much later.
RECHECK_SECONDS = 60.0
_SIGNED_IN = cache("web.signed_in", size=50_000, ttl=RECHECK_SECONDS)  # (tenant, session id) -> CurrentUser


def session_cookie(settings: Settings, raw_token: str) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=raw_token,
        path="/",
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        max_age=int(SESSION_TTL.total_seconds()),
    )


def cleared_session_cookie(settings: Settings) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE, value="", path="/", httponly=True, secure=settings.cookie_secure, samesite="lax", max_age=0
    )


def lang_cookie(settings: Settings, locale: str) -> Cookie:
    return Cookie(
        key=LANG_COOKIE,
        value=locale,
        path="/",
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        max_age=LANG_MAX_AGE,
    )


def current_user(connection: ASGIConnection) -> CurrentUser | None:
    """The signed-in user of this request for this face, or None."""
    return connection.scope.get("state", {}).get("user")


def client_ip(connection: ASGIConnection) -> str | None:
    return client_address(connection.scope, connection.app.state.settings.trusted_proxies)


def request_actor(request: Request) -> Actor:
    """Who is acting, for audit entries; a guarded handler always has a user."""
    user = current_user(request)
    if user is None:
        return Actor(kind="anonymous", id=None, label="anonymous", ip=client_ip(request))
    return Actor(
        kind=user.kind,
        id=user.id,
        label=user.email,
        ip=client_ip(request),
        request_id=request.scope["state"].get("request_id"),
    )


async def _signed_in(scope: Scope, app: Any, tenant_id: uuid.UUID, raw: str) -> tuple[CurrentUser | None, bool]:
    """The user behind the cookie and whether its expiry slid: from memory when this process looked the session
    up less than RECHECK_SECONDS ago and no session, user, role or company of the tenant changed since (the
    change feed's `sessions` topic: a sign-out or a deactivation anywhere reaches every process on commit);
    else one query, in the request's transaction (app.web.transaction), which the handler's queries follow."""
    token = changes.token(tenant_id, "sessions")
    key = (tenant_id, session_id(raw))
    user = _SIGNED_IN.get(token, key)
    if user is not None:
        return user, False
    session = request_session(scope, app.state.db)
    user, touched, seconds_left = await session_user(session, tenant_id, raw)
    if user is not None:
        _SIGNED_IN.put(token, key, user, ttl=seconds_left)  # never past the session's own expiry
    return user, touched


def current_user_middleware(app: ASGIApp) -> ASGIApp:
    """Load the signed-in user once per request (one query in the request's transaction; none without a cookie)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["user"] = None
        tenant = state.get("tenant")
        # Pictures are the same for everyone: no session lookup for them.
        anonymous_path = scope["path"].startswith(NO_SESSION_PREFIXES)
        raw = request_cookie(Headers.from_scope(scope), SESSION_COOKIE) if tenant and not anonymous_path else None
        if not raw:
            await app(scope, receive, send)
            return
        litestar_app = scope["litestar_app"]
        settings: Settings = litestar_app.state.settings
        try:
            user, touched = await _signed_in(scope, litestar_app, tenant.id, raw)
        except BaseException:
            await close_leftover_session(scope)
            raise
        if user is not None and session_authenticates(user.kind, scope["path"]):
            state["user"] = user
            structlog.contextvars.bind_contextvars(user=str(user.id))
        if user is None:
            refresh = cleared_session_cookie(settings)  # a stale cookie: stop sending it
        elif touched:
            refresh = session_cookie(settings, raw)  # the expiry slid: so does the browser's
        else:
            try:
                await app(scope, receive, send)
            finally:
                await close_leftover_session(scope)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                # A handler that set the session cookie itself (sign-in, sign-out) has the last word.
                if not any(v.startswith(SESSION_COOKIE + "=") for v in headers.getall("set-cookie", [])):
                    headers.add("set-cookie", refresh.to_header(header=""))
            await send(message)

        try:
            await app(scope, receive, send_with_cookie)
        finally:
            await close_leftover_session(scope)  # no response went out (client gone): never leak the connection

    return middleware

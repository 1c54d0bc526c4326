"""Flash messages carried across a redirect in a signed, short-lived cookie."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from litestar import Request
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.types import Message, Scope

from app.web.context import request_cookie

FLASH_COOKIE = "bodega_flash"
_OUT = "_flash_out"
_READ = "_flash_read"


def flash(request: Request, message: str, level: str = "success") -> None:
    """Queue a message for the next page the browser shows."""
    request.scope["state"].setdefault(_OUT, []).append({"level": level, "message": message})


def _sign(secret: str, payload: bytes) -> str:
    mac = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()[:32]
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + mac


def _unsign(secret: str, value: str) -> list[dict]:
    body, _sep, mac = value.partition(".")
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        return []
    expected = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()[:32]
    if not hmac.compare_digest(mac, expected):
        return []
    try:
        data = json.loads(payload)
    except ValueError:
        return []
    return [m for m in data if isinstance(m, dict)] if isinstance(data, list) else []


def pending_flashes(request: Request) -> list[dict]:
    """Messages to show now: those from the redirect's cookie plus those queued in this request."""
    state = request.scope["state"]
    shown: list[dict] = []
    raw = request_cookie(request.headers, FLASH_COOKIE)
    if raw and not state.get(_READ):
        shown.extend(_unsign(request.app.state.settings.secret_key, raw))
        state[_READ] = True
    shown.extend(state.pop(_OUT, []))
    return shown


def write_flash_cookie(message: Message, scope: Scope, secret: str, secure: bool) -> None:
    state = scope.get("state", {})
    queued = state.get(_OUT)
    headers = MutableScopeHeaders.from_message(message)
    if queued and message["status"] < 400:
        value = _sign(secret, json.dumps(queued).encode())
        cookie = Cookie(
            key=FLASH_COOKIE, value=value, path="/", httponly=True, secure=secure, samesite="lax", max_age=60
        )
        headers.add("set-cookie", cookie.to_header(header=""))
    elif state.get(_READ):
        cookie = Cookie(key=FLASH_COOKIE, value="", path="/", max_age=0, secure=secure, httponly=True)
        headers.add("set-cookie", cookie.to_header(header=""))

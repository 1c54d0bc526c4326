"""Route guards for both faces: signed in as the right kind of user, holding one of the roles."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from litestar import MediaType, Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect

from app.i18n import gettext as _
from app.identity.domain import CUSTOMER, STAFF
from app.web.errors import forbidden, http_error

STAFF_SIGN_IN = "/admin/sign-in"
CUSTOMER_SIGN_IN = "/sign-in"

Guard = Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]


class SignInRequired(NotAuthorizedException):
    """Nobody (of the right kind) is signed in; answered by a redirect to the face's sign-in page."""

    def __init__(self, sign_in_path: str) -> None:
        super().__init__(detail="sign in required")
        self.sign_in_path = sign_in_path


def _guard(kind: str, roles: tuple[str, ...], sign_in_path: str) -> Guard:
    wanted = frozenset(roles)

    async def guard(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
        user = connection.scope.get("state", {}).get("user")
        if user is None or user.kind != kind:
            raise SignInRequired(sign_in_path)
        if not user.has_any(wanted):
            raise forbidden(_("Your account does not have access to this page. Ask an administrator if you need it."))

    guard.__name__ = f"requires_{kind}_{'_'.join(sorted(wanted)) or 'any'}"
    return guard


def requires_staff(*roles: str) -> Guard:
    """Signed-in staff holding one of `roles` (any staff when none; 'owner' passes every staff guard)."""
    return _guard(STAFF, roles, STAFF_SIGN_IN)


def requires_customer(*roles: str) -> Guard:
    """A signed-in customer user holding one of `roles` ('customer_admin' passes every customer guard)."""
    return _guard(CUSTOMER, roles, CUSTOMER_SIGN_IN)


def sign_in_url(sign_in_path: str, next_path: str | None) -> str:
    return f"{sign_in_path}?{urlencode({'next': next_path})}" if next_path else sign_in_path


def sign_in_required(request: Request, exc: SignInRequired) -> Response:
    """A page: 303 to sign-in and back; htmx: tell it to go there; anything else: a 401 page."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = sign_in_url(exc.sign_in_path, here if request.method in {"GET", "HEAD"} else None)
    if request.headers.get("hx-request"):
        return Response("", status_code=401, headers={"HX-Redirect": target}, media_type=MediaType.HTML)
    accept = request.headers.get("accept", "")
    if request.method in {"GET", "HEAD"} and ("text/html" in accept or "*/*" in accept or not accept):
        return Redirect(target, status_code=303)
    return http_error(request, exc)


AUTH_EXCEPTION_HANDLERS = {SignInRequired: sign_in_required}

"""Friendly error pages (403, 404, 500, suspended tenant) and clear mapping of database refusals."""

from __future__ import annotations

import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import DBAPIError

from app.i18n import gettext as _

log = structlog.get_logger("bodega.errors")


class TenantSuspended(HTTPException):
    status_code = 403
    detail = "tenant suspended"


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "*/*" in accept or not accept or bool(request.headers.get("hx-request"))


def _page(request: Request, status: int, title: str, message: str, template: str = "errors/error.html.j2"):
    if not _wants_html(request):
        return Response({"status_code": status, "detail": message}, status_code=status, media_type=MediaType.JSON)
    headers = {}
    if request.headers.get("hx-request"):
        headers = {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"}
        return Response(
            f'<p class="flash flash-error" role="alert">{message}</p>',
            status_code=status,
            media_type=MediaType.HTML,
            headers=headers,
        )
    return Template(
        template_name=template,
        context={"status": status, "title": title, "message": message},
        status_code=status,
        media_type=MediaType.HTML,
    )


def http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, TenantSuspended):
        return _page(
            request,
            403,
            _("This shop is suspended"),
            _("This account has been suspended. Please contact the shop owner or the Bodega team."),
            template="errors/suspended.html.j2",
        )
    if status == 404:
        return _page(request, 404, _("Page not found"), _("We could not find what you were looking for."))
    if status == 403:
        message = (
            exc.detail
            if exc.detail and exc.detail not in {"Forbidden", "CSRF token verification failed"}
            else _("You do not have permission to do that. If you were filling in a form, reload it and try again.")
        )
        return _page(request, 403, _("Not allowed"), message)
    if status == 401:
        return _page(request, 401, _("Please sign in"), _("You need to sign in to see this page."))
    if status == 429:
        return _page(request, 429, _("Too many requests"), str(exc.detail))
    if status == 405:
        return _page(request, 405, _("Not allowed"), _("That action is not available here."))
    if status >= 500:
        return server_error(request, exc)
    return _page(request, status, _("Something is not right"), str(exc.detail))


def database_error(request: Request, exc: DBAPIError) -> Response:
    """Row-level security refusals and permission errors are 404s, never a leak of what exists."""
    code = getattr(getattr(exc, "orig", None), "sqlstate", None) or ""
    if code in {"42501"}:  # insufficient_privilege, including an RLS WITH CHECK violation
        log.warning("database_refused", sqlstate=code)
        return http_error(request, NotFoundException())
    if code == "22P02":  # invalid text representation (a malformed id in the URL)
        return http_error(request, NotFoundException())
    if code.startswith(("22", "23")):
        # Input the handler should have refused with a field message (a number out of a column's range, a
        # text too long, a duplicate won in a race): still the client's error, never a 500. Logged so
        # that the missing check gets written.
        constraint = getattr(getattr(exc, "orig", None), "constraint_name", None)
        log.warning("database_refused_input", sqlstate=code, constraint=constraint)
        status = 409 if code == "23505" else 400
        message = (
            _("This was changed or created at the same moment by someone else. Reload the page and try again.")
            if status == 409
            else _("A value is out of range, too long or not valid here. Check what you entered and try again.")
        )
        return _page(request, status, _("Something is not right"), message)
    return server_error(request, exc)


def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled_error", exc_info=exc)
    return _page(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        _("Something went wrong"),
        _("An unexpected error happened on our side. It has been logged; please try again in a moment."),
    )


def forbidden(message: str | None = None) -> PermissionDeniedException:
    return PermissionDeniedException(detail=message or "Forbidden")


EXCEPTION_HANDLERS = {
    HTTPException: http_error,
    DBAPIError: database_error,
    HTTP_500_INTERNAL_SERVER_ERROR: server_error,
}

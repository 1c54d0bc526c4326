"""The mail viewer: every e-mail the system recorded for this tenant, for development and SMTP-less setups.

Off (404) in production with SMTP configured; owners only. The HTML body is shown in an
iframe from its own route, whose CSP `sandbox` gives it an opaque origin with no scripts.
"""

from __future__ import annotations

import uuid

from litestar import Controller, Request, Response, get
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.outbox import mail
from app.outbox.models import MailMessage
from app.web.auth import requires_staff
from app.web.templating import render

# The mail's own markup may style itself, show inline and https images, and nothing else.
PREVIEW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'"


async def requires_mail_viewer(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Not found unless the viewer is enabled for this deployment."""
    if not mail.viewer_enabled(connection.app.state.settings):
        raise NotFoundException()


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 100_000 else 1


async def _message(db: AsyncSession, message_id: uuid.UUID) -> MailMessage:
    try:
        return await mail.mail_message(db, message_id)
    except NotFound as exc:
        raise NotFoundException() from exc


class MailViewerController(Controller):
    path = "/dev/mail"
    guards = [requires_mail_viewer, requires_staff("owner")]

    @get("/", name="backoffice:mail")
    async def index(self, request: Request, db: NamedDependency[AsyncSession]) -> Template:
        page = await mail.recent_mail(db, page=_page_number(request.query_params.get("page")))
        return render(request, "backoffice/mail/index.html.j2", {"page": page}, block="results")

    @get("/{message_id:uuid}", name="backoffice:mail-show")
    async def show(
        self, request: Request, db: NamedDependency[AsyncSession], message_id: FromPath[uuid.UUID]
    ) -> Template:
        message = await _message(db, message_id)
        return render(request, "backoffice/mail/show.html.j2", {"message": message})

    @get("/{message_id:uuid}/html", name="backoffice:mail-html")
    async def html(self, db: NamedDependency[AsyncSession], message_id: FromPath[uuid.UUID]) -> Response[str]:
        message = await _message(db, message_id)
        if not message.body_html:
            raise NotFoundException()
        headers = {"content-security-policy": PREVIEW_CSP, "x-frame-options": "SAMEORIGIN"}
        return Response(message.body_html, media_type="text/html", headers=headers)

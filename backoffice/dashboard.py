"""The back-office home: a welcome and a card for each section the signed-in user may open."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from app.web.auth import requires_staff
from app.web.templating import render


@get("/", name="backoffice:dashboard", guards=[requires_staff()])
async def dashboard(request: Request) -> Template:
    return render(request, "backoffice/dashboard.html.j2")

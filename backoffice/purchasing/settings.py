"""The buying rules (owners only): the approval threshold, the bill-match and receipt tolerances, the limits the
supply cost analysis flags routes by."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app import purchasing
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.purchasing.rules import FIELDS
from app.purchasing.services import RulesInput
from app.web.guards import current_tenant
from backoffice.catalog._web import form_text, plain, redirect_with_flash, tenant_and_actor
from backoffice.purchasing._web import APPROVERS, BASE, render


async def _page(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    tenant = current_tenant(request)
    rules = await purchasing.buying_rules(db, tenant.id)
    shown = {name: plain(getattr(rules, name)) for name in FIELDS}
    context = {"typed": typed or shown, "errors": errors or {}, "currency": tenant.currency}
    return render(request, "settings.html.j2", context, status=status)


@get("/purchasing/settings", name="backoffice:purchasing_settings", guards=APPROVERS)
async def settings(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _page(request, db)


@post("/purchasing/settings", name="backoffice:purchasing_settings_save", guards=APPROVERS)
async def save(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    typed = {name: form_text(form, name, 40) for name in FIELDS}
    tenant_id, actor = tenant_and_actor(request)
    try:
        await purchasing.services.set_buying_rules(db, tenant_id, RulesInput(**typed), actor)
    except ValidationFailed as exc:
        return await _page(request, db, typed, exc.errors, 400)
    return redirect_with_flash(request, f"{BASE}/settings", _("Buying rules saved."))


HANDLERS = [settings, save]

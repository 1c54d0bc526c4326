"""Catalog settings: prices hidden from visitors until they sign in, and the units of measure."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import queries
from app.catalog.services import create_unit, hide_prices_until_sign_in, set_hide_prices_until_sign_in
from app.errors import ValidationFailed
from app.i18n import gettext as _
from backoffice.catalog._web import STAFF, flag, form_text, page, redirect_with_flash, tenant_and_actor, translations

SETTINGS = "backoffice/catalog/settings.html.j2"


async def _page(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    tenant_id, _actor = tenant_and_actor(request)
    context = {
        "hide_prices": await hide_prices_until_sign_in(db, tenant_id),
        "units": await queries.units(db),
        "typed": typed or {"code": "", "name": {}},
        "errors": errors or {},
    }
    return page(request, SETTINGS, context, status=status)


@get("/catalog/settings", name="backoffice:catalog_settings", guards=STAFF)
async def settings(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _page(request, db)


@post("/catalog/settings/prices", name="backoffice:catalog_hide_prices", guards=STAFF)
async def hide_prices(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    hide = flag(await request.form(), "hide_prices")
    tenant_id, actor = tenant_and_actor(request)
    await set_hide_prices_until_sign_in(db, tenant_id, hide, actor)
    message = _("Visitors now see prices only after signing in.") if hide else _("Visitors now see prices.")
    return redirect_with_flash(request, "/admin/catalog/settings", message)


@post("/catalog/settings/units", name="backoffice:unit_create", guards=STAFF)
async def add_unit(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    typed = {"code": form_text(form, "code", 40), "name": translations(form, "name")}
    tenant_id, actor = tenant_and_actor(request)
    try:
        await create_unit(db, tenant_id, typed["code"], typed["name"], actor)
    except ValidationFailed as exc:
        return await _page(request, db, typed, exc.errors, 400)
    return redirect_with_flash(request, "/admin/catalog/settings#units", _("Unit created."))


HANDLERS = [settings, hide_prices, add_unit]

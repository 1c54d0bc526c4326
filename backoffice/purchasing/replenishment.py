"""Replenishment: what the reorder rules ask to buy, each with its best supplier, and draft purchase orders made
from the ones chosen (one per supplier and warehouse)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app import purchasing
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.web.guards import current_tenant
from backoffice.catalog._web import redirect_with_flash, tenant_and_actor, texts
from backoffice.purchasing._web import BASE, BUYERS, render


async def _page(request: Request, db: AsyncSession, errors=None, status: int = 200) -> Response:
    tenant = current_tenant(request)
    context = {
        "rows": await purchasing.replenishment(db, tenant.id),
        "currency": tenant.currency,
        "errors": errors or {},
    }
    return render(request, "replenishment.html.j2", context, status=status)


@get("/purchasing/replenishment", name="backoffice:purchasing_replenishment", guards=BUYERS)
async def suggestions(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _page(request, db)


@post("/purchasing/replenishment", name="backoffice:purchasing_replenishment_order", guards=BUYERS)
async def order(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    keys = [key[:80] for key in texts(await request.form(), "keys")][:1000]
    tenant_id, actor = tenant_and_actor(request)
    try:
        orders = await purchasing.services.order_suggestions(db, tenant_id, keys, actor)
    except ValidationFailed as exc:
        return await _page(request, db, exc.errors, 400)
    numbers = ", ".join(o.number for o in orders)
    message = _("Draft purchase orders %(numbers)s created: check and submit them.", numbers=numbers)
    return redirect_with_flash(request, f"{BASE}/orders?status=draft", message)


HANDLERS = [suggestions, order]

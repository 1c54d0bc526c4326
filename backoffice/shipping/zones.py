"""A shipping zone's page: its country and postcodes, edited in place (the carrier's page lists them)."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import shipping
from app.errors import ValidationFailed
from app.i18n import gettext as _
from backoffice.catalog._web import page, redirect_with_flash, tenant_and_actor
from backoffice.shipping import _forms as forms
from backoffice.shipping._forms import SHIPPING_STAFF

DETAIL = "backoffice/shipping/zones/detail.html.j2"


async def _page(request: Request, db: AsyncSession, zone_id: uuid.UUID, typed=None, errors=None, status: int = 200):
    zone = await shipping.queries.zone(db, zone_id)
    context = {
        "zone": zone,
        "carrier": await shipping.queries.carrier(db, zone.carrier_id),
        "typed": typed or forms.zone_shown(zone),
        "errors": errors or {},
    }
    return page(request, DETAIL, context, status=status)


@get("/shipping/zones/{zone_id:uuid}", name="backoffice:shipping_zone", guards=SHIPPING_STAFF)
async def detail(request: Request, db: NamedDependency[AsyncSession], zone_id: FromPath[uuid.UUID]) -> Response:
    return await _page(request, db, zone_id)


@post("/shipping/zones/{zone_id:uuid}", name="backoffice:shipping_zone_update", guards=SHIPPING_STAFF)
async def update(request: Request, db: NamedDependency[AsyncSession], zone_id: FromPath[uuid.UUID]) -> Response:
    typed = forms.zone_typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        zone = await shipping.update_zone(db, tenant_id, zone_id, forms.zone_input(typed), actor)
    except ValidationFailed as exc:
        return await _page(request, db, zone_id, typed, exc.errors, 400)
    return redirect_with_flash(request, f"/admin/shipping/carriers/{zone.carrier_id}#zones", _("Zone saved."))


HANDLERS = [detail, update]

"""Carriers: the list with a new-carrier form, and a carrier's page (settings, services, zones, audit trail)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import shipping
from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.web.guards import current_tenant
from backoffice.catalog._web import flag, page, redirect_with_flash, tenant_and_actor
from backoffice.shipping import _forms as forms
from backoffice.shipping._forms import SHIPPING_STAFF

LIST = "backoffice/shipping/carriers/list.html.j2"
DETAIL = "backoffice/shipping/carriers/detail.html.j2"


async def _list(request: Request, db: AsyncSession, typed=None, errors=None, status: int = 200) -> Response:
    context = {
        "rows": await shipping.queries.carriers(db),
        "typed": typed or forms.carrier_shown(None, current_tenant(request).currency),
        "errors": errors or {},
    }
    return page(request, LIST, context, status=status)


@get("/shipping/carriers", name="backoffice:carriers", guards=SHIPPING_STAFF)
async def carriers(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await _list(request, db)


@post("/shipping/carriers", name="backoffice:carrier_create", guards=SHIPPING_STAFF)
async def create(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    typed = forms.carrier_typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        carrier = await shipping.create_carrier(db, tenant_id, forms.carrier_input(typed), actor)
    except ValidationFailed as exc:
        return await _list(request, db, typed, exc.errors, 400)
    message = _("Carrier %(name)s created: add its zones and services.", name=carrier.name)
    return redirect_with_flash(request, f"/admin/shipping/carriers/{carrier.id}", message)


async def carrier_page(request: Request, db: AsyncSession, carrier_id: uuid.UUID, status: int = 200, **forms_: Any):
    """The carrier's page; `forms_` holds what one of its forms was given back with (typed, errors)."""
    carrier = await shipping.queries.carrier(db, carrier_id)
    context = {
        "carrier": carrier,
        "services": await shipping.queries.carrier_services(db, carrier.id),
        "zones": await shipping.queries.carrier_zones(db, carrier.id),
        "postcodes": shipping.queries.zone_postcodes,
        "typed": forms.carrier_shown(carrier, carrier.currency),
        "errors": {},
        "service_typed": forms.service_shown(None),
        "service_errors": {},
        "zone_typed": forms.zone_shown(None),
        "zone_errors": {},
        "history": await audit.history(db, "carrier", carrier.id),
        **forms_,
    }
    return page(request, DETAIL, context, status=status)


@get("/shipping/carriers/{carrier_id:uuid}", name="backoffice:carrier", guards=SHIPPING_STAFF)
async def detail(request: Request, db: NamedDependency[AsyncSession], carrier_id: FromPath[uuid.UUID]) -> Response:
    return await carrier_page(request, db, carrier_id)


@post("/shipping/carriers/{carrier_id:uuid}", name="backoffice:carrier_update", guards=SHIPPING_STAFF)
async def update(request: Request, db: NamedDependency[AsyncSession], carrier_id: FromPath[uuid.UUID]) -> Response:
    typed = forms.carrier_typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        await shipping.update_carrier(db, tenant_id, carrier_id, forms.carrier_input(typed), actor)
    except ValidationFailed as exc:
        return await carrier_page(request, db, carrier_id, 400, typed=typed, errors=exc.errors)
    return redirect_with_flash(request, f"/admin/shipping/carriers/{carrier_id}", _("Carrier saved."))


@post("/shipping/carriers/{carrier_id:uuid}/status", name="backoffice:carrier_status", guards=SHIPPING_STAFF)
async def status(request: Request, db: NamedDependency[AsyncSession], carrier_id: FromPath[uuid.UUID]) -> Response:
    active = flag(await request.form(), "active")
    tenant_id, actor = tenant_and_actor(request)
    await shipping.set_carrier_active(db, tenant_id, carrier_id, active, actor)
    message = _("The carrier is quoted again.") if active else _("The carrier is no longer quoted.")
    return redirect_with_flash(request, f"/admin/shipping/carriers/{carrier_id}", message)


@post("/shipping/carriers/{carrier_id:uuid}/services", name="backoffice:carrier_service_add", guards=SHIPPING_STAFF)
async def add_service(request: Request, db: NamedDependency[AsyncSession], carrier_id: FromPath[uuid.UUID]) -> Response:
    typed = forms.service_typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        service = await shipping.add_service(db, tenant_id, carrier_id, forms.service_input(typed), actor)
    except ValidationFailed as exc:
        return await carrier_page(request, db, carrier_id, 400, service_typed=typed, service_errors=exc.errors)
    message = _("Service %(code)s added: give it a rate for each zone it serves.", code=service.code)
    return redirect_with_flash(request, f"/admin/shipping/services/{service.id}", message)


@post("/shipping/carriers/{carrier_id:uuid}/zones", name="backoffice:shipping_zone_add", guards=SHIPPING_STAFF)
async def add_zone(request: Request, db: NamedDependency[AsyncSession], carrier_id: FromPath[uuid.UUID]) -> Response:
    typed = forms.zone_typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        zone = await shipping.add_zone(db, tenant_id, carrier_id, forms.zone_input(typed), actor)
    except ValidationFailed as exc:
        return await carrier_page(request, db, carrier_id, 400, zone_typed=typed, zone_errors=exc.errors)
    message = _("Zone %(code)s added.", code=zone.code)
    return redirect_with_flash(request, f"/admin/shipping/carriers/{carrier_id}#zones", message)


HANDLERS = [carriers, create, detail, update, status, add_service, add_zone]

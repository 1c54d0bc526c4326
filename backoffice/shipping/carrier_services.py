"""A carrier service's page: its settings and limits, its rate grid by zone and weight, one zone's rate form,
and the import of a pasted rate table with its line-by-line report."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app import shipping
from app.audit import services as audit
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from backoffice.catalog._web import an_id, flag, form_text, page, plain, redirect_with_flash, tenant_and_actor
from backoffice.shipping import _forms as forms
from backoffice.shipping._forms import SHIPPING_STAFF

DETAIL = "backoffice/shipping/services/detail.html.j2"


def _rate_shown(rates: list[shipping.queries.RateView], zone_id: uuid.UUID | None) -> dict[str, str]:
    """The rate form's values: the chosen zone's rate when it has one, else an empty form for that zone."""
    found = next((view for view in rates if view.zone.id == zone_id), None)
    if found is None:
        return {"zone_id": str(zone_id or ""), "transit_days": "", "base_fee": "", "per_kg_beyond": "", "brackets": ""}
    rate = found.rate
    return {
        "zone_id": str(found.zone.id),
        "transit_days": str(rate.transit_days),
        "base_fee": plain(rate.base_fee),
        "per_kg_beyond": plain(rate.per_kg_beyond),
        "brackets": found.brackets_text,
    }


async def service_page(request: Request, db: AsyncSession, service_id: uuid.UUID, status: int = 200, **forms_: Any):
    """The service's page; `forms_` holds what one of its forms was given back with (typed, errors, report)."""
    service = await shipping.queries.service(db, service_id)
    carrier = await shipping.queries.carrier(db, service.carrier_id)
    rates = await shipping.queries.service_rates(db, service.id)
    context = {
        "carrier": carrier,
        "service": service,
        "zones": await shipping.queries.carrier_zones(db, carrier.id),
        "rates": rates,
        "weights": shipping.queries.bracket_weights(rates),
        "typed": forms.service_shown(service),
        "errors": {},
        "rate_typed": _rate_shown(rates, an_id(request.query_params.get("zone"))),
        "rate_errors": {},
        "import_typed": {"table": "", "transit_days": "", "replace": False},
        "import_errors": {},
        "report": None,
        "history": await audit.history(db, "carrier_service", service.id),
        **forms_,
    }
    return page(request, DETAIL, context, status=status)


@get("/shipping/services/{service_id:uuid}", name="backoffice:carrier_service", guards=SHIPPING_STAFF)
async def detail(request: Request, db: NamedDependency[AsyncSession], service_id: FromPath[uuid.UUID]) -> Response:
    return await service_page(request, db, service_id)


@post("/shipping/services/{service_id:uuid}", name="backoffice:carrier_service_update", guards=SHIPPING_STAFF)
async def update(request: Request, db: NamedDependency[AsyncSession], service_id: FromPath[uuid.UUID]) -> Response:
    typed = forms.service_typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        await shipping.update_service(db, tenant_id, service_id, forms.service_input(typed), actor)
    except ValidationFailed as exc:
        return await service_page(request, db, service_id, 400, typed=typed, errors=exc.errors)
    return redirect_with_flash(request, f"/admin/shipping/services/{service_id}", _("Service saved."))


@post("/shipping/services/{service_id:uuid}/status", name="backoffice:carrier_service_status", guards=SHIPPING_STAFF)
async def status(request: Request, db: NamedDependency[AsyncSession], service_id: FromPath[uuid.UUID]) -> Response:
    active = flag(await request.form(), "active")
    tenant_id, actor = tenant_and_actor(request)
    await shipping.set_service_active(db, tenant_id, service_id, active, actor)
    message = _("The service is quoted again.") if active else _("The service is no longer quoted.")
    return redirect_with_flash(request, f"/admin/shipping/services/{service_id}", message)


@post("/shipping/services/{service_id:uuid}/rates", name="backoffice:shipping_rate_set", guards=SHIPPING_STAFF)
async def set_rate(request: Request, db: NamedDependency[AsyncSession], service_id: FromPath[uuid.UUID]) -> Response:
    typed = forms.rate_typed(await request.form())
    tenant_id, actor = tenant_and_actor(request)
    try:
        await shipping.set_rate(db, tenant_id, service_id, forms.rate_input(typed), actor)
    except ValidationFailed as exc:
        return await service_page(request, db, service_id, 400, rate_typed=typed, rate_errors=exc.errors)
    return redirect_with_flash(request, f"/admin/shipping/services/{service_id}#rates", _("Rate saved."))


@post(
    "/shipping/services/{service_id:uuid}/rates/{rate_id:uuid}/remove",
    name="backoffice:shipping_rate_remove",
    guards=SHIPPING_STAFF,
)
async def remove_rate(
    request: Request, db: NamedDependency[AsyncSession], service_id: FromPath[uuid.UUID], rate_id: FromPath[uuid.UUID]
) -> Response:
    if rate_id not in {view.rate.id for view in await shipping.queries.service_rates(db, service_id)}:
        raise NotFound()
    tenant_id, actor = tenant_and_actor(request)
    await shipping.remove_rate(db, tenant_id, rate_id, actor)
    return redirect_with_flash(request, f"/admin/shipping/services/{service_id}#rates", _("Rate removed."))


@post("/shipping/services/{service_id:uuid}/import", name="backoffice:shipping_rates_import", guards=SHIPPING_STAFF)
async def import_rates(
    request: Request, db: NamedDependency[AsyncSession], service_id: FromPath[uuid.UUID]
) -> Response:
    form = await request.form()
    typed = {
        "table": form_text(form, "table", 200_000),
        "transit_days": form_text(form, "transit_days", 10),
        "replace": flag(form, "replace"),
    }
    tenant_id, actor = tenant_and_actor(request)
    try:
        report = await shipping.import_rate_table(
            db,
            tenant_id,
            service_id,
            typed["table"],
            actor,
            transit_days=typed["transit_days"],
            replace=typed["replace"],
        )
    except ValidationFailed as exc:
        found = getattr(exc, "report", None)
        return await service_page(
            request, db, service_id, 400, import_typed=typed, import_errors=exc.errors, report=found
        )
    message = _(
        "Rate table imported: %(added)s added, %(changed)s changed, %(unchanged)s unchanged, %(removed)s removed.",
        added=report.count("added"),
        changed=report.count("changed"),
        unchanged=report.count("unchanged"),
        removed=report.removed,
    )
    return redirect_with_flash(request, f"/admin/shipping/services/{service_id}#rates", message)


HANDLERS = [detail, update, status, set_rate, remove_rate, import_rates]

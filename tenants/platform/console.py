"""The operator's tenant pages: list and search, create, details with domains and audit, suspend and resume."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import services as audit
from app.errors import NotFound, ValidationFailed
from app.i18n import LOCALES
from app.i18n import gettext as _
from app.settings import Settings
from app.web.flash import flash
from app.web.templating import render
from tenants import services
from tenants.models import Tenant, TenantDomain
from tenants.platform.guards import GUARDED, operator_actor

FIELDS = ("name", "slug", "country", "currency", "locale", "admin_email")
DEFAULTS = {"name": "", "slug": "", "country": "ES", "currency": "EUR", "locale": "es", "admin_email": ""}


def _int(value: str | None, default: int = 1) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


def tenant_host(settings: Settings, domain: TenantDomain) -> str:
    return f"{domain.host}.{settings.base_domain}" if domain.kind == "subdomain" else domain.host


def invite_url(settings: Settings) -> str:
    """The new tenant's admin invitation link; create_tenant fills in {slug} and {token}."""
    return settings.public_url("{slug}." + settings.base_domain, "/admin/invite/{token}")


class TenantsController(Controller):
    path = "/tenants"
    guards = GUARDED["guards"]
    exception_handlers = GUARDED["exception_handlers"]

    @get("/", name="platform:tenants")
    async def index(self, request: Request, db: NamedDependency[AsyncSession]) -> Template:
        params = request.query_params
        search, status = (params.get("q") or "").strip(), params.get("status") or ""
        page = await services.list_tenants(db, search=search, status=status, page=_int(params.get("page")))
        ctx = {"page": page, "q": search, "status": status, "statuses": services.STATUSES}
        fragment = None if request.headers.get("hx-history-restore-request") else "results"
        return render(request, "platform/tenants/list.html.j2", ctx, block=fragment)

    @get("/new", name="platform:tenants-new")
    async def new(self, request: Request) -> Template:
        return _form(request, dict(DEFAULTS), {})

    @post("/", name="platform:tenants-create")
    async def create(self, request: Request) -> Template | Redirect:
        form = await request.form()
        values: dict[str, Any] = {f: str(form.get(f) or "").strip() for f in FIELDS}
        settings: Settings = request.app.state.settings
        data = services.NewTenant(**values)
        try:
            tenant = await services.create_tenant(
                request.app.state.db, data, operator_actor(request), invite_url=invite_url(settings)
            )
        except ValidationFailed as exc:
            return _form(request, values, exc.errors, status_code=400)
        flash(
            request,
            _(
                "Tenant %(name)s created. An invitation was sent to %(email)s.",
                name=tenant.name,
                email=data.admin_email,
            ),
        )
        return Redirect(path=f"/platform/tenants/{tenant.id}", status_code=303)

    @get("/{tenant_id:uuid}", name="platform:tenant")
    async def detail(
        self, request: Request, db: NamedDependency[AsyncSession], tenant_id: FromPath[uuid.UUID]
    ) -> Template:
        tenant = await _tenant_or_404(db, tenant_id)
        settings: Settings = request.app.state.settings
        domains = await services.tenant_domains(db, tenant_id)
        async with request.app.state.db.session(tenant_id) as tenant_session:
            entries = await audit.history(tenant_session, "tenant", tenant_id)
        hosts = [(d, tenant_host(settings, d)) for d in domains]
        primary = hosts[0][1] if hosts else f"{tenant.slug}.{settings.base_domain}"
        ctx = {
            "t": tenant,
            "hosts": hosts,
            "entries": entries,
            "storefront_url": settings.public_url(primary, "/"),
            "backoffice_url": settings.public_url(primary, "/admin"),
            "public_url": settings.public_url,
        }
        return render(request, "platform/tenants/detail.html.j2", ctx)

    @post("/{tenant_id:uuid}/suspend", name="platform:tenant-suspend")
    async def suspend(self, request: Request, tenant_id: FromPath[uuid.UUID]) -> Redirect:
        tenant = await _set_status(request, tenant_id, "suspended")
        flash(request, _("%(name)s is suspended: its users now see the suspended page.", name=tenant.name))
        return Redirect(path=f"/platform/tenants/{tenant_id}", status_code=303)

    @post("/{tenant_id:uuid}/resume", name="platform:tenant-resume")
    async def resume(self, request: Request, tenant_id: FromPath[uuid.UUID]) -> Redirect:
        tenant = await _set_status(request, tenant_id, "active")
        flash(request, _("%(name)s is active again.", name=tenant.name))
        return Redirect(path=f"/platform/tenants/{tenant_id}", status_code=303)


def _form(request: Request, values: dict[str, Any], errors: dict[str, str], status_code: int = 200) -> Template:
    ctx = {
        "values": values,
        "errors": errors,
        "locales": LOCALES,
        "base_domain": request.app.state.settings.base_domain,
    }
    return render(request, "platform/tenants/new.html.j2", ctx, status_code=status_code)


async def _tenant_or_404(db: AsyncSession, tenant_id: uuid.UUID) -> Tenant:
    try:
        return await services.get_tenant(db, tenant_id)
    except NotFound as exc:
        raise NotFoundException() from exc


async def _set_status(request: Request, tenant_id: uuid.UUID, status: str) -> Tenant:
    try:
        tenant = await services.set_status(request.app.state.db, tenant_id, status, operator_actor(request))
    except NotFound as exc:
        raise NotFoundException() from exc
    request.app.state.tenants.forget(tenant_id)
    return tenant

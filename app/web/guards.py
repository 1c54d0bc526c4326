"""Which host a route belongs to: a tenant's (storefront, back office) or the platform's."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler

from app.web.errors import TenantSuspended
from tenants.directory import TenantInfo


async def requires_tenant(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Unknown host: 404; suspended tenant: the suspended page."""
    tenant: TenantInfo | None = connection.scope["state"].get("tenant")
    if tenant is None:
        raise NotFoundException()
    if tenant.is_suspended:
        raise TenantSuspended()


async def requires_platform_host(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if connection.scope["state"].get("host_kind") != "platform":
        raise NotFoundException()


def current_tenant(connection: ASGIConnection) -> TenantInfo:
    tenant = connection.scope["state"].get("tenant")
    if tenant is None:
        raise NotFoundException()
    return tenant

"""The Litestar application: one app serving the storefront, the back office and the platform console."""

from __future__ import annotations

from litestar import Request, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.plugins.htmx import HTMXPlugin
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import Message, Scope

import app.models  # noqa: F401 - every mapper (and FK target) registered before the first flush
from app.assembly import assemble
from app.changes import ChangeFeed
from app.db import Database, plain_dsn
from app.settings import ROOT, Settings
from app.web.auth import AUTH_EXCEPTION_HANDLERS
from app.web.context import context_middleware
from app.web.errors import EXCEPTION_HANDLERS
from app.web.flash import write_flash_cookie
from app.web.front_door import Bodega
from app.web.guards import requires_platform_host, requires_tenant
from app.web.headers import security_headers
from app.web.input import CheckedRequest
from app.web.locale_routes import set_language
from app.web.ops import (
    PROMETHEUS,
    MetricsController,
    access_log_middleware,
    answer_exceptions_here,
    healthz,
    log_access,
    readyz,
)
from app.web.session import current_user_middleware
from app.web.templating import make_template_engine
from app.web.transaction import close_leftover_session, finish_transaction, provide_db
from tenants.directory import TenantDirectory


def _faces() -> list[Router]:
    from backoffice.routes import HANDLERS as BACKOFFICE
    from storefront.routes import HANDLERS as STOREFRONT
    from tenants.platform.routes import HANDLERS as PLATFORM

    return [
        Router(path="/admin", route_handlers=BACKOFFICE, guards=[requires_tenant]),
        Router(path="/platform", route_handlers=PLATFORM, guards=[requires_platform_host]),
        Router(path="/", route_handlers=STOREFRONT, guards=[requires_tenant]),
    ]


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> Bodega:
    assemble()
    settings = settings or Settings.from_env()
    db = database or Database(settings)
    directory = TenantDirectory(db.engine, settings.base_domain, settings.tenant_cache_seconds)

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            write_flash_cookie(message, scope, settings.secret_key, settings.cookie_secure)
        await finish_transaction(message, scope)

    async def after_response(request: Request) -> None:
        await close_leftover_session(request.scope)

    changes = ChangeFeed(plain_dsn(db.engine.url.render_as_string(hide_password=False)))

    async def startup(app: Bodega) -> None:
        await changes.start()

    async def shutdown(app: Bodega) -> None:
        await changes.stop()
        if database is None:
            await db.dispose()

    static = create_static_files_router(
        path="/static",
        directories=[ROOT / "app" / "static"],
        include_in_schema=False,
        send_as_attachment=False,
    )
    return Bodega(
        request_class=CheckedRequest,
        route_handlers=[healthz, readyz, MetricsController, static, set_language, *_faces()],
        state=State({"settings": settings, "db": db, "tenants": directory, "changes": changes}),
        dependencies={"db": Provide(provide_db)},
        middleware=[
            access_log_middleware,
            context_middleware,
            current_user_middleware,
            PROMETHEUS.middleware,
            answer_exceptions_here,
        ],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="bodega_csrf",
            header_name="x-csrftoken",
            cookie_secure=settings.cookie_secure,
            cookie_samesite="lax",
            exclude=["/healthz", "/readyz", "/metrics", "/static", "/media", "/stripe/webhook"],
        ),
        template_config=TemplateConfig(engine=make_template_engine()),
        plugins=[HTMXPlugin()],
        exception_handlers={**EXCEPTION_HANDLERS, **AUTH_EXCEPTION_HANDLERS},
        before_send=[before_send, security_headers, log_access],
        after_response=after_response,
        on_startup=[startup],
        on_shutdown=[shutdown],
        openapi_config=None,
        debug=False,
    )

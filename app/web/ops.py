"""Operations: liveness, readiness, metrics and structured access logs."""

from __future__ import annotations

import asyncio
import hmac
import logging
import sys
import time
from collections.abc import Iterator

import structlog
from litestar import Response, get
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import REGISTRY
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from sqlalchemy import text

from app import cache
from app.web.context import request_id
from tenants.directory import PLATFORM, BadHost, split_host

access_log = structlog.get_logger("bodega.access")
log = structlog.get_logger("bodega.ops")
READY_TIMEOUT = 2.0
_STARTED = "_access_started"


def configure_logging(level: str = "INFO", json: bool = True) -> None:
    """JSON lines with request id, tenant and user bound per request; never bodies or secrets."""
    processors = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False),
    ]
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )


def access_log_middleware(app: ASGIApp) -> ASGIApp:
    """Start the clock for the access line; `log_access` writes it when the answer starts."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})[_STARTED] = time.perf_counter()
        await app(scope, receive, send)

    return middleware


def answer_exceptions_here(app: ASGIApp) -> ASGIApp:
    """The innermost middleware: exceptions raised below ours (Litestar's CSRF check) become responses here.

    Otherwise they travel up through our middleware to the app-level handler: Prometheus counted a
    CSRF refusal as a 200, and its 403 page was rendered after the request's locale had been reset.
    Litestar puts the same wrapper between a handler and its middleware.
    """
    from litestar._asgi.utils import wrap_in_exception_handler

    return wrap_in_exception_handler(app)


async def log_access(message: Message, scope: Scope) -> None:
    """One access line per response: route template, never the raw path, query, cookies or body.

    A before_send hook, so every answer is logged with the status really sent. Route middleware
    would miss the answers made above it: unknown paths (404), wrong methods (405), and refusals
    by Litestar's CSRF middleware, whose exception the app-level handler turns into a 403 (a
    middleware's `finally` saw no status there and logged a 500). `ms` runs until the answer starts.
    """
    if message["type"] != "http.response.start" or scope["type"] != "http":
        return
    state = scope.get("state", {})
    started = state.get(_STARTED)
    handler = scope.get("route_handler")
    route = (scope.get("path_template") or next(iter(handler.paths), None)) if handler else None
    tenant = state.get("tenant")
    access_log.info(
        "request",
        request_id=request_id(scope),
        tenant=tenant.slug if tenant else None,
        method=scope["method"],
        route=route or "unmatched",
        status=message["status"],
        ms=round((time.perf_counter() - started) * 1000, 1) if started else None,
    )


@get("/healthz", include_in_schema=False, sync_to_thread=False)
def healthz() -> dict[str, str]:
    """Alive: the process answers."""
    return {"status": "ok"}


@get("/readyz", include_in_schema=False)
async def readyz(state: State) -> Response[dict[str, str]]:
    """Ready: the database answers within READY_TIMEOUT seconds; 503 otherwise.

    A Response, not an HTTPException: the app's error handler turns every 5xx exception into a 500 page.
    """
    try:
        async with asyncio.timeout(READY_TIMEOUT), state.db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("not_ready", error=type(exc).__name__)
        return Response({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return Response({"status": "ok", "database": "ok"})


class CacheCollector:
    """The caches of app.cache as Prometheus series: entries, hits, misses and asks made with no token."""

    def collect(self) -> Iterator[Metric]:
        series = {
            "entries": GaugeMetricFamily("bodega_cache_entries", "Entries a cache holds", labels=["cache"]),
            "hits": CounterMetricFamily("bodega_cache_hits", "Lookups a cache answered", labels=["cache"]),
            "misses": CounterMetricFamily("bodega_cache_misses", "Lookups a cache could not answer", labels=["cache"]),
            "skipped": CounterMetricFamily(
                "bodega_cache_skipped", "Lookups made while nothing may be cached (no change token)", labels=["cache"]
            ),
        }
        for stats in cache.stats():
            for field, family in series.items():
                family.add_metric([stats.name], getattr(stats, field))
        yield from series.values()


if not getattr(REGISTRY, "_bodega_caches", False):  # once per process, however many apps are made
    REGISTRY.register(CacheCollector())  # type: ignore[arg-type]
    REGISTRY._bodega_caches = True  # type: ignore[attr-defined]

PROMETHEUS = PrometheusConfig(app_name="bodega", group_path=True, exclude=["/metrics", "/healthz", "/readyz"])


async def metrics_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """/metrics: only on the platform host, only with the METRICS_TOKEN bearer token; 404 for anyone else.

    The figures are platform-wide (every tenant's request counts, the process): a tenant's host never shows them.
    """
    settings = connection.app.state.settings
    given = connection.headers.get("authorization", "")
    expected = f"Bearer {settings.metrics_token}"
    try:
        kind, _host = split_host(connection.headers.get("host", ""), settings.base_domain)
    except BadHost:
        kind = ""
    if not settings.metrics_token or kind != PLATFORM or not hmac.compare_digest(given.encode(), expected.encode()):
        raise NotFoundException()


class MetricsController(PrometheusController):
    path = "/metrics"
    include_in_schema = False
    guards = [metrics_guard]


def tune_gc() -> None:
    """Long-lived server processes: freeze start-up objects and collect young objects less often.

    A catalogue page or a priced basket allocates tens of thousands of short-lived tuples; with the default
    threshold (700) the collector runs dozens of times per request. Objects from start-up (modules, templates)
    are moved out of the collector's sight for good.
    """
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)

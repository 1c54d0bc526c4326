"""Operations: liveness, readiness, metrics and structured access logs."""

from __future__ import annotations

import logging
import sys
import time

import structlog
from litestar import Request, get
from litestar.datastructures import State
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy import text

access_log = structlog.get_logger("bodega.access")


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
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 500}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await app(scope, receive, capture)
        finally:
            handler = scope.get("route_handler")
            route = (
                scope.get("path_template") or (handler.paths and next(iter(handler.paths)))
                if handler
                else None
            )
            access_log.info(
                "request",
                method=scope["method"],
                route=route or "unmatched",
                status=status["code"],
                ms=round((time.perf_counter() - start) * 1000, 1),
            )

    return middleware


@get("/healthz", include_in_schema=False, sync_to_thread=False)
def healthz() -> dict[str, str]:
    """Alive: the process answers."""
    return {"status": "ok"}


@get("/readyz", include_in_schema=False)
async def readyz(state: State) -> dict[str, str]:
    """Ready: the database answers."""
    from litestar.exceptions import HTTPException

    try:
        async with state.db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise HTTPException(status_code=503, detail="database unreachable") from exc
    return {"status": "ok", "database": "ok"}


PROMETHEUS = PrometheusConfig(app_name="bodega", group_path=True, exclude=["/metrics", "/healthz", "/readyz"])


class MetricsController(PrometheusController):
    path = "/metrics"
    include_in_schema = False


def request_ip(request: Request) -> str | None:
    client = request.client
    return client.host if client else None

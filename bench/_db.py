"""What the database benches share: a server, a throwaway migrated database, and the results file."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from app.assembly import assemble
from app.migrate import upgrade
from app.settings import ROOT, asyncpg_url

assemble()  # tenant seeders and task kinds, as every entry point registers them

RESULTS = ROOT / "bench" / "results"


def server_url(data: Path) -> str:
    """DATABASE_URL when set, otherwise the embedded server under `data` (started if needed)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return asyncpg_url(url)
    from app.pgserver import start_embedded

    return start_embedded(data)


async def admin_sql(url: str, sql: str) -> None:
    """Run one statement on the server's `postgres` database (CREATE/DROP DATABASE)."""
    conn = await asyncpg.connect(
        make_url(url).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextmanager
def throwaway_database(base: str, prefix: str, *, keep: bool = False) -> Iterator[str]:
    """A migrated database of its own on `base`'s server, dropped afterwards unless `keep`."""
    name = f"{prefix}_{os.getpid()}"
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    asyncio.run(admin_sql(base, f'CREATE DATABASE "{name}"'))
    try:
        upgrade(url)  # before the bench's event loop: Alembic runs its own
        yield url
    finally:
        if keep:
            print(f"database kept: {url}")
        else:
            asyncio.run(admin_sql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def write_report(kind: str, report: dict) -> Path:
    """Save the figures as JSON in bench/results (git-ignored) and say where."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{kind}-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nfigures written to {path.relative_to(ROOT)}")
    return path

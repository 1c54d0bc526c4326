"""A real server (granian, as `make run` starts it) over a test database, and headless Debian Chromium.

Browser tests skip with a reason only when Chromium is missing and CI is unset;
under CI=true a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.settings import ROOT, Settings

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install Debian's chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium); CI runs these tests")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
async def live_server(server_url: str) -> AsyncIterator[str]:
    """Migrate a fresh database, load the demo tenant, serve it with granian; yields the base port URL."""
    import asyncpg
    from sqlalchemy.engine import make_url

    from app.demo import ensure_demo
    from app.migrate import upgrade

    name = f"bodega_e2e_{os.getpid()}"
    admin_dsn = make_url(server_url).set(drivername="postgresql", database="postgres")
    admin = await asyncpg.connect(admin_dsn.render_as_string(hide_password=False))
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", f"from app.migrate import upgrade; upgrade({url!r})"], check=True, cwd=ROOT)
    del upgrade
    port = _free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="bodega-e2e-"))
    env = dict(
        os.environ,
        DATABASE_URL=url,
        COOKIE_SECURE="false",
        BASE_DOMAIN="localhost",
        PORT=str(port),
        BODEGA_ENV="development",
        SECRET_KEY="e2e-secret-" + "y" * 32,
        BODEGA_DATA_DIR=str(data_dir),
    )
    env.pop("APP_DATABASE_URL", None)
    settings = Settings(base_domain="localhost", port=port, cookie_secure=False, data_dir=data_dir).with_database(url)
    await ensure_demo(settings)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--factory",
            "app.asgi:create",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-ws",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("granian did not start")
        time.sleep(0.2)
    yield f"{port}"
    proc.terminate()
    proc.wait(timeout=10)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
async def browser():
    _require_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        instance = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        await instance.close()


@pytest.fixture
async def phone(browser):
    """A fresh phone-sized browser context (360×740, touch), so no cookie leaks between tests."""
    context = await browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="es-ES"
    )
    page = await context.new_page()
    yield page
    await context.close()


async def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


async def assert_no_horizontal_scroll(page) -> None:
    overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"page scrolls horizontally by {overflow}px at phone width"

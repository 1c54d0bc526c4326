"""HTTP throughput of the served app, measured with wrk against a baseline route in the same run.

The stack is the one `make run` starts: PostgreSQL (embedded in a throwaway folder under
/tmp/bodega-bench unless DATABASE_URL is set), migrations, the demo tenant, and granian.
Everything started here is stopped again, also on Ctrl-C or an error.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx

from app.assembly import assemble
from app.settings import ROOT, Settings, asyncpg_url

assemble()  # tenant seeders and task kinds, as every entry point registers them

BENCH_ROOT = Path("/tmp/bodega-bench")
RESULTS = ROOT / "bench" / "results"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
DEMO_SLUG = "demo"
DEMO_OWNER = ("admin@demo.bodega.test", "demo-Bodega-2026")
DEMO_BUYER = ("compras@cowork-valencia.test", "demo-Bodega-2026")  # group prices, a contract, tiers, promotion
WARM_UP_SECONDS = 2
# A route measured uncached asks for its path with a query parameter never used before (ignored by the page,
# but part of every cache key), so each request builds the page from the database.
UNIQUE_REQUEST = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "?miss=" .. counter .. "-" .. math.random(1, 1000000000))
end
"""
# wrk calls done() once at the end: cheap, unlike a per-response callback that would slow wrk down.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d %d %.1f %.1f\\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Route:
    """One measured page: what wrk requests, and whether it needs a signed-in staff or customer session."""

    name: str
    path: str
    signed_in: bool = False
    customer: bool = False
    unique: bool = False  # each request adds ?miss=<random>: a URL no cache has seen (the uncached cost)


BASELINE = Route("healthz", "/healthz")
ROUTES = (
    BASELINE,
    Route("storefront", "/"),
    Route("admin", "/admin", signed_in=True),
    Route("catalogue", "/c/sillas"),
    Route("catalogue-buyer", "/c/sillas", signed_in=True, customer=True),
    Route("catalogue-uncached", "/c/sillas", signed_in=True, customer=True, unique=True),
)


@dataclass
class Measurement:
    """wrk's figures for one route; `skipped` says why a route was not measured."""

    route: str
    path: str
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    non_2xx: int = 0
    socket_errors: int = 0
    ratio: float | None = None
    baseline_per_s: float | None = None  # the baseline's rate the ratio is to (measured around this route)
    skipped: str | None = None


class Skip(Exception):
    """A route that cannot be measured in this checkout (e.g. no sign-in page yet)."""


# -- the stack ---------------------------------------------------------------------------------


@contextmanager
def database() -> Iterator[str]:
    """The owner's URL: DATABASE_URL when set, else an embedded server in a folder removed afterwards."""
    if os.environ.get("DATABASE_URL"):
        yield asyncpg_url(os.environ["DATABASE_URL"])
        return
    from app import pgserver

    BENCH_ROOT.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="run-", dir=BENCH_ROOT))
    try:
        yield pgserver.start_embedded(data_dir)
    finally:
        for server in pgserver._SERVERS:  # no public stop(): cleanup() stops this process's server
            server.cleanup()
        pgserver._SERVERS.clear()
        shutil.rmtree(data_dir, ignore_errors=True)


def prepare(owner_url: str, products: int = 0) -> Settings:
    """Migrate and load the demo tenant, as `make run` does, grown to `products` products; returns the settings
    granian will see."""
    from app.migrate import upgrade

    os.environ.update(DATABASE_URL=owner_url, COOKIE_SECURE="false")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
    upgrade(owner_url)
    settings = Settings.from_env()
    asyncio.run(_ensure_demo(settings))
    if products:
        from bench._bigcatalog import grow_demo

        asyncio.run(grow_demo(settings, products))
    return settings


async def _ensure_demo(settings: Settings) -> None:
    try:
        from app.demo import ensure_demo
    except ImportError:  # app/demo.py not written yet: a bare tenant is enough for the storefront
        await _bare_demo_tenant(settings)
        return
    await ensure_demo(settings)


async def _bare_demo_tenant(settings: Settings) -> None:
    from app.actor import SYSTEM
    from app.db import Database
    from app.errors import ValidationFailed
    from tenants.services import NewTenant, create_tenant

    db = Database(settings, null_pool=True)
    data = NewTenant("Demo S.L.", DEMO_SLUG, "ES", "EUR", "es", DEMO_OWNER[0])
    try:
        await create_tenant(db, data, SYSTEM, invite_url="http://demo.localhost/invite/{token}")
    except ValidationFailed:
        pass  # already there (a reused DATABASE_URL)
    finally:
        await db.dispose()


@contextmanager
def granian(workers: int, log_path: Path) -> Iterator[str]:
    """granian serving the app on a free local port, in its own session so Ctrl-C reaches only us."""
    port = _free_port()
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            _granian_args("127.0.0.1", port, workers),
            cwd=ROOT,
            env=dict(os.environ, PORT=str(port)),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(proc, base, log_path)
        yield base
    finally:
        _stop(proc)


def _granian_args(host: str, port: int, workers: int) -> list[str]:
    """The command `bodega serve` runs (app/cli.py); a copy while the CLI cannot be imported."""
    try:
        from app.cli import _granian_args as cli_args
    except ImportError:
        return [
            *(sys.executable, "-m", "granian", "--interface", "asgi", "--factory", "app.asgi:create"),
            *("--host", host, "--port", str(port), "--workers", str(workers)),
            *("--loop", "uvloop", "--no-ws", "--log-level", "warning"),
        ]
    return cli_args(host, port, workers)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(proc: subprocess.Popen, base: str, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"granian exited with {proc.returncode}:\n{_tail(log_path)}")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"granian did not answer within {timeout:.0f} s:\n{_tail(log_path)}")


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to granian's process group (its workers included), SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _tail(path: Path, lines: int = 20) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


# -- signing in --------------------------------------------------------------------------------


class _FormParser(HTMLParser):
    """The first POST form holding a password field: its action and input names/values/types."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"method": attr.get("method", "get").lower(), "action": attr.get("action", ""), "inputs": []}
            )
        elif tag == "input" and self.forms and attr.get("name"):
            self.forms[-1]["inputs"].append((attr["name"], attr.get("value", ""), attr.get("type", "text").lower()))


def sign_in(base: str, host: str, email: str, password: str, *, face: str = "/admin", home: str = "/admin") -> str:
    """Sign in over HTTP like a browser (CSRF cookie, then the form); returns the Cookie header for wrk."""
    with httpx.Client(base_url=base, headers={"host": host}, follow_redirects=False, timeout=10) as client:
        page = client.get(f"{face}/sign-in")
        if page.status_code == 404:
            raise Skip("no sign-in route yet")
        parser = _FormParser()
        parser.feed(page.text)
        form = next(
            (f for f in parser.forms if f["method"] == "post" and any(i[2] == "password" for i in f["inputs"])), None
        )
        if form is None:
            raise Skip(f"no sign-in form on {face}/sign-in")
        fields = {}
        for name, value, kind in form["inputs"]:
            fields[name] = password if kind == "password" else email if kind == "email" or "email" in name else value
        csrf = client.cookies.get("bodega_csrf", "")
        answer = client.post(form["action"] or f"{face}/sign-in", data=fields, headers={"x-csrftoken": csrf})
        if answer.status_code not in (302, 303):
            raise Skip(f"sign-in as {email} answered {answer.status_code}")
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        check = client.get(home, headers={"cookie": cookie})
        if check.status_code != 200:
            raise Skip(f"{home} answered {check.status_code} after signing in")
        return cookie


# -- measuring ---------------------------------------------------------------------------------


def wrk(
    base: str, route: Route, headers: dict[str, str], connections: int, seconds: float, script: Path
) -> Measurement:
    """One wrk run (one thread); the figures come from the script's done() line."""
    if route.unique:
        unique = script.with_name("unique-" + script.name)
        unique.write_text(UNIQUE_REQUEST + script.read_text())
        script = unique
    args = [WRK, "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "5s", "-s", str(script)]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, base + route.path], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH (.+)$", out, re.MULTILINE)
    if not match:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    requests, micros, connect, read, write, status, timeout, p50, p99 = match.group(1).split()
    return Measurement(
        route=route.name,
        path=route.path,
        requests_per_s=round(int(requests) / (int(micros) / 1e6), 1),
        p50_ms=round(float(p50) / 1000, 2),
        p99_ms=round(float(p99) / 1000, 2),
        requests=int(requests),
        non_2xx=int(status),
        socket_errors=int(connect) + int(read) + int(write) + int(timeout),
    )


def measure(
    base: str, host: str, routes: list[Route], connections: int, seconds: float, script: Path
) -> list[Measurement]:
    """Each route warmed up, then measured between two baseline windows (half as long): its ratio is to the mean
    of the baseline measured just before and just after it, so a machine that speeds up or slows down during
    the run moves both sides of the ratio. The baseline's own row is the mean of all its windows."""
    window = max(1, round(seconds / 2))
    plain = {"Host": host}
    wrk(base, BASELINE, plain, connections, WARM_UP_SECONDS, script)
    windows = [wrk(base, BASELINE, plain, connections, window, script)]
    results = []
    for route in routes:
        if route is BASELINE:
            continue
        headers = dict(plain)
        try:
            if route.signed_in and route.customer:
                headers["Cookie"] = sign_in(base, host, *DEMO_BUYER, face="", home="/account")
            elif route.signed_in:
                headers["Cookie"] = sign_in(base, host, *DEMO_OWNER)
            _expect_ok(base, route, headers)
        except Skip as why:
            results.append(Measurement(route.name, route.path, skipped=str(why)))
            continue
        wrk(base, route, headers, connections, WARM_UP_SECONDS, script)
        measured = wrk(base, route, headers, connections, seconds, script)
        windows.append(wrk(base, BASELINE, plain, connections, window, script))
        around = (windows[-2].requests_per_s + windows[-1].requests_per_s) / 2
        measured.baseline_per_s = round(around, 1)
        measured.ratio = round(measured.requests_per_s / around, 3) if around else None
        results.append(measured)
    return [_baseline_row(windows), *results]


def _baseline_row(windows: list[Measurement]) -> Measurement:
    """The baseline as one row: requests, rate and latencies averaged over its windows."""
    n = len(windows)
    row = Measurement(
        BASELINE.name,
        BASELINE.path,
        requests_per_s=round(sum(w.requests_per_s for w in windows) / n, 1),
        p50_ms=round(sum(w.p50_ms for w in windows) / n, 2),
        p99_ms=round(sum(w.p99_ms for w in windows) / n, 2),
        requests=sum(w.requests for w in windows),
        non_2xx=sum(w.non_2xx for w in windows),
        socket_errors=sum(w.socket_errors for w in windows),
        ratio=1.0,
    )
    row.baseline_per_s = row.requests_per_s
    return row


def _expect_ok(base: str, route: Route, headers: dict[str, str]) -> None:
    """wrk counts 3xx as success: make sure the route really answers 200 before measuring it."""
    status = httpx.get(base + route.path, headers=headers, timeout=10).status_code
    if status != 200:
        raise Skip(f"{route.path} answered {status}")


def table(workers: int, results: list[Measurement]) -> str:
    lines = [
        f"granian workers: {workers}",
        f"{'route':<20}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'x baseline':>12}{'baseline':>10}",
    ]
    for m in results:
        if m.skipped:
            lines.append(f"{m.route:<20}skipped: {m.skipped}")
            continue
        ratio = f"{m.ratio:.3f}" if m.ratio is not None else "-"
        around = f"{m.baseline_per_s:.0f}" if m.baseline_per_s is not None else "-"
        figures = f"{m.requests_per_s:>10.0f}{m.p50_ms:>9.2f}{m.p99_ms:>9.2f}{m.non_2xx:>9}{ratio:>12}{around:>10}"
        lines.append(f"{m.route:<20}{figures}")
        if m.socket_errors:
            lines[-1] += f"   ({m.socket_errors} socket errors)"
    return "\n".join(lines)


def run(workers: list[int], connections: int, seconds: float, only: list[str], products: int = 10_000) -> dict:
    """Start the stack once, measure every worker count, stop everything; returns the report."""
    routes = [r for r in ROUTES if r is BASELINE or not only or r.name in only]
    report = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "connections": connections,
        "duration_s": seconds,
        "products": products,
        "warm_up_s": WARM_UP_SECONDS,
        "runs": [],
    }
    with database() as owner_url, tempfile.TemporaryDirectory(prefix="wrk-", dir=_bench_root()) as tmp:
        settings = prepare(owner_url, products)
        host = f"{DEMO_SLUG}.{settings.base_domain}"
        script = Path(tmp) / "report.lua"
        script.write_text(WRK_SCRIPT)
        for count in workers:
            with granian(count, Path(tmp) / f"granian-{count}.log") as base:
                results = measure(base, host, routes, connections, seconds, script)
            print(table(count, results), end="\n\n", flush=True)
            report["runs"].append({"workers": count, "results": [asdict(m) for m in results]})
    return report


def _bench_root() -> Path:
    BENCH_ROOT.mkdir(parents=True, exist_ok=True)
    return BENCH_ROOT


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return ""
    return out.stdout.strip()

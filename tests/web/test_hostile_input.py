"""A hostile-input sweep over every route the app registers: no answer is a 5xx, and a refused write changes nothing.

The routes come from Litestar's own route table, so a route added tomorrow is swept without anyone
remembering to add it here. Each route is first asked once with no input while the query and form
dictionaries record which names the handler reads (the probe); then every path parameter, every name
read and a few common ones get each hostile value in turn, signed in with the role the face needs
(the owner in the back office, a customer admin in the shop, an operator on the platform host). Bad
Host headers are sent to every route too. After every answer that is a 4xx the database must be as it
was: a write that committed is found by the transaction ids that committed during the request, and
then the tables' contents are compared (sign-in attempts, which are counted before the password by
design, are left out).
"""

from __future__ import annotations

import ast
import inspect
import os
import re
import textwrap
import time
import uuid
from dataclasses import dataclass, field, replace
from urllib.parse import quote

import pytest
from litestar.datastructures import FormMultiDict, MultiDict
from litestar.routes import HTTPRoute
from sqlalchemy import text

from app.db import Database as AppDatabase
from app.demo import OPERATOR, ensure_demo
from app.demo import OWNER as STAFF
from app.demo import PASSWORD as DEMO_PASSWORD
from app.factory import create_app
from app.settings import ROOT
from tests.conftest import client_for, make_tenant
from tests.web.test_auth_sign_in import csrf, sign_in

# Each value as it goes on the wire: already percent-encoded (the invalid UTF-8 one cannot be text).
HOSTILE = {
    "nul": quote("a\x00b"),
    "control": quote("\x1b[31m\x07\x08x"),
    "invalid-utf8": "%FF%FEab%C0",
    "huge": "A" * 100_000,
    "1e400": "1e400",
    "minus-one": "-1",
    "nan": "NaN",
    # A path traversal, markup and an SQL quote in one value: text that passes the door's checks.
    "odd-text": quote("../../etc/passwd<script>alert(1)</script>' OR '1'='1", safe=""),
}
# httpx refuses URLs over 64 KiB (servers answer 414 well before): a huge value in a URL is cut to fit.
URL_ROOM = 60_000
BAD_HOSTS = ["{host}:abc", "{host}:99999999", "{host}:-1", "{host}:443@evil.example", "{host} evil"]
COMMON = ("q", "page", "next")
AT_THE_DOOR = {"nul", "control", "invalid-utf8", "huge"}  # refused before any handler: once per route, all names
CUSTOMER = "compras@cowork-valencia.test"  # the demo's buyer and customer admin
SKIPPED = {"/admin/sign-out", "/sign-out", "/platform/sign-out"}  # they end the sweep's own sessions
PROGRESS = bool(os.environ.get("SWEEP_PROGRESS"))
NOT_FINGERPRINTED = {"sign_in_attempts", "user_sessions", "platform_sessions"}

_TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT (c.relname = ANY($1::text[])) ORDER BY c.relname
"""


@dataclass
class Sweep:
    """What the sweep sent and what it found."""

    requests: int = 0
    failures: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    get_writes: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        if len(self.failures) < 200:
            self.failures.append(text)


class Recorder:
    """Names the handler reads from the query and the form while `names` is a set (the probe)."""

    names: set[str] | None = None


def _recording(method):
    def wrapper(self, key, *args, **kwargs):
        if Recorder.names is not None and isinstance(key, str):
            Recorder.names.add(key)
        return method(self, key, *args, **kwargs)

    return wrapper


@pytest.fixture
def recorded_reads(monkeypatch):
    for cls in (MultiDict, FormMultiDict):
        for name in ("get", "getall", "getone", "__getitem__", "__contains__"):
            monkeypatch.setattr(cls, name, _recording(getattr(cls, name)))


def literal_keys(handler) -> set[str]:
    """String literals read with .get("x") / .getall("x") in the handler's own code (read from dict copies)."""
    source = textwrap.dedent(inspect.getsource(handler.fn))
    keys: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            arg = node.args[0]
            if node.func.attr in {"get", "getall"} and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                keys.add(arg.value)
    return {k for k in keys if re.fullmatch(r"[a-z_][a-z0-9_.\-]{0,40}", k)}


# path parameter -> the table holding real ones (the first row of the swept tenant's is used)
TABLES = {
    "product_id": "products",
    "variant_id": "product_variants",
    "image_id": "product_images",
    "category_id": "categories",
    "brand_id": "brands",
    "attribute_id": "attributes",
    "value_id": "attribute_values",
    "group_id": "customer_groups",
    "customer_id": "customers",
    "catalog_id": "catalogs",
    "assignment_id": "catalog_assignments",
    "price_list_id": "price_lists",
    "rule_id": "price_rules",
    "promotion_id": "promotions",
    "task_id": "background_tasks",
    "message_id": "mail_messages",
    "warehouse_id": "warehouses",
    "location_id": "locations",
    "transfer_id": "transfers",
    "count_id": "stock_counts",
    "carrier_id": "carriers",
    "service_id": "carrier_services",
    "zone_id": "shipping_zones",
    "rate_id": "shipping_rates",
    "supplier_id": "suppliers",
    "price_id": "supplier_prices",
    "rfq_id": "rfqs",
    "order_id": "purchase_orders",
    "receipt_id": "purchase_receipts",
    "bill_id": "vendor_bills",
    "quote_id": "quotes",
    "list_id": "saved_lists",
    "payment_id": "payments",
    "pick_list_id": "pick_lists",
    "shipment_id": "shipments",
    "return_id": "sales_returns",
}
# a parameter whose table depends on the route: (parameter, a part of the path) -> table
BY_ROUTE = {
    ("line_id", "/transfers/"): "transfer_lines",
    ("line_id", "/orders/"): "purchase_order_lines",
    ("order_id", "/sales/orders/"): "sales_orders",
    ("order_id", "/account/orders/"): "sales_orders",
    ("order_id", "/approval/"): "sales_orders",
    ("user_id", "/account/users/"): "users",
    ("address_id", "/account/addresses/"): "addresses",
}
SLUGS = (("slug", "/c/"), ("slug", "/p/"))  # a category's slug, a product's slug


async def valid_path_values(owner, tenant_id, other_tenant_id) -> dict[str, str]:
    """An existing row for each kind of path parameter, so handlers go past the look-up to the input."""
    values = {}
    for name, table in {**TABLES, **{f"{n}@{part}": t for (n, part), t in BY_ROUTE.items()}}.items():
        found = await owner.fetchval(
            f"SELECT id::text FROM {table} WHERE tenant_id = $1 ORDER BY id LIMIT 1", tenant_id
        )
        values[name] = found or str(uuid.uuid4())
    values["document_id"] = await owner.fetchval(
        "SELECT document_id::text FROM stock_moves WHERE tenant_id = $1 AND document_id IS NOT NULL LIMIT 1", tenant_id
    ) or str(uuid.uuid4())
    values["user_id"] = await owner.fetchval(
        "SELECT id::text FROM users WHERE tenant_id = $1 AND kind = 'staff' AND email <> $2 ORDER BY id LIMIT 1",
        tenant_id,
        STAFF[0],
    )
    values["slug@/c/"] = await owner.fetchval(
        "SELECT slug FROM categories WHERE tenant_id = $1 ORDER BY position, slug LIMIT 1", tenant_id
    )
    values["slug@/p/"] = await owner.fetchval(
        "SELECT slug FROM products WHERE tenant_id = $1 AND status = 'active' ORDER BY slug LIMIT 1", tenant_id
    )
    values["tenant_id"] = str(other_tenant_id)
    values["kind"] = "related"
    values["token"] = "t" * 43
    values["file_path"] = "css/bodega.css"
    values["key"] = "ab/nothing.png"
    return values


def fill(route: HTTPRoute, valid: dict[str, str], hostile: tuple[str, str] | None = None) -> str:
    """The route's path with valid values, or one parameter hostile."""
    path = route.path
    for name, definition in route.path_parameters.items():
        routed = next((f"{n}@{part}" for (n, part) in (*BY_ROUTE, *SLUGS) if n == name and part in route.path), name)
        value = hostile[1] if hostile and hostile[0] == name else valid.get(routed) or _fallback(definition.type)
        path = re.sub(r"\{" + re.escape(name) + r":[^}]+\}", lambda _m, v=value: v, path)
    return path


def _fallback(kind) -> str:
    return str(uuid.uuid4()) if kind is uuid.UUID else "x"


@dataclass(frozen=True)
class Attempt:
    what: str
    path: str
    query: str = ""
    body: str = ""
    host: str | None = None


async def send(client, method: str, attempt: Attempt):
    headers = {"x-csrftoken": await csrf(client)}
    if attempt.host is not None:
        headers["host"] = attempt.host
    url = attempt.path + (f"?{attempt.query}" if attempt.query else "")
    if method == "GET":
        return await client.get(url, headers=headers)
    headers["content-type"] = "application/x-www-form-urlencoded"
    return await client.request(method, url, content=attempt.body.encode("latin-1"), headers=headers)


class Database:
    """Committed writes seen through the owner connection: transaction ids, then the tables' contents."""

    def __init__(self, owner) -> None:
        self.owner = owner
        self.print: list = []
        self.next_xid = 0
        self.sql = ""
        self.last_change: list[str] = []

    async def start(self) -> None:
        tables = [r["relname"] for r in await self.owner.fetch(_TABLES, list(NOT_FINGERPRINTED))]
        self.sql = " UNION ALL ".join(
            f"SELECT '{t}' AS t, count(*) AS n, coalesce(sum(hashtext(x::text)), 0) AS h FROM {t} x" for t in tables
        )
        self.print = await self._fingerprint()
        self.next_xid = await self._xmax()

    async def _fingerprint(self) -> list:
        return sorted(tuple(r) for r in await self.owner.fetch(self.sql))  # UNION ALL keeps no order

    async def _xmax(self) -> int:
        return int(await self.owner.fetchval("SELECT pg_snapshot_xmax(pg_current_snapshot())::text"))

    async def changed(self) -> bool:
        """Whether the tables changed since the last call (checked only when a transaction committed)."""
        xmax = await self._xmax()
        xids = [str(x) for x in range(self.next_xid, xmax)]
        self.next_xid = xmax
        if not xids:
            return False
        committed = await self.owner.fetchval(
            "SELECT count(*) FROM unnest($1::text[]) x WHERE pg_xact_status(x::xid8) = 'committed'", xids
        )
        if not committed:
            return False
        before, self.print = self.print, await self._fingerprint()
        self.last_change = sorted({t for t, *_ in set(before) ^ set(self.print)})
        return before != self.print


def face_client(route: HTTPRoute, clients: dict):
    if route.path.startswith("/platform"):
        return clients["platform"], "localhost"
    if route.path.startswith("/admin"):
        return clients["staff"], "demo.localhost"
    return clients["customer"], "demo.localhost"


def attempts_for(route: HTTPRoute, method: str, names: set[str], valid: dict[str, str], host: str) -> list[Attempt]:
    """What to send one route: the door's values once with every name, the handlers' values name by name."""
    base = fill(route, valid)
    form = method != "GET"
    attempts = []
    for label, value in HOSTILE.items():
        in_url = value[:URL_ROOM] if label == "huge" else value
        for param in route.path_parameters:
            attempts.append(Attempt(f"path {param}={label}", fill(route, valid, (param, in_url))))
        if label in AT_THE_DOOR:
            query = "&".join(f"{quote(n)}={in_url}" for n in sorted(names))[: URL_ROOM + 2_000]
            body = "&".join(f"{quote(n)}={value}" for n in sorted(names))
            attempts.append(Attempt(f"query *={label}", base, query=query))
            if form:
                attempts.append(Attempt(f"form *={label}", base, body=body))
            continue
        for name in sorted(names):  # a form's fields in its body, a page's parameters in its query
            if form:
                attempts.append(Attempt(f"form {name}={label}", base, body=f"{quote(name)}={value}"))
            else:
                attempts.append(Attempt(f"query {name}={label}", base, query=f"{quote(name)}={value}"))
    attempts += [Attempt(f"host {bad}", base, host=bad.format(host=host)) for bad in BAD_HOSTS]
    return attempts


async def sweep_route(route, method, client, host, valid, db: Database, result: Sweep) -> None:
    handler = route.route_handler_map[method][0]
    Recorder.names = set()
    probe = await send(client, method, Attempt("probe", fill(route, valid)))
    names, Recorder.names = Recorder.names | literal_keys(handler) | set(COMMON), None
    if probe.status_code >= 500:
        result.problem(f"{method} {route.path} probe -> {probe.status_code}")
    writes = method != "GET"
    if await db.changed() and not writes:  # a GET that writes is worth knowing about (GET must be safe)
        result.get_writes.append(f"GET {route.path} probe wrote {', '.join(db.last_change)}")
    for attempt in attempts_for(route, method, names, valid, host):
        response = await send(client, method, attempt)
        result.requests += 1
        status = response.status_code
        if status >= 500:
            result.problem(f"{method} {route.path} {attempt.what} -> {status}")
        changed = await db.changed()
        if changed and not writes:
            result.get_writes.append(f"GET {route.path} {attempt.what} wrote {', '.join(db.last_change)}")
        if changed and writes and 400 <= status < 500:
            tables = ", ".join(db.last_change)
            result.changed.append(f"{method} {route.path} {attempt.what} -> {status} but {tables} changed")


@pytest.fixture
async def pooled_app(settings):
    """The app as it runs: pooled connections, tenants remembered (the sweep sends thousands of requests)."""
    database = AppDatabase(settings)
    yield create_app(replace(settings, tenant_cache_seconds=60.0), database=database)
    await database.dispose()


SHARDS = 4  # the routes are swept in four parts, each on its own database, so that test workers share the sweep


@pytest.mark.usefixtures("recorded_reads")
@pytest.mark.parametrize("shard", range(SHARDS))
async def test_no_hostile_input_gets_a_5xx_or_half_writes(pooled_app, settings, db, owner, shard):
    """On the demo tenant (make run's: every domain has rows, so each route has real ids to go past its look-up);
    this part's routes: every SHARDS-th one in path order."""
    app = pooled_app
    await ensure_demo(settings)
    demo = await owner.fetchval("SELECT id FROM tenants WHERE slug = 'demo'")
    globex = await make_tenant(db, "globex")
    valid = await valid_path_values(owner, demo, globex.id)
    result = Sweep()
    async with (
        client_for(app, "demo.localhost") as staff,
        client_for(app, "demo.localhost") as shopper,
        client_for(app, "localhost") as platform,
    ):
        assert (await sign_in(staff, STAFF[0], DEMO_PASSWORD, staff=True)).status_code == 303
        assert (await sign_in(shopper, CUSTOMER, DEMO_PASSWORD, staff=False)).status_code == 303
        await csrf(platform)
        signed = await platform.post(
            "/platform/sign-in",
            data={"email": OPERATOR[0], "password": DEMO_PASSWORD},
            headers={"x-csrftoken": platform.cookies["bodega_csrf"]},
        )
        assert signed.status_code == 303
        clients = {"staff": staff, "customer": shopper, "platform": platform}
        db_watch = Database(owner)
        await db_watch.start()
        only = os.environ.get("SWEEP_ONLY", "")  # a path prefix, to sweep a part while working on it
        routes = [r for r in app.routes if isinstance(r, HTTPRoute) and r.path not in SKIPPED]
        routes = [r for r in routes if r.path.startswith(only)]
        routes = sorted(routes, key=lambda r: r.path)[shard::SHARDS]
        # The platform's suspend comes last among its routes' effects: the swept tenant is globex, never demo.
        for route in sorted(routes, key=lambda r: (r.path.startswith("/platform"), r.path)):
            for method in sorted(m for m in route.methods if m not in {"OPTIONS", "HEAD"}):
                client, host = face_client(route, clients)
                started, sent = time.perf_counter(), result.requests
                await sweep_route(route, method, client, host, valid, db_watch, result)
                if PROGRESS:
                    took = time.perf_counter() - started
                    print(f"{method} {route.path}: {result.requests - sent} requests, {took:.1f}s", flush=True)
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    found = "\n".join(result.failures + result.changed + result.get_writes)
    report = f"routes: {len(routes)}\nrequests: {result.requests}\n{found}\n"
    (artifacts / f"hostile-sweep-{shard}.txt").write_text(report)
    print(f"hostile sweep, part {shard + 1} of {SHARDS}: {len(routes)} routes, {result.requests} requests")
    assert not result.failures, "\n".join(result.failures)
    assert not result.changed, "\n".join(result.changed)


async def test_the_sweep_sees_a_committed_write_and_nothing_else(db, owner, tenant_a):
    """The write check itself: a committed write is seen, a rolled-back one and a read are not."""
    watch = Database(owner)
    await watch.start()
    assert not await watch.changed()
    async with db.transaction(tenant_a.id) as session:
        await session.execute(text("SELECT count(*) FROM products"))
    assert not await watch.changed()
    with pytest.raises(RuntimeError):
        async with db.transaction(tenant_a.id) as session:
            await session.execute(
                text("INSERT INTO brands (tenant_id, id, name, slug) VALUES (:t, gen_random_uuid(), 'B', 'b')"),
                {"t": tenant_a.id},
            )
            raise RuntimeError("roll back")
    assert not await watch.changed()
    async with db.transaction(tenant_a.id) as session:
        await session.execute(
            text("INSERT INTO brands (tenant_id, id, name, slug) VALUES (:t, gen_random_uuid(), 'B', 'b')"),
            {"t": tenant_a.id},
        )
    assert await watch.changed()

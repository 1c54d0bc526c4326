"""Order placement over HTTP against a bare asyncpg transaction doing the same writes, in one run.

    python -m bench.order_placement [--connections 32] [--duration 10] [--workers 1]

The stack is bench.http's (PostgreSQL, migrations, the demo tenant, granian). 32 customer companies are added
to the demo, each with a buyer and on account without a credit limit, and five demo articles get a large
stock, so every order prices, taxes and reserves its five lines. wrk then places orders through the back
office's order entry (POST /admin/sales/orders/new: one request, one order, through sales.place_order as a
buyer's checkout does: 5 lines re-priced by the pricing engine, taxed, stock reserved in variant order, the
OrderPlaced event and the confirmation e-mail in the outbox), each request for the next company with a key
never used before. A storefront checkout needs the buyer's cart filled again before each order (a second
request): the order entry keeps the figure to placement alone.

The baseline, in the same run: 32 asyncpg connections as the app's role, each order one transaction with
the same writes (the customer row locked, the order, its 5 lines, 5 stock levels and reservations, the
number, the timeline row, two outbox rows) and no HTTP, pricing or tax. Targets: >= 300 orders/s over HTTP
and >= 0.4x the baseline. Orders/s are counted in the database (placed orders over the measured seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

import asyncpg

from bench.http import DEMO_OWNER, DEMO_SLUG, WRK, _bench_root, database, granian, prepare, sign_in

TARGET_PER_S = 300
TARGET_RATIO = 0.4
LINES = 5
COMPANIES = 32
WRK_SCRIPT = """
counter = 0
customers = {%(customers)s}
skus = {%(skus)s}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  counter = counter + 1
  local customer = customers[(counter %% #customers) + 1]
  local body = "action=place&delivery_mode=ship_available&customer=" .. customer
    .. "&idempotency_key=bench-" .. counter .. "-" .. math.random(1, 1000000000)
  for i, sku in ipairs(skus) do
    body = body .. "&sku=" .. sku .. "&qty=" .. ((counter + i) %% 3 + 1)
  end
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %%d %%d %%d %%d %%.1f %%.1f\\n", summary.requests, summary.duration,
    e.status, e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _arrange(owner_url: str) -> tuple[uuid.UUID, list[tuple[uuid.UUID, str]], list[tuple[uuid.UUID, str]]]:
    """The bench companies (made through the parties service) and five stocked articles: (tenant, [(company,
    code)], [(variant, sku)])."""
    from app.actor import SYSTEM
    from app.db import Database
    from app.inventory import Receipt, ReceiptLine, receive
    from app.parties import NewCustomer, create_customer
    from app.settings import Settings

    conn = await asyncpg.connect(_dsn(owner_url))
    try:
        tenant_id = await conn.fetchval("SELECT id FROM tenants WHERE slug = $1", DEMO_SLUG)
        articles = await conn.fetch(
            """SELECT v.id, v.sku FROM product_variants v JOIN products p ON p.tenant_id = v.tenant_id AND
               p.id = v.product_id WHERE v.tenant_id = $1 AND p.status = 'active' AND v.status = 'active'
               AND v.min_qty <= 1 AND v.order_multiple = 1 ORDER BY v.sku LIMIT $2""",
            tenant_id,
            LINES,
        )
        warehouse = await conn.fetchrow(
            "SELECT id, receipt_location_id FROM warehouses WHERE tenant_id = $1 ORDER BY is_default DESC, code",
            tenant_id,
        )
    finally:
        await conn.close()
    db = Database(Settings.from_env(), null_pool=True)
    companies = []
    try:
        async with db.transaction(tenant_id) as s:
            for n in range(COMPANIES):
                data = NewCustomer(f"BENCH{n:02d}", f"Bench buyer {n:02d} S.L.")
                companies.append(((await create_customer(s, tenant_id, data, SYSTEM)).id, data.code))
            lines = tuple(
                ReceiptLine(a["id"], Decimal(10_000_000), Decimal(10), warehouse["receipt_location_id"])
                for a in articles
            )
            await receive(s, tenant_id, Receipt(warehouse["id"], lines), SYSTEM)
    finally:
        await db.dispose()
    return tenant_id, companies, [(a["id"], a["sku"]) for a in articles]


async def _orders(owner_url: str) -> int:
    conn = await asyncpg.connect(_dsn(owner_url))
    try:
        return await conn.fetchval("SELECT count(*) FROM sales_orders")
    finally:
        await conn.close()


def _http(base: str, host: str, companies, articles, connections: int, seconds: float, owner_url: str) -> dict:
    """wrk against the order entry, warmed up first; orders/s from the database."""
    cookie = sign_in(base, host, *DEMO_OWNER)
    csrf = next(part.split("=", 1)[1] for part in cookie.split("; ") if part.startswith("bodega_csrf="))
    script = Path(tempfile.mkdtemp(dir=_bench_root())) / "orders.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "customers": ", ".join(f'"{code}"' for _id, code in companies),
            "skus": ", ".join(f'"{sku}"' for _v, sku in articles),
        }
    )
    headers = ["-H", f"Host: {host}", "-H", f"Cookie: {cookie}", "-H", f"x-csrftoken: {csrf}"]
    url = base + "/admin/sales/orders/new"

    def run(duration: float) -> tuple[list[str], float, int]:
        before = asyncio.run(_orders(owner_url))
        args = [WRK, "-t1", f"-c{connections}", f"-d{duration:g}s", "--timeout", "10s", "-s", str(script), *headers]
        import subprocess

        started = time.monotonic()
        out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
        elapsed = time.monotonic() - started
        placed = asyncio.run(_orders(owner_url)) - before
        line = next((x for x in out.splitlines() if x.startswith("BENCH ")), None)
        if line is None:
            raise RuntimeError(f"unexpected wrk output:\n{out}")
        return line.split()[1:], elapsed, placed

    run(2)  # warm-up
    (requests, micros, non_2xx, socket_errors, p50, p99), _elapsed, placed = run(seconds)
    measured = int(micros) / 1e6
    return {
        "requests": int(requests),
        "orders": placed,
        "orders_per_s": round(placed / measured, 1),
        "p50_ms": round(float(p50) / 1000, 1),
        "p99_ms": round(float(p99) / 1000, 1),
        "non_2xx_3xx": int(non_2xx),
        "socket_errors": int(socket_errors),
    }


ORDER = """
INSERT INTO sales_orders (tenant_id, id, idempotency_key, customer_id, status, currency, net, tax, gross,
    po_number, delivery_mode, payment_method, warehouse_id, tax_treatment, approval_reason, placed_at)
VALUES ($1, $2, $3, $4, 'confirmed', 'EUR', 100, 21, 121, '', 'ship_available', 'account', $5, 'domestic', '',
    now())
"""
LINE = """
INSERT INTO sales_order_lines (tenant_id, id, order_id, position, variant_id, sku, name, qty, unit_price,
    discount_pct, tax_class, tax_rate, net, tax, gross, reserved_qty, shipped_qty)
SELECT $1, x.id, $2, x.position, x.variant_id, x.sku, x.sku, x.qty, 20, 0, 'standard', 21, 20, 4.2, 24.2, x.qty, 0
FROM unnest($3::uuid[], $4::int[], $5::uuid[], $6::text[], $7::numeric[]) AS x(id, position, variant_id, sku, qty)
"""
HOLD = """
UPDATE stock_levels SET reserved = reserved + $4
WHERE tenant_id = $1 AND variant_id = $2 AND warehouse_id = $3 AND on_hand - reserved >= $4
"""
KEEP = """
INSERT INTO reservations (tenant_id, id, variant_id, warehouse_id, qty, document_kind, document_id,
    document_line_id) VALUES ($1, $2, $3, $4, $5, 'sales_order', $6, $7)
"""
NUMBER = """
UPDATE number_series SET next_number = next_number + 1 WHERE tenant_id = $1 AND code = 'sales_order'
RETURNING next_number - 1
"""
EVENT = """
INSERT INTO sales_order_events (tenant_id, id, order_id, from_status, to_status, actor_kind, actor_label, note)
VALUES ($1, $2, $3, NULL, 'confirmed', 'staff', 'bench', '')
"""
OUTBOX = """
INSERT INTO outbox (tenant_id, id, topic, payload, status, attempts) VALUES ($1, $2, $3, $4::jsonb, 'pending', 0)
"""


async def _bare(app_url: str, tenant_id, companies, articles, warehouse_id, connections: int, seconds: float) -> dict:
    """The same writes per order as placing it does, in one asyncpg transaction each, without HTTP or pricing."""
    from app.base import new_id

    stop = time.monotonic() + seconds
    counts = [0] * connections
    ordered = sorted(articles)

    async def worker(n: int) -> None:
        conn = await asyncpg.connect(_dsn(app_url))
        rng = random.Random(n)
        try:
            while time.monotonic() < stop:
                customer = companies[(n + counts[n]) % len(companies)][0]
                order_id = new_id()
                ids = [new_id() for _ in ordered]
                qtys = [Decimal(rng.randint(1, 3)) for _ in ordered]
                async with conn.transaction():
                    await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
                    await conn.execute("SELECT id FROM customers WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
                                       tenant_id, customer)  # fmt: skip
                    await conn.execute(ORDER, tenant_id, order_id, uuid.uuid4().hex, customer, warehouse_id)
                    await conn.execute(
                        LINE, tenant_id, order_id, ids, list(range(len(ordered))),
                        [v for v, _s in ordered], [s for _v, s in ordered], qtys,
                    )  # fmt: skip
                    for (variant_id, _sku), line_id, qty in zip(ordered, ids, qtys, strict=True):
                        await conn.execute(HOLD, tenant_id, variant_id, warehouse_id, qty)
                        await conn.execute(KEEP, tenant_id, new_id(), variant_id, warehouse_id, qty, order_id, line_id)
                    await conn.fetchval(NUMBER, tenant_id)
                    await conn.execute(EVENT, tenant_id, new_id(), order_id)
                    payload = json.dumps({"order_id": str(order_id)})
                    await conn.execute(OUTBOX, tenant_id, new_id(), "sales.order_placed", payload)
                    await conn.execute(OUTBOX, tenant_id, new_id(), "mail.send", payload)
                counts[n] += 1
        finally:
            await conn.close()

    started = time.monotonic()
    await asyncio.gather(*(worker(n) for n in range(connections)))
    elapsed = time.monotonic() - started
    return {"orders": sum(counts), "orders_per_s": round(sum(counts) / elapsed, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.order_placement", description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=32, help="concurrent buyers (default 32)")
    parser.add_argument("--duration", type=float, default=10, help="seconds measured (default 10)")
    parser.add_argument("--workers", type=int, default=1, help="granian workers (default 1)")
    args = parser.parse_args(argv)
    with database() as owner_url:
        settings = prepare(owner_url, 0)
        tenant_id, companies, articles = asyncio.run(_arrange(owner_url))
        host = f"{DEMO_SLUG}.{settings.base_domain}"
        log = Path(tempfile.mkdtemp(dir=_bench_root())) / "granian.log"
        with granian(args.workers, log) as base:
            http = _http(base, host, companies, articles, args.connections, args.duration, owner_url)
        warehouse_id = asyncio.run(_warehouse(owner_url, tenant_id))
        bare = asyncio.run(
            _bare(settings.app_database_url, tenant_id, companies, articles, warehouse_id, args.connections,
                  args.duration)
        )  # fmt: skip
    ratio = http["orders_per_s"] / bare["orders_per_s"] if bare["orders_per_s"] else 0.0
    print(f"order placement, {LINES} lines, {args.connections} concurrent buyers, {args.duration:g} s, "
          f"granian workers {args.workers}, {os.cpu_count()} CPUs")  # fmt: skip
    print(f"  over HTTP:     {http['orders_per_s']:>8.1f} orders/s  (target >= {TARGET_PER_S})  "
          f"p50 {http['p50_ms']} ms, p99 {http['p99_ms']} ms, {http['non_2xx_3xx']} refused, "
          f"{http['socket_errors']} socket errors")  # fmt: skip
    print(f"  bare asyncpg:  {bare['orders_per_s']:>8.1f} orders/s  (the same writes, no HTTP, pricing or tax)")
    print(f"  ratio:         {ratio:>8.3f}x      (target >= {TARGET_RATIO})")
    return 0


async def _warehouse(owner_url: str, tenant_id) -> uuid.UUID:
    conn = await asyncpg.connect(_dsn(owner_url))
    try:
        return await conn.fetchval(
            "SELECT id FROM warehouses WHERE tenant_id = $1 ORDER BY is_default DESC, code", tenant_id
        )
    finally:
        await conn.close()


if __name__ == "__main__":
    sys.exit(main())

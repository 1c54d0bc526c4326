"""Posting stock moves, availability for 1,000 SKUs, and valuation that stays incremental.

    python -m bench.stock_moves [--documents 40] [--lines 100] [--big 1000000] [--posts 200]

Builds a throwaway database (embedded PostgreSQL in /tmp/bodega-bench-stock unless DATABASE_URL names a server)
with one tenant, 1,000 variants and three warehouses, and prints:

1. Posting: --documents documents of --lines moves each through `post_moves` (receipts into the three warehouses,
   then as many issues), one transaction per document, for the moving average and for FIFO; beside it, the same
   rows inserted by a bare asyncpg INSERT ... SELECT unnest (one statement and transaction per document) into a
   copy of stock_moves with the same indexes, in the same run: the ratio is the figure to keep. Target >= 2,000
   moves/s.
2. Availability: `atp()` for the 1,000 SKUs in the three warehouses (levels and transfers in transit), with the
   figure available now read for each SKU, and with a promise date for each (the domain's ATP timeline).
   Target <= 20 ms.
3. Incremental valuation: one variant of each cost method with --big moves already in its ledger (bulk inserted,
   with its valuation row and FIFO layers in step) and one with 1,000; posting one more move costs the same.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import asyncpg
from sqlalchemy import select

from app.actor import SYSTEM
from app.base import new_id
from app.catalog import services as catalog
from app.catalog.models import ProductVariant
from app.catalog.services import CategoryInput, ProductRow
from app.db import Database, driver_connection, plain_dsn
from app.inventory import queries, services
from app.inventory.values import InventorySettingsInput, MoveLine, StockDocument, TransferInput, WarehouseInput
from app.settings import Settings
from app.web.ops import tune_gc
from bench._db import server_url, throwaway_database, write_report
from tenants.services import NewTenant, create_tenant

DATA = Path("/tmp/bodega-bench-stock")
SKUS = 1000
TARGET_RATE = 2000
TARGET_ATP_MS = 20.0


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(values):7.2f} ms  p95 {p95:7.2f} ms"


class Shop:
    """The bench tenant: its variants and places."""

    def __init__(self, tenant_id: uuid.UUID) -> None:
        self.tenant_id = tenant_id
        self.variants: list[uuid.UUID] = []
        self.stock: dict[str, uuid.UUID] = {}  # warehouse code -> its stock location
        self.warehouses: dict[str, uuid.UUID] = {}
        self.virtual: dict[str, uuid.UUID] = {}


async def build(db: Database, slug: str, method: str) -> Shop:
    tenant = await create_tenant(
        db, NewTenant(slug.title(), slug, "ES", "EUR", "es", f"a@{slug}.test"), SYSTEM, invite_url="{token}"
    )
    shop = Shop(tenant.id)
    async with db.transaction(tenant.id) as s:
        await catalog.create_category(s, tenant.id, CategoryInput({"es": "Todo"}, slug="todo"), SYSTEM)
        rows = [
            ProductRow(sku=f"SKU-{i:05d}", name_es=f"Artículo {i}", category="todo", cost="10") for i in range(SKUS + 2)
        ]
        await catalog.upsert_products(s, tenant.id, rows, SYSTEM)
        await services.set_inventory_settings(s, tenant.id, InventorySettingsInput(cost_method=method), SYSTEM)
        for code, name in (("MAD", "Madrid"), ("BCN", "Barcelona")):
            await services.create_warehouse(s, tenant.id, WarehouseInput(code, name), SYSTEM)
    async with db.transaction(tenant.id) as s:
        shop.variants = list(await s.scalars(select(ProductVariant.id).order_by(ProductVariant.sku)))
        for w in await queries.warehouses(s):
            shop.warehouses[w.code], shop.stock[w.code] = w.id, w.receipt_location_id
        shop.virtual = {loc.kind: loc.id for loc in await queries.virtual_locations(s)}
    return shop


def documents(shop: Shop, count: int, lines: int) -> list[list[MoveLine]]:
    """Receipts of `lines` variants into each warehouse in turn, then as many issues of half of it."""
    codes = list(shop.stock)
    docs: list[list[MoveLine]] = []
    half = max(count // 2, 1)
    for n in range(count):
        m = n % half  # an issue takes half of what receipt m brought
        code = codes[m % len(codes)]
        variants = [shop.variants[(m * lines + i) % SKUS] for i in range(lines)]
        if n < half:
            docs.append(
                [MoveLine(v, shop.virtual["supplier"], shop.stock[code], Decimal(10), Decimal(7)) for v in variants]
            )
        else:
            docs.append([MoveLine(v, shop.stock[code], shop.virtual["customer"], Decimal(5)) for v in variants])
    return docs


async def post_all(db: Database, shop: Shop, docs: list[list[MoveLine]]) -> tuple[float, list[tuple]]:
    """Post each document in its own transaction; seconds taken, and the rows as posted (for the bare insert)."""
    rows: list[tuple] = []
    started = time.perf_counter()
    for n, lines in enumerate(docs):
        async with db.transaction(shop.tenant_id) as s:
            posted = await services.post_moves(
                s, shop.tenant_id, StockDocument("bench", new_id(), f"B-{n}"), lines, SYSTEM
            )
        rows.append((posted, lines))
    return time.perf_counter() - started, rows


BARE = """
INSERT INTO bare_moves (tenant_id, id, sequence, variant_id, from_location_id, to_location_id, lot_id, qty, unit_cost,
    value, adjustment, document_kind, document_id, reference, actor)
SELECT $1, m.id, m.seq, m.variant, m.src, m.dst, NULL, m.qty, m.cost, m.value, m.adj, 'bench', $2, $3, 'bench'
FROM unnest($4::uuid[], $5::bigint[], $6::uuid[], $7::uuid[], $8::uuid[], $9::numeric[], $10::numeric[],
            $11::numeric[], $12::numeric[]) AS m(id, seq, variant, src, dst, qty, cost, value, adj)
"""


async def bare_insert(owner: asyncpg.Connection, tenant_id: uuid.UUID, posted: list[tuple]) -> float:
    """The same rows through one bare INSERT per document (new ids), each in its own transaction."""
    await owner.execute("DROP TABLE IF EXISTS bare_moves; CREATE TABLE bare_moves (LIKE stock_moves INCLUDING ALL)")
    started = time.perf_counter()
    for n, (result, _lines) in enumerate(posted):
        moves = result.moves
        columns = [
            [new_id() for _ in moves],
            [m.sequence for m in moves],
            [m.variant_id for m in moves],
            [m.from_location_id for m in moves],
            [m.to_location_id for m in moves],
            [m.qty for m in moves],
            [m.unit_cost for m in moves],
            [m.value for m in moves],
            [m.adjustment for m in moves],
        ]
        async with owner.transaction():
            await owner.execute(BARE, tenant_id, new_id(), f"B-{n}", *columns)
    return time.perf_counter() - started


async def throughput(db: Database, owner: asyncpg.Connection, shop: Shop, args, label: str) -> dict:
    docs = documents(shop, args.documents, args.lines)
    moves = sum(len(d) for d in docs)
    took, posted = await post_all(db, shop, docs)
    bare = await bare_insert(owner, shop.tenant_id, posted)
    rate, bare_rate = moves / took, moves / bare
    verdict = "OK" if rate >= TARGET_RATE else f"UNDER the {TARGET_RATE:,} target"
    print(
        f"  {label:<8} post_moves  {rate:7,.0f} moves/s ({moves:,} moves, {args.documents} documents, {took:.2f} s)"
        f"  {verdict}"
    )
    print(
        f"  {'':<8} bare INSERT {bare_rate:7,.0f} moves/s ({bare:.2f} s)"
        f"   ratio post_moves / bare = {rate / bare_rate:.2f}"
    )
    return {"moves": moves, "rate": rate, "bare_rate": bare_rate, "ratio": rate / bare_rate}


async def availability(db: Database, owner: asyncpg.Connection, shop: Shop, runs: int) -> dict:
    """atp() for 1,000 SKUs in 3 warehouses: fetch; fetch + available now per SKU; + a promise date per SKU."""
    variants = shop.variants[:SKUS]
    for code, place in shop.stock.items():  # every SKU in stock in every warehouse
        for start in range(0, SKUS, 250):
            lines = [
                MoveLine(v, shop.virtual["supplier"], place, Decimal(20), Decimal(7))
                for v in variants[start : start + 250]
            ]
            async with db.transaction(shop.tenant_id) as s:
                await services.post_moves(
                    s, shop.tenant_id, StockDocument("bench", new_id(), f"ATP-{code}"), lines, SYSTEM
                )
    async with db.transaction(shop.tenant_id) as s:
        data = TransferInput(
            shop.warehouses["MAIN"], shop.warehouses["MAD"], tuple((v, Decimal(1)) for v in variants[:50])
        )
        transfer = await services.create_transfer(s, shop.tenant_id, data, SYSTEM)
        await services.ship_transfer(s, shop.tenant_id, transfer.id, SYSTEM)
    await owner.execute("ANALYZE")  # as autovacuum would have by now: plans for the tables as they are
    timings: dict[str, list[float]] = {"fetch": [], "available": [], "promise": [], "by_warehouse": []}
    async with db.session(shop.tenant_id) as s:
        for _ in range(runs):
            await driver_connection(s)  # the request's transaction is open already (tenant declared)
            started = time.perf_counter()
            figures = await queries.atp(s, variants)
            fetched = time.perf_counter()
            now = [figures.available_now(v) for v in variants]
            counted = time.perf_counter()
            dates = [figures.promise_date(v, Decimal(1)) for v in variants]
            done = time.perf_counter()
            timings["fetch"].append((fetched - started) * 1000)
            timings["available"].append((counted - started) * 1000)
            timings["promise"].append((done - started) * 1000)
            started = time.perf_counter()
            apart = await queries.atp(s, variants, by_warehouse=True)
            _each = [apart.available_now(v, w) for v in variants for w in shop.warehouses.values()]
            timings["by_warehouse"].append((time.perf_counter() - started) * 1000)
            await s.rollback()
    assert len(now) == len(dates) == SKUS
    verdict = (
        "OK" if statistics.median(timings["available"]) <= TARGET_ATP_MS else f"OVER the {TARGET_ATP_MS:g} ms target"
    )
    print(f"  atp() for {SKUS:,} SKUs over 3 warehouses ({SKUS * 3:,} stock levels, 50 SKUs in transit), {runs} runs:")
    print(f"    the query (levels + transfers in transit)        {ms(timings['fetch'])}")
    print(f"    + available now for each SKU                      {ms(timings['available'])}  {verdict}")
    print(f"    + a promise date for each SKU (ATP timelines)     {ms(timings['promise'])}")
    print(f"  per warehouse: atp(by_warehouse=True) + available now {ms(timings['by_warehouse'])}")
    return {k: statistics.median(v) for k, v in timings.items()}


SEED_MOVES = """
INSERT INTO stock_moves (tenant_id, id, sequence, variant_id, from_location_id, to_location_id, qty, unit_cost, value,
    adjustment, document_kind, document_id, reference, actor)
SELECT $1, gen_random_uuid(), g, $2, CASE WHEN g % 2 = 1 THEN $3::uuid ELSE $4::uuid END,
       CASE WHEN g % 2 = 1 THEN $4::uuid ELSE $5::uuid END,
       1, 10, CASE WHEN g % 2 = 1 THEN 10 ELSE -10 END, 0, 'seed', $6, 'SEED', 'bench'
FROM generate_series(1, $7::bigint) AS g
"""
SEED_VALUATION = """
INSERT INTO stock_valuations (tenant_id, variant_id, method, currency, qty, value, unit_cost, moves)
VALUES ($1, $2, $3, 'EUR', 0, 0, 10, $4)
"""
SEED_LAYERS = """
INSERT INTO cost_layers (tenant_id, id, variant_id, sequence, move_id, received_on, qty_received, qty_remaining,
    value_remaining, unit_cost)
SELECT tenant_id, gen_random_uuid(), variant_id, sequence, id, current_date, 1, 0, 0, 10
FROM stock_moves WHERE tenant_id = $1 AND variant_id = $2 AND sequence % 2 = 1
"""


async def seed_ledger(owner: asyncpg.Connection, shop: Shop, variant: uuid.UUID, moves: int, method: str) -> None:
    """`moves` alternating receipts and issues of one unit already in the variant's ledger, valuation in step."""
    main = shop.stock["MAIN"]
    async with owner.transaction():
        await owner.execute("SET LOCAL session_replication_role = replica")  # rows known valid: skip FK checks
        await owner.execute(
            SEED_MOVES,
            shop.tenant_id,
            variant,
            shop.virtual["supplier"],
            main,
            shop.virtual["customer"],
            new_id(),
            moves,
        )
        await owner.execute(SEED_VALUATION, shop.tenant_id, variant, method, moves)
        if method == "fifo":
            await owner.execute(SEED_LAYERS, shop.tenant_id, variant)


async def post_one(db: Database, shop: Shop, variant: uuid.UUID, n: int) -> float:
    """Post one move of the variant (a receipt, then an issue, in turn): milliseconds."""
    main = shop.stock["MAIN"]
    line = (
        MoveLine(variant, shop.virtual["supplier"], main, Decimal(1), Decimal(10))
        if n % 2 == 0
        else MoveLine(variant, main, shop.virtual["customer"], Decimal(1))
    )
    started = time.perf_counter()
    async with db.transaction(shop.tenant_id) as s:
        await services.post_moves(s, shop.tenant_id, StockDocument("bench", new_id(), f"ONE-{n}"), [line], SYSTEM)
    return (time.perf_counter() - started) * 1000


async def incremental(db: Database, owner: asyncpg.Connection, shops: dict[str, Shop], args) -> dict:
    """The (n+1)th move of a variant with 1,000 moves and of one with --big moves, interleaved."""
    for method, shop in shops.items():
        started = time.perf_counter()
        await seed_ledger(owner, shop, shop.variants[SKUS], args.big, method)
        await seed_ledger(owner, shop, shop.variants[SKUS + 1], 1000, method)
        print(f"  {method}: {args.big:,} + 1,000 moves seeded in {time.perf_counter() - started:.1f} s", flush=True)
    await owner.execute("ANALYZE")
    result = {}
    for method, shop in shops.items():
        small, big = [], []
        for n in range(args.posts):
            small.append(await post_one(db, shop, shop.variants[SKUS + 1], n))
            big.append(await post_one(db, shop, shop.variants[SKUS], n))
        ratio = statistics.median(big) / statistics.median(small)
        print(f"  {method:<8} posting move {1001:>10,} of its variant: {ms(small)}")
        print(f"  {'':<8} posting move {args.big + 1:>10,} of its variant: {ms(big)}   ratio {ratio:.2f}")
        result[method] = {"small_p50": statistics.median(small), "big_p50": statistics.median(big), "ratio": ratio}
    return result


async def run(args: argparse.Namespace, url: str) -> dict:
    settings = Settings(secret_key="bench-" + "x" * 32, pool_size=4).with_database(url)
    db = Database(settings)
    owner = await asyncpg.connect(plain_dsn(url))
    try:
        print(f"Building two tenants (moving average, FIFO) with {SKUS:,} variants and three warehouses", flush=True)
        shops = {"average": await build(db, "media", "average"), "fifo": await build(db, "fifo", "fifo")}
        await owner.execute("ANALYZE")
        tune_gc()  # as an app process does after start-up (app/asgi.py)
        print(f"\n1. Posting (target >= {TARGET_RATE:,} moves/s, documents of {args.lines} moves)")
        report = {method: await throughput(db, owner, shop, args, method) for method, shop in shops.items()}
        print(f"\n2. Availability (target <= {TARGET_ATP_MS:g} ms)")
        report["atp"] = await availability(db, owner, shops["average"], args.runs)
        print("\n3. Valuation stays incremental")
        report["incremental"] = await incremental(db, owner, shops, args)
    finally:
        await db.dispose()
        await owner.close()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stock_moves", description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--lines", type=int, default=100)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    with throwaway_database(server_url(DATA), "bodega_bench_stock") as url:
        report = asyncio.run(run(args, url))
    write_report("stock_moves", {"args": vars(args), **report})
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Catalogue search and listing latency against the issue's targets, on a throwaway database.

    python -m bench.catalog_search [--products 100000] [--listing-products 10000] [--queries 200]

Builds an office-furniture catalogue through the import service (upsert_products, 10,000 rows per call,
timed: the import must take well under 30 s per 10,000), then times
  * ~200 single searches (correct and misspelt, Spanish and English, a few SKUs) over --products
    products: p50/p95 against 50 ms (each one is what a search page runs: its transaction, the
    query, the facet counts);
  * the 24-product category page with facets for a customer limited to catalogues, over
    --listing-products products: p50/p95 on one connection, and throughput with 32 concurrent sessions.
PostgreSQL is the embedded one in /tmp/bodega-bench-catalog unless DATABASE_URL names a server.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

import asyncpg

from app import parties
from app.actor import SYSTEM
from app.catalog import services as catalog
from app.catalog.search import CatalogQuery, FacetCache, browse
from app.catalog.services import AttributeInput, CategoryInput, ProductRow, ValueInput
from app.db import Database, plain_dsn
from app.parties import NewCustomer, create_customer
from app.settings import Settings
from bench._db import server_url, throwaway_database, write_report
from tenants.services import NewTenant, create_tenant

DATA = Path("/tmp/bodega-bench-catalog")
SEARCH_TARGET_MS = 50.0
IMPORT_TARGET_S = 30.0
TYPES = [  # es, en, root category
    ("Silla", "chair", "sillas"), ("Sillón", "armchair", "sillas"), ("Taburete", "stool", "sillas"),
    ("Butaca", "lounge chair", "sillas"), ("Banco", "bench", "sillas"),
    ("Mesa", "table", "mesas"), ("Escritorio", "desk", "mesas"), ("Mesita", "side table", "mesas"),
    ("Atril", "lectern", "mesas"), ("Mostrador", "counter", "mesas"),
    ("Armario", "cabinet", "almacenaje"), ("Estantería", "shelving unit", "almacenaje"),
    ("Cajonera", "drawer unit", "almacenaje"), ("Archivador", "filing cabinet", "almacenaje"),
    ("Taquilla", "locker", "almacenaje"),
    ("Lámpara", "lamp", "iluminacion"), ("Flexo", "desk light", "iluminacion"),
    ("Aplique", "wall light", "iluminacion"),
    ("Pizarra", "whiteboard", "complementos"), ("Perchero", "coat stand", "complementos"),
    ("Papelera", "waste bin", "complementos"), ("Biombo", "screen", "complementos"),
    ("Reposapiés", "footrest", "complementos"), ("Mampara", "partition", "complementos"),
]  # fmt: skip
ADJECTIVES = [
    ("ergonómica", "ergonomic"), ("giratoria", "swivel"), ("plegable", "folding"), ("apilable", "stackable"),
    ("regulable", "adjustable"), ("ejecutiva", "executive"), ("operativa", "task"), ("de reuniones", "meeting"),
    ("de confidente", "visitor"), ("alta", "tall"), ("baja", "low"), ("compacta", "compact"),
    ("con ruedas", "wheeled"), ("modular", "modular"), ("acústica", "acoustic"), ("industrial", "industrial"),
]  # fmt: skip
MATERIALS = [
    ("madera", "Madera", "Wood", "de madera", "wooden"), ("roble", "Roble", "Oak", "de roble", "oak"),
    ("haya", "Haya", "Beech", "de haya", "beech"), ("metal", "Metal", "Metal", "metálica", "metal"),
    ("malla", "Malla", "Mesh", "de malla", "mesh"), ("piel", "Piel", "Leather", "de piel", "leather"),
    ("tela", "Tela", "Fabric", "tapizada", "upholstered"), ("cristal", "Cristal", "Glass", "de cristal", "glass"),
]  # fmt: skip
COLOURS = [
    ("negro", "Negro", "Black"), ("blanco", "Blanco", "White"), ("gris", "Gris", "Grey"), ("azul", "Azul", "Blue"),
    ("rojo", "Rojo", "Red"), ("verde", "Verde", "Green"), ("natural", "Natural", "Natural"),
    ("antracita", "Antracita", "Anthracite"),
]  # fmt: skip
MODELS = ["Kappa", "Sigma", "Nova", "Orion", "Atlas", "Lumen", "Vega", "Delta", "Zen", "Alba", "Brisa", "Tajo",
          "Ebro", "Duero", "Sierra", "Mistral", "Levante", "Cierzo", "Norte", "Sur"]  # fmt: skip
BRANDS = ["Ofiprix", "Actiu", "Dileoffice", "Forma Cinco", "Sedus", "Kinnarps", "Martela", "Lumina", "Arco", "Nórdica"]
PHRASES_ES = ["para oficina", "para sala de espera", "para despacho", "para colegio", "para recepción", "para hogar"]
PHRASES_EN = ["for the office", "for waiting rooms", "for executive offices", "for schools", "for reception areas"]


def rows_for(n: int, rng: random.Random) -> list[ProductRow]:
    """n catalogue rows: about one product in four has two colour variants."""
    rows: list[ProductRow] = []
    i = 0
    while len(rows) < n:
        es_type, en_type, root = rng.choice(TYPES)
        adj_es, adj_en = rng.choice(ADJECTIVES)
        material = rng.choice(MATERIALS)
        model = f"{rng.choice(MODELS)} {rng.randint(10, 999)}"
        colours = rng.sample(COLOURS, 2 if rng.random() < 0.25 else 1)
        name_es = f"{es_type} {adj_es} {material[3]} {model}"
        name_en = f"{model} {adj_en} {material[4]} {en_type}"
        for colour in colours:
            rows.append(
                ProductRow(
                    sku=f"{en_type[:3].upper()}-{i:06d}-{colour[0][:3].upper()}",
                    product_key=f"p{i:06d}",
                    name_es=name_es,
                    name_en=name_en,
                    description_es=f"{name_es} {rng.choice(PHRASES_ES)}. Garantía de {rng.randint(2, 10)} años.",
                    description_en=f"{name_en} {rng.choice(PHRASES_EN)}. {rng.randint(2, 10)}-year warranty.",
                    category=f"{root}-{rng.randint(1, 5)}",
                    brand=rng.choice(BRANDS),
                    attributes={"color": colour[0], "material": material[0]},
                    weight_kg=str(rng.randint(1, 60)),
                    cost=str(rng.randint(5, 900)),
                )
            )
        i += 1
    return rows[:n]


def typo(word: str, rng: random.Random) -> str:
    """One keyboard slip: a letter dropped, doubled or two neighbours swapped."""
    if len(word) < 5:
        return word
    k = rng.randrange(1, len(word) - 2)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return word[:k] + word[k + 1 :]
    if kind == "double":
        return word[:k] + word[k] + word[k:]
    return word[:k] + word[k + 1] + word[k] + word[k + 2 :]


def queries_for(n: int, skus: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """(kind, text): correct and misspelt queries in both languages, and a few exact SKUs."""
    out: list[tuple[str, str]] = []
    while len(out) < n:
        es_type, en_type, _root = rng.choice(TYPES)
        adj_es, adj_en = rng.choice(ADJECTIVES)
        material, colour = rng.choice(MATERIALS), rng.choice(COLOURS)
        es = rng.choice([f"{es_type} {adj_es}", f"{es_type} {material[3]}", f"{es_type} {colour[1]}", es_type])
        en = rng.choice([f"{adj_en} {en_type}", f"{material[4]} {en_type}", f"{colour[2]} {en_type}", en_type])
        lower = rng.random() < 0.5
        es = es.lower() if lower else es
        out += [("es", es), ("en", en)]
        out.append(("es-typo", " ".join(typo(w, rng) if len(w) >= 5 else w for w in es.split())))
        out.append(("en-typo", " ".join(typo(w, rng) if len(w) >= 5 else w for w in en.split())))
        if len(out) % 20 == 0:
            out.append(("sku", rng.choice(skus).lower()))
    return out[:n]


async def build_taxonomy(db: Database, tenant_id: uuid.UUID) -> dict[str, uuid.UUID]:
    async with db.transaction(tenant_id) as s:
        categories: dict[str, uuid.UUID] = {}
        for root in sorted({t[2] for t in TYPES}):
            parent = await catalog.create_category(s, tenant_id, CategoryInput({"es": root.title()}, slug=root), SYSTEM)
            categories[root] = parent.id
            for k in range(1, 6):
                data = CategoryInput(
                    {"es": f"{root.title()} {k}", "en": f"{root} {k}"}, parent_id=parent.id, slug=f"{root}-{k}"
                )
                categories[f"{root}-{k}"] = (await catalog.create_category(s, tenant_id, data, SYSTEM)).id
        colour = await catalog.create_attribute(
            s, tenant_id, AttributeInput("color", {"es": "Color", "en": "Colour"}), SYSTEM
        )
        for n, (code, es, en) in enumerate(COLOURS):
            await catalog.add_attribute_value(
                s, tenant_id, colour.id, ValueInput(code, {"es": es, "en": en}, n), SYSTEM
            )
        material = await catalog.create_attribute(
            s, tenant_id, AttributeInput("material", {"es": "Material", "en": "Material"}), SYSTEM
        )
        for n, (code, es, en, _x, _y) in enumerate(MATERIALS):
            await catalog.add_attribute_value(
                s, tenant_id, material.id, ValueInput(code, {"es": es, "en": en}, n), SYSTEM
            )
    return categories


async def load(db: Database, tenant_id: uuid.UUID, rows: list[ProductRow], batch: int = 10_000) -> list[float]:
    """Import in batches of `batch` rows, one transaction each; seconds per batch."""
    times = []
    for start in range(0, len(rows), batch):
        t0 = time.perf_counter()
        async with db.transaction(tenant_id) as s:
            await catalog.upsert_products(s, tenant_id, rows[start : start + batch], SYSTEM)
        times.append(time.perf_counter() - t0)
        print(f"  imported {min(start + batch, len(rows)):>7,} rows ({times[-1]:.1f} s for this batch)", flush=True)
    return times


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def time_searches(db: Database, tenant_id: uuid.UUID, queries: list[tuple[str, str]]) -> dict:
    """Each query as a search page runs it: its own transaction, results and facet counts."""
    timings: dict[str, list[float]] = {}
    empty: list[str] = []
    slowest: list[tuple[float, str, int]] = []
    for kind, text in queries:
        t0 = time.perf_counter()
        async with db.transaction(tenant_id) as s:
            page = await browse(s, CatalogQuery(text=text, locale="en" if kind.startswith("en") else "es"))
        elapsed = (time.perf_counter() - t0) * 1000
        timings.setdefault(kind, []).append(elapsed)
        slowest = sorted([*slowest, (elapsed, text, page.total)], reverse=True)[:6]
        if not page.items:
            empty.append(text)
    return {"timings": timings, "empty": empty, "slowest": slowest}


async def listing_once(db, tenant_id, customer_id, category_id, page: int, cache: FacetCache | None = None):
    """A category page as the storefront asks for it: the customer's catalogues, 24 products, facets."""
    async with db.transaction(tenant_id) as s:
        return await browse(s, CatalogQuery(category_id=category_id, page=page), customer_id=customer_id, cache=cache)


async def time_listing(db, tenant_id, customer_id, categories, n: int, rng: random.Random, cache=None) -> list[float]:
    timings = []
    for _ in range(n):
        t0 = time.perf_counter()
        await listing_once(db, tenant_id, customer_id, rng.choice(categories), rng.randint(1, 3), cache)
        timings.append((time.perf_counter() - t0) * 1000)
    return timings


async def listing_throughput(db, tenant_id, customer_id, categories, seconds: float, workers: int, cache) -> float:
    """Listing pages per second with `workers` concurrent sessions (this process is the only client)."""
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker(seed: int) -> None:
        nonlocal done
        rng = random.Random(seed)
        while time.perf_counter() < deadline:
            await listing_once(db, tenant_id, customer_id, rng.choice(categories), rng.randint(1, 3), cache)
            done += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(workers)))
    return done / (time.perf_counter() - t0)


async def make_customer(db: Database, tenant_id: uuid.UUID, categories: dict[str, uuid.UUID]) -> uuid.UUID:
    """A customer whose group's catalogue holds four of the five top categories."""
    async with db.transaction(tenant_id) as s:
        customer = await create_customer(s, tenant_id, NewCustomer(code="C1", name="Oficinas Sol S.L."), SYSTEM)
        group = await parties.create_customer_group(s, tenant_id, "PRO", "Profesionales", SYSTEM)
        await parties.set_customer_group(s, tenant_id, customer.id, group.id, SYSTEM)
        roots = [categories[r] for r in ("sillas", "mesas", "almacenaje", "iluminacion")]
        catalogue = await catalog.create_catalog(s, tenant_id, "PRO", "Catálogo profesional", SYSTEM)
        await catalog.set_catalog_contents(s, tenant_id, catalogue.id, SYSTEM, category_ids=roots)
        await catalog.assign_catalog(s, tenant_id, catalogue.id, SYSTEM, customer_group_id=group.id)
    return customer.id


def report_line(label: str, values: list[float], target: float | None = None) -> str:
    p50, p95 = statistics.median(values), pct(values, 95)
    verdict = "" if target is None else ("  OK" if p95 <= target else f"  OVER the {target:g} ms target")
    return f"  {label:<28} n={len(values):>4}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {max(values):6.1f} ms{verdict}"


async def run(args: argparse.Namespace, url: str) -> dict:
    settings = Settings(secret_key="bench-" + "x" * 32, pool_size=32).with_database(url)
    db = Database(settings)
    rng = random.Random(2026)
    owner = await asyncpg.connect(plain_dsn(url))
    report: dict = {"products": args.products, "listing_products": args.listing_products}
    try:
        search_tenant = await create_tenant(
            db, NewTenant("Búsqueda S.L.", "busqueda", "ES", "EUR", "es", "a@b.test"), SYSTEM, invite_url="{token}"
        )
        await build_taxonomy(db, search_tenant.id)
        rows = rows_for(args.products, rng)
        print(f"Importing {len(rows):,} rows (search tenant)", flush=True)
        import_times = await load(db, search_tenant.id, rows)
        await owner.execute("VACUUM ANALYZE")
        queries = queries_for(args.queries, [r.sku for r in rows], rng)
        await time_searches(db, search_tenant.id, queries_for(30, [r.sku for r in rows], random.Random(1)))  # warm-up
        result = await time_searches(db, search_tenant.id, queries)
        every = [t for ts in result["timings"].values() for t in ts]

        list_tenant = await create_tenant(
            db, NewTenant("Listado S.L.", "listado", "ES", "EUR", "es", "a@c.test"), SYSTEM, invite_url="{token}"
        )
        categories = await build_taxonomy(db, list_tenant.id)
        print(f"Importing {args.listing_products:,} rows (listing tenant)", flush=True)
        await load(db, list_tenant.id, rows_for(args.listing_products, rng))
        customer = await make_customer(db, list_tenant.id, categories)
        await owner.execute("VACUUM ANALYZE")
        visible = [categories[k] for k in categories if not k.startswith("complementos")]
        await time_listing(db, list_tenant.id, customer, visible, 30, rng)  # warm-up
        computed = await time_listing(db, list_tenant.id, customer, visible, args.queries, rng)
        cache = FacetCache(ttl=600)
        for category in visible:  # the storefront's cache, warm: one visit per category fills it
            for page in (1, 2, 3):
                await listing_once(db, list_tenant.id, customer, category, page, cache)
        listing = await time_listing(db, list_tenant.id, customer, visible, args.queries, rng, cache)
        throughput = await listing_throughput(db, list_tenant.id, customer, visible, 10.0, 32, cache)
        sample = await listing_once(db, list_tenant.id, customer, categories["sillas"], 1, cache)
    finally:
        await db.dispose()
        await owner.close()

    print(f"\nImport (upsert_products, 10,000 rows per transaction), target < {IMPORT_TARGET_S:g} s per 10,000:")
    print(f"  p50 {statistics.median(import_times):.1f} s, max {max(import_times):.1f} s per batch")
    print(
        f"\nSearch over {args.products:,} products (page of 24 + facet counts), target p95 <= {SEARCH_TARGET_MS:g} ms:"
    )
    for kind, values in sorted(result["timings"].items()):
        print(report_line(kind, values))
    print(report_line("all queries", every, SEARCH_TARGET_MS))
    print(f"  queries with no result: {len(result['empty'])} {result['empty'][:8]}")
    print("  slowest: " + ", ".join(f"{q!r} {ms:.0f} ms ({n} found)" for ms, q, n in result["slowest"]))
    print(f"\nCategory page over {args.listing_products:,} products (24 + facets, customer limited to catalogues):")
    print(report_line("facets counted per request", computed))
    print(report_line("facets from FacetCache", listing))
    print(f"  32 concurrent sessions, FacetCache: {throughput:,.0f} pages/s (this process + PostgreSQL; no HTTP)")
    print(f"  e.g. 'sillas' page 1: {sample.total} products, {len(sample.facets.attributes)} attribute facets")
    report.update(
        import_seconds=import_times,
        search={k: {"p50": statistics.median(v), "p95": pct(v, 95), "n": len(v)} for k, v in result["timings"].items()},
        search_all={"p50": statistics.median(every), "p95": pct(every, 95), "max": max(every)},
        search_empty=result["empty"],
        listing={"p50": statistics.median(listing), "p95": pct(listing, 95), "pages_per_s_32": throughput},
        listing_facets_counted={"p50": statistics.median(computed), "p95": pct(computed, 95)},
    )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catalog_search", description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--listing-products", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database (to inspect plans) and print its URL")
    args = parser.parse_args(argv)
    with throwaway_database(server_url(DATA), "bodega_bench_catalog", keep=args.keep) as url:
        report = asyncio.run(run(args, url))
    write_report("catalog", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

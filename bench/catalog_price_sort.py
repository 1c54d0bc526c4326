"""A category page sorted by price over a 10,000-product catalogue: cold against warm price index.

    python -m bench.catalog_price_sort [--products 10000] [--runs 20]

Builds the furniture catalogue of bench.catalog_search (imported through upsert_products) with prices the
engine must work out: a base list of fixed prices with three tiers per variant, a customer group list with a
discount per subcategory (list_minus_pct), a promotion on one root category. Then, through the app (HTTP over
ASGI with its lifespan, so the change feed listens and the pricing generation is real), times
  * /search?sort=price_asc (every product) and /c/<root>?sort=price_asc for an anonymous visitor, cold (the
    process's price index, facet cache and rendered listings emptied before each request), warm (prices
    known, the listing rendered again: the same page, its other sort, its page 2) and kept (the same page
    once more: its rendered listing reused, storefront.listing_cache);
  * the same listings for the group's customer through storefront.catalog_listing (no HTML), cold and warm.
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
from datetime import date
from decimal import Decimal
from pathlib import Path

import asyncpg
from httpx import ASGITransport, AsyncClient
from litestar.datastructures import MultiDict
from sqlalchemy import func, insert, select

from app.actor import SYSTEM
from app.base import new_id
from app.catalog import services as catalog
from app.catalog.documents import ProductListing
from app.catalog.models import ProductVariant
from app.db import Database, plain_dsn
from app.factory import create_app
from app.parties import Customer
from app.pricing import services as pricing
from app.pricing.models import PriceList, PriceRuleRecord
from app.pricing.services import PriceListInput, PromotionInput, RuleInput
from app.pricing.services.price_index import INDEX
from app.settings import Settings
from bench._db import server_url, throwaway_database, write_report
from bench.catalog_search import build_taxonomy, load, make_customer, rows_for
from storefront import catalog as storefront_catalog
from storefront.catalog import Viewer
from storefront.catalog_listing import category_listing, search_listing
from storefront.listing_cache import LISTINGS
from tenants.services import NewTenant, create_tenant

DATA = Path("/tmp/bodega-bench-catalog")


async def add_prices(db: Database, tenant_id: uuid.UUID, customer_id: uuid.UUID, categories, rng) -> int:
    """Base prices with tiers for every variant, a group discount per subcategory, a promotion; rules written."""
    async with db.transaction(tenant_id) as s:
        variants = list(await s.scalars(select(ProductVariant.id)))
        base = await s.scalar(select(PriceList.id).where(PriceList.code == "BASE"))
        group_id = await s.scalar(select(Customer.group_id).where(Customer.id == customer_id))
        data = PriceListInput("PRO", "Profesionales", "EUR", "group", customer_group_id=group_id)
        group_list = await pricing.create_price_list(s, tenant_id, data, SYSTEM)
        for key, category in categories.items():
            if "-" in key:
                rule = RuleInput(Decimal(rng.choice((5, 8, 10, 12))), method="list_minus_pct", category_id=category)
                await pricing.add_rule(s, tenant_id, group_list.id, rule, SYSTEM)
        rules = []
        for variant in variants:
            price = Decimal(rng.randint(20, 900))
            for min_qty, factor in ((1, Decimal(1)), (10, Decimal("0.95")), (50, Decimal("0.9"))):
                rules.append(
                    {
                        "tenant_id": tenant_id,
                        "id": new_id(),
                        "price_list_id": base,
                        "variant_id": variant,
                        "min_qty": Decimal(min_qty),
                        "method": "fixed",
                        "value": (price * factor).quantize(Decimal("0.01")),
                    }
                )
        for start in range(0, len(rules), 5000):
            await s.execute(insert(PriceRuleRecord), rules[start : start + 5000])
        promotion = PromotionInput("OTONO", "percent", Decimal(5), category_id=categories["sillas"])
        await pricing.create_promotion(s, tenant_id, promotion, SYSTEM)
    return len(rules)


def forget() -> None:
    """A cold process: no prices in the index, no facet counts, no card prices, no rendered listings."""
    LISTINGS.clear()
    INDEX.clear()
    storefront_catalog.FACETS.clear()
    storefront_catalog._CARD_PRICES.clear()


async def http_times(client: AsyncClient, path: str, runs: int) -> dict[str, list[float]]:
    """ms per request: cold (emptied first); warm (prices known, the listing rendered again: the same page, its
    other sort, its page 2); kept (the same page once more, its rendered listing from storefront.listing_cache)."""
    other = path.replace("price_asc", "price_desc")
    times: dict[str, list[float]] = {"cold": [], "warm": [], "warm other sort": [], "warm page 2": [], "kept": []}
    for _ in range(max(3, runs // 4)):
        forget()
        times["cold"].append(await _get(client, path))
    for _ in range(runs):
        LISTINGS.clear()
        times["warm"].append(await _get(client, path))
        times["warm other sort"].append(await _get(client, other))
        times["warm page 2"].append(await _get(client, path + "&page=2"))
        times["kept"].append(await _get(client, path))
    return times


async def _get(client: AsyncClient, path: str) -> float:
    t0 = time.perf_counter()
    response = await client.get(path)
    elapsed = (time.perf_counter() - t0) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    return elapsed


async def service_times(db: Database, tenant, customer_id, slug: str | None, runs: int) -> dict[str, list[float]]:
    """ms per listing (browse + the cards' prices, no HTML) for the customer, cold and warm."""
    async with db.transaction(tenant.id) as s:
        ctx = await pricing.pricing_context_for(s, tenant, customer_id)
        catalogs = await catalog.viewer_catalogs(s, customer_id)
    viewer = Viewer(tenant.id, "EUR", "es", customer_id, catalogs, ctx, None)
    query = MultiDict([("sort", "price_asc")])
    times: dict[str, list[float]] = {"cold": [], "warm": []}

    async def once() -> float:
        t0 = time.perf_counter()
        async with db.transaction(tenant.id) as s:
            if slug:
                await category_listing(s, viewer, slug, query, "/")
            else:
                await search_listing(s, viewer, query, "/")
        return (time.perf_counter() - t0) * 1000

    for _ in range(max(3, runs // 4)):
        forget()
        times["cold"].append(await once())
    for _ in range(runs):
        times["warm"].append(await once())
    return times


def row(label: str, values: list[float]) -> str:
    return f"  {label:<46} n={len(values):>3}  p50 {statistics.median(values):7.1f} ms  max {max(values):7.1f} ms"


async def run(args: argparse.Namespace, url: str) -> dict:
    settings = Settings(secret_key="bench-" + "x" * 32, pool_size=8).with_database(url)
    db = Database(settings)
    rng = random.Random(2026)
    owner = await asyncpg.connect(plain_dsn(url))
    report: dict = {"products": args.products}
    try:
        tenant = await create_tenant(
            db, NewTenant("Precios S.L.", "precios", "ES", "EUR", "es", "a@precios.test"), SYSTEM, invite_url="{token}"
        )
        categories = await build_taxonomy(db, tenant.id)
        print(f"Importing {args.products:,} rows", flush=True)
        await load(db, tenant.id, rows_for(args.products, rng))
        customer = await make_customer(db, tenant.id, categories)
        n_rules = await add_prices(db, tenant.id, customer, categories, rng)
        await owner.execute("VACUUM ANALYZE")
        async with db.transaction(tenant.id) as s:
            listed = select(func.count()).select_from(ProductListing)
            chairs = await s.scalar(listed.where(ProductListing.category_id == categories["sillas"]))
        print(f"  {n_rules:,} base price rules; 'sillas' holds {chairs:,} products", flush=True)
        app = create_app(settings, database=db)
        results: dict[str, dict[str, list[float]]] = {}
        for hook in app.on_startup:  # the lifespan, in this event loop (the change feed listens)
            await hook(app)
        try:
            async with AsyncClient(transport=ASGITransport(app=app), base_url="http://precios.localhost") as client:
                await _get(client, "/search?sort=name")  # warms the app: routes, templates, pool
                for label, path in (("all products", "/search?sort=price_asc"), ("sillas", "/c/sillas?sort=price_asc")):
                    results[f"anonymous, {label}"] = await http_times(client, path, args.runs)
        finally:
            for hook in app.on_shutdown:
                await hook(app)
        for label, slug in (("all products", None), ("sillas", "sillas")):
            results[f"customer, {label}"] = await service_times(db, tenant, customer, slug, args.runs)
    finally:
        await db.dispose()
        await owner.close()
    print(f"\nPrice-sorted listing over {args.products:,} products (p50 of each):")
    for name, times in results.items():
        print(f" {name}{' (HTTP, whole page)' if name.startswith('anonymous') else ' (listing, no HTML)'}")
        for kind, values in times.items():
            print(row(kind, values))
    report["results"] = {
        name: {k: {"p50": statistics.median(v), "max": max(v), "n": len(v)} for k, v in t.items()}
        for name, t in results.items()
    }
    report["chairs"] = chairs
    report["date"] = date.today().isoformat()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catalog_price_sort", description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    with throwaway_database(server_url(DATA), "bodega_bench_price_sort") as url:
        report = asyncio.run(run(args, url))
    write_report("catalog-price-sort", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Grow the demo tenant to a large catalogue, so page benches run over the size the issue names (10,000 products).

The extra products go through the catalogue's own bulk upsert (as a CSV import would), spread over the demo's
leaf categories with its colours and brands, each with a cost so the demo's cost-plus rules price them.
Re-running is cheap: products already there (by SKU) are left as they are.
"""

from __future__ import annotations

import random
import time
import uuid

from sqlalchemy import func, select

from app.actor import SYSTEM
from app.catalog import services as catalog
from app.catalog.models import Product
from app.catalog.services.upsert import ProductRow
from app.db import Database
from app.demo_data.taxonomy import ATTRIBUTES, BRANDS, CATEGORIES
from app.settings import Settings
from bench.catalog_search import ADJECTIVES, MATERIALS, MODELS, TYPES
from tenants.services import tenant_by_slug

BATCH = 5_000


def extra_rows(n: int, rng: random.Random) -> list[ProductRow]:
    """`n` products (about one in four with a second colour variant) in the demo's leaf categories."""
    parents = {parent for _slug, parent, _es, _en in CATEGORIES if parent}
    leaves = [slug for slug, parent, _es, _en in CATEGORIES if parent and slug not in parents]
    colours = [code for code, *_ in ATTRIBUTES["color"][2]]
    rows: list[ProductRow] = []
    for i in range(n):
        es_type, en_type, _root = rng.choice(TYPES)
        adj_es, adj_en = rng.choice(ADJECTIVES)
        material = rng.choice(MATERIALS)
        model = f"{rng.choice(MODELS)} {rng.randint(10, 999)}"
        category, brand, cost = rng.choice(leaves), rng.choice(BRANDS), rng.randint(5, 900)
        for colour in rng.sample(colours, 2 if rng.random() < 0.25 else 1):
            rows.append(
                ProductRow(
                    sku=f"BIG-{i:06d}-{colour[:3].upper()}",
                    product_key=f"big-{i:06d}",
                    name_es=f"{es_type} {adj_es} {material[3]} {model}",
                    name_en=f"{model} {adj_en} {material[4]} {en_type}",
                    description_es=f"{es_type} {material[3]} para oficina.",
                    description_en=f"{material[4].capitalize()} {en_type} for the office.",
                    category=category,
                    brand=brand,
                    attributes={"color": colour},
                    weight_kg=str(rng.randint(1, 60)),
                    cost=str(cost),
                )
            )
    return rows


async def grow_demo(settings: Settings, products: int, slug: str = "demo") -> int:
    """Bring the demo tenant up to `products` products; returns how many it has."""
    db = Database(settings, null_pool=True)
    try:
        async with db.session(None) as session:
            tenant = await tenant_by_slug(session, slug)
        if tenant is None:
            raise RuntimeError(f"no tenant {slug!r}: load the demo first")
        tenant_id: uuid.UUID = tenant.id
        async with db.transaction(tenant_id) as session:
            have = await session.scalar(select(func.count()).select_from(Product))
        missing = products - (have or 0)
        if missing <= 0:
            return have or 0
        t0 = time.perf_counter()
        rows = extra_rows(missing, random.Random(2026))
        for start in range(0, len(rows), BATCH):
            async with db.transaction(tenant_id) as session:
                await catalog.upsert_products(session, tenant_id, rows[start : start + BATCH], SYSTEM)
        async with db.transaction(tenant_id) as session:
            have = await session.scalar(select(func.count()).select_from(Product))
        print(f"demo catalogue grown to {have:,} products in {time.perf_counter() - t0:.1f} s", flush=True)
        return have or 0
    finally:
        await db.dispose()

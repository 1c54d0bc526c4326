"""The demo tenant's stock: three warehouses with zones and bins, opening stock for most articles (lots with
expiry dates for outdoor furniture, dye lots for acoustic panels, serial numbers for phone booths), a transfer in
transit, an open count and reorder rules. Everything goes through the inventory services; the plan is seeded, so
every demo has the same stock. Articles awaited on purchase orders sent or approved and not received at all get
no opening stock, so the storefront shows them "available from" the order's date. `ensure_demo_inventory` writes
it once and describes it."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.catalog.models import Category, Product, ProductVariant
from app.inventory import queries, services
from app.inventory.models import Location, Warehouse
from app.inventory.values import (
    CountEntry,
    LocationInput,
    Receipt,
    ReceiptLine,
    ReorderRuleInput,
    TransferInput,
    WarehouseInput,
)
from app.purchasing.models import PurchaseOrder, PurchaseOrderLine
from tenants.models import Tenant

SEED = 20261207
WAREHOUSES = (
    ("MAIN", "Valencia central", "46980", "Paterna", ("A", "B", "C"), 4),
    ("MAD", "Madrid", "28906", "Getafe", ("A", "B"), 3),
    ("BCN", "Barcelona", "08040", "Barcelona", ("A",), 3),
)
SHARE = {"MAIN": 0.85, "MAD": 0.45, "BCN": 0.35}  # of the articles each warehouse stocks
LOTS = {"exterior": "expiry", "paneles-acusticos": "lot"}  # category -> how its articles are tracked
SERIALS = "cabinas-acusticas"


@dataclass(frozen=True)
class Article:
    variant_id: uuid.UUID
    sku: str
    cost: Decimal
    category: str


async def ensure_demo_inventory(
    session: AsyncSession, tenant_id: uuid.UUID, actor: Actor, *, today: date | None = None
) -> list[str]:
    """The demo's warehouses and stock, written once (when Madrid is missing); the console lines describing it."""
    today = today or date.today()
    if await session.scalar(select(Warehouse.id).where(Warehouse.code == "MAD")) is None:
        articles = await _articles(session)
        if not articles:
            return []
        bins = await _places(session, tenant_id, actor)
        await _tracking(session, tenant_id, actor, articles)
        await _opening_stock(session, tenant_id, actor, articles, bins, today)
        await _work_in_progress(session, tenant_id, actor, articles, bins, today)
    return await inventory_summary(session, tenant_id)


async def _articles(session: AsyncSession) -> list[Article]:
    """Every active variant of a product that is not a kit, with its cost and category, by SKU."""
    rows = await session.execute(
        select(ProductVariant.id, ProductVariant.sku, ProductVariant.cost, Category.slug)
        .join(Product, (Product.tenant_id == ProductVariant.tenant_id) & (Product.id == ProductVariant.product_id))
        .join(Category, (Category.tenant_id == Product.tenant_id) & (Category.id == Product.category_id))
        .where(~Product.is_kit, ProductVariant.status == "active")
        .order_by(ProductVariant.sku)
    )
    return [Article(v, sku, cost or Decimal(0), category) for v, sku, cost, category in rows]


async def _places(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor) -> dict[str, list[uuid.UUID]]:
    """Valencia (the tenant's MAIN), Madrid and Barcelona, each with zones and bins; the bins by warehouse."""
    bins: dict[str, list[uuid.UUID]] = {}
    for code, name, postcode, city, zones, per_zone in WAREHOUSES:
        warehouse = await session.scalar(select(Warehouse).where(Warehouse.code == code))
        data = WarehouseInput(code, name, "ES", postcode, city)
        if warehouse is None:
            warehouse = await services.create_warehouse(session, tenant_id, data, actor)
        else:
            await services.update_warehouse(session, tenant_id, warehouse.id, data, actor)
        bins[code] = []
        for zone in zones:
            area = await services.create_location(
                session, tenant_id, warehouse.id, LocationInput(f"{code}-{zone}", f"Zona {zone}"), actor
            )
            for n in range(1, per_zone + 1):
                place = LocationInput(f"{code}-{zone}-{n:02d}", f"Estantería {zone}{n:02d}", parent_id=area.id)
                bins[code].append((await services.create_location(session, tenant_id, warehouse.id, place, actor)).id)
    return bins


async def _tracking(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor, articles: list[Article]) -> None:
    for article in articles:
        if article.category in LOTS:
            life = 730 if LOTS[article.category] == "expiry" else None
            await services.set_tracking(session, tenant_id, article.variant_id, "lot", life, actor)
        elif article.category == SERIALS:
            await services.set_tracking(session, tenant_id, article.variant_id, "serial", None, actor)


def _line(
    rng: random.Random, article: Article, place: uuid.UUID, code: str, today: date, serial: list[int]
) -> ReceiptLine:
    """One opening receipt line: a few units of furniture, more of accessories; lots and serials as tracked."""
    small = article.category in {"organizadores", "reposapies", "soportes-monitor", "lamparas-sobremesa"}
    qty = Decimal(rng.randint(10, 60) if small else rng.randint(2, 24))
    if article.category == SERIALS:
        serial[0] += 2
        return ReceiptLine(
            article.variant_id,
            Decimal(2),
            article.cost,
            place,
            serials=(f"CB{serial[0] - 1:05d}", f"CB{serial[0]:05d}"),
        )
    if article.category in LOTS:
        lot = f"{code}-{today:%y%m}-{rng.randint(1, 9):02d}"
        expiry = today + timedelta(days=rng.choice((20, 200, 400, 650))) if LOTS[article.category] == "expiry" else None
        return ReceiptLine(article.variant_id, qty, article.cost, place, lot_code=lot, expiry=expiry)
    return ReceiptLine(article.variant_id, qty, article.cost, place)


async def _awaited(session: AsyncSession) -> set[uuid.UUID]:
    """The articles on purchase orders sent or approved of which nothing has been received yet."""
    rows = await session.scalars(
        select(PurchaseOrderLine.variant_id)
        .join(
            PurchaseOrder,
            (PurchaseOrder.tenant_id == PurchaseOrderLine.tenant_id) & (PurchaseOrder.id == PurchaseOrderLine.order_id),
        )
        .where(PurchaseOrder.status.in_(("approved", "sent")), PurchaseOrderLine.qty_received == 0)
    )
    return set(rows)


async def _opening_stock(session, tenant_id, actor, articles: list[Article], bins, today: date) -> None:
    """One receipt from the suppliers per warehouse, each article in one of its bins (not those awaited)."""
    rng = random.Random(SEED)
    serial = [0]
    awaited = await _awaited(session)
    for code, *_rest in WAREHOUSES:
        warehouse = await session.scalar(select(Warehouse.id).where(Warehouse.code == code))
        stocked = [a for a in articles if rng.random() < SHARE[code]]
        lines = tuple(
            _line(rng, a, bins[code][i % len(bins[code])], code, today, serial) for i, a in enumerate(stocked)
        )  # planned for every article first, so that the seeded plan of the others stays the same
        lines = tuple(line for line in lines if line.variant_id not in awaited)
        await services.receive(session, tenant_id, Receipt(warehouse, lines), actor, today=today)


async def _work_in_progress(session, tenant_id, actor, articles: list[Article], bins, today: date) -> None:
    """A transfer from Valencia to Madrid in transit, an open count of one bin, and reorder rules."""
    main = await session.scalar(select(Warehouse.id).where(Warehouse.code == "MAIN"))
    mad = await session.scalar(select(Warehouse.id).where(Warehouse.code == "MAD"))
    plain = [a for a in articles if a.category not in LOTS and a.category != SERIALS]
    stock = await queries.availability(session, [a.variant_id for a in plain], [main])
    movable = [row for row in stock if row.available >= 4][:3]
    lines = tuple((row.variant_id, Decimal(2)) for row in movable)
    transfer = await services.create_transfer(
        session, tenant_id, TransferInput(main, mad, lines, today + timedelta(days=3), "Reposición semanal"), actor
    )
    await services.ship_transfer(session, tenant_id, transfer.id, actor, today=today)
    count = await services.start_count(
        session, tenant_id, main, actor, location_id=bins["MAIN"][0], note="Recuento cíclico"
    )
    _count, count_lines = await queries.count_detail(session, count.id)
    for line in count_lines[:2]:
        entry = CountEntry(line.variant_id, bins["MAIN"][0], max(line.qty - 1, Decimal(0)))
        await services.record_count(session, tenant_id, count.id, entry, actor, today=today)
    for row in stock[:12]:
        low = row.available + (5 if stock.index(row) % 2 == 0 else -2)
        rule = ReorderRuleInput(row.variant_id, main, "min_max", max(low, Decimal(0)), max(low, Decimal(1)) * 3)
        await services.set_reorder_rule(session, tenant_id, rule, actor)


async def inventory_summary(session: AsyncSession, tenant_id: uuid.UUID) -> list[str]:
    """Console lines: warehouses and locations, the stock and its value, work in progress."""
    warehouses = await queries.warehouses(session)
    if len(warehouses) < 2:
        return []
    currency = await session.scalar(select(Tenant.currency).where(Tenant.id == tenant_id)) or "EUR"
    value = await queries.stock_value(session, currency)
    places = len(list(await session.scalars(select(Location.id).where(Location.kind == "internal"))))
    in_transit = [t.transfer.number for t in await queries.transfers(session, "in_transit")]
    open_counts = [c.count.number for c in await queries.counts(session, "draft")]
    suggestions = await queries.purchase_suggestions(session)
    codes = ", ".join(w.code for w in warehouses)
    return [
        f"  Inventory:         {len(warehouses)} warehouses ({codes}), {places} locations, "
        f"stock worth {value:,.2f} {currency}",
        f"  Warehouse work:    in transit {', '.join(in_transit) or '-'}; open counts {', '.join(open_counts) or '-'}; "
        f"{len(suggestions)} purchase suggestions",
    ]

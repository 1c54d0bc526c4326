"""What the inventory tests share: a few stocked articles and the places of a tenant, built through the services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.catalog.services import ProductInput, VariantInput, create_product
from app.inventory import queries, services
from app.inventory.values import LocationInput, Receipt, ReceiptLine, WarehouseInput

# SKU -> (standard cost, GTIN)
ARTICLES = {
    "CHAIR": (Decimal("40"), "8412345678905"),
    "DESK": (Decimal("150"), None),
    "LAMP": (Decimal("12.50"), None),
    "GLUE": (Decimal("3"), None),
    "SCANNER": (Decimal("90"), None),
}


@dataclass
class Shop:
    """A tenant's articles and places by name."""

    tenant_id: uuid.UUID
    skus: dict[str, uuid.UUID] = field(default_factory=dict)
    warehouses: dict[str, uuid.UUID] = field(default_factory=dict)
    places: dict[str, uuid.UUID] = field(default_factory=dict)
    virtual: dict[str, uuid.UUID] = field(default_factory=dict)


async def build_shop(db, tenant, *, second_warehouse: bool = True) -> Shop:
    """Five articles (GLUE tracked by lot, SCANNER by serial), MAIN with bins A-01 and A-02, and MAD."""
    shop = Shop(tenant.id)
    async with db.transaction(tenant.id) as s:
        product = await create_product(
            s,
            tenant.id,
            ProductInput(name={"en": "Office kit", "es": "Kit de oficina"}),
            SYSTEM,
            [VariantInput(sku=sku, cost=cost, gtin=gtin) for sku, (cost, gtin) in ARTICLES.items()],
        )
        await s.flush()
        shop.skus = await _skus(s, product.id)
        await services.set_tracking(s, tenant.id, shop.skus["GLUE"], "lot", 365, SYSTEM)
        await services.set_tracking(s, tenant.id, shop.skus["SCANNER"], "serial", None, SYSTEM)
        for w in await queries.warehouses(s):
            shop.warehouses[w.code] = w.id
            shop.places[f"{w.code}-STOCK"] = w.receipt_location_id
        for code in ("A-01", "A-02"):
            place = await services.create_location(
                s, tenant.id, shop.warehouses["MAIN"], LocationInput(code, code), SYSTEM
            )
            shop.places[code] = place.id
        if second_warehouse:
            mad = await services.create_warehouse(s, tenant.id, WarehouseInput("MAD", "Madrid"), SYSTEM)
            shop.warehouses["MAD"], shop.places["MAD-STOCK"] = mad.id, mad.receipt_location_id
        shop.virtual = {loc.kind: loc.id for loc in await queries.virtual_locations(s)}
    return shop


async def _skus(session, product_id) -> dict[str, uuid.UUID]:
    from sqlalchemy import select

    from app.catalog.models import ProductVariant

    rows = await session.execute(
        select(ProductVariant.sku, ProductVariant.id).where(ProductVariant.product_id == product_id)
    )
    return dict(rows.all())


async def receive(db, shop: Shop, sku: str, qty, place: str = "MAIN-STOCK", cost=None, **line):
    """Receive qty of sku into a place of MAIN (or of the warehouse the place belongs to)."""
    warehouse = "MAD" if place.startswith("MAD") else "MAIN"
    receipt = Receipt(
        shop.warehouses[warehouse],
        (
            ReceiptLine(
                shop.skus[sku], Decimal(qty), None if cost is None else Decimal(cost), shop.places[place], **line
            ),
        ),
    )
    async with db.transaction(shop.tenant_id) as s:
        return await services.receive(s, shop.tenant_id, receipt, SYSTEM)


@pytest.fixture
async def shop_a(db, tenant_a) -> Shop:
    return await build_shop(db, tenant_a)


@pytest.fixture(autouse=True)
def english():
    """Messages in English, as the assertions read them (the default locale is Spanish)."""
    from app.i18n import current_locale

    token = current_locale.set("en")
    yield
    current_locale.reset(token)

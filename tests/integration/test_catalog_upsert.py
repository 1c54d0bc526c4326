"""Batch upsert by SKU (the CSV import's engine): creates, updates, changes nothing twice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.actor import SYSTEM
from app.audit.models import AuditEntry
from app.catalog import services as catalog
from app.catalog.models import Brand, ProductVariant
from app.catalog.search import CatalogQuery, browse
from app.catalog.services import CategoryInput, ProductRow
from app.errors import ValidationFailed


@pytest.fixture
async def taxonomy(db, tenant_a):
    async with db.transaction(tenant_a.id) as s:
        await catalog.create_category(s, tenant_a.id, CategoryInput({"es": "Sillas"}, slug="sillas"), SYSTEM)
        colour = await catalog.create_attribute(
            s, tenant_a.id, catalog.AttributeInput("color", {"es": "Color"}), SYSTEM
        )
        await catalog.add_attribute_value(
            s, tenant_a.id, colour.id, catalog.ValueInput("negro", {"es": "Negro"}), SYSTEM
        )


def _rows(n: int = 60) -> list[ProductRow]:
    rows = [
        ProductRow(
            sku=f"SIL-{i:04d}",
            name_es=f"Silla apilable modelo {i}",
            name_en=f"Stackable chair model {i}",
            category="sillas",
            brand="Ofiprix" if i % 2 else "Actiu",
            attributes={"color": "negro"},
            weight_kg="4.5",
        )
        for i in range(n)
    ]
    # two variants of one template, the second in a colour the catalogue does not have yet
    rows += [
        ProductRow(
            sku="MES-ROBLE-8",
            product_key="mesa-roble",
            name_es="Mesa de reuniones Roble",
            category="sillas",
            attributes={"color": "negro"},
        ),
        ProductRow(
            sku="MES-ROBLE-10",
            product_key="mesa-roble",
            name_es="Mesa de reuniones Roble",
            category="sillas",
            attributes={"color": "Verde oliva"},
        ),
    ]
    return rows


async def test_upsert_creates_then_changes_nothing_then_updates_what_changed(db, tenant_a, taxonomy):
    async with db.transaction(tenant_a.id) as s:
        first = await catalog.upsert_products(s, tenant_a.id, _rows(), SYSTEM)
    assert (first.created, first.updated, first.unchanged) == (61, 0, 0)
    async with db.transaction(tenant_a.id) as s:
        second = await catalog.upsert_products(s, tenant_a.id, _rows(), SYSTEM)
        assert (second.created, second.updated, second.unchanged) == (0, 0, 61)
        assert await s.scalar(select(func.count()).select_from(ProductVariant)) == 62
        assert await s.scalar(select(func.count()).select_from(Brand)) == 2
        imported = await s.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "product.imported")
        )
        assert imported == 61
    changed = _rows()
    changed[5] = ProductRow(sku="SIL-0005", name_es="Silla apilable renovada", category="sillas", brand="Actiu")
    changed[7] = ProductRow(
        sku="sil-0007",
        name_es="Silla apilable modelo 7",
        name_en="Stackable chair model 7",
        category="sillas",
        brand="Ofiprix",
        weight_kg="4.5",
        min_qty="10",
        attributes={"color": "negro"},
    )
    async with db.transaction(tenant_a.id) as s:
        third = await catalog.upsert_products(s, tenant_a.id, changed, SYSTEM)
        assert (third.created, third.updated, third.unchanged) == (0, 2, 59)
        page = await browse(s, CatalogQuery(text="renovada"))
        assert [i.name for i in page.items] == ["Silla apilable renovada"]
        table = await browse(s, CatalogQuery(text="verde oliva"))
        assert [(i.name, i.variant_count) for i in table.items] == [("Mesa de reuniones Roble", 2)]
        variant = await s.scalar(select(ProductVariant).where(ProductVariant.sku == "SIL-0007"))
        assert variant.min_qty == Decimal(10)


async def test_upsert_checks_every_row_before_writing(db, tenant_a, taxonomy):
    rows = [
        ProductRow(sku="OK-1", name_es="Lámpara"),
        ProductRow(sku="", name_es="Sin código"),
        ProductRow(sku="OK-1", name_es="Repetida"),
        ProductRow(sku="OK-3", gtin="123", status="vendido", category="no-existe"),
        ProductRow(sku="OK-4", name_es="Perchero", category="no-existe", attributes={"tamano": "xl"}),
        ProductRow(sku="OK-5", name_es="Papelera", max_qty="0.5"),
    ]
    async with db.transaction(tenant_a.id) as s:
        with pytest.raises(ValidationFailed) as problems:
            await catalog.upsert_products(s, tenant_a.id, rows, SYSTEM)
        assert {"rows.1.sku", "rows.2.sku", "rows.3.name", "rows.3.gtin", "rows.3.status", "rows.5.max_qty"} <= set(
            problems.value.errors
        )
        with pytest.raises(ValidationFailed) as references:
            await catalog.upsert_products(s, tenant_a.id, rows[4:5], SYSTEM)
        assert set(references.value.errors) == {"rows.0.category", "rows.0.attributes.tamano"}
        assert await s.scalar(select(func.count()).select_from(ProductVariant)) == 0

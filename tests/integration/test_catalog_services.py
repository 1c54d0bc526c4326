"""Catalog services against the real database: trees, products and variants, units, media, kits, audit."""

from __future__ import annotations

import struct
import zlib
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.actor import SYSTEM
from app.audit import services as audit
from app.catalog import services as catalog
from app.catalog.documents import ProductSearch
from app.catalog.models import Category
from app.catalog.services import CategoryInput, ProductInput, VariantInput
from app.catalog.storage import LocalStorage
from app.errors import ValidationFailed


def _png() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


async def _category(s, tenant, es, parent=None, slug=""):
    return await catalog.create_category(s, tenant.id, CategoryInput({"es": es}, parent_id=parent, slug=slug), SYSTEM)


async def test_category_tree_moves_rewrite_paths_and_refuse_cycles(db, tenant_a):
    async with db.transaction(tenant_a.id) as s:
        furniture = await _category(s, tenant_a, "Mobiliario")
        chairs = await _category(s, tenant_a, "Sillas de oficina", furniture.id)
        stools = await _category(s, tenant_a, "Taburetes", chairs.id)
        assert chairs.slug == "sillas-de-oficina"
        assert stools.path == [furniture.id, chairs.id, stools.id]
        with pytest.raises(ValidationFailed) as cycle:
            await catalog.update_category(
                s, tenant_a.id, chairs.id, CategoryInput({"es": "Sillas"}, parent_id=stools.id), SYSTEM
            )
        assert set(cycle.value.errors) == {"parent_id"}
        with pytest.raises(ValidationFailed):
            await catalog.update_category(
                s, tenant_a.id, chairs.id, CategoryInput({"es": "Sillas"}, parent_id=chairs.id), SYSTEM
            )
        moved = await catalog.update_category(s, tenant_a.id, chairs.id, CategoryInput({"es": "Sillas"}), SYSTEM)
        assert moved.path == [chairs.id] and moved.slug == "sillas-de-oficina"
        stools = await s.scalar(
            select(Category).where(Category.id == stools.id).execution_options(populate_existing=True)
        )
        assert stools.path == [chairs.id, stools.id]
        with pytest.raises(ValidationFailed) as not_empty:
            await catalog.delete_category(s, tenant_a.id, chairs.id, SYSTEM)
        assert "category" in not_empty.value.errors


async def test_slugs_are_generated_unique_and_checked(db, tenant_a):
    async with db.transaction(tenant_a.id) as s:
        first = await _category(s, tenant_a, "Lámparas")
        second = await _category(s, tenant_a, "Lámparas")
        assert (first.slug, second.slug) == ("lamparas", "lamparas-2")
        with pytest.raises(ValidationFailed) as taken:
            await _category(s, tenant_a, "Otra", slug="lamparas")
        with pytest.raises(ValidationFailed) as bad:
            await _category(s, tenant_a, "Otra", slug="Mal Slug")
        with pytest.raises(ValidationFailed) as nameless:
            await _category(s, tenant_a, "   ")
        assert set(taken.value.errors) == set(bad.value.errors) == {"slug"}
        assert set(nameless.value.errors) == {"name"}


async def _attributes(s, tenant):
    colour = await catalog.create_attribute(
        s, tenant.id, catalog.AttributeInput("color", {"es": "Color", "en": "Colour"}), SYSTEM
    )
    for code, es in (("negro", "Negro"), ("gris", "Gris")):
        await catalog.add_attribute_value(s, tenant.id, colour.id, catalog.ValueInput(code, {"es": es}), SYSTEM)
    size = await catalog.create_attribute(s, tenant.id, catalog.AttributeInput("talla", {"es": "Talla"}), SYSTEM)
    for code in ("s", "m", "l"):
        await catalog.add_attribute_value(s, tenant.id, size.id, catalog.ValueInput(code, {"es": code.upper()}), SYSTEM)


async def test_product_with_generated_variants_is_published_and_searchable(db, tenant_a):
    async with db.transaction(tenant_a.id) as s:
        await _attributes(s, tenant_a)
        data = ProductInput(name={"es": "Silla ergonómica", "en": "Ergonomic chair"}, weight_kg="12,5")
        product = await catalog.create_product(s, tenant_a.id, data, SYSTEM)
        assert (product.status, product.slug, product.weight_kg) == ("draft", "silla-ergonomica", Decimal("12.500"))
        with pytest.raises(ValidationFailed) as unpublishable:
            await catalog.change_product_status(s, tenant_a.id, product.id, "active", SYSTEM)
        assert "status" in unpublishable.value.errors
        rules = VariantInput(sku="", order_multiple=Decimal(2), min_qty=Decimal(2))
        axes = [("color", ["negro", "gris"]), ("talla", ["s", "m", "l"])]
        variants = await catalog.generate_variants(s, tenant_a.id, product.id, "sil-ergo", axes, SYSTEM, template=rules)
        assert [v.sku for v in variants][:3] == ["SIL-ERGO-NEGRO-S", "SIL-ERGO-NEGRO-M", "SIL-ERGO-NEGRO-L"]
        assert len(variants) == 6 and all(v.order_multiple == 2 for v in variants)
        again = await catalog.generate_variants(s, tenant_a.id, product.id, "sil-ergo", axes, SYSTEM)
        assert again == []  # every combination exists already
        await catalog.change_product_status(s, tenant_a.id, product.id, "active", SYSTEM)
        with pytest.raises(ValidationFailed):
            await catalog.change_product_status(s, tenant_a.id, product.id, "unknown", SYSTEM)
        doc = await s.scalar(select(ProductSearch).where(ProductSearch.product_id == product.id))
        assert (doc.status, doc.variant_count, doc.default_sku) == ("active", 6, "SIL-ERGO-NEGRO-S")
        assert len(doc.attr_values) == 5
        trail = [e.action for e in await audit.history(s, "product", product.id)]
        assert "product.created" in trail and "product.active" in trail and trail.count("variant.created") == 6


async def test_variant_rules_reject_bad_codes_duplicates_and_quantities(db, tenant_a):
    async with db.transaction(tenant_a.id) as s:
        await _attributes(s, tenant_a)
        data = ProductInput(name={"es": "Mesa"})
        first = VariantInput(sku="MES-1", attributes={"color": "negro"}, gtin="8412345678905")
        product = await catalog.create_product(s, tenant_a.id, data, SYSTEM, variants=[first])
        bad = [
            VariantInput(sku="mes 1", attributes={"color": "negro"}),  # normalises to MES-1: taken; same colour
            VariantInput(sku="MES-2", gtin="8412345678900", min_qty=Decimal(5), max_qty=Decimal(2)),
            VariantInput(sku="MES-3", attributes={"color": "rosa"}, order_multiple=Decimal(0)),
        ]
        with pytest.raises(ValidationFailed) as problems:
            await catalog.add_variants(s, tenant_a.id, product.id, bad, SYSTEM)
        assert {
            "variants",
            "variants.1.gtin",
            "variants.1.max_qty",
            "variants.2.attributes.color",
            "variants.2.order_multiple",
        } <= set(problems.value.errors)
        with pytest.raises(ValidationFailed) as taken:
            await catalog.add_variants(s, tenant_a.id, product.id, [VariantInput(sku="mes-1 ")], SYSTEM)
        assert set(taken.value.errors) == {"variants.0.sku"}


async def test_units_convert_through_the_stock_unit(db, tenant_a):
    async with db.transaction(tenant_a.id) as s:
        box = await catalog.create_unit(s, tenant_a.id, "box12", {"es": "Caja de 12", "en": "Box of 12"}, SYSTEM)
        product = await catalog.create_product(
            s, tenant_a.id, ProductInput(name={"es": "Bolígrafo azul"}), SYSTEM, variants=[VariantInput(sku="BOL-AZ")]
        )
        conversions = [catalog.UomConversion(box.id, Decimal(12), barcode="18412345678902")]
        await catalog.set_product_uoms(s, tenant_a.id, product.id, conversions, SYSTEM)
        assert await catalog.units_for(s, product.id) == {"PCE": Decimal(1), "BOX12": Decimal(12)}
        with pytest.raises(ValidationFailed) as problems:
            await catalog.set_product_uoms(
                s,
                tenant_a.id,
                product.id,
                [
                    catalog.UomConversion(product.stock_uom_id, Decimal(1)),
                    catalog.UomConversion(box.id, Decimal(0), barcode="123"),
                ],
                SYSTEM,
            )
        assert set(problems.value.errors) == {"conversions.0.uom_id", "conversions.1.factor", "conversions.1.barcode"}


async def test_images_are_checked_stored_and_ordered(db, tenant_a, settings, tmp_path):
    storage = LocalStorage(tmp_path, tenant_a.id)
    async with db.transaction(tenant_a.id) as s:
        product = await catalog.create_product(s, tenant_a.id, ProductInput(name={"es": "Armario"}), SYSTEM)
        first = await catalog.add_product_image(s, tenant_a.id, product.id, _png(), "image/png", storage, SYSTEM)
        second = await catalog.add_product_image(
            s, tenant_a.id, product.id, _png() + b"x", "image/png", storage, SYSTEM, alt={"es": "Detalle"}
        )
        assert storage.open(first.storage_key) == _png()
        assert storage.url(first.storage_key) == f"/media/{first.storage_key}"
        with pytest.raises(ValidationFailed) as wrong:
            await catalog.add_product_image(s, tenant_a.id, product.id, _png(), "image/jpeg", storage, SYSTEM)
        with pytest.raises(ValidationFailed) as not_image:
            await catalog.add_product_image(s, tenant_a.id, product.id, b"GIF89a....", "image/gif", storage, SYSTEM)
        assert set(wrong.value.errors) == set(not_image.value.errors) == {"image"}
        kept = await catalog.set_product_images(s, tenant_a.id, product.id, [catalog.ImagePlacement(second.id)], SYSTEM)
        assert [i.id for i in kept] == [second.id] and kept[0].alt == {}
        doc = await s.scalar(select(ProductSearch).where(ProductSearch.product_id == product.id))
        assert doc.image_key == second.storage_key


async def test_relations_and_kits_refuse_self_and_loops(db, tenant_a):
    async with db.transaction(tenant_a.id) as s:

        def make(name, sku, kit=False):
            return catalog.create_product(
                s, tenant_a.id, ProductInput(name={"es": name}, is_kit=kit), SYSTEM, variants=[VariantInput(sku=sku)]
            )

        desk = await make("Escritorio", "ESC-1")
        chair = await make("Silla", "SIL-1")
        office = await make("Puesto de trabajo", "KIT-1", kit=True)
        pack = await make("Pack oficina", "KIT-2", kit=True)
        assert await catalog.set_relations(s, tenant_a.id, desk.id, "accessory", [chair.id], SYSTEM) == [chair.id]
        assert await catalog.related_products(s, desk.id, "accessory") == [chair.id]
        with pytest.raises(ValidationFailed):
            await catalog.set_relations(s, tenant_a.id, desk.id, "related", [desk.id], SYSTEM)
        variant = {p.id: (await catalog.get_product(s, p.id))[1][0].id for p in (desk, chair, office, pack)}
        with pytest.raises(ValidationFailed) as not_kit:
            await catalog.set_kit_components(
                s, tenant_a.id, variant[desk.id], [catalog.Component(variant[chair.id], Decimal(1))], SYSTEM
            )
        assert set(not_kit.value.errors) == {"components"}
        await catalog.set_kit_components(
            s,
            tenant_a.id,
            variant[office.id],
            [catalog.Component(variant[desk.id], Decimal(1)), catalog.Component(variant[chair.id], Decimal(2))],
            SYSTEM,
        )
        await catalog.set_kit_components(
            s, tenant_a.id, variant[pack.id], [catalog.Component(variant[office.id], Decimal(1))], SYSTEM
        )
        with pytest.raises(ValidationFailed) as loop:
            await catalog.set_kit_components(
                s, tenant_a.id, variant[office.id], [catalog.Component(variant[pack.id], Decimal(1))], SYSTEM
            )
        with pytest.raises(ValidationFailed) as itself:
            await catalog.set_kit_components(
                s, tenant_a.id, variant[office.id], [catalog.Component(variant[office.id], Decimal(1))], SYSTEM
            )
        assert set(loop.value.errors) == {"components"} and set(itself.value.errors) == {"components.0.variant_id"}


async def test_hide_prices_setting_round_trips(db, tenant_a):
    async with db.transaction(tenant_a.id) as s:
        assert await catalog.hide_prices_until_sign_in(s, tenant_a.id) is False
        await catalog.set_hide_prices_until_sign_in(s, tenant_a.id, True, SYSTEM)
    async with db.transaction(tenant_a.id) as s:
        assert await catalog.hide_prices_until_sign_in(s, tenant_a.id) is True
        assert (await audit.history(s, "tenant", tenant_a.id))[0].action == "settings.updated"

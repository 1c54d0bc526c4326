"""The demo tenant's catalogue, pictures and prices: created once through the services, and they work."""

from __future__ import annotations

import struct
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pytest

from app.catalog.domain import gtin_valid
from app.catalog.search import CatalogQuery, browse
from app.demo import ensure_demo
from app.demo_data.catalogue import plan_catalogue
from app.demo_data.prices import CLASSROOM_PACK, EDUCATION, school_year
from app.pricing.services import explain_price, price_variants, pricing_context_for
from tests.web.test_platform_tenants import table_counts


@pytest.fixture
def demo_settings(settings, tmp_path):
    return replace(settings, data_dir=tmp_path)


async def _tenant(owner) -> SimpleNamespace:
    row = await owner.fetchrow("SELECT id, currency FROM tenants WHERE slug = 'demo'")
    return SimpleNamespace(id=row["id"], currency=row["currency"])


async def _customer(owner, code):
    return await owner.fetchval("SELECT id FROM customers WHERE code = $1", code)


async def test_ensure_demo_builds_the_catalogue_once(demo_settings, owner, tmp_path):
    lines = await ensure_demo(demo_settings)
    text = "\n".join(lines)
    assert "Catalogue:" in text and "EUR and GBP" in text and "BIENVENIDA10" in text

    products = await owner.fetchval("SELECT count(*) FROM products")
    statuses = dict(await owner.fetch("SELECT status, count(*) FROM products GROUP BY status"))
    skus = await owner.fetch("SELECT sku, gtin FROM product_variants")
    assert 280 <= products <= 360
    assert 700 <= len(skus) <= 1000
    assert statuses["active"] > 0.85 * products and statuses["draft"] >= 3 and statuses["discontinued"] >= 3
    assert all(gtin_valid(r["gtin"]) for r in skus)
    assert await owner.fetchval("SELECT count(*) FROM categories") >= 30
    assert await owner.fetchval("SELECT count(*) FROM categories WHERE parent_id IS NULL") == 8
    assert await owner.fetchval("SELECT count(*) FROM brands") >= 6
    names = await owner.fetchrow(
        "SELECT name, description FROM products WHERE slug = $1", plan_catalogue().products[0].slug
    )
    assert "Silla" in names["name"] and "chair" in names["name"]  # JSON text: Spanish and English
    assert "Garantía" in names["description"] and "warranty" in names["description"]

    kits = await owner.fetch(
        "SELECT p.slug, count(k.*) AS parts FROM products p JOIN product_variants v ON v.product_id = p.id "
        "JOIN kit_components k ON k.kit_variant_id = v.id WHERE p.is_kit GROUP BY p.slug"
    )
    assert len(kits) == 4 and all(k["parts"] >= 2 for k in kits)
    boxes = await owner.fetch(
        "SELECT pu.factor, pu.barcode, v.order_multiple FROM product_uoms pu "
        "JOIN units_of_measure u ON u.id = pu.uom_id JOIN product_variants v ON v.id = pu.variant_id "
        "WHERE u.code = 'BOX10'"
    )
    assert boxes and all(b["factor"] == 10 and b["order_multiple"] == 10 and gtin_valid(b["barcode"]) for b in boxes)
    kinds = {r["kind"] for r in await owner.fetch("SELECT DISTINCT kind FROM product_relations")}
    assert kinds == {"related", "substitute", "accessory"}

    unpictured = await owner.fetchval(
        "SELECT count(*) FROM products p WHERE p.status = 'active' "
        "AND NOT EXISTS (SELECT 1 FROM product_images i WHERE i.product_id = p.id)"
    )
    assert unpictured == 0
    key = await owner.fetchval("SELECT storage_key FROM product_images LIMIT 1")
    tenant = await _tenant(owner)
    png = (tmp_path / "media" / str(tenant.id) / key).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and struct.unpack(">II", png[16:24]) == (480, 480)

    lists = await owner.fetch("SELECT code, level, currency, valid_to FROM price_lists")
    assert {r["currency"] for r in lists} == {"EUR", "GBP"}
    assert sum(r["level"] == "group" for r in lists) == 4
    contract = next(r for r in lists if r["code"] == "CT-COWORK")
    assert contract["level"] == "contract" and contract["valid_to"] == date(date.today().year + 1, 12, 31)
    assert await owner.fetchval("SELECT count(*) FROM price_rules WHERE min_qty = 100") >= 3
    codes = {r["code"] for r in await owner.fetch("SELECT code FROM promotions")}
    assert {"BLACKFRIDAY-SILLAS", "BIENVENIDA10"} <= codes
    assert await owner.fetchval("SELECT count(*) FROM customers WHERE group_id IS NOT NULL") == 4

    before = await table_counts(owner)
    assert await ensure_demo(demo_settings) == lines
    assert await table_counts(owner) == before


async def test_the_school_sees_only_its_assortment_at_education_prices(demo_settings, db, owner):
    await ensure_demo(demo_settings)
    tenant, school = await _tenant(owner), await _customer(owner, "SANTACLARA")
    allowed = {
        r["id"]
        for r in await owner.fetch(
            "SELECT p.id FROM products p JOIN categories c ON c.id = p.category_id, categories e "
            "WHERE p.status = 'active' AND e.slug = ANY ($1) AND e.id = ANY (c.path)",
            list(EDUCATION),
        )
    }
    async with db.transaction(tenant.id) as session:
        everything = await browse(session, CatalogQuery(per_page=96), facets=False)
        seen, page = set(), 1
        while True:
            result = await browse(session, CatalogQuery(per_page=96, page=page), customer_id=school, facets=False)
            seen |= {card.product_id for card in result.items}
            if not result.has_next:
                break
            page += 1
    assert allowed <= seen
    assert len(seen - allowed) == 3  # a teacher's chair and desk, and the classroom pack
    assert len(seen) == result.total < everything.total

    chair = plan_catalogue().family("colectividad")[0].variants[0].sku
    kit = next(p for p in plan_catalogue().products if p.slug == CLASSROOM_PACK).variants[0].sku
    ids = dict(await owner.fetch("SELECT sku, id FROM product_variants WHERE sku = ANY ($1)", [chair, kit]))
    async with db.transaction(tenant.id) as session:
        ctx = await pricing_context_for(session, tenant, school)
        sheet = await price_variants(session, ctx, ids.values(), {ids[chair]: 24})
    assert sheet[ids[chair]].rule.level == "group" and {t.min_qty for t in sheet[ids[chair]].tiers} >= {1, 50, 100}
    assert "VUELTA-AL-AULA" in [p.promotion.code for p in sheet[ids[chair]].promotions]
    assert sheet[ids[kit]].rule.level == "contract" and sheet[ids[kit]].rule.valid_to == school_year(date.today())[1]


def _less_15_pct(price: Decimal) -> Decimal:
    return (price * Decimal("0.85")).quantize(Decimal("0.01"), ROUND_HALF_UP)


async def test_a_coworking_buyer_gets_the_contract_price_and_the_promotion(demo_settings, db, owner):
    await ensure_demo(demo_settings)
    tenant, cowork = await _tenant(owner), await _customer(owner, "COWORK")
    chair = plan_catalogue().family("ergonomica")[0].variants[0].sku
    lamp = plan_catalogue().family("sobremesa")[0].variants[0].sku
    variant_id = await owner.fetchval("SELECT id FROM product_variants WHERE sku = $1", chair)
    lamp_id = await owner.fetchval("SELECT id FROM product_variants WHERE sku = $1", lamp)
    async with db.transaction(tenant.id) as session:
        anonymous = await pricing_context_for(session, tenant, None)
        buyer = await pricing_context_for(session, tenant, cowork)
        list_price = (await price_variants(session, anonymous, [variant_id]))[variant_id]
        quote = (await price_variants(session, buyer, [variant_id]))[variant_id]
        bulk = (await price_variants(session, buyer, [variant_id], {variant_id: 100}))[variant_id]
        with_coupon = await pricing_context_for(session, tenant, cowork, coupons=["bienvenida10"])
        chair_with_coupon = await explain_price(session, with_coupon, variant_id)
        lamp_with_coupon = await explain_price(session, with_coupon, lamp_id)
    assert list_price.rule.level == "base" and list_price.unit_price == _less_15_pct(list_price.customer_price)
    assert quote.rule.level == "contract" and quote.rule.list_code == "CT-COWORK"
    assert quote.customer_price < list_price.customer_price
    assert [p.promotion.code for p in quote.promotions] == ["BLACKFRIDAY-SILLAS"]
    assert quote.unit_price == _less_15_pct(quote.customer_price)
    assert bulk.customer_price < quote.customer_price and [t.min_qty for t in quote.tiers] == [1, 50, 100]
    # the welcome coupon (10 %) does not stack with Black Friday (15 %) on chairs, but takes 10 % off a lamp
    assert chair_with_coupon.quote.unit_price == quote.unit_price and chair_with_coupon.quote.coupon_problems
    lamp_quote = lamp_with_coupon.quote
    assert [p.promotion.code for p in lamp_quote.promotions] == ["BIENVENIDA10"]
    assert lamp_quote.rule.level == "group" and lamp_quote.unit_price < lamp_quote.customer_price

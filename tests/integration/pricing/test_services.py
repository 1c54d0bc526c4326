"""Pricing through the database: precedence of base, group, customer and contract lists, dates, tiers, validation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import parties
from app.actor import SYSTEM
from app.audit import services as audit
from app.catalog import services as catalog
from app.catalog.services import CategoryInput, ProductInput, VariantInput
from app.errors import ValidationFailed
from app.i18n import use_locale
from app.parties import NewCustomer, create_customer
from app.pricing import repo
from app.pricing import services as pricing
from app.pricing.domain import price_many
from app.pricing.models import PriceList
from app.pricing.services import PriceListInput, RuleInput

D = Decimal
IN_2026 = date(2026, 6, 1)
IN_2027 = date(2027, 1, 15)


@dataclass
class Shop:
    """A small catalogue: Sillas under Mobiliario, a chair with two variants, a table; customers and a group."""

    tenant: object
    root: uuid.UUID
    chairs: uuid.UUID
    chair: uuid.UUID
    chair_black: uuid.UUID  # min 1, cost 40
    chair_pack: uuid.UUID  # min 10, packs of 5, cost 20
    table: uuid.UUID  # in Mobiliario, no cost
    group: uuid.UUID
    pro: uuid.UUID  # customer in the group
    solo: uuid.UUID  # customer without a group
    base: uuid.UUID  # the tenant's BASE list


async def build_shop(db, tenant) -> Shop:
    """The catalogue and customers, built through the catalog and identity services."""
    async with db.transaction(tenant.id) as s:
        root = await catalog.create_category(s, tenant.id, CategoryInput({"es": "Mobiliario"}), SYSTEM)
        chairs = await catalog.create_category(s, tenant.id, CategoryInput({"es": "Sillas"}, parent_id=root.id), SYSTEM)
        chair = await catalog.create_product(
            s,
            tenant.id,
            ProductInput({"es": "Silla Kappa"}, category_id=chairs.id),
            SYSTEM,
            variants=[
                VariantInput("KAPPA-BLK", cost=D("40")),
                VariantInput("KAPPA-PACK", min_qty=D(10), order_multiple=D(5), cost=D("20")),
            ],
        )
        table = await catalog.create_product(
            s,
            tenant.id,
            ProductInput({"es": "Mesa Nova"}, category_id=root.id),
            SYSTEM,
            variants=[VariantInput("NOVA")],
        )
        _product, chair_variants = await catalog.get_product(s, chair.id)
        _product, table_variants = await catalog.get_product(s, table.id)
        group = await parties.create_customer_group(s, tenant.id, "PRO", "Profesionales", SYSTEM)
        pro = await create_customer(s, tenant.id, NewCustomer(code="C-PRO", name="Oficinas Sol"), SYSTEM)
        await parties.set_customer_group(s, tenant.id, pro.id, group.id, SYSTEM)
        solo = await create_customer(s, tenant.id, NewCustomer(code="C-SOLO", name="Estudio Luna"), SYSTEM)
        base = await s.scalar(select(PriceList.id).where(PriceList.code == "BASE"))
    by_sku = {v.sku: v.id for v in chair_variants}
    return Shop(
        tenant=tenant,
        root=root.id,
        chairs=chairs.id,
        chair=chair.id,
        chair_black=by_sku["KAPPA-BLK"],
        chair_pack=by_sku["KAPPA-PACK"],
        table=table_variants[0].id,
        group=group.id,
        pro=pro.id,
        solo=solo.id,
        base=base,
    )


async def add_list(db, shop: Shop, code: str, level: str, **kw) -> uuid.UUID:
    async with db.transaction(shop.tenant.id) as s:
        data = PriceListInput(code=code, name=code, currency="EUR", level=level, **kw)
        return (await pricing.create_price_list(s, shop.tenant.id, data, SYSTEM)).id


async def add_rules(db, shop: Shop, list_id: uuid.UUID, *rules: RuleInput) -> None:
    async with db.transaction(shop.tenant.id) as s:
        for rule in rules:
            await pricing.add_rule(s, shop.tenant.id, list_id, rule, SYSTEM)


async def price(db, shop: Shop, customer, on=IN_2026, qtys=None, coupons=(), variants=None):
    async with db.transaction(shop.tenant.id) as s:
        ctx = await pricing.pricing_context_for(s, shop.tenant, customer, "EUR", on, coupons)
        ids = variants or [shop.chair_black, shop.chair_pack, shop.table]
        return await pricing.price_variants(s, ctx, ids, qtys)


@pytest.fixture
async def shop(db, tenant_a) -> Shop:
    return await build_shop(db, tenant_a)


@pytest.fixture
async def priced(db, shop: Shop) -> Shop:
    """Base prices with tiers, a group discount on Sillas, a customer list for the chair, a 2026 contract."""
    await add_rules(
        db,
        shop,
        shop.base,
        RuleInput(D("100"), variant_id=shop.chair_black),
        RuleInput(D("95"), variant_id=shop.chair_black, min_qty=D(10)),
        RuleInput(D("90"), variant_id=shop.chair_black, min_qty=D(50)),
        RuleInput(D("30"), variant_id=shop.chair_pack),
        RuleInput(D("250"), variant_id=shop.table),
    )
    group_list = await add_list(db, shop, "PRO-2026", "group", customer_group_id=shop.group)
    await add_rules(db, shop, group_list, RuleInput(D("10"), method="list_minus_pct", category_id=shop.chairs))
    customer_list = await add_list(db, shop, "C-PRO", "customer", customer_id=shop.pro)
    await add_rules(
        db,
        shop,
        customer_list,
        RuleInput(D("85"), product_id=shop.chair),
        RuleInput(D("70"), product_id=shop.chair, min_qty=D(100)),
    )
    contract = await add_list(
        db, shop, "CT-PRO", "contract", customer_id=shop.pro, valid_from="2026-01-01", valid_to="2026-12-31"
    )
    await add_rules(db, shop, contract, RuleInput(D("80"), variant_id=shop.chair_black, label="Frame agreement"))
    return shop


async def test_precedence_contract_customer_group_base_through_the_database(db, priced: Shop):
    anonymous = await price(db, priced, None)
    assert anonymous[priced.chair_black].unit_price == D("100.00")
    assert anonymous[priced.chair_black].level == "base"
    assert anonymous[priced.table].unit_price == D("250.00")

    solo = await price(db, priced, priced.solo)
    assert solo[priced.chair_black].unit_price == D("100.00")

    pro_2026 = await price(db, priced, priced.pro, IN_2026)
    chair = pro_2026[priced.chair_black]
    assert (chair.unit_price, chair.level, chair.rule.list_code) == (D("80.00"), "contract", "CT-PRO")
    assert chair.list_price == D("100.00")
    assert chair.rule.valid_to == date(2026, 12, 31)  # the list's validity is the rule's
    assert pro_2026[priced.chair_pack].unit_price == D("85.00")  # customer list, product scope
    assert pro_2026[priced.table].unit_price == D("250.00")  # the group's discount is for Sillas only

    pro_2027 = await price(db, priced, priced.pro, IN_2027)
    assert pro_2027[priced.chair_black].unit_price == D("85.00")  # the contract has ended
    assert pro_2027[priced.chair_black].level == "customer"


async def test_group_discount_on_a_category_applies_to_its_products(db, priced: Shop):
    async with db.transaction(priced.tenant.id) as s:
        other = await create_customer(s, priced.tenant.id, NewCustomer(code="C-PRO2", name="Otro Pro"), SYSTEM)
        await parties.set_customer_group(s, priced.tenant.id, other.id, priced.group, SYSTEM)
    sheet = await price(db, priced, other.id, qtys={priced.chair_black: D(10)})
    chair = sheet[priced.chair_black]
    assert (chair.unit_price, chair.level, chair.basis) == (D("85.50"), "group", D("95.00"))  # 10 % off the tier
    assert sheet[priced.chair_pack].unit_price == D("27.00")


async def test_tiers_across_levels_and_quantities(db, priced: Shop):
    anonymous = await price(db, priced, None, qtys={priced.chair_black: D(60)})
    chair = anonymous[priced.chair_black]
    assert chair.unit_price == D("90.00") and chair.tier_min_qty == D(50)
    assert [(t.min_qty, t.unit_price) for t in chair.tiers] == [(1, D("100.00")), (10, D("95.00")), (50, D("90.00"))]

    pro = await price(db, priced, priced.pro, IN_2027, qtys={priced.chair_black: D(20)})
    chair = pro[priced.chair_black]
    assert chair.unit_price == D("85.00")
    assert [(t.min_qty, t.unit_price) for t in chair.tiers] == [(1, D("85.00")), (100, D("70.00"))]
    assert chair.next_tier == (D(100), D("70.00"))


@pytest.mark.parametrize("customer", ["anonymous", "pro", "solo"])
async def test_a_basket_loads_only_tiers_up_to_its_largest_quantity_and_prices_the_same(db, priced: Shop, customer):
    """tiers=False prunes rules whose tier starts above every quantity asked: same quotes as with all rules."""
    who = {"anonymous": None, "pro": priced.pro, "solo": priced.solo}[customer]
    ids = [priced.chair_black, priced.chair_pack, priced.table]
    for on in (IN_2026, IN_2027):
        for qty in (D("0.5"), D(1), D(9), D(10), D(11), D(49), D(50), D(99), D(100), D(250)):
            qtys = {priced.chair_black: qty, priced.chair_pack: D(1)}
            async with db.transaction(priced.tenant.id) as s:
                ctx = await pricing.pricing_context_for(s, priced.tenant, who, "EUR", on)
                basket = await pricing.price_variants(s, ctx, ids, qtys, tiers=False)
                everything = await repo.load_page(s, ctx, ids)
                pruned = await repo.load_page(s, ctx, ids, max(qty, D(1)))
            full = price_many(everything.items, everything.rules, everything.promotions, qtys, ctx, tiers=False)
            assert basket.quotes == full.quotes, (customer, on, qty)
            assert all(r.min_qty <= max(qty, D(1)) for r in pruned.rules)
            assert {r.id for r in pruned.rules} <= {r.id for r in everything.rules}
            if qty <= 1:
                assert len(pruned.rules) < len(everything.rules)  # the 10+ and 50+ tiers are not loaded


async def test_inactive_and_future_lists_do_not_apply(db, priced: Shop):
    future = await add_list(db, priced, "CT-2030", "contract", customer_id=priced.solo, valid_from="2030-01-01")
    await add_rules(db, priced, future, RuleInput(D("50"), variant_id=priced.chair_black))
    assert (await price(db, priced, priced.solo))[priced.chair_black].unit_price == D("100.00")
    assert (await price(db, priced, priced.solo, date(2030, 2, 1)))[priced.chair_black].unit_price == D("50.00")
    async with db.transaction(priced.tenant.id) as s:
        data = PriceListInput("CT-2030", "CT-2030", "EUR", "contract", customer_id=priced.solo, is_active=False)
        await pricing.update_price_list(s, priced.tenant.id, future, data, SYSTEM)
    assert (await price(db, priced, priced.solo, date(2030, 2, 1)))[priced.chair_black].unit_price == D("100.00")


async def test_rule_validation_errors_name_the_field(db, priced: Shop):
    contract = await add_list(db, priced, "CT-PRO-B", "contract", customer_id=priced.pro, valid_from="2026-06-01")
    async with db.transaction(priced.tenant.id) as s:
        add = pricing.add_rule
        with pytest.raises(ValidationFailed) as zero:
            await add(s, priced.tenant.id, priced.base, RuleInput(D("0"), variant_id=priced.table, min_qty=5), SYSTEM)
        with pytest.raises(ValidationFailed) as negative:
            await add(s, priced.tenant.id, priced.base, RuleInput("-3", product_id=priced.chair), SYSTEM)
        with pytest.raises(ValidationFailed) as overlap:
            await add(s, priced.tenant.id, contract, RuleInput(D("75"), variant_id=priced.chair_black), SYSTEM)
        with pytest.raises(ValidationFailed) as below_min:
            await add(
                s, priced.tenant.id, priced.base, RuleInput(D("28"), variant_id=priced.chair_pack, min_qty=5), SYSTEM
            )
        with pytest.raises(ValidationFailed) as garbage:
            await add(s, priced.tenant.id, priced.base, RuleInput("abc", min_qty="x", valid_from="31/12"), SYSTEM)
        with pytest.raises(ValidationFailed) as two_scopes:
            rule = RuleInput(D("5"), variant_id=priced.table, product_id=priced.chair)
            await add(s, priced.tenant.id, priced.base, rule, SYSTEM)
    assert set(zero.value.errors) == {"value"} and set(negative.value.errors) == {"value"}
    assert set(overlap.value.errors) == {"valid_from"} and "CT-PRO" in overlap.value.errors["valid_from"]
    assert set(below_min.value.errors) == {"min_qty"}
    assert set(garbage.value.errors) == {"value", "min_qty", "valid_from"}
    assert set(two_scopes.value.errors) == {"scope"}
    # a tier at or above the minimum, a different tier start, or a period after the other contract are fine
    async with db.transaction(priced.tenant.id) as s:
        await pricing.add_rule(
            s, priced.tenant.id, priced.base, RuleInput(D("28"), variant_id=priced.chair_pack, min_qty=10), SYSTEM
        )
        await pricing.add_rule(
            s, priced.tenant.id, contract, RuleInput(D("75"), variant_id=priced.chair_black, min_qty=20), SYSTEM
        )
        rule = RuleInput(D("75"), variant_id=priced.chair_black, valid_from="2027-01-01")
        await pricing.add_rule(s, priced.tenant.id, contract, rule, SYSTEM)


async def test_changing_a_contracts_dates_into_another_is_refused(db, priced: Shop):
    later = await add_list(db, priced, "CT-2027", "contract", customer_id=priced.pro, valid_from="2027-01-01")
    await add_rules(db, priced, later, RuleInput(D("78"), variant_id=priced.chair_black))
    async with db.transaction(priced.tenant.id) as s:
        data = PriceListInput("CT-2027", "CT 2027", "EUR", "contract", customer_id=priced.pro, valid_from="2026-11-01")
        with pytest.raises(ValidationFailed) as clash:
            await pricing.update_price_list(s, priced.tenant.id, later, data, SYSTEM)
    assert "CT-PRO" in clash.value.errors["valid_from"]


async def test_price_list_validation_and_audit(db, shop: Shop):
    async with db.transaction(shop.tenant.id) as s:
        for data, fields in (
            (PriceListInput("BASE", "Again", "EUR"), {"code"}),
            (PriceListInput("G1", "Group", "EURO", level="group"), {"currency", "customer_group_id"}),
            (PriceListInput("C1", "Cust", "EUR", level="contract", customer_id=uuid.uuid4()), {"customer_id"}),
            (PriceListInput("X", "", "EUR", level="vip"), {"name", "level"}),
            (PriceListInput("D", "Dates", "EUR", valid_from="2026-05-01", valid_to="2026-04-01"), {"valid_to"}),
        ):
            with pytest.raises(ValidationFailed) as failed:
                await pricing.create_price_list(s, shop.tenant.id, data, SYSTEM)
            assert set(failed.value.errors) == fields
        created = await pricing.create_price_list(
            s, shop.tenant.id, PriceListInput("pro-26", "Pro", "eur", "group", customer_group_id=shop.group), SYSTEM
        )
        assert (created.code, created.currency, created.is_base) == ("PRO-26", "EUR", False)
        rule = await pricing.add_rule(s, shop.tenant.id, created.id, RuleInput("12,50", variant_id=shop.table), SYSTEM)
        assert rule.value == D("12.50")
        await pricing.update_rule(s, shop.tenant.id, rule.id, RuleInput("13", variant_id=shop.table), SYSTEM)
        assert [r.value for r in await pricing.list_rules(s, created.id)] == [D("13")]
        await pricing.delete_rule(s, shop.tenant.id, rule.id, SYSTEM)
        assert await pricing.list_rules(s, created.id) == []
        await s.flush()
        trail = await audit.history(s, "price_rule", rule.id)
        assert [e.action for e in trail][::-1] == ["price_rule.created", "price_rule.updated", "price_rule.deleted"]
        lists = await pricing.list_price_lists(s)
        assert [(pl.code, n) for pl, n in lists] == [("PRO-26", 0), ("BASE", 0)]


async def test_explain_price_gives_the_quote_and_its_reasons(db, priced: Shop):
    async with db.transaction(priced.tenant.id) as s:
        ctx = await pricing.pricing_context_for(s, priced.tenant, priced.pro, "EUR", IN_2026)
        with use_locale("en"):
            explained = await pricing.explain_price(s, ctx, priced.chair_black, 10)
    assert explained.quote.unit_price == D("80.00")
    assert explained.lines[0].startswith("Contract price CT-PRO valid until")
    assert "Frame agreement" in explained.lines
    assert explained.lines == [
        "Contract price CT-PRO valid until Dec 31, 2026",
        "Price for this variant",
        "Frame agreement",
    ]
    async with db.transaction(priced.tenant.id) as s:
        ctx = await pricing.pricing_context_for(s, priced.tenant, None, "EUR", IN_2026)
        with use_locale("en"):
            explained = await pricing.explain_price(s, ctx, priced.chair_black, 10)
    assert explained.lines == ["Base price list BASE", "Price for this variant", "Tier 10+", "From 50: €90.00"]


async def test_cost_plus_rules_use_the_variant_cost(db, shop: Shop):
    markup = await add_list(db, shop, "SOLO", "customer", customer_id=shop.solo, rounding="99")
    await add_rules(db, shop, markup, RuleInput(D("50"), method="cost_plus_pct", category_id=shop.root))
    sheet = await price(db, shop, shop.solo)
    assert sheet[shop.chair_black].unit_price == D("59.99")  # 40 + 50 %, rounded to .99 as the list says
    assert sheet[shop.table].unit_price is None  # no cost and no base price: not purchasable

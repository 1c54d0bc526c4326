"""Pricing keeps tenants apart, and prices a page in one SQL statement."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.actor import SYSTEM
from app.db import driver_connection
from app.errors import NotFound, ValidationFailed
from app.pricing import services as pricing
from app.pricing.services import PriceListInput, PromotionInput, RuleInput
from tests.integration.pricing.test_services import IN_2026, Shop, add_list, add_rules, build_shop

D = Decimal


@pytest.fixture
async def shop(db, tenant_a) -> Shop:
    shop = await build_shop(db, tenant_a)
    await add_rules(db, shop, shop.base, RuleInput(D("100"), variant_id=shop.chair_black))
    return shop


async def test_another_tenant_cannot_read_or_use_price_lists_promotions_or_variants(db, shop: Shop, tenant_b):
    contract = await add_list(db, shop, "CT-A", "contract", customer_id=shop.pro)
    await add_rules(db, shop, contract, RuleInput(D("80"), variant_id=shop.chair_black))
    async with db.transaction(shop.tenant.id) as s:
        promo = await pricing.create_promotion(s, shop.tenant.id, PromotionInput("A-ONLY", "percent", D("5")), SYSTEM)
        rule = (await pricing.list_rules(s, contract))[0]

    b = tenant_b.id
    async with db.transaction(b) as s:
        for attempt in (
            pricing.get_price_list(s, contract),
            pricing.list_rules(s, contract),
            pricing.update_price_list(s, b, contract, PriceListInput("X", "X", "EUR"), SYSTEM),
            pricing.add_rule(s, b, contract, RuleInput(D("1")), SYSTEM),
            pricing.update_rule(s, b, rule.id, RuleInput(D("1")), SYSTEM),
            pricing.delete_rule(s, b, rule.id, SYSTEM),
            pricing.get_promotion(s, promo.id),
            pricing.update_promotion(s, b, promo.id, PromotionInput("A-ONLY", "percent", D("9")), SYSTEM),
            pricing.redeem_promotion(s, b, promo.id, shop.pro, SYSTEM),
            pricing.pricing_context_for(s, tenant_b, shop.pro),
        ):
            with pytest.raises(NotFound):
                await attempt
        assert await pricing.list_price_lists(s) != []  # B sees its own BASE list only
        assert [pl.code for pl, _n in await pricing.list_price_lists(s)] == ["BASE"]
        assert await pricing.list_promotions(s) == []
        ctx = await pricing.pricing_context_for(s, tenant_b, None, "EUR", IN_2026)
        sheet = await pricing.price_variants(s, ctx, [shop.chair_black, shop.chair_pack, shop.table])
        assert sheet.quotes == {}
        with pytest.raises(NotFound):
            await pricing.explain_price(s, ctx, shop.chair_black, 1)
        base_b = (await pricing.list_price_lists(s))[0][0].id
        with pytest.raises(ValidationFailed) as foreign:  # B's rule cannot point at A's variant either
            await pricing.add_rule(s, b, base_b, RuleInput(D("1"), variant_id=shop.chair_black), SYSTEM)
        assert set(foreign.value.errors) == {"variant_id"}

    async with db.transaction(shop.tenant.id) as s:  # A's data is untouched
        assert (await pricing.get_promotion(s, promo.id)).value == D("5")
        assert len(await pricing.list_rules(s, contract)) == 1


async def test_a_page_is_priced_in_one_statement(db, shop: Shop):
    statements: list[str] = []

    def logged(record) -> None:  # asyncpg's log: statements sent through SQLAlchemy or to asyncpg directly
        statements.append(record.query)

    async with db.transaction(shop.tenant.id) as s:
        ctx = await pricing.pricing_context_for(s, shop.tenant, shop.pro, "EUR", IN_2026, ["ANY"])
        ids = [shop.chair_black, shop.chair_pack, shop.table]
        await pricing.price_variants(s, ctx, ids)  # asyncpg learns the statement's types once per connection
        conn = await driver_connection(s)
        conn.add_query_logger(logged)
        try:
            sheet = await pricing.price_variants(s, ctx, ids)
        finally:
            conn.remove_query_logger(logged)
    assert len(statements) == 1, statements
    assert sheet[shop.chair_black].unit_price == D("100.00")
    assert sheet[shop.table].unit_price is None

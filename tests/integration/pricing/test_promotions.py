"""Promotions and coupons through the database: validation, pricing with codes, redemption limits under concurrency."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.actor import SYSTEM
from app.errors import ValidationFailed
from app.i18n import use_locale
from app.pricing import services as pricing
from app.pricing.models import PromotionRecord, PromotionRedemption
from app.pricing.services import PromotionInput, RuleInput
from tests.integration.pricing.test_services import IN_2026, Shop, add_rules, build_shop, price

D = Decimal


@pytest.fixture
async def shop(db, tenant_a) -> Shop:
    shop = await build_shop(db, tenant_a)
    await add_rules(
        db,
        shop,
        shop.base,
        RuleInput(D("100"), variant_id=shop.chair_black),
        RuleInput(D("30"), variant_id=shop.chair_pack),
        RuleInput(D("250"), variant_id=shop.table),
    )
    return shop


async def promotion(db, shop: Shop, **kw) -> uuid.UUID:
    data = PromotionInput(**{"kind": "percent", "value": D("10"), **kw})
    async with db.transaction(shop.tenant.id) as s:
        return (await pricing.create_promotion(s, shop.tenant.id, data, SYSTEM)).id


async def redeem(db, shop: Shop, promotion_id, customer_id, **kw):
    async with db.transaction(shop.tenant.id) as s:
        return await pricing.redeem_promotion(s, shop.tenant.id, promotion_id, customer_id, SYSTEM, on=IN_2026, **kw)


async def times_used(db, shop: Shop, promotion_id) -> int:
    async with db.transaction(shop.tenant.id) as s:
        return (await pricing.get_promotion(s, promotion_id)).times_used


async def test_promotion_validation_errors_name_the_field(db, shop: Shop):
    await promotion(db, shop, code="SPRING", requires_coupon=True)
    async with db.transaction(shop.tenant.id) as s:
        for data, fields in (
            (PromotionInput("spring", "percent", D("5"), requires_coupon=True), {"code"}),  # case-insensitive
            (PromotionInput("ZERO", "percent", D("0")), {"value"}),
            (PromotionInput("HALF", "percent", D("150")), {"value"}),
            (PromotionInput("EUROS", "amount", D("5")), {"currency"}),
            (PromotionInput("BAD CODE", "percent", D("5"), requires_coupon=True), {"code"}),
            (
                PromotionInput("LIMIT", "percent", D("5"), usage_limit=0, per_customer_limit="x"),
                {"usage_limit", "per_customer_limit"},
            ),
            (PromotionInput("GROUPS", "percent", D("5"), group_ids=[uuid.uuid4()]), {"group_ids"}),
            (PromotionInput("DATES", "percent", D("5"), valid_from="2026-02-01", valid_to="2026-01-01"), {"valid_to"}),
            (PromotionInput("SCOPE", "percent", D("5"), variant_id=shop.table, category_id=shop.root), {"scope"}),
        ):
            with pytest.raises(ValidationFailed) as failed:
                await pricing.create_promotion(s, shop.tenant.id, data, SYSTEM)
            assert set(failed.value.errors) == fields, data


async def test_coupons_apply_by_code_and_explain_why_not(db, shop: Shop):
    await promotion(db, shop, code="WELCOME", requires_coupon=True, category_id=shop.chairs)
    await promotion(db, shop, code="AUTUMN", kind="amount", value=D("5"), currency="EUR", valid_to="2026-03-31",
                    requires_coupon=True)  # fmt: skip
    await promotion(db, shop, code="PROS", group_ids=[shop.group], stackable=True, value=D("2"))
    with use_locale("en"):
        sheet = await price(db, shop, shop.pro, coupons=["welcome", "autumn", "nope"])
    chair = sheet[shop.chair_black]
    assert chair.unit_price == D("88.00")  # 10 % coupon on Sillas + 2 % for the group, stacked
    assert sorted(a.promotion.code for a in chair.promotions) == ["PROS", "WELCOME"]
    assert sheet[shop.table].unit_price == D("245.00")  # only the group's 2 %
    problems = {p.code: p.reason for p in sheet.coupon_problems}
    assert problems["AUTUMN"].startswith("Coupon AUTUMN expired on")
    assert problems["nope"] == "Unknown coupon code nope"
    anonymous = await price(db, shop, None, coupons=["WELCOME"])
    assert anonymous[shop.chair_black].unit_price == D("90.00")
    assert anonymous[shop.table].unit_price == D("250.00")


async def test_usage_limit_and_per_customer_limit(db, shop: Shop):
    once_each = await promotion(db, shop, code="ONCE", requires_coupon=True, per_customer_limit=1)
    await redeem(db, shop, once_each, shop.pro)
    with pytest.raises(ValidationFailed) as again:
        await redeem(db, shop, once_each, shop.pro)
    assert set(again.value.errors) == {"code"}
    await redeem(db, shop, once_each, shop.solo)
    assert await times_used(db, shop, once_each) == 2
    with use_locale("en"):
        sheet = await price(db, shop, shop.pro, coupons=["once"])
    assert sheet[shop.chair_black].unit_price == D("100.00")
    assert "maximum number of times" in sheet.coupon_problems[0].reason

    two = await promotion(db, shop, code="TWO", usage_limit=2)
    order = uuid.uuid4()
    first = await redeem(db, shop, two, shop.pro, order_id=order)
    assert (await redeem(db, shop, two, shop.pro, order_id=order)).id == first.id  # the same order counts once
    await redeem(db, shop, two, shop.solo)
    with pytest.raises(ValidationFailed) as used_up, use_locale("en"):
        await redeem(db, shop, two, shop.pro)
    assert "used up" in used_up.value.errors["code"]
    assert await times_used(db, shop, two) == 2
    assert (await price(db, shop, shop.solo))[shop.chair_black].unit_price == D("100.00")  # no longer applies

    later = await promotion(db, shop, code="LATER", valid_from="2027-01-01")
    with pytest.raises(ValidationFailed):
        await redeem(db, shop, later, shop.pro)
    grouped = await promotion(db, shop, code="GROUPED", group_ids=[shop.group])
    with pytest.raises(ValidationFailed):
        await redeem(db, shop, grouped, shop.solo)
    await redeem(db, shop, grouped, shop.pro)


async def test_two_concurrent_redemptions_of_the_last_use_only_one_wins(db, shop: Shop):
    last = await promotion(db, shop, code="LAST", requires_coupon=True, usage_limit=3)
    await redeem(db, shop, last, shop.pro)
    await redeem(db, shop, last, shop.solo)

    async def attempt(customer_id):
        try:
            await redeem(db, shop, last, customer_id)
        except ValidationFailed as exc:
            return exc.errors
        return "won"

    outcomes = await asyncio.gather(attempt(shop.pro), attempt(shop.solo))
    assert sorted(map(str, outcomes)).count("won") == 1, outcomes
    assert await times_used(db, shop, last) == 3
    async with db.transaction(shop.tenant.id) as s:
        count = await s.scalar(select(func.count()).where(PromotionRedemption.promotion_id == last))
    assert count == 3


async def test_two_concurrent_redemptions_by_one_customer_respect_the_per_customer_limit(db, shop: Shop):
    once = await promotion(db, shop, code="ONE-EACH", requires_coupon=True, per_customer_limit=1)

    async def attempt():
        try:
            await redeem(db, shop, once, shop.pro)
        except ValidationFailed:
            return False
        return True

    assert sorted(await asyncio.gather(attempt(), attempt())) == [False, True]
    assert await times_used(db, shop, once) == 1


async def test_update_keeps_the_counter_and_refuses_a_limit_below_it(db, shop: Shop):
    promo = await promotion(db, shop, code="KEEP", usage_limit=5)
    await redeem(db, shop, promo, shop.pro)
    await redeem(db, shop, promo, shop.solo)
    async with db.transaction(shop.tenant.id) as s:
        with pytest.raises(ValidationFailed) as below:
            data = PromotionInput("KEEP", "percent", D("10"), usage_limit=1)
            await pricing.update_promotion(s, shop.tenant.id, promo, data, SYSTEM)
        assert set(below.value.errors) == {"usage_limit"}
        data = PromotionInput(
            "Keep", "percent", D("15"), usage_limit=2, group_ids=[shop.group], valid_to=date(2026, 12, 31)
        )
        updated = await pricing.update_promotion(s, shop.tenant.id, promo, data, SYSTEM)
        assert (updated.times_used, updated.value, updated.code) == (2, D("15"), "Keep")
        assert await pricing.promotion_groups(s, promo) == [shop.group]
        listed = await pricing.list_promotions(s, valid_on=date(2027, 1, 1))
        assert promo not in [p.id for p in listed]
        assert await s.scalar(select(func.count()).select_from(PromotionRecord)) == 1


async def test_two_concurrent_promotions_with_one_code_only_one_is_saved(db, shop: Shop):
    async def attempt(code: str):
        try:
            await promotion(db, shop, code=code, requires_coupon=True)
        except ValidationFailed as exc:
            return set(exc.errors)
        return "saved"

    outcomes = await asyncio.gather(attempt("RACE"), attempt("race"))
    assert sorted(map(str, outcomes)) == ["saved", "{'code'}"]

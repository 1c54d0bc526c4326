"""Add, change, delete and list the rules of a price list, each checked by check_rule (app.pricing.rule_checks)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.base import new_id
from app.catalog.models import Category, Product, ProductVariant
from app.catalog.repo import get
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.pricing import repo
from app.pricing.domain import PriceRule, QuantityRule
from app.pricing.models import METHODS, ROUNDINGS, PriceList, PriceRuleRecord
from app.pricing.rule_checks import check_rule, rule_in_list
from app.pricing.services._support import day, exists, label, number, period

_AUDITED = (
    "price_list_id",
    "variant_id",
    "product_id",
    "category_id",
    "min_qty",
    "method",
    "value",
    "rounding",
    "valid_from",
    "valid_to",
    "label",
)
_SCOPE_ORDER = case(
    (PriceRuleRecord.variant_id.is_not(None), 0),
    (PriceRuleRecord.product_id.is_not(None), 1),
    (PriceRuleRecord.category_id.is_not(None), 2),
    else_=3,
)


@dataclass(frozen=True)
class RuleInput:
    """One price: for a variant, a product, a category (with its subcategories) or, with none, every product.

    `value` is a price for 'fixed', a percentage for 'list_minus_pct' and 'cost_plus_pct'. `min_qty` starts a
    tier (1 = from the first unit). `rounding` None rounds as the list does. Dates are inclusive; None = open.
    """

    value: Decimal | str
    method: str = "fixed"
    variant_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    min_qty: Decimal | int | str = Decimal(1)
    rounding: str | None = None
    valid_from: date | str | None = None
    valid_to: date | str | None = None
    label: str = ""


async def _quantity_rule(session: AsyncSession, variant_id: uuid.UUID) -> QuantityRule | None:
    """The variant's ordering rule from product_variants (None when the tenant has no such variant)."""
    row = (
        await session.execute(
            select(ProductVariant.min_qty, ProductVariant.order_multiple, ProductVariant.max_qty).where(
                ProductVariant.id == variant_id
            )
        )
    ).first()
    return None if row is None else QuantityRule(variant_id, row[0], row[1], row[2])


def price_list_rule(price_list: PriceList) -> PriceRule:
    """The list as a rule template (its id, code, level, currency, target, rounding and validity): see rule_in_list."""
    return PriceRule(
        id=None, list_id=price_list.id, list_code=price_list.code, level=price_list.level,
        currency=price_list.currency, value=Decimal(0), customer_id=price_list.customer_id,
        group_id=price_list.customer_group_id, rounding=price_list.rounding, valid_from=price_list.valid_from,
        valid_to=price_list.valid_to,
    )  # fmt: skip


async def _validated(
    session: AsyncSession, price_list: PriceList, data: RuleInput, rule_id: uuid.UUID
) -> dict[str, object]:
    """Parse, resolve the scope within the tenant, and check_rule against the rules it could clash with."""
    errors: dict[str, str] = {}
    value = number(data.value, "value", errors)
    if value is None and "value" not in errors:
        errors["value"] = _("Enter a value.")
    min_qty = number(data.min_qty, "min_qty", errors, default=Decimal(1))
    valid_from, valid_to = day(data.valid_from, "valid_from", errors), day(data.valid_to, "valid_to", errors)
    period(errors, valid_from, valid_to)
    text = label(data.label, "label", errors)
    rounding = data.rounding or None
    if data.method not in METHODS:
        errors["method"] = _("Choose a fixed price, a discount on the list price or a markup on cost")
    if rounding is not None and rounding not in ROUNDINGS:
        errors["rounding"] = _("Choose a valid rounding.")
    quantity_rule = None
    if data.variant_id is not None:
        quantity_rule = await _quantity_rule(session, data.variant_id)
        if quantity_rule is None:
            errors["variant_id"] = _("Choose an existing variant.")
    if data.product_id is not None and not await exists(session, Product, data.product_id):
        errors["product_id"] = _("Choose an existing product.")
    if data.category_id is not None and not await exists(session, Category, data.category_id):
        errors["category_id"] = _("Choose an existing category.")
    if value is not None and min_qty is not None and not errors.keys() & {"valid_from", "valid_to"}:
        rule = rule_in_list(
            price_list_rule(price_list), id=rule_id, value=value, method=data.method, variant_id=data.variant_id,
            product_id=data.product_id, category_id=data.category_id, min_qty=min_qty, rounding=rounding,
            valid_from=valid_from, valid_to=valid_to, label=text,
        )  # fmt: skip
        siblings = await repo.sibling_rules(session, rule) if rule is not None and price_list.is_active else []
        for key, message in check_rule(rule, siblings, quantity_rule).items():
            errors.setdefault(key, message)
    if errors:
        raise ValidationFailed(errors)
    return {
        "variant_id": data.variant_id,
        "product_id": data.product_id,
        "category_id": data.category_id,
        "min_qty": min_qty,
        "method": data.method,
        "value": value,
        "rounding": rounding,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "label": text,
    }


async def add_rule(
    session: AsyncSession, tenant_id: uuid.UUID, price_list_id: uuid.UUID, data: RuleInput, actor: Actor
) -> PriceRuleRecord:
    """A new rule in the list (NotFound for another tenant's list)."""
    price_list = await get(session, PriceList, price_list_id, for_update=True)
    rule_id = new_id()
    values = await _validated(session, price_list, data, rule_id)
    rule = PriceRuleRecord(tenant_id=tenant_id, id=rule_id, price_list_id=price_list.id, **values)
    session.add(rule)
    await session.flush()
    created = audit.diff({}, audit.snapshot(rule, _AUDITED))
    await audit.record(session, tenant_id, actor, "price_rule.created", "price_rule", rule.id, created)
    return rule


async def update_rule(
    session: AsyncSession, tenant_id: uuid.UUID, rule_id: uuid.UUID, data: RuleInput, actor: Actor
) -> PriceRuleRecord:
    """Change a rule in place (its list stays)."""
    rule = await get(session, PriceRuleRecord, rule_id, for_update=True)
    price_list = await get(session, PriceList, rule.price_list_id, for_update=True)
    values = await _validated(session, price_list, data, rule.id)
    before = audit.snapshot(rule, _AUDITED)
    for key, value in values.items():
        setattr(rule, key, value)
    await session.flush()
    changes = audit.diff(before, audit.snapshot(rule, _AUDITED))
    if changes:
        await audit.record(session, tenant_id, actor, "price_rule.updated", "price_rule", rule.id, changes)
    return rule


async def delete_rule(session: AsyncSession, tenant_id: uuid.UUID, rule_id: uuid.UUID, actor: Actor) -> None:
    """Remove a rule; the audit entry keeps what it said."""
    rule = await get(session, PriceRuleRecord, rule_id, for_update=True)
    before = audit.snapshot(rule, _AUDITED)
    await session.delete(rule)
    await session.flush()
    await audit.record(session, tenant_id, actor, "price_rule.deleted", "price_rule", rule_id, audit.diff(before, {}))


async def list_rules(
    session: AsyncSession, price_list_id: uuid.UUID, *, limit: int = 200, offset: int = 0
) -> list[PriceRuleRecord]:
    """A list's rules for the back office: variants, products, categories, then all products; tiers ascending."""
    price_list = await get(session, PriceList, price_list_id)
    stmt = (
        select(PriceRuleRecord)
        .where(PriceRuleRecord.price_list_id == price_list.id)
        .order_by(
            _SCOPE_ORDER,
            PriceRuleRecord.variant_id,
            PriceRuleRecord.product_id,
            PriceRuleRecord.category_id,
            PriceRuleRecord.min_qty,
            PriceRuleRecord.valid_from.nulls_first(),
            PriceRuleRecord.id,
        )
        .limit(max(1, min(limit, 1000)))
        .offset(max(0, offset))
    )
    return list(await session.scalars(stmt))

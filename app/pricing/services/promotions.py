"""Create, change and list promotions and coupons, each checked by the engine's validate_promotion."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.base import new_id
from app.catalog.models import Category, Product, ProductVariant
from app.catalog.repo import get
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.parties import CustomerGroup
from app.pricing.domain import Promotion, validate_promotion
from app.pricing.models import PromotionCustomerGroup, PromotionRecord
from app.pricing.services._support import day, exists, label, number, period, whole

_AUDITED = (
    "code",
    "kind",
    "value",
    "requires_coupon",
    "currency",
    "variant_id",
    "product_id",
    "category_id",
    "min_qty",
    "valid_from",
    "valid_to",
    "usage_limit",
    "per_customer_limit",
    "stackable",
    "is_active",
    "label",
)


@dataclass(frozen=True)
class PromotionInput:
    """A promotion (applies by itself) or a coupon (requires_coupon: the customer types the code).

    `kind` 'percent' takes value % off the customer price, 'amount' takes value (in `currency`) off each unit.
    `group_ids` limits it to customers of those groups (empty: everybody).
    """

    code: str
    kind: str
    value: Decimal | str
    requires_coupon: bool = False
    currency: str | None = None
    variant_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    min_qty: Decimal | int | str = Decimal(1)
    valid_from: date | str | None = None
    valid_to: date | str | None = None
    usage_limit: int | str | None = None
    per_customer_limit: int | str | None = None
    group_ids: Sequence[uuid.UUID] = field(default_factory=tuple)
    stackable: bool = False
    is_active: bool = True
    label: str = ""


async def _references(session: AsyncSession, data: PromotionInput, errors: dict[str, str]) -> None:
    """The scope and the groups must be the tenant's."""
    for name, model, message in (
        ("variant_id", ProductVariant, _("Choose an existing variant.")),
        ("product_id", Product, _("Choose an existing product.")),
        ("category_id", Category, _("Choose an existing category.")),
    ):
        value = getattr(data, name)
        if value is not None and not await exists(session, model, value):
            errors[name] = message
    if data.group_ids:
        found = set(await session.scalars(select(CustomerGroup.id).where(CustomerGroup.id.in_(data.group_ids))))
        if found != set(data.group_ids):
            errors["group_ids"] = _("Choose existing customer groups.")


async def _validated(session: AsyncSession, data: PromotionInput, promotion_id: uuid.UUID, times_used: int) -> dict:
    """Parse, resolve references and run validate_promotion against promotions with the same code."""
    errors: dict[str, str] = {}
    value = number(data.value, "value", errors)
    if value is None and "value" not in errors:
        errors["value"] = _("Enter a value.")
    min_qty = number(data.min_qty, "min_qty", errors, default=Decimal(1))
    valid_from, valid_to = day(data.valid_from, "valid_from", errors), day(data.valid_to, "valid_to", errors)
    period(errors, valid_from, valid_to)
    usage_limit = whole(data.usage_limit, "usage_limit", errors)
    per_customer_limit = whole(data.per_customer_limit, "per_customer_limit", errors)
    text = label(data.label, "label", errors)
    currency = (data.currency or "").strip().upper() or None
    code = data.code.strip()
    await _references(session, data, errors)
    if usage_limit is not None and usage_limit < times_used and "usage_limit" not in errors:
        errors["usage_limit"] = _("It has been used %(n)s times already: the limit cannot be lower.", n=times_used)
    if value is not None and min_qty is not None:
        promo = Promotion(
            id=promotion_id,
            code=code,
            kind=data.kind,
            value=value,
            requires_coupon=data.requires_coupon,
            currency=currency,
            variant_id=data.variant_id,
            product_id=data.product_id,
            category_id=data.category_id,
            min_qty=min_qty,
            valid_from=valid_from,
            valid_to=valid_to,
            usage_limit=usage_limit,
            per_customer_limit=per_customer_limit,
            stackable=data.stackable,
            label=text,
        )
        same_code = await _same_code(session, code, promotion_id)
        for key, message in validate_promotion(promo, same_code).items():
            errors.setdefault(key, message)
        if same_code and "code" not in errors:  # the code is unique per tenant, whatever the dates
            errors["code"] = _("Another promotion already uses this code.")
    if errors:
        raise ValidationFailed(errors)
    return {
        "code": code,
        "kind": data.kind,
        "value": value,
        "requires_coupon": data.requires_coupon,
        "currency": currency,
        "variant_id": data.variant_id,
        "product_id": data.product_id,
        "category_id": data.category_id,
        "min_qty": min_qty,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "usage_limit": usage_limit,
        "per_customer_limit": per_customer_limit,
        "stackable": data.stackable,
        "is_active": data.is_active,
        "label": text,
    }


async def _same_code(session: AsyncSession, code: str, promotion_id: uuid.UUID) -> list[Promotion]:
    """Other promotions whose code matches without case, as the engine's Promotion."""
    stmt = select(PromotionRecord).where(
        func.lower(PromotionRecord.code) == func.lower(code), PromotionRecord.id != promotion_id
    )
    return [
        Promotion(
            id=p.id,
            code=p.code,
            kind=p.kind,
            value=p.value,
            currency=p.currency,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
        )
        for p in await session.scalars(stmt)
    ]


async def _save(session: AsyncSession, promotion: PromotionRecord, group_ids: Sequence[uuid.UUID]) -> None:
    """Flush the row and its groups; a concurrent save of the same code ends as a field error, not a 500."""
    try:
        async with session.begin_nested():
            await session.flush()
            await session.execute(
                delete(PromotionCustomerGroup).where(PromotionCustomerGroup.promotion_id == promotion.id)
            )
            if group_ids:
                await session.execute(
                    insert(PromotionCustomerGroup),
                    [
                        {"tenant_id": promotion.tenant_id, "promotion_id": promotion.id, "customer_group_id": g}
                        for g in dict.fromkeys(group_ids)
                    ],
                )
    except IntegrityError:
        raise ValidationFailed({"code": _("Another promotion already uses this code.")}) from None


async def create_promotion(
    session: AsyncSession, tenant_id: uuid.UUID, data: PromotionInput, actor: Actor
) -> PromotionRecord:
    """A new promotion or coupon."""
    promotion_id = new_id()
    values = await _validated(session, data, promotion_id, 0)
    promotion = PromotionRecord(tenant_id=tenant_id, id=promotion_id, times_used=0, **values)
    session.add(promotion)
    await _save(session, promotion, data.group_ids)
    changes = audit.diff({}, {**audit.snapshot(promotion, _AUDITED), "group_ids": sorted(map(str, data.group_ids))})
    await audit.record(session, tenant_id, actor, "promotion.created", "promotion", promotion.id, changes)
    return promotion


async def update_promotion(
    session: AsyncSession, tenant_id: uuid.UUID, promotion_id: uuid.UUID, data: PromotionInput, actor: Actor
) -> PromotionRecord:
    """Change a promotion; its use counter is kept (and a usage limit cannot go below it)."""
    promotion = await get(session, PromotionRecord, promotion_id, for_update=True)
    values = await _validated(session, data, promotion.id, promotion.times_used)
    groups_before = await promotion_groups(session, promotion.id)
    before = {**audit.snapshot(promotion, _AUDITED), "group_ids": sorted(map(str, groups_before))}
    for key, value in values.items():
        setattr(promotion, key, value)
    await _save(session, promotion, data.group_ids)
    changes = audit.diff(before, {**audit.snapshot(promotion, _AUDITED), "group_ids": sorted(map(str, data.group_ids))})
    if changes:
        await audit.record(session, tenant_id, actor, "promotion.updated", "promotion", promotion.id, changes)
    return promotion


async def get_promotion(session: AsyncSession, promotion_id: uuid.UUID) -> PromotionRecord:
    """One of the tenant's promotions (NotFound for another tenant's id)."""
    return await get(session, PromotionRecord, promotion_id)


async def promotion_groups(session: AsyncSession, promotion_id: uuid.UUID) -> list[uuid.UUID]:
    """The customer groups a promotion is limited to (empty: everybody)."""
    stmt = select(PromotionCustomerGroup.customer_group_id).where(PromotionCustomerGroup.promotion_id == promotion_id)
    return list(await session.scalars(stmt))


async def list_promotions(
    session: AsyncSession, *, valid_on: date | None = None, active_only: bool = False, limit: int = 200
) -> list[PromotionRecord]:
    """The tenant's promotions for the back office, newest first; `valid_on` keeps those valid that day."""
    stmt = select(PromotionRecord).order_by(PromotionRecord.created_at.desc(), PromotionRecord.id.desc())
    if valid_on is not None:
        stmt = stmt.where(
            or_(PromotionRecord.valid_from.is_(None), PromotionRecord.valid_from <= valid_on),
            or_(PromotionRecord.valid_to.is_(None), PromotionRecord.valid_to >= valid_on),
        )
    if active_only:
        stmt = stmt.where(PromotionRecord.is_active)
    return list(await session.scalars(stmt.limit(max(1, min(limit, 1000)))))

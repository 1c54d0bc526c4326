"""Reorder rules per variant and warehouse (min/max or reorder point); the suggestions are a query."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory.models import ReorderRule, Warehouse
from app.inventory.services._checks import quantity
from app.inventory.services._rows import get
from app.inventory.values import ReorderRuleInput

RULE_FIELDS = ("kind", "min_qty", "max_qty")


async def set_reorder_rule(
    session: AsyncSession, tenant_id: uuid.UUID, data: ReorderRuleInput, actor: Actor
) -> ReorderRule:
    """Create or change the rule of a variant in a warehouse."""
    if data.kind not in {"min_max", "reorder_point"}:
        raise ValidationFailed({"kind": _("Choose one of the options.")})
    low = quantity(data.min_qty, "min_qty", zero=True)
    high = quantity(data.max_qty, "max_qty")
    if data.kind == "min_max" and high < low:
        raise ValidationFailed({"max_qty": _("The maximum must be at least the minimum.")})
    from app.catalog.models import ProductVariant

    await get(session, ProductVariant, data.variant_id)
    await get(session, Warehouse, data.warehouse_id)
    rule = await session.scalar(
        select(ReorderRule).where(
            ReorderRule.variant_id == data.variant_id, ReorderRule.warehouse_id == data.warehouse_id
        )
    )
    before = {f: getattr(rule, f) for f in RULE_FIELDS} if rule else {}
    if rule is None:
        rule = ReorderRule(tenant_id=tenant_id, variant_id=data.variant_id, warehouse_id=data.warehouse_id)
        session.add(rule)
    rule.kind, rule.min_qty, rule.max_qty = data.kind, low, high
    await session.flush()
    after = {f: getattr(rule, f) for f in RULE_FIELDS}
    await audit.record(
        session, tenant_id, actor, "reorder_rule.saved", "reorder_rule", rule.id, audit.diff(before, after)
    )
    return rule


async def delete_reorder_rule(session: AsyncSession, tenant_id: uuid.UUID, rule_id: uuid.UUID, actor: Actor) -> None:
    """Stop suggesting purchases for this variant in this warehouse."""
    rule = await get(session, ReorderRule, rule_id)
    await session.delete(rule)
    await audit.record(session, tenant_id, actor, "reorder_rule.deleted", "reorder_rule", rule_id, {})

"""Pricing reads for the faces: a price rule as stored (the rule form shows it)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.pricing.models import PriceRuleRecord


async def price_rule(session: AsyncSession, rule_id: uuid.UUID) -> PriceRuleRecord:
    """The rule with this id (NotFound for an unknown id or another tenant's)."""
    row = await session.scalar(select(PriceRuleRecord).where(PriceRuleRecord.id == rule_id))
    if row is None:
        raise NotFound()
    return row

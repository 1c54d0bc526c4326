"""Reading a customer company's buying rules for its administrator: each colleague's spending limits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.models import User
from app.sales.models import BuyerLimit


@dataclass(frozen=True, slots=True)
class LimitView:
    """A user's spending limits as stored (None: no limit of that kind)."""

    currency: str
    per_order: Decimal | None
    per_month: Decimal | None


async def spending_limits(session: AsyncSession, customer_id: uuid.UUID) -> dict[uuid.UUID, LimitView]:
    """The limits of every user of the company that has some, by user id."""
    rows = await session.execute(
        select(BuyerLimit.user_id, BuyerLimit.currency, BuyerLimit.per_order, BuyerLimit.per_month)
        .join(User, (User.tenant_id == BuyerLimit.tenant_id) & (User.id == BuyerLimit.user_id))
        .where(User.customer_id == customer_id, User.kind == "customer")
    )
    return {r.user_id: LimitView(r.currency, r.per_order, r.per_month) for r in rows.all()}

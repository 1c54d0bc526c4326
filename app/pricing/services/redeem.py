"""Record the use of a promotion by an order: the total and per-customer limits hold whatever the concurrency."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.errors import NotFound, ValidationFailed
from app.i18n import format_date, gettext
from app.i18n import gettext as _
from app.pricing import repo
from app.pricing._promotions import obstacle
from app.pricing.domain import PricingContext, Promotion
from app.pricing.models import PromotionRedemption

NO_CURRENCY = "XXX"  # ISO 4217 "no currency": a promotion without one is valid in any


async def redeem_promotion(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    promotion_id: uuid.UUID,
    customer_id: uuid.UUID,
    actor: Actor,
    *,
    order_id: uuid.UUID | None = None,
    currency: str | None = None,
    on: date | None = None,
) -> PromotionRedemption:
    """Count one use of the promotion by the customer's order, in the caller's transaction.

    The promotion row is locked first, so concurrent redemptions of one promotion queue behind each other and
    each sees the uses committed before it (total and per customer). The counter is then raised in SQL only
    while a use is left, and the row count decides. Redeeming again for the same order returns the first
    redemption without counting it twice. Raises NotFound for another tenant's promotion or customer, and
    ValidationFailed({"code": reason}) when it cannot be used (expired, used up, not for this customer, ...).
    """
    row = (await session.execute(repo.PROMOTION_FOR_UPDATE, {"id": promotion_id})).first()
    if row is None:
        raise NotFound()
    uses, group_id, customer_exists, earlier = (
        await session.execute(repo.CUSTOMER_USES, {"id": promotion_id, "customer": customer_id, "order": order_id})
    ).one()
    if not customer_exists:
        raise NotFound()
    if earlier is not None:
        return await session.get_one(PromotionRedemption, (tenant_id, earlier))
    promotion = Promotion._make((*row[:15], frozenset(row[15] or ()), row[16], row[17]))
    if not row[18]:
        raise ValidationFailed({"code": _("Coupon %(code)s is not active.", code=promotion.code)})
    ctx = PricingContext(
        currency=currency or promotion.currency or NO_CURRENCY,
        on=on or date.today(),
        customer_id=customer_id,
        group_ids=frozenset([group_id]) if group_id else frozenset(),
        promotion_uses={promotion.id: uses},
    )
    hurdle = obstacle(promotion, ctx)
    if hurdle is not None:
        msgid, variables = hurdle
        shown = {k: format_date(v) if isinstance(v, date) else v for k, v in variables.items()}
        raise ValidationFailed({"code": gettext(msgid, code=promotion.code, **shown)})
    taken = await session.execute(repo.TAKE_USE, {"id": promotion_id})
    if taken.rowcount != 1:
        raise ValidationFailed({"code": _("Coupon %(code)s has been used up", code=promotion.code)})
    redemption = PromotionRedemption(
        tenant_id=tenant_id, promotion_id=promotion.id, customer_id=customer_id, order_id=order_id
    )
    session.add(redemption)
    await session.flush()
    await audit.record(
        session,
        tenant_id,
        actor,
        "promotion.redeemed",
        "promotion",
        promotion.id,
        {"times_used": [promotion.times_used, promotion.times_used + 1], "customer_id": [None, str(customer_id)]},
    )
    return redemption

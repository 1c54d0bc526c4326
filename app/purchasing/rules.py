"""The tenant's buying rules: the approval threshold, the bill-match and receipt tolerances, the analysis limits.

Kept in `purchasing_settings` (one row per tenant, written the first time they are saved); until then the
defaults below apply. The rules hand the pure domain its value types (ApprovalPolicy, MatchTolerance, ...).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.purchasing import _input
from app.purchasing.domain import ApprovalPolicy, MatchTolerance, SupplyThresholds
from app.purchasing.models import PurchasingSettings

FIELDS = (
    "approval_threshold",
    "qty_tolerance_pct",
    "price_tolerance_pct",
    "price_tolerance_amount",
    "receipt_over_pct",
    "receipt_under_pct",
    "min_margin_pct",
    "max_mean_delay_days",
)


@dataclass(frozen=True, slots=True)
class BuyingRules:
    """Orders above `approval_threshold` (tenant currency; None: never) need approval; a bill line may bill
    `qty_tolerance_pct` over what was received and `price_tolerance_pct` / `price_tolerance_amount` over the
    ordered price; a receipt may bring `receipt_over_pct` more than ordered and closes a line within
    `receipt_under_pct` short of it; routes below `min_margin_pct` or later than `max_mean_delay_days` are flagged."""

    approval_threshold: Decimal | None = Decimal(5000)
    qty_tolerance_pct: Decimal = Decimal(0)
    price_tolerance_pct: Decimal = Decimal(2)
    price_tolerance_amount: Decimal | None = None
    receipt_over_pct: Decimal = Decimal(5)
    receipt_under_pct: Decimal = Decimal(5)
    min_margin_pct: Decimal = Decimal(20)
    max_mean_delay_days: Decimal = Decimal(2)

    def approval_policy(self, currency: str) -> ApprovalPolicy:
        return ApprovalPolicy(self.approval_threshold, currency)

    @property
    def match_tolerance(self) -> MatchTolerance:
        return MatchTolerance(self.qty_tolerance_pct, self.price_tolerance_pct, self.price_tolerance_amount)

    @property
    def thresholds(self) -> SupplyThresholds:
        return SupplyThresholds(self.min_margin_pct, self.max_mean_delay_days)


@dataclass(frozen=True)
class RulesInput:
    """The rules as typed in the settings form (blank threshold: no approval; blank amount: none)."""

    approval_threshold: str = ""
    qty_tolerance_pct: str = "0"
    price_tolerance_pct: str = "0"
    price_tolerance_amount: str = ""
    receipt_over_pct: str = "0"
    receipt_under_pct: str = "0"
    min_margin_pct: str = "0"
    max_mean_delay_days: str = "0"


async def buying_rules(session: AsyncSession, tenant_id: uuid.UUID) -> BuyingRules:
    """The tenant's rules, or the defaults when none were saved."""
    row = await session.get(PurchasingSettings, tenant_id)
    if row is None:
        return BuyingRules()
    return BuyingRules(**{name: getattr(row, name) for name in FIELDS})


def _parsed(data: RulesInput) -> BuyingRules:
    errors: dict[str, str] = {}
    rules = BuyingRules(
        approval_threshold=_input.price(data.approval_threshold, "approval_threshold", errors),
        qty_tolerance_pct=_input.percent(data.qty_tolerance_pct, "qty_tolerance_pct", errors),
        price_tolerance_pct=_input.percent(data.price_tolerance_pct, "price_tolerance_pct", errors),
        price_tolerance_amount=_input.price(data.price_tolerance_amount, "price_tolerance_amount", errors),
        receipt_over_pct=_input.percent(data.receipt_over_pct, "receipt_over_pct", errors),
        receipt_under_pct=_input.percent(data.receipt_under_pct, "receipt_under_pct", errors, maximum=Decimal(100)),
        min_margin_pct=_input.percent(data.min_margin_pct, "min_margin_pct", errors, maximum=Decimal(100)),
        max_mean_delay_days=_input.percent(data.max_mean_delay_days, "max_mean_delay_days", errors),
    )
    _input.refuse(errors)
    return rules


async def set_buying_rules(session: AsyncSession, tenant_id: uuid.UUID, data: RulesInput, actor: Actor) -> BuyingRules:
    """Save the tenant's buying rules; orders already submitted and bills already matched keep their outcome."""
    rules = _parsed(data)
    row = await session.get(PurchasingSettings, tenant_id, with_for_update=True)
    before = {name: getattr(row, name) for name in FIELDS} if row else {}
    if row is None:
        row = PurchasingSettings(tenant_id=tenant_id)
        session.add(row)
    for name in FIELDS:
        setattr(row, name, getattr(rules, name))
    await session.flush()
    changes = audit.diff(before, {name: getattr(rules, name) for name in FIELDS})
    await audit.record(
        session, tenant_id, actor, "purchasing_settings.saved", "purchasing_settings", tenant_id, changes
    )
    return rules

"""Replenishment: inventory's purchase suggestions (reorder rules) with the best supplier of each article, and the
draft purchase orders made from the ones chosen (one per supplier and warehouse)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory
from app.actor import Actor
from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory.domain import SupplyTerms
from app.parties import queries as parties
from app.purchasing import _rows
from app.purchasing.domain import PurchasingRuleError, SupplierChoice, best_supplier
from app.purchasing.models import PurchaseOrder
from app.purchasing.orders import OrderInput, OrderLineInput, create_order
from app.purchasing.price_lists import price_rules


@dataclass(frozen=True, slots=True)
class ReplenishmentRow:
    """What to buy of an article for a warehouse, and from whom: the best supplier's offer (in the tenant's
    currency), or `supplier_id` None when no supplier can supply it."""

    suggestion: inventory.Suggestion
    supplier_id: uuid.UUID | None = None
    supplier_code: str = ""
    supplier_name: str = ""
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    lead_time_days: int | None = None

    @property
    def key(self) -> str:
        """What the form sends back to order this row: the article and the warehouse."""
        return f"{self.suggestion.variant_id}:{self.suggestion.warehouse_id}"


def _choice(rules, suggestion: inventory.Suggestion, currency: str, today: date) -> SupplierChoice | None:
    try:
        return best_supplier(rules, suggestion.variant_id, suggestion.qty, on=today, currency=currency)
    except PurchasingRuleError:
        return None


async def replenishment(
    session: AsyncSession, tenant_id: uuid.UUID, *, today: date | None = None, warehouse_id: uuid.UUID | None = None
) -> list[ReplenishmentRow]:
    """The suggestions, each with its best supplier (cheapest landed per unit, then fastest); the quantities follow
    that supplier's minimum and pack size, and the dates its lead time."""
    today = today or date.today()
    currency = (await _rows.tenant(session, tenant_id)).currency
    first = await inventory.purchase_suggestions(session, today=today, warehouse_id=warehouse_id)
    if not first:
        return []
    rules = await price_rules(session, sorted({s.variant_id for s in first}))
    terms = {}
    for suggestion in first:
        choice = _choice(rules, suggestion, currency, today)
        if choice is not None and choice.best is not None:
            offer = choice.best.offer
            terms[suggestion.variant_id] = SupplyTerms(offer.line.min_qty, offer.line.pack_size, offer.lead_time_days)
    final = await inventory.purchase_suggestions(session, today=today, warehouse_id=warehouse_id, terms=terms)
    suppliers = await parties.suppliers_by_id(session, sorted({line.supplier for line in rules}))
    rows = []
    for suggestion in final:
        choice = _choice(rules, suggestion, currency, today)
        best = choice.best if choice else None
        if best is None:
            rows.append(ReplenishmentRow(suggestion))
            continue
        supplier = suppliers[best.offer.supplier]
        rows.append(
            ReplenishmentRow(
                suggestion,
                supplier.id,
                supplier.code,
                supplier.name,
                best.offer.unit_price,
                best.offer.amount,
                best.offer.lead_time_days,
            )
        )
    return rows


def _key(raw: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    try:
        variant, warehouse = raw.split(":", 1)
        return uuid.UUID(variant), uuid.UUID(warehouse)
    except ValueError:
        return None


async def order_suggestions(
    session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[str], actor: Actor, *, today: date | None = None
) -> list[PurchaseOrder]:
    """Draft purchase orders for the chosen suggestions (keys "variant:warehouse"), grouped by best supplier and
    warehouse, at the price list's prices; the quantities are worked out again now, not taken from the form."""
    today = today or date.today()
    wanted = {key for key in (_key(raw) for raw in keys[:1000]) if key is not None}
    rows = [
        row
        for row in await replenishment(session, tenant_id, today=today)
        if (row.suggestion.variant_id, row.suggestion.warehouse_id) in wanted and row.supplier_id is not None
    ]
    if not rows:
        raise ValidationFailed({"keys": _("Choose suggestions that have a supplier.")})
    currency = (await _rows.tenant(session, tenant_id)).currency
    groups: dict[tuple[uuid.UUID, uuid.UUID], list[OrderLineInput]] = {}
    for row in rows:
        line = OrderLineInput(row.suggestion.variant_id, row.suggestion.qty)
        groups.setdefault((row.supplier_id, row.suggestion.warehouse_id), []).append(line)  # type: ignore[arg-type]
    orders = []
    for (supplier_id, warehouse_id), lines in groups.items():
        data = OrderInput(supplier_id, warehouse_id, tuple(lines), currency)
        orders.append(await create_order(session, tenant_id, data, actor, today=today))
    changes = {"orders": [None, ", ".join(order.number for order in orders)]}
    await audit.record(session, tenant_id, actor, "replenishment.ordered", "purchase_order", None, changes)
    return orders

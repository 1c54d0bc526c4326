"""Landed costs: freight, duties or insurance of a receipt, spread over its lines by value, weight, volume or
quantity (domain rule, to the cent), then taken into the stock valuation move by move (inventory's
`revalue_receipt`: the units still in stock rise in value, those already sold go to cost of sales)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app import inventory
from app.actor import Actor
from app.audit import services as audit
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.inventory.values import StockDocument
from app.money import to_minor_unit
from app.purchasing import _input, _rows
from app.purchasing._input import Typed
from app.purchasing.domain import AllocationBasis, PurchasingRuleError, ReceivedLine, allocate_landed_cost
from app.purchasing.models import LandedCost, LandedCostAllocation, PurchaseReceipt, PurchaseReceiptLine
from app.purchasing.states import BASES, LANDED_KINDS, label

DOCUMENT_KIND = "landed_cost"
ZERO = Decimal(0)


@dataclass(frozen=True)
class LandedCostInput:
    """A cost of a receipt as typed: its kind, the amount in the tenant's currency, how it is spread."""

    receipt_id: uuid.UUID | None
    kind: str
    amount: Typed
    basis: str = "value"
    description: str = ""


def _checked(data: LandedCostInput, currency: str) -> tuple[Decimal, str]:
    errors: dict[str, str] = {}
    amount = _input.number(data.amount, "amount", errors, maximum=_input.MAX_PRICE, places=4, above_zero=True)
    if amount is None and "amount" not in errors:
        errors["amount"] = _("Enter the amount.")
    elif amount is not None and to_minor_unit(amount, currency) != amount:
        errors["amount"] = _("Enter an amount in whole cents.")
    if data.kind not in LANDED_KINDS:
        errors["kind"] = _("Choose one of the options.")
    if data.basis not in BASES:
        errors["basis"] = _("Choose one of the options.")
    description = _input.text(data.description, "description", errors, 200)
    _input.refuse(errors)
    assert amount is not None
    return amount, description


def _received(lines: list[PurchaseReceiptLine], articles: dict) -> list[ReceivedLine]:
    """The receipt lines as the allocation rule takes them: quantity, value, total weight and volume."""
    found = []
    for line in lines:
        article = articles.get(line.variant_id)
        weight = (article.weight_kg or ZERO) * line.qty if article else ZERO
        volume = (article.volume_m3 or ZERO) * line.qty if article else ZERO
        found.append(ReceivedLine(line.id, line.qty, line.value, weight, volume))
    return found


async def add_landed_cost(
    session: AsyncSession, tenant_id: uuid.UUID, data: LandedCostInput, actor: Actor
) -> LandedCost:
    """Spread a cost over a receipt's lines and take each share into the valuation of the stock it received."""
    receipt = await _rows.get(session, PurchaseReceipt, data.receipt_id, for_update=True)
    tenant = await _rows.tenant(session, tenant_id)
    amount, description = _checked(data, tenant.currency)
    stmt = select(PurchaseReceiptLine).where(PurchaseReceiptLine.receipt_id == receipt.id)
    lines = list(await session.scalars(stmt.order_by(PurchaseReceiptLine.id)))
    articles = await _rows.articles(session, [line.variant_id for line in lines])
    try:
        shares = allocate_landed_cost(amount, tenant.currency, _received(lines, articles), data.basis)
    except PurchasingRuleError:
        message = _("No line of this receipt has a %(basis)s: choose another basis.", basis=_basis_word(data.basis))
        raise ValidationFailed({"basis": message}) from None
    cost = LandedCost(
        tenant_id=tenant_id,
        receipt_id=receipt.id,
        kind=data.kind,
        description=description,
        amount=amount,
        currency=tenant.currency,
        basis=data.basis,
        status="allocated",
        added_by=actor.label[:320],
    )
    session.add(cost)
    await session.flush()
    document = StockDocument(DOCUMENT_KIND, cost.id, f"{receipt.number}/LC"[:40])
    by_line = {line.id: line for line in lines}
    for share in shares:
        await _allocate(session, tenant_id, cost, by_line[share.line], share.amount, document, actor)
    cost.status = "valued"
    await session.flush()
    changes = {
        "kind": [None, label(LANDED_KINDS, cost.kind)],
        "amount": [None, str(amount)],
        "basis": [None, cost.basis],
    }
    await audit.record(session, tenant_id, actor, "landed_cost.added", "purchase_receipt", receipt.id, changes)
    return cost


def _basis_word(basis: str) -> str:
    words = {"value": _("value"), "weight": _("weight"), "volume": _("volume"), "quantity": _("quantity")}
    return words.get(basis, basis)


async def _allocate(session, tenant_id, cost: LandedCost, line: PurchaseReceiptLine, amount, document, actor) -> None:
    """One line's share: recorded, added to the line's landed cost, and valued on the line's stock moves."""
    to_stock = to_cogs = ZERO
    move_ids = [uuid.UUID(str(m)) for m in line.move_ids or []]
    if amount and move_ids:
        per_move = allocate_landed_cost(
            amount,
            cost.currency,
            [ReceivedLine(m, Decimal(1), ZERO) for m in move_ids],
            AllocationBasis.QUANTITY,
        )
        for part in per_move:
            if part.amount:
                revalued = await inventory.revalue_receipt(session, tenant_id, document, part.line, part.amount, actor)
                to_stock += revalued.to_stock
                to_cogs += revalued.to_cogs
    session.add(
        LandedCostAllocation(
            tenant_id=tenant_id,
            landed_cost_id=cost.id,
            receipt_line_id=line.id,
            amount=amount,
            to_stock=to_stock,
            to_cogs=to_cogs,
        )
    )
    await session.execute(
        update(PurchaseReceiptLine)
        .where(PurchaseReceiptLine.id == line.id)
        .values(landed_cost=PurchaseReceiptLine.landed_cost + amount)
    )

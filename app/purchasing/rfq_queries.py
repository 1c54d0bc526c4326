"""Reads of requests for quotation: the list, and one request with its answers side by side (domain `compare_rfq`:
best price and best lead time marked per line, a total for each supplier that answered everything)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.inventory.models import Warehouse
from app.parties import Supplier
from app.purchasing import _rows
from app.purchasing.domain import RfqComparison, compare_rfq
from app.purchasing.domain import RfqLine as RuleLine
from app.purchasing.domain import RfqResponse as RuleResponse
from app.purchasing.models import PurchaseOrder, Rfq, RfqLine, RfqResponse, RfqSupplier


@dataclass(frozen=True, slots=True)
class RfqRow:
    rfq: Rfq
    lines: int
    invited: int
    answered: int


async def rfqs(session: AsyncSession, *, status: str = "") -> list[RfqRow]:
    """The latest requests, newest first, with how many suppliers were asked and answered."""
    lines = select(func.count()).where(RfqLine.tenant_id == Rfq.tenant_id, RfqLine.rfq_id == Rfq.id).scalar_subquery()
    invited = select(func.count()).where(RfqSupplier.tenant_id == Rfq.tenant_id, RfqSupplier.rfq_id == Rfq.id)
    answered = invited.where(RfqSupplier.answered_at.is_not(None))
    stmt = select(Rfq, lines, invited.scalar_subquery(), answered.scalar_subquery()).order_by(Rfq.created_at.desc())
    if status in ("open", "ordered", "cancelled"):
        stmt = stmt.where(Rfq.status == status)
    return [RfqRow(*row) for row in (await session.execute(stmt.limit(200))).all()]


@dataclass(frozen=True, slots=True)
class RfqLineRow:
    line: RfqLine
    sku: str
    name: dict


@dataclass(frozen=True, slots=True)
class RfqDetail:
    """A request, its lines, the suppliers asked (with their answers by line) and the comparison (None before
    any answer)."""

    rfq: Rfq
    warehouse: Warehouse
    lines: list[RfqLineRow]
    suppliers: list[tuple[Supplier, RfqSupplier]]
    answers: dict[tuple[uuid.UUID, uuid.UUID], RfqResponse]
    comparison: RfqComparison | None
    orders: list[PurchaseOrder]
    history: list[AuditEntry]

    def supplier_named(self, supplier_id: uuid.UUID) -> Supplier | None:
        return next((s for s, _ in self.suppliers if s.id == supplier_id), None)

    def best_price_supplier(self, line_id: uuid.UUID) -> uuid.UUID | None:
        """The supplier that answered the line at the lowest price (the first on a tie): the default choice."""
        offers = [(r.unit_price, i, sid) for i, ((lid, sid), r) in enumerate(self.answers.items()) if lid == line_id]
        return min(offers)[2] if offers else None


async def rfq_detail(session: AsyncSession, rfq_id: uuid.UUID) -> RfqDetail:
    """A request with its answers side by side (NotFound for another tenant's)."""
    rfq = await _rows.get(session, Rfq, rfq_id)
    lines = list(await session.scalars(select(RfqLine).where(RfqLine.rfq_id == rfq.id).order_by(RfqLine.position)))
    articles = await _rows.articles(session, [line.variant_id for line in lines])
    invited = (
        await session.execute(
            select(Supplier, RfqSupplier)
            .join(RfqSupplier, (RfqSupplier.tenant_id == Supplier.tenant_id) & (RfqSupplier.supplier_id == Supplier.id))
            .where(RfqSupplier.rfq_id == rfq.id)
            .order_by(Supplier.code)
        )
    ).all()
    answers = {
        (r.rfq_line_id, r.supplier_id): r
        for r in await session.scalars(select(RfqResponse).where(RfqResponse.rfq_id == rfq.id))
    }
    comparison = None
    if answers:
        rule_lines = [RuleLine(line.id, line.variant_id, line.qty) for line in lines]
        order = {s.id: i for i, (s, _) in enumerate(invited)}
        ranked = sorted(answers.values(), key=lambda r: (order.get(r.supplier_id, 0), str(r.rfq_line_id)))
        responses = [RuleResponse(r.supplier_id, r.rfq_line_id, r.unit_price, r.lead_time_days) for r in ranked]
        comparison = compare_rfq(rule_lines, responses, rfq.currency)
    orders = list(await session.scalars(select(PurchaseOrder).where(PurchaseOrder.rfq_id == rfq.id)))
    return RfqDetail(
        rfq,
        await _rows.get(session, Warehouse, rfq.warehouse_id),
        [RfqLineRow(line, articles[line.variant_id].sku, articles[line.variant_id].name) for line in lines],
        [(s, invitation) for s, invitation in invited],
        answers,
        comparison,
        orders,
        await audit.history(session, "rfq", rfq.id),
    )


def total_of(comparison: RfqComparison, supplier_id: uuid.UUID) -> Decimal | None:
    """A supplier's total in the comparison (None when it left lines unanswered)."""
    return next((c.total for c in comparison.columns if c.supplier == supplier_id), None)

"""Reading returns (RMA): the list by status or company, one return with its lines, and what of an order may still
be returned (shipped less what returns that are not rejected claim). Re-exported by app.sales.fulfilment_queries."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.parties import Customer
from app.sales.fulfilment_models import SalesReturn, SalesReturnLine
from app.sales.models import SalesOrder, SalesOrderLine

ZERO = Decimal(0)
MAX_PER_PAGE = 100


class ReturnSummary(NamedTuple):
    id: uuid.UUID
    number: str
    order_id: uuid.UUID
    order_number: str
    customer_id: uuid.UUID
    customer_name: str
    status: str
    created_at: datetime
    qty: Decimal


class ReturnLineView(NamedTuple):
    id: uuid.UUID
    order_line_id: uuid.UUID
    sku: str
    name: str
    qty: Decimal
    reason: str
    restocked: Decimal
    scrapped: Decimal
    scrap_reason: str

    @property
    def expected(self) -> Decimal:
        return self.qty - self.restocked - self.scrapped


class ReturnDetail(NamedTuple):
    summary: ReturnSummary
    warehouse_id: uuid.UUID
    note: str
    requested_label: str
    decided_label: str
    decision_note: str
    decided_at: datetime | None
    received_at: datetime | None
    lines: tuple[ReturnLineView, ...]


def _returns() -> Select:
    return (
        select(
            SalesReturn.id,
            SalesReturn.number,
            SalesReturn.order_id,
            SalesOrder.number,
            SalesReturn.customer_id,
            Customer.name,
            SalesReturn.status,
            SalesReturn.created_at,
            select(func.coalesce(func.sum(SalesReturnLine.qty), ZERO))
            .where(SalesReturnLine.return_id == SalesReturn.id)
            .scalar_subquery(),
        )
        .join(SalesOrder, (SalesOrder.tenant_id == SalesReturn.tenant_id) & (SalesOrder.id == SalesReturn.order_id))
        .join(Customer, (Customer.tenant_id == SalesReturn.tenant_id) & (Customer.id == SalesReturn.customer_id))
    )


async def returns(
    session: AsyncSession, *, status: str = "", customer_id: uuid.UUID | None = None, page: int = 1, per_page: int = 50
) -> list[ReturnSummary]:
    """Returns newest first, by status or customer company."""
    stmt = _returns().order_by(SalesReturn.created_at.desc(), SalesReturn.id.desc())
    if status:
        stmt = stmt.where(SalesReturn.status == status)
    if customer_id is not None:
        stmt = stmt.where(SalesReturn.customer_id == customer_id)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    rows = await session.execute(stmt.offset((max(page, 1) - 1) * per_page).limit(per_page))
    return [ReturnSummary(*r) for r in rows.all()]


async def return_detail(
    session: AsyncSession, return_id: uuid.UUID, *, customer_id: uuid.UUID | None = None
) -> ReturnDetail:
    """A return with its lines; NotFound for another tenant's or (given customer_id) another company's."""
    row = (await session.execute(_returns().add_columns(SalesReturn).where(SalesReturn.id == return_id))).first()
    if row is None or (customer_id is not None and row[4] != customer_id):
        raise NotFound()
    record: SalesReturn = row[-1]
    lines = await session.scalars(
        select(SalesReturnLine).where(SalesReturnLine.return_id == return_id).order_by(SalesReturnLine.sku)
    )
    return ReturnDetail(
        ReturnSummary(*row[:-1]),
        record.warehouse_id,
        record.note,
        record.requested_label,
        record.decided_label,
        record.decision_note,
        record.decided_at,
        record.received_at,
        tuple(
            ReturnLineView(
                r.id, r.order_line_id, r.sku, r.name, r.qty, r.reason, r.restocked_qty, r.scrapped_qty, r.scrap_reason
            )
            for r in lines
        ),
    )


class ReturnableLine(NamedTuple):
    """An order line as a return request sees it: shipped, in returns not rejected, and what may still go back."""

    id: uuid.UUID
    sku: str
    name: str
    shipped: Decimal
    returned: Decimal

    @property
    def returnable(self) -> Decimal:
        return max(self.shipped - self.returned, ZERO)


async def returnable_lines(session: AsyncSession, order_id: uuid.UUID) -> list[ReturnableLine]:
    """The order's lines with what shipped and what returns (not rejected) already claim."""
    claimed = (
        select(SalesReturnLine.order_line_id, func.sum(SalesReturnLine.qty).label("qty"))
        .join(
            SalesReturn,
            (SalesReturn.tenant_id == SalesReturnLine.tenant_id) & (SalesReturn.id == SalesReturnLine.return_id),
        )
        .where(SalesReturn.order_id == order_id, SalesReturn.status != "rejected")
        .group_by(SalesReturnLine.order_line_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            SalesOrderLine.id,
            SalesOrderLine.sku,
            SalesOrderLine.name,
            SalesOrderLine.shipped_qty,
            func.coalesce(claimed.c.qty, ZERO),
        )
        .outerjoin(claimed, claimed.c.order_line_id == SalesOrderLine.id)
        .where(SalesOrderLine.order_id == order_id)
        .order_by(SalesOrderLine.position)
    )
    return [ReturnableLine(*r) for r in rows.all()]


async def returnable_orders(session: AsyncSession, customer_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """A company's orders with goods shipped (what a return can be requested for), newest first."""
    rows = await session.execute(
        select(SalesOrder.id, SalesOrder.number)
        .where(
            SalesOrder.customer_id == customer_id,
            select(SalesOrderLine.id)
            .where(SalesOrderLine.order_id == SalesOrder.id, SalesOrderLine.shipped_qty > 0)
            .exists(),
        )
        .order_by(SalesOrder.placed_at.desc())
        .limit(100)
    )
    return [(order_id, number or "") for order_id, number in rows.all()]

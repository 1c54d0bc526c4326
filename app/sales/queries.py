"""Reading sales orders: one order with its lines and timeline, a customer's orders, and the staff's list."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.parties import Customer
from app.sales.models import SalesOrder, SalesOrderEvent, SalesOrderLine
from app.sales.values import OrderDetail, OrderLineView, OrderPage, OrderSummary, TimelineEntry

MAX_PER_PAGE = 100


def _summaries() -> Select:
    return select(
        SalesOrder.id,
        SalesOrder.number,
        SalesOrder.customer_id,
        Customer.name,
        SalesOrder.status,
        SalesOrder.currency,
        SalesOrder.gross,
        SalesOrder.po_number,
        SalesOrder.placed_at,
    ).join(Customer, (Customer.tenant_id == SalesOrder.tenant_id) & (Customer.id == SalesOrder.customer_id))


def _summary(row) -> OrderSummary:
    return OrderSummary(row[0], row[1] or "", row[2], row[3], row[4], row[5], row[6], row[7], row[8])


async def order_detail(
    session: AsyncSession, order_id: uuid.UUID, *, customer_id: uuid.UUID | None = None
) -> OrderDetail:
    """The order with its lines and status timeline; NotFound for another tenant's (RLS) or, given customer_id,
    another company's order."""
    row = (await session.execute(_summaries().where(SalesOrder.id == order_id))).first()
    order = await session.scalar(select(SalesOrder).where(SalesOrder.id == order_id)) if row else None
    if row is None or order is None or (customer_id is not None and order.customer_id != customer_id):
        raise NotFound()
    lines = (
        await session.scalars(
            select(SalesOrderLine).where(SalesOrderLine.order_id == order_id).order_by(SalesOrderLine.position)
        )
    ).all()
    events = (
        await session.scalars(
            select(SalesOrderEvent)
            .where(SalesOrderEvent.order_id == order_id)
            .order_by(SalesOrderEvent.created_at, SalesOrderEvent.id)
        )
    ).all()
    return OrderDetail(
        summary=_summary(row),
        placed_by=order.placed_by,
        net=order.net,
        tax=order.tax,
        payment_method=order.payment_method,
        delivery_mode=order.delivery_mode,
        requested_date=order.requested_date,
        approval_reason=order.approval_reason,
        held_from=order.held_from,
        lines=tuple(
            OrderLineView(
                line.id,
                line.variant_id,
                line.sku,
                line.name,
                line.qty,
                line.unit_price,
                line.discount_pct,
                line.tax_rate,
                line.net,
                line.tax,
                line.gross,
                line.reserved_qty,
                line.shipped_qty,
            )
            for line in lines
        ),
        timeline=tuple(TimelineEntry(e.from_status, e.to_status, e.actor_label, e.note, e.created_at) for e in events),
        delivery_label=order.delivery_label,
        shipping_net=order.shipping_net,
        shipping_tax=order.shipping_tax,
        promised_date=order.promised_date,
    )


async def _page(session: AsyncSession, query: Select, page: int, per_page: int) -> OrderPage:
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = await session.execute(
        query.order_by(SalesOrder.placed_at.desc(), SalesOrder.id.desc()).offset((page - 1) * per_page).limit(per_page)
    )
    return OrderPage(tuple(_summary(r) for r in rows.all()), total or 0, page, per_page)


async def orders_for_customer(
    session: AsyncSession, customer_id: uuid.UUID, *, page: int = 1, per_page: int = 25
) -> OrderPage:
    """A customer company's orders, newest first (the portal's order history)."""
    return await _page(session, _summaries().where(SalesOrder.customer_id == customer_id), page, per_page)


async def orders(
    session: AsyncSession,
    *,
    status: str | None = None,
    customer_id: uuid.UUID | None = None,
    search: str = "",
    placed_from: date | None = None,
    placed_to: date | None = None,
    page: int = 1,
    per_page: int = 50,
) -> OrderPage:
    """The staff's order list with filters: status, customer, number / PO number / customer name, placing dates."""
    query = _summaries()
    if status:
        query = query.where(SalesOrder.status == status)
    if customer_id is not None:
        query = query.where(SalesOrder.customer_id == customer_id)
    text = search.strip()[:100]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            SalesOrder.number.ilike(pattern) | SalesOrder.po_number.ilike(pattern) | Customer.name.ilike(pattern)
        )
    if placed_from is not None:
        query = query.where(func.date(SalesOrder.placed_at) >= placed_from)
    if placed_to is not None:
        query = query.where(func.date(SalesOrder.placed_at) <= placed_to)
    return await _page(session, query, page, per_page)

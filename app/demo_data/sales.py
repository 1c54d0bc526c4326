"""The demo tenant's sales orders: a short order history for each demo customer company over the last months
(placed on account through the sales services, priced and taxed by them, stock reserved), and one order over
Emily's spending limit at Cowork Valencia waiting for Pablo, the company's approver. The orders are placed on the
day the demo is built: the status timeline is append-only, so a history over past years waits for an import
path that records its own dates. Written once, when the tenant has no sales order yet."""

from __future__ import annotations

import random
import uuid
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import sales
from app.actor import Actor
from app.catalog.models import Product, ProductVariant
from app.errors import ValidationFailed
from app.identity.models import User
from app.parties import Customer
from app.sales.models import SalesOrder

SEED = 20261209
ORDERS_PER_CUSTOMER = 4
APPROVAL_BUYER = "emily@cowork-valencia.test"
APPROVAL_LIMIT = Decimal("300")


async def ensure_demo_sales(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor) -> list[str]:
    """The demo's sales orders, written once; the console line describing them."""
    if not await session.scalar(select(func.count()).select_from(SalesOrder)):
        await _history(session, tenant_id, actor)
    return await sales_summary(session)


async def _articles(session: AsyncSession) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(ProductVariant.id)
        .join(Product, (Product.tenant_id == ProductVariant.tenant_id) & (Product.id == ProductVariant.product_id))
        .where(Product.status == "active", ProductVariant.status == "active", ProductVariant.min_qty <= 1)
        .where(ProductVariant.order_multiple == 1)
        .order_by(ProductVariant.sku)
        .limit(60)
    )
    return list(rows)


async def _buyers(session: AsyncSession) -> list[tuple[uuid.UUID, uuid.UUID, str]]:
    """(customer id, user id, e-mail) of each demo company's first buyer, by company code."""
    rows = await session.execute(
        select(Customer.id, User.id, User.email)
        .join(User, (User.tenant_id == Customer.tenant_id) & (User.customer_id == Customer.id))
        .where(User.kind == "customer")
        .order_by(Customer.code, User.email)
    )
    return [(c, u, e) for c, u, e in rows.all()]


async def _place(session, tenant_id, customer_id, user_id, lines, actor, **choices) -> sales.PlacedOrder | None:
    """Place one order; None when its lines cannot be ordered (no price for this customer, say)."""
    data = sales.PlaceOrder(
        customer_id,
        user_id,
        uuid.uuid4().hex,
        tuple(sales.OrderLineRequest(v, q) for v, q in lines),
        **choices,
    )
    try:
        async with session.begin_nested():
            return await sales.place_order(session, tenant_id, data, actor)
    except ValidationFailed:
        return None


async def _history(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor) -> None:
    articles = await _articles(session)
    if not articles:
        return
    rng = random.Random(SEED)
    first_of: dict[uuid.UUID, tuple[uuid.UUID, str]] = {}
    for customer_id, user_id, email in await _buyers(session):
        first_of.setdefault(customer_id, (user_id, email))
    for customer_id, (user_id, email) in first_of.items():
        if email == APPROVAL_BUYER:
            continue
        for n in range(ORDERS_PER_CUSTOMER):
            lines = [(v, rng.randint(1, 4)) for v in rng.sample(articles, k=min(len(articles), rng.randint(1, 3)))]
            po = f"PO-{rng.randint(1000, 9999)}" if n % 2 == 0 else ""
            await _place(session, tenant_id, customer_id, user_id, lines, actor, po_number=po)
    await _awaiting_approval(session, tenant_id, actor, articles)


async def _awaiting_approval(session, tenant_id, actor, articles) -> None:
    """Emily buys for Cowork Valencia with a limit per order: one of her orders goes above it and waits."""
    row = (await session.execute(select(User.id, User.customer_id).where(User.email == APPROVAL_BUYER))).first()
    if row is None:
        return
    user_id, customer_id = row
    await sales.set_spending_limits(session, tenant_id, user_id, "EUR", APPROVAL_LIMIT, None)
    for start in range(0, min(len(articles), 15), 3):
        lines = [(variant_id, 10) for variant_id in articles[start : start + 3]]
        placed = await _place(session, tenant_id, customer_id, user_id, lines, actor, po_number="PO-EM-1")
        if placed is None:
            continue
        if placed.status == "awaiting_approval":
            return
        await sales.cancel_order(session, tenant_id, placed.order_id, actor, note="demo")  # not above the limit


async def sales_summary(session: AsyncSession) -> list[str]:
    """Console line: sales orders by status."""
    rows = dict((await session.execute(select(SalesOrder.status, func.count()).group_by(SalesOrder.status))).all())
    if not rows:
        return []
    total = sum(rows.values())
    waiting = rows.get("awaiting_approval", 0)
    return [f"  Sales:             {total} sales orders, {waiting} awaiting a customer's approval"]

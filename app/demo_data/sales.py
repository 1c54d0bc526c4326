"""The demo tenant's sales orders: a short order history for each demo customer company over the last months
(placed on account through the sales services, priced and taxed by them, stock reserved), and one order over
Emily's spending limit at Cowork Valencia waiting for Pablo, the company's approver; before them, two years of
shipped orders (app.demo_data.history). Each company also gets its ship-to and bill-to addresses. Written once,
when the tenant has no sales order yet (addresses: whichever label is missing)."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties, sales
from app.actor import Actor
from app.catalog.models import Product, ProductVariant
from app.demo_data.history import seed_order_history
from app.errors import ValidationFailed
from app.identity.models import User
from app.parties import AddressInput, Customer
from app.sales.models import SalesOrder

SEED = 20261209
ORDERS_PER_CUSTOMER = 4
APPROVAL_BUYER = "emily@cowork-valencia.test"
APPROVAL_LIMIT = Decimal("300")


# company code -> its head office (ships and bills) and, for some, a second place goods go to
ADDRESSES = {
    "COWORK": (
        AddressInput("Cowork Ruzafa", "Recepción Ruzafa", "Calle de Cádiz 42", "46006", "Valencia", "ES",
                     region="Valencia", phone="+34 963 00 11 22", usage="shipping"),
    ),
    "ALBUFERA": (
        AddressInput("Estudio", "Nuria Peris", "Carrer de Colón 18", "46004", "Valencia", "ES", line2="4.ª planta",
                     region="Valencia", phone="+34 963 456 789"),
        AddressInput("Obra Benimaclet", "Jefe de obra", "Carrer d'Emili Baró 61", "46020", "Valencia", "ES",
                     region="Valencia", usage="shipping"),
    ),
    "SANTACLARA": (
        AddressInput("Colegio", "Conserjería", "Avenida de Aguilera 35", "03007", "Alicante", "ES",
                     region="Alicante", phone="+34 965 112 233"),
        AddressInput("Pabellón deportivo", "Conserjería del pabellón", "Calle Pintor Cabrera 12", "03003",
                     "Alicante", "ES", region="Alicante", usage="shipping"),
    ),
    "ROIG": (
        AddressInput("Despacho", "Carmen Roig", "Calle Mayor 24", "12001", "Castellón de la Plana", "ES",
                     line2="2.º", region="Castellón", phone="+34 964 220 330"),
    ),
}  # fmt: skip


async def ensure_demo_sales(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor) -> list[str]:
    """The demo's addresses and sales orders (two years of history, then today's), written once; the console
    lines describing them."""
    await _addresses(session, tenant_id, actor)
    if not await session.scalar(select(func.count()).select_from(SalesOrder)):
        await seed_order_history(session, tenant_id, actor, today=date.today())
        await _history(session, tenant_id, actor)
    return await sales_summary(session)


async def _addresses(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor) -> None:
    """Each demo company's ship-to and bill-to addresses (a label it already has is left alone); the first of a
    company without a default becomes its default for shipping and billing."""
    customers = dict((await session.execute(select(Customer.code, Customer.id))).all())
    for code, places in ADDRESSES.items():
        customer_id = customers.get(code)
        if customer_id is None:
            continue
        existing = await parties.queries.addresses(session, customer_id)
        labels = {a.label for a in existing}
        has_default = any(a.is_default_shipping for a in existing)
        for n, place in enumerate(places):
            if place.label in labels:
                continue
            first = n == 0 and not has_default
            data = replace(place, default_shipping=first, default_billing=first and place.usage != "shipping")
            await parties.add_address(session, tenant_id, customer_id, data, actor)


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
        lines = [(variant_id, 3) for variant_id in articles[start : start + 3]]  # what a parcel carrier takes
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
    first = await session.scalar(select(func.min(SalesOrder.placed_at)))
    since = f" since {first:%B %Y}" if first is not None else ""
    return [
        f"  Sales:             {total} sales orders{since} ({rows.get('shipped', 0)} shipped), "
        f"{waiting} awaiting a customer's approval"
    ]

"""The demo tenant's quotes and saved lists: at Cowork Valencia a quote sent and awaiting Elena's answer, in
two versions (her request at list prices, then the sales team's offer with volume discounts), and a saved list
the whole company shares; at Albufera Arquitectura a request waiting for the sales team; and at Colegio Santa
Clara a quote sent weeks ago that has expired (written with past dates directly: the services only make quotes
valid from today). Written once, when the tenant has no quote yet; after the sales orders, whose stock and
numbers come first."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
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
from app.sales.quote_models import Quote, QuoteEvent, SavedList
from app.sales.services._quote_pricing import stored_version, write_version

SALES_TEAM = Actor("staff", None, "Javier Soler (sales)")
COWORK_BUYER = "compras@cowork-valencia.test"
ALBUFERA_BUYER = "pedidos@albufera-arquitectura.test"
SANTACLARA = "SANTACLARA"


async def ensure_demo_quotes(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor, shop_url: str) -> list[str]:
    """The demo's quotes and lists, written once; the console line describing them."""
    if not await session.scalar(select(func.count()).select_from(Quote)):
        articles = await _articles(session)
        if len(articles) >= 6:
            await _step(session, _sent_with_two_versions(session, tenant_id, articles[:3], shop_url))
            await _step(session, _awaiting_staff(session, tenant_id, articles[3:5]))
            await _step(session, _expired(session, tenant_id, articles[5:6] + articles[1:2]))
            await _step(session, _shared_list(session, tenant_id, articles[:4]))
    return await quotes_summary(session)


async def _step(session: AsyncSession, step) -> None:
    """One part of the demo in a savepoint: left out when the catalogue cannot make it (no price, say)."""
    try:
        async with session.begin_nested():
            await step
    except ValidationFailed:
        step.close()


async def _articles(session: AsyncSession) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(ProductVariant.id)
        .join(Product, (Product.tenant_id == ProductVariant.tenant_id) & (Product.id == ProductVariant.product_id))
        .where(Product.status == "active", ProductVariant.status == "active", ProductVariant.min_qty <= 1)
        .where(ProductVariant.order_multiple == 1, ProductVariant.max_qty.is_(None))
        .order_by(ProductVariant.sku.desc())
        .limit(12)
    )
    return list(rows)


async def _user(session: AsyncSession, email: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    row = (await session.execute(select(User.id, User.customer_id).where(User.email == email))).first()
    return (row[0], row[1]) if row else None


def _buyer(user_id: uuid.UUID, email: str) -> Actor:
    return Actor("customer", user_id, email)


async def _request(session, tenant_id, email: str, lines, note: str) -> sales.QuoteRef | None:
    found = await _user(session, email)
    if found is None:
        return None
    for variant_id, qty in lines:
        await sales.add_to_cart(session, tenant_id, found[0], variant_id, qty)
    return await sales.request_quote(session, tenant_id, found[0], _buyer(found[0], email), note=note)


async def _sent_with_two_versions(session, tenant_id, articles, shop_url: str) -> None:
    """Elena asks for a price on furnishing a new meeting room; the sales team answers with volume prices."""
    lines = list(zip(articles, (12, 3, 6), strict=True))
    ref = await _request(session, tenant_id, COWORK_BUYER, lines, "Nueva sala de reuniones en la 2ª planta.")
    if ref is None:
        return
    quote = await session.get(Quote, (tenant_id, ref.quote_id))
    current = await stored_version(session, quote)
    offered = tuple(
        sales.RevisedLine(line.variant_id, line.qty, line.unit_price, discount)
        for line, discount in zip(current.lines, ("12", "8", "0"), strict=True)
    )
    revision = sales.QuoteRevision(
        offered, date.today() + timedelta(days=21), "Precio por volumen; entrega en 10 días laborables."
    )
    await sales.revise_quote(session, tenant_id, ref.quote_id, revision, SALES_TEAM)
    link = f"{shop_url}/account/quotes/{ref.quote_id}"
    await sales.send_quote(session, tenant_id, ref.quote_id, SALES_TEAM, link=link)


async def _awaiting_staff(session, tenant_id, articles) -> None:
    lines = list(zip(articles, (8, 2), strict=True))
    await _request(session, tenant_id, ALBUFERA_BUYER, lines, "¿Podéis mejorar el precio para el estudio nuevo?")


async def _expired(session, tenant_id, articles) -> None:
    """A quote for the school sent six weeks ago, valid for a month, never answered."""
    school = await session.scalar(select(Customer.id).where(Customer.code == SANTACLARA))
    if school is None:
        return
    skus = await session.execute(select(ProductVariant.sku).where(ProductVariant.id.in_(articles)))
    ref = await sales.create_quote(session, tenant_id, school, [(sku, "20") for sku in skus.scalars()], SALES_TEAM)
    quote = await session.get(Quote, (tenant_id, ref.quote_id))
    first = await stored_version(session, quote)
    lapsed = sales.domain.QuoteVersion(2, first.currency, first.lines, date.today() - timedelta(days=12))
    await write_version(session, tenant_id, quote, lapsed, SALES_TEAM, "Curso escolar: precio de campaña.")
    quote.status, quote.sent_at = "sent", datetime.now(UTC) - timedelta(days=42)
    session.add(
        QuoteEvent(
            tenant_id=tenant_id, quote_id=quote.id, version=2, from_status="draft", to_status="sent",
            actor_kind=SALES_TEAM.kind, actor_id=None, actor_label=SALES_TEAM.label, note="",
        )
    )  # fmt: skip
    await session.flush()


async def _shared_list(session, tenant_id, articles) -> None:
    """Cowork Valencia's monthly restock, made by Elena from a past order and shared with her colleagues."""
    found = await _user(session, COWORK_BUYER)
    if found is None:
        return
    user_id, customer_id = found
    list_id = await sales.create_list(session, tenant_id, user_id, "Reposición mensual")
    placed = await session.scalar(
        select(SalesOrder.id).where(SalesOrder.customer_id == customer_id).order_by(SalesOrder.placed_at).limit(1)
    )
    if placed is not None:
        await sales.add_order_to_list(session, tenant_id, user_id, placed, list_id)
    else:
        for variant_id in articles[:2]:
            await sales.add_to_cart(session, tenant_id, user_id, variant_id, Decimal(2))
        await sales.add_cart_to_list(session, tenant_id, user_id, list_id)
        await sales.clear_cart(session, tenant_id, user_id)


async def quotes_summary(session: AsyncSession) -> list[str]:
    """Console line: quotes by status, and saved lists."""
    rows = dict((await session.execute(select(Quote.status, func.count()).group_by(Quote.status))).all())
    if not rows:
        return []
    lists = await session.scalar(select(func.count()).select_from(SavedList))
    return [f"  Quotes:            {sum(rows.values())} quotes ({rows.get('sent', 0)} sent), {lists} saved lists"]

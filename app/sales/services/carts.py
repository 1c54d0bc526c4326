"""A customer user's cart, kept on the server: add, set the quantity, remove, clear, and read it priced.

The cart stores variants and quantities only; every read prices it again for the customer with the pricing
engine, so the cart always shows what the order will charge.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.base import new_id
from app.errors import NotFound
from app.i18n import gettext as _
from app.money import to_minor_unit
from app.sales import repo
from app.sales._errors import SalesRuleError
from app.sales._totals import OrderLineInput, order_totals
from app.sales.models import Cart, CartLine
from app.sales.repo import VariantFacts
from app.sales.services import _buyers, _taxing
from app.sales.services._checks import (
    MAX_QTY,
    TenantFacts,
    assortment,
    checked_lines,
    prices,
    qty_problem,
    variant_name,
)
from app.sales.values import CartLineView, CartView, OrderLineRequest


async def _customer_of(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> uuid.UUID:
    """The company a customer user buys for; staff and unknown users have no cart (NotFound)."""
    who = await _buyers.buyer(session, tenant_id, user_id, None)
    if who.member is None:
        raise NotFound()
    return who.member.company_id


async def _cart_id(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, *, create: bool
) -> uuid.UUID | None:
    """The user's open cart, made on first use (two first uses at once still make one)."""
    found = select(Cart.id).where(Cart.user_id == user_id, Cart.status == "open")
    cart_id = await session.scalar(found)
    if cart_id is not None or not create:
        return cart_id
    customer_id = await _customer_of(session, tenant_id, user_id)
    stmt = (
        insert(Cart)
        .values(tenant_id=tenant_id, id=new_id(), customer_id=customer_id, user_id=user_id, status="open")
        .on_conflict_do_nothing(index_elements=["tenant_id", "user_id"], index_where=text("status = 'open'"))
    )
    await session.execute(stmt)
    return await session.scalar(found)


async def _line_qty(session: AsyncSession, cart_id: uuid.UUID, variant_id: uuid.UUID) -> Decimal:
    qty = await session.scalar(
        select(CartLine.qty).where(CartLine.cart_id == cart_id, CartLine.variant_id == variant_id)
    )
    return qty or Decimal(0)


async def _put(
    session: AsyncSession, tenant_id: uuid.UUID, cart_id: uuid.UUID, variant_id: uuid.UUID, qty: Decimal
) -> None:
    stmt = insert(CartLine).values(tenant_id=tenant_id, id=new_id(), cart_id=cart_id, variant_id=variant_id, qty=qty)
    await session.execute(
        stmt.on_conflict_do_update(index_elements=["tenant_id", "cart_id", "variant_id"], set_={"qty": qty})
    )
    await session.execute(update(Cart).where(Cart.id == cart_id).values(updated_at=func.now()))


async def add_to_cart(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, variant_id: uuid.UUID, qty: Decimal | int | str
) -> CartView:
    """Add qty of a variant of the company's assortment (to what the cart already holds of it), checked against
    its quantity rules."""
    cart_id = await _cart_id(session, tenant_id, user_id, create=True)
    allowed = await assortment(session, await _customer_of(session, tenant_id, user_id))
    (line,) = await checked_lines(session, tenant_id, [(variant_id, qty)], allowed=allowed)
    total = await _line_qty(session, cart_id, variant_id) + line.qty
    (line,) = await checked_lines(session, tenant_id, [(variant_id, total)], allowed=allowed)
    await _put(session, tenant_id, cart_id, variant_id, line.qty)
    return await cart(session, tenant_id, user_id)


async def add_many(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, lines: Sequence[tuple[uuid.UUID, Decimal]]
) -> dict[uuid.UUID, str]:
    """Add several variants at once (a quick order), each total with what the cart holds checked on its own:
    the refused ones (variant -> the message) are left out, the others added. The cart is not re-priced here."""
    cart_id = await _cart_id(session, tenant_id, user_id, create=True)
    allowed = await assortment(session, await _customer_of(session, tenant_id, user_id))
    held = dict(
        (await session.execute(select(CartLine.variant_id, CartLine.qty).where(CartLine.cart_id == cart_id))).all()
    )
    facts = await repo.variants(session, tenant_id, {variant_id for variant_id, _qty in lines})
    refused: dict[uuid.UUID, str] = {}
    rows = []
    for variant_id, qty in lines:
        problem = _line_problem(facts.get(variant_id), held.get(variant_id, Decimal(0)) + qty, allowed)
        if problem:
            refused[variant_id] = problem
        else:
            rows.append({"tenant_id": tenant_id, "id": new_id(), "cart_id": cart_id, "variant_id": variant_id,
                         "qty": held.get(variant_id, Decimal(0)) + qty})  # fmt: skip
    if rows:
        stmt = insert(CartLine).values(rows)
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["tenant_id", "cart_id", "variant_id"], set_={"qty": stmt.excluded.qty}
            )
        )
        await session.execute(update(Cart).where(Cart.id == cart_id).values(updated_at=func.now()))
    return refused


def _line_problem(variant: VariantFacts | None, qty: Decimal, allowed: frozenset[uuid.UUID] | None) -> str | None:
    """Why this quantity of the variant cannot be in the cart (translated), None when it can."""
    if variant is None:
        return _("This item does not exist.")
    if variant.status != "active" or variant.product_status != "active":
        return _("%(sku)s is not for sale.", sku=variant.sku)
    if not variant.in_assortment(allowed):
        return _("%(sku)s is not in your assortment.", sku=variant.sku)
    if qty > MAX_QTY:
        return _("Enter a quantity up to %(max)s, with at most 4 decimals.", max=MAX_QTY)
    return qty_problem(variant, qty)


async def set_cart_qty(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, variant_id: uuid.UUID, qty: Decimal | int | str
) -> CartView:
    """Change a line's quantity (above zero, obeying the variant's rules); remove_from_cart takes it out."""
    cart_id = await _cart_id(session, tenant_id, user_id, create=True)
    allowed = await assortment(session, await _customer_of(session, tenant_id, user_id))
    (line,) = await checked_lines(session, tenant_id, [(variant_id, qty)], allowed=allowed)
    await _put(session, tenant_id, cart_id, variant_id, line.qty)
    return await cart(session, tenant_id, user_id)


async def remove_from_cart(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, variant_id: uuid.UUID
) -> CartView:
    cart_id = await _cart_id(session, tenant_id, user_id, create=False)
    if cart_id is not None:
        await session.execute(delete(CartLine).where(CartLine.cart_id == cart_id, CartLine.variant_id == variant_id))
    return await cart(session, tenant_id, user_id)


async def clear_cart(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> CartView:
    cart_id = await _cart_id(session, tenant_id, user_id, create=False)
    if cart_id is not None:
        await session.execute(delete(CartLine).where(CartLine.cart_id == cart_id))
    return await cart(session, tenant_id, user_id)


async def cart(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> CartView:
    """The user's cart priced for their company now (an empty view when there is none)."""
    customer_id = await _customer_of(session, tenant_id, user_id)
    tenant = await repo.tenant(session, tenant_id)
    currency = tenant["currency"]
    cart_id = await _cart_id(session, tenant_id, user_id, create=False)
    if cart_id is None:
        return CartView(None, currency, (), Decimal(0))
    rows = (
        await session.execute(
            select(CartLine.variant_id, CartLine.qty).where(CartLine.cart_id == cart_id).order_by(CartLine.created_at)
        )
    ).all()
    facts = await repo.variants(session, tenant_id, [r[0] for r in rows])
    quotes = await prices(session, TenantFacts(tenant_id, currency), customer_id, [(r[0], r[1]) for r in rows])
    allowed = await assortment(session, customer_id)
    lines = []
    for variant_id, qty in rows:
        quote = quotes.get(variant_id) if facts[variant_id].in_assortment(allowed) else None
        unit = quote.unit_price if quote is not None else None
        amount = None if unit is None else to_minor_unit(qty * unit, currency)
        variant = facts[variant_id]
        rules = (variant.min_qty, variant.order_multiple, variant.max_qty)
        lines.append(CartLineView(variant_id, variant.sku, variant_name(variant), qty, unit, amount, *rules))
    subtotal = sum((line.amount for line in lines if line.amount is not None), Decimal(0))
    taxed = await _taxed(session, tenant_id, tenant, customer_id, lines, facts)
    return CartView(cart_id, currency, tuple(lines), subtotal, *taxed)


async def _taxed(session, tenant_id, tenant, customer_id, lines, facts) -> tuple[Decimal | None, Decimal | None]:
    """The cart's tax and gross as placing it now would charge them, to the company's default ship-to address;
    (None, None) for an empty cart or when the tax rules cannot answer yet (the checkout then says why)."""
    priced = [line for line in lines if line.unit_price is not None]
    if not priced:
        return None, None
    customer = await repo.customer(session, tenant_id, customer_id)
    ship_to = await repo.address(session, tenant_id, customer_id, None)
    inputs = [
        OrderLineInput(line.variant_id, line.variant_id, line.qty, line.unit_price, facts[line.variant_id].tax_class)
        for line in priced
    ]
    settings = _taxing.tax_settings(tenant["country"], await repo.tax_rates(session, tenant_id))
    country = ship_to["country"] if ship_to is not None else tenant["country"]
    try:
        totals = order_totals(
            inputs,
            currency=tenant["currency"],
            tax_settings=settings,
            destination_country=country,
            buyer_vat_id=customer["tax_id"] if customer is not None else None,
        )
    except SalesRuleError:
        return None, None
    return totals.tax, totals.grand_total


async def cart_count(session: AsyncSession, user_id: uuid.UUID) -> int:
    """How many lines the user's open cart holds (the header's badge; no pricing)."""
    found = (
        select(func.count())
        .select_from(CartLine)
        .join(Cart, (Cart.tenant_id == CartLine.tenant_id) & (Cart.id == CartLine.cart_id))
        .where(Cart.user_id == user_id, Cart.status == "open")
    )
    return int(await session.scalar(found) or 0)


async def open_cart_lines(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID
) -> tuple[OrderLineRequest, ...]:
    """The user's cart as order lines (empty when there is no cart): placing an order from the cart."""
    cart_id = await _cart_id(session, tenant_id, user_id, create=False)
    if cart_id is None:
        return ()
    rows = await session.execute(
        select(CartLine.variant_id, CartLine.qty).where(CartLine.cart_id == cart_id).order_by(CartLine.created_at)
    )
    return tuple(OrderLineRequest(v, q) for v, q in rows.all())


async def mark_ordered(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """The cart became an order: it is closed, and the user's next add starts a new one."""
    await session.execute(update(Cart).where(Cart.user_id == user_id, Cart.status == "open").values(status="ordered"))

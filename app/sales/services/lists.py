"""Saved (requisition) lists and reorder. A list belongs to a customer company and every user of the company
sees and edits it; another company's list is NotFound. Lists hold variants and quantities, never prices: adding
a list or a past order to the cart goes through the cart (checked and priced again today), and the lines that
can no longer be ordered are reported, not silently dropped."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.base import new_id
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.sales import repo
from app.sales.queries import order_detail
from app.sales.quote_models import SavedList, SavedListLine
from app.sales.quote_values import CartFill
from app.sales.services._checks import checked_lines
from app.sales.services.carts import _customer_of, add_to_cart, open_cart_lines

NAME_CHARS = 120
MAX_LISTS = 200  # per company


def _name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise ValidationFailed({"name": _("Give the list a name.")})
    if len(name) > NAME_CHARS:
        raise ValidationFailed({"name": _("At most %(max)s characters.", max=NAME_CHARS)})
    return name


async def _taken(session: AsyncSession, customer_id: uuid.UUID, name: str, but: uuid.UUID | None = None) -> bool:
    query = select(SavedList.id).where(SavedList.customer_id == customer_id, func.lower(SavedList.name) == name.lower())
    if but is not None:
        query = query.where(SavedList.id != but)
    return await session.scalar(query) is not None


async def _own_list(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, list_id: uuid.UUID) -> SavedList:
    """The list, locked, when it is the user's company's (else NotFound, as for another tenant's)."""
    customer_id = await _customer_of(session, tenant_id, user_id)
    found = await session.scalar(select(SavedList).where(SavedList.id == list_id).with_for_update())
    if found is None or found.customer_id != customer_id:
        raise NotFound()
    return found


async def create_list(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, name: str) -> uuid.UUID:
    """A new, empty list for the user's company (names are unique within the company, ignoring case)."""
    customer_id = await _customer_of(session, tenant_id, user_id)
    name = _name(name)
    count = await session.scalar(
        select(func.count()).select_from(SavedList).where(SavedList.customer_id == customer_id)
    )
    if count >= MAX_LISTS:
        raise ValidationFailed({"name": _("Your company has %(max)s lists: delete one first.", max=MAX_LISTS)})
    if await _taken(session, customer_id, name):
        raise ValidationFailed({"name": _("Your company already has a list with this name.")})
    values = {"tenant_id": tenant_id, "id": new_id(), "customer_id": customer_id, "name": name, "created_by": user_id}
    stmt = insert(SavedList).values(**values).on_conflict_do_nothing().returning(SavedList.id)
    list_id = (await session.execute(stmt)).scalar_one_or_none()
    if list_id is None:  # a colleague made one with the same name meanwhile
        raise ValidationFailed({"name": _("Your company already has a list with this name.")})
    return list_id


async def rename_list(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, list_id: uuid.UUID, name: str
) -> None:
    saved = await _own_list(session, tenant_id, user_id, list_id)
    name = _name(name)
    if await _taken(session, saved.customer_id, name, but=saved.id):
        raise ValidationFailed({"name": _("Your company already has a list with this name.")})
    saved.name, saved.updated_at = name, func.now()
    await session.flush()


async def delete_list(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, list_id: uuid.UUID) -> None:
    saved = await _own_list(session, tenant_id, user_id, list_id)
    await session.delete(saved)  # its lines go with it (ON DELETE CASCADE)
    await session.flush()


async def _add_lines(
    session: AsyncSession, tenant_id: uuid.UUID, saved: SavedList, pairs: Iterable[tuple[uuid.UUID, Decimal]]
) -> int:
    """Add the quantities to the list (to what it holds of each variant already); how many lines came in."""
    added = 0
    for variant_id, qty in pairs:
        stmt = insert(SavedListLine).values(
            tenant_id=tenant_id, id=new_id(), list_id=saved.id, variant_id=variant_id, qty=qty
        )
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["tenant_id", "list_id", "variant_id"],
                set_={"qty": SavedListLine.qty + stmt.excluded.qty},
            )
        )
        added += 1
    saved.updated_at = func.now()
    await session.flush()
    return added


async def add_cart_to_list(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, list_id: uuid.UUID) -> int:
    """The user's cart lines added to the list (the cart stays as it is)."""
    saved = await _own_list(session, tenant_id, user_id, list_id)
    lines = await open_cart_lines(session, tenant_id, user_id)
    if not lines:
        raise ValidationFailed({"list_id": _("Your cart is empty: nothing to save.")})
    return await _add_lines(session, tenant_id, saved, [(line.variant_id, Decimal(line.qty)) for line in lines])


async def add_order_to_list(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, order_id: uuid.UUID, list_id: uuid.UUID
) -> int:
    """A past order's lines (of the user's company) added to the list."""
    saved = await _own_list(session, tenant_id, user_id, list_id)
    order = await order_detail(session, order_id, customer_id=saved.customer_id)
    return await _add_lines(session, tenant_id, saved, [(line.variant_id, line.qty) for line in order.lines])


async def set_list_qty(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    list_id: uuid.UUID,
    variant_id: uuid.UUID,
    qty: Decimal | int | str,
) -> None:
    """Change a line's quantity (checked against the variant's rules, as the cart will check it)."""
    saved = await _own_list(session, tenant_id, user_id, list_id)
    (line,) = await checked_lines(session, tenant_id, [(variant_id, qty)])
    changed = await session.execute(
        update(SavedListLine)
        .where(SavedListLine.list_id == saved.id, SavedListLine.variant_id == variant_id)
        .values(qty=line.qty)
    )
    if not changed.rowcount:
        raise NotFound()
    saved.updated_at = func.now()
    await session.flush()


async def remove_list_line(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, list_id: uuid.UUID, variant_id: uuid.UUID
) -> None:
    saved = await _own_list(session, tenant_id, user_id, list_id)
    await session.execute(
        delete(SavedListLine).where(SavedListLine.list_id == saved.id, SavedListLine.variant_id == variant_id)
    )
    saved.updated_at = func.now()
    await session.flush()


async def _fill_cart(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, pairs: list[tuple[uuid.UUID, Decimal]]
) -> CartFill:
    """Add each line to the cart on its own; a line the cart refuses (not for sale any more, a quantity rule
    changed) is reported with the reason, and the others still go in."""
    facts = await repo.variants(session, tenant_id, [variant_id for variant_id, _qty in pairs])
    added, skipped = [], []
    for variant_id, qty in pairs:
        sku = facts[variant_id].sku if variant_id in facts else "?"
        try:
            await add_to_cart(session, tenant_id, user_id, variant_id, qty)
        except ValidationFailed as exc:
            skipped.append((sku, next(iter(exc.errors.values()), _("It cannot be ordered now."))))
        else:
            added.append(sku)
    return CartFill(tuple(added), tuple(skipped))


async def add_list_to_cart(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, list_id: uuid.UUID
) -> CartFill:
    """Every line of the list added to the user's cart, priced there today."""
    saved = await _own_list(session, tenant_id, user_id, list_id)
    rows = await session.execute(
        select(SavedListLine.variant_id, SavedListLine.qty)
        .where(SavedListLine.list_id == saved.id)
        .order_by(SavedListLine.created_at, SavedListLine.id)
    )
    pairs = [(v, q) for v, q in rows.all()]
    if not pairs:
        raise ValidationFailed({"list_id": _("This list is empty.")})
    return await _fill_cart(session, tenant_id, user_id, pairs)


async def reorder(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, order_id: uuid.UUID) -> CartFill:
    """Every line of a past order of the user's company added to the cart, re-priced today; lines no longer
    available are reported."""
    customer_id = await _customer_of(session, tenant_id, user_id)
    order = await order_detail(session, order_id, customer_id=customer_id)
    return await _fill_cart(session, tenant_id, user_id, [(line.variant_id, line.qty) for line in order.lines])

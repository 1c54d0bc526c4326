"""Landed costs into valuation: a cost added to a receipt after the fact (freight, duties), split by the domain rule
between the units still in stock (their value rises) and those already issued (cost of sales)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.base import new_id
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.inventory import repo
from app.inventory._valuing import Book, layer_changes, open_book, valuation_row
from app.inventory.domain import STOCK_KINDS, AverageCost, Revaluation, StockRuleError
from app.inventory.models import Location, StockMove
from app.inventory.services.ledger import retrying
from app.inventory.values import REVALUED_TOPIC, StockDocument
from app.money import to_minor_unit
from app.outbox.services import emit

MAX_AMOUNT = Decimal(1_000_000_000)


async def revalue_receipt(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    document: StockDocument,
    move_id: uuid.UUID,
    amount: Decimal,
    actor: Actor,
) -> Revaluation:
    """Add `amount` (the tenant's currency, may be negative for a credit) to the cost of one receipt move; the
    document is the caller's (a landed cost). Announced as `inventory.revalued` for the ledger."""
    move = await session.scalar(select(StockMove).where(StockMove.id == move_id))
    if move is None:
        raise NotFound()
    await _check_receipt(session, move)
    conn = await repo.connection(session)
    rules = await repo.settings(conn, tenant_id)
    amount = _amount(amount, rules["currency"])

    async def work() -> Revaluation:
        book = await _book(conn, tenant_id, move, rules)
        try:
            book.state, revaluation = _revalue(book, move, amount)
        except StockRuleError:
            raise ValidationFailed({"amount": _("This amount would take the stock value below zero.")}) from None
        await repo.save_valuations(conn, tenant_id, [valuation_row(book)])
        await repo.save_layers(conn, tenant_id, *layer_changes(book, {}, new_id))
        head = (document.kind, document.id, document.reference[:40], actor.label[:320])
        values = (revaluation.amount, revaluation.to_stock, revaluation.to_cogs)
        await conn.execute(repo.NEW_REVALUATION, tenant_id, new_id(), move.variant_id, move.id, *values, *head)
        return revaluation

    revaluation = await retrying(session, work)
    payload = {"move_id": str(move.id), "variant_id": str(move.variant_id), "reference": document.reference}
    payload |= {"to_stock": str(revaluation.to_stock), "to_cogs": str(revaluation.to_cogs)}
    await emit(session, tenant_id, REVALUED_TOPIC, payload)
    await audit.record(session, tenant_id, actor, "stock.revalued", "stock_move", move.id, payload)
    return revaluation


def _amount(amount: Decimal, currency: str) -> Decimal:
    if not isinstance(amount, Decimal | int) or not Decimal(amount).is_finite() or abs(Decimal(amount)) > MAX_AMOUNT:
        raise ValidationFailed({"amount": _("Enter a number.")})
    if Decimal(amount) != to_minor_unit(Decimal(amount), currency):
        raise ValidationFailed({"amount": _("Use at most %(n)s decimals.", n=2)})
    return Decimal(amount)


async def _check_receipt(session: AsyncSession, move: StockMove) -> None:
    """Only goods that came into stock carry a cost to revalue, and not once their receipt was reversed."""
    kinds = dict(
        (
            await session.execute(
                select(Location.id, Location.kind).where(Location.id.in_([move.from_location_id, move.to_location_id]))
            )
        ).all()
    )
    if kinds.get(move.from_location_id) in STOCK_KINDS or kinds.get(move.to_location_id) not in STOCK_KINDS:
        raise ValidationFailed({"move_id": _("Only goods received into stock can take a landed cost.")})
    if await session.scalar(select(StockMove.id).where(StockMove.reversal_of == move.id)):
        raise ValidationFailed({"move_id": _("This receipt has been reversed.")})


async def _book(conn, tenant_id: uuid.UUID, move: StockMove, rules) -> Book:
    rows = await repo.lock_valuations(conn, tenant_id, [move.variant_id], rules["cost_method"], rules["currency"])
    row = rows[move.variant_id]
    layers = await repo.layers_with(conn, tenant_id, move.variant_id, move.sequence) if row["method"] == "fifo" else []
    return open_book(row, layers)


def _revalue(book: Book, move: StockMove, amount: Decimal):
    if isinstance(book.state, AverageCost):
        return book.state.revalue(amount, move.qty)
    return book.state.revalue(move.sequence, amount)

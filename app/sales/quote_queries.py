"""Reading quotes and saved lists: a company's quotes and the staff's list with filters, one quote with all its
versions, the differences between them and its timeline; a company's saved lists and one list with its lines.
Every read by a customer names the company: another company's quote or list is NotFound, as is another
tenant's (RLS)."""

from __future__ import annotations

import uuid
from datetime import date
from itertools import pairwise

from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.i18n import gettext as _
from app.identity.models import User
from app.parties import Customer
from app.sales._quotes import QuoteLine, QuoteVersion, can_accept, diff
from app.sales.models import SalesOrder
from app.sales.quote_models import Quote, QuoteEvent, QuoteLineRecord, QuoteVersionRecord, SavedList, SavedListLine
from app.sales.quote_values import (
    QuoteDetail,
    QuoteEventView,
    QuoteLineView,
    QuotePage,
    QuoteSummary,
    QuoteVersionView,
    SavedListDetail,
    SavedListLineView,
    SavedListSummary,
)
from app.sales.repo import variants
from app.sales.services._checks import variant_name

MAX_PER_PAGE = 100
STATES = ("draft", "sent", "expired", "revision_requested", "accepted", "rejected")


def state_of(status: str, valid_until: date, today: date) -> str:
    """What a quote is to its readers: a sent quote past its last valid day is expired."""
    return "expired" if status == "sent" and valid_until < today else status


def _summaries() -> Select:
    return select(
        Quote.id,
        Quote.number,
        Quote.customer_id,
        Customer.name,
        Quote.status,
        Quote.currency,
        Quote.gross,
        Quote.valid_until,
        Quote.current_version,
        Quote.created_at,
        Quote.order_id,
    ).join(Customer, (Customer.tenant_id == Quote.tenant_id) & (Customer.id == Quote.customer_id))


def _summary(row, today: date) -> QuoteSummary:
    state = state_of(row.status, row.valid_until, today)
    return QuoteSummary(
        row.id,
        row.number,
        row.customer_id,
        row.name,
        row.status,
        state,
        row.currency,
        row.gross,
        row.valid_until,
        row.current_version,
        row.created_at,
        row.order_id,
    )


async def _page(session: AsyncSession, query: Select, page: int, per_page: int) -> QuotePage:
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = await session.execute(
        query.order_by(Quote.created_at.desc(), Quote.id.desc()).offset((page - 1) * per_page).limit(per_page)
    )
    today = date.today()
    return QuotePage(tuple(_summary(r, today) for r in rows.all()), total or 0, page, per_page)


def _in_state(query: Select, state: str, today: date) -> Select:
    if state == "expired":
        return query.where(Quote.status == "sent", Quote.valid_until < today)
    if state == "sent":
        return query.where(Quote.status == "sent", Quote.valid_until >= today)
    return query.where(Quote.status == state)


async def quotes_for_customer(
    session: AsyncSession, customer_id: uuid.UUID, *, page: int = 1, per_page: int = 25
) -> QuotePage:
    """A customer company's quotes, newest first (the portal's list)."""
    return await _page(session, _summaries().where(Quote.customer_id == customer_id), page, per_page)


async def quotes(
    session: AsyncSession,
    *,
    state: str | None = None,
    customer_id: uuid.UUID | None = None,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
) -> QuotePage:
    """The staff's quote list: by state (expired included), customer, and number or customer name."""
    query = _summaries()
    if state in STATES:
        query = _in_state(query, state, date.today())
    if customer_id is not None:
        query = query.where(Quote.customer_id == customer_id)
    text = search.strip()[:100]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(Quote.number.ilike(pattern) | Customer.name.ilike(pattern))
    return await _page(session, query, page, per_page)


async def _versions(session: AsyncSession, quote_id: uuid.UUID) -> list[QuoteVersionView]:
    records = (
        await session.scalars(
            select(QuoteVersionRecord)
            .where(QuoteVersionRecord.quote_id == quote_id)
            .order_by(QuoteVersionRecord.number.desc())
        )
    ).all()
    lines = (
        await session.scalars(
            select(QuoteLineRecord)
            .where(QuoteLineRecord.version_id.in_([r.id for r in records]))
            .order_by(QuoteLineRecord.position)
        )
    ).all()
    by_version: dict[uuid.UUID, list[QuoteLineView]] = {r.id: [] for r in records}
    for line in lines:
        by_version[line.version_id].append(
            QuoteLineView(
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
            )
        )
    return [
        QuoteVersionView(
            r.number,
            r.valid_until,
            r.net,
            r.tax,
            r.gross,
            r.note,
            r.author_label,
            r.created_at,
            tuple(by_version[r.id]),
        )
        for r in records
    ]


def _as_rule(view: QuoteVersionView, currency: str) -> QuoteVersion:
    lines = tuple(QuoteLine(l.variant_id, l.sku, l.qty, l.unit_price, l.discount_pct) for l in view.lines)  # noqa: E741
    return QuoteVersion(view.number, currency, lines, view.valid_until)


async def quote_detail(
    session: AsyncSession, quote_id: uuid.UUID, *, customer_id: uuid.UUID | None = None
) -> QuoteDetail:
    """The quote with its versions (newest first), each version's differences from the one before, its
    timeline and whether the buyer may accept it today."""
    row = (await session.execute(_summaries().where(Quote.id == quote_id))).first()
    if row is None or (customer_id is not None and row.customer_id != customer_id):
        raise NotFound()
    today = date.today()
    summary = _summary(row, today)
    quote = await session.scalar(select(Quote).where(Quote.id == quote_id))
    versions = await _versions(session, quote_id)
    rules = [_as_rule(v, summary.currency) for v in versions]
    diffs = {new.number: diff(old, new) for new, old in pairwise(rules)}
    decision = can_accept(rules[0], status=summary.status, latest_number=summary.version, today=today)
    refusal = "" if decision else _(decision.reason.message, **decision.reason.params)
    events = (
        await session.scalars(
            select(QuoteEvent).where(QuoteEvent.quote_id == quote_id).order_by(QuoteEvent.created_at, QuoteEvent.id)
        )
    ).all()
    requester = (
        await session.scalar(select(User.name).where(User.id == quote.requested_by)) if quote.requested_by else None
    )
    order_number = (
        await session.scalar(select(SalesOrder.number).where(SalesOrder.id == quote.order_id))
        if quote.order_id
        else None
    )
    return QuoteDetail(
        summary=summary,
        requested_by=quote.requested_by,
        requested_by_name=requester or "",
        order_number=order_number or "",
        versions=tuple(versions),
        diffs=diffs,
        events=tuple(
            QuoteEventView(e.version, e.from_status, e.to_status, e.actor_label, e.note, e.created_at) for e in events
        ),
        acceptable=decision.allowed,
        refusal=refusal,
    )


def _lists() -> Select:
    count = (
        select(func.count())
        .where(and_(SavedListLine.tenant_id == SavedList.tenant_id, SavedListLine.list_id == SavedList.id))
        .scalar_subquery()
    )
    return select(SavedList.id, SavedList.name, count, func.coalesce(User.name, ""), SavedList.updated_at).outerjoin(
        User, (User.tenant_id == SavedList.tenant_id) & (User.id == SavedList.created_by)
    )


async def saved_lists(session: AsyncSession, customer_id: uuid.UUID) -> tuple[SavedListSummary, ...]:
    """A company's saved lists, by name (every user of the company sees them all)."""
    rows = await session.execute(
        _lists().where(SavedList.customer_id == customer_id).order_by(func.lower(SavedList.name))
    )
    return tuple(SavedListSummary(*row) for row in rows.all())


async def saved_list(
    session: AsyncSession, tenant_id: uuid.UUID, list_id: uuid.UUID, customer_id: uuid.UUID
) -> SavedListDetail:
    """One of the company's lists with its lines and whether each can still be ordered."""
    row = (await session.execute(_lists().where(SavedList.id == list_id, SavedList.customer_id == customer_id))).first()
    if row is None:
        raise NotFound()
    rows = (
        await session.execute(
            select(SavedListLine.variant_id, SavedListLine.qty)
            .where(SavedListLine.list_id == list_id)
            .order_by(SavedListLine.created_at, SavedListLine.id)
        )
    ).all()
    facts = await variants(session, tenant_id, [r[0] for r in rows])
    lines = []
    for variant_id, qty in rows:
        fact = facts[variant_id]
        sold = fact.status == "active" and fact.product_status == "active"
        lines.append(SavedListLineView(variant_id, fact.sku, variant_name(fact), qty, sold))
    return SavedListDetail(SavedListSummary(*row), tuple(lines))

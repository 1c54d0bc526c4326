"""Quotes: a buyer requests one from the cart (priced by the engine as a starting point), or staff write one for
a customer; staff revise prices, discounts, quantities and validity (each revision a new, kept version) and send
it (an e-mail with a link to it); the buyer accepts it (a sales order at the quote's prices, see _quote_order),
rejects it or asks for a revision with a comment. The moves are the pure rules' (app.sales._quotes); an expired
quote cannot be accepted. Each change writes a timeline row and an outbox event in the same transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.identity.models import User
from app.numbering.services import take_number
from app.outbox.services import emit, queue_mail
from app.sales import repo
from app.sales._errors import SalesRuleError
from app.sales._quotes import QuoteLine, QuoteStatus, accept, new_version, quote_transition
from app.sales.quote_models import Quote, QuoteEvent
from app.sales.quote_values import DEFAULT_VALIDITY_DAYS, QUOTE_STATUS_TOPIC, QuoteRef, QuoteRevision
from app.sales.services import _buyers
from app.sales.services._checks import read_qty, rule_error, said
from app.sales.services._quote_order import order_from_quote, order_request, placed_before
from app.sales.services._quote_pricing import engine_lines, stored_version, write_version
from app.sales.services.carts import mark_ordered, open_cart_lines
from app.sales.services.staff_notices import tell_staff
from app.sales.values import PlacedOrder

Q = QuoteStatus
NOTE_CHARS = 2000
MAX_PRICE = Decimal("1e10")


def _ref(quote: Quote) -> QuoteRef:
    return QuoteRef(quote.id, quote.number, quote.status, quote.current_version)


def _note(field: str, text: str) -> str:
    text = (text or "").strip()
    if len(text) > NOTE_CHARS:
        raise ValidationFailed({field: _("At most %(max)s characters.", max=NOTE_CHARS)})
    return text


async def _locked(session: AsyncSession, quote_id: uuid.UUID, customer_id: uuid.UUID | None = None) -> Quote:
    """The quote, locked until commit; NotFound for another tenant's (RLS) or, given customer_id, another company's."""
    quote = await session.scalar(
        select(Quote).where(Quote.id == quote_id).with_for_update().execution_options(populate_existing=True)
    )
    if quote is None or (customer_id is not None and quote.customer_id != customer_id):
        raise NotFound()
    return quote


async def _company_of(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> uuid.UUID:
    """The company a customer user acts for; staff and unknown users: NotFound."""
    who = await _buyers.buyer(session, tenant_id, user_id, None)
    if who.member is None:
        raise NotFound()
    return who.member.company_id


async def _move(
    session: AsyncSession, tenant_id: uuid.UUID, quote: Quote, target: QuoteStatus, actor: Actor, note: str = ""
) -> None:
    """Change the status (the rules must allow it), with its timeline row and event."""
    before = quote.status
    if not (before == target == Q.DRAFT):  # a draft revised stays a draft
        decision = quote_transition(before, target)
        if not decision:
            raise ValidationFailed({"status": said(decision.reason)})
        quote.status = target.value
    await _record(session, tenant_id, quote, before, target.value, actor, note)


async def _record(session, tenant_id, quote: Quote, before: str | None, after: str, actor: Actor, note: str) -> None:
    session.add(
        QuoteEvent(
            tenant_id=tenant_id,
            quote_id=quote.id,
            version=quote.current_version,
            from_status=before,
            to_status=after,
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_label=actor.label[:320],
            note=note[:NOTE_CHARS],
        )
    )
    payload = {
        "quote_id": str(quote.id),
        "number": quote.number,
        "customer_id": str(quote.customer_id),
        "status": after,
        "version": quote.current_version,
        "order_id": str(quote.order_id) if quote.order_id else None,
    }
    await emit(session, tenant_id, QUOTE_STATUS_TOPIC, payload)


async def _new_quote(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    customer_id: uuid.UUID,
    requested_by: uuid.UUID | None,
    lines: Sequence[QuoteLine],
    actor: Actor,
    note: str,
) -> Quote:
    customer = await repo.customer(session, tenant_id, customer_id)
    if customer is None:
        raise NotFound()
    if customer["status"] != "active":
        raise ValidationFailed({"customer_id": _("This customer is blocked: no new quotes can be made.")})
    tenant = await repo.tenant(session, tenant_id)
    today = date.today()
    try:
        version = new_version(
            None,
            lines,
            valid_until=today + timedelta(days=DEFAULT_VALIDITY_DAYS),
            today=today,
            currency=tenant["currency"],
        )
    except SalesRuleError as exc:
        raise rule_error(exc) from None
    quote = Quote(
        tenant_id=tenant_id,
        number=await take_number(session, "quote"),
        customer_id=customer_id,
        requested_by=requested_by,
        status=Q.DRAFT.value,
        currency=version.currency,
        current_version=1,
        valid_until=version.valid_until,
    )
    session.add(quote)
    await session.flush()
    await write_version(session, tenant_id, quote, version, actor, "")
    await _record(session, tenant_id, quote, None, Q.DRAFT.value, actor, note)
    return quote


async def request_quote(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    actor: Actor,
    *,
    note: str = "",
    back_office: str = "",
) -> QuoteRef:
    """The buyer's cart as a quote request (version 1 at the engine's prices, for staff to revise); the cart is
    closed, as placing an order closes it, and the sales team is told (links under `back_office`)."""
    note = _note("note", note)
    customer_id = await _company_of(session, tenant_id, user_id)
    requested = await open_cart_lines(session, tenant_id, user_id)
    if not requested:
        raise ValidationFailed({"lines": _("Your cart is empty: add what you want a quote for.")})
    pairs = [(line.variant_id, line.qty) for line in requested]
    lines = await engine_lines(session, tenant_id, customer_id, pairs, unpriced_at_zero=False)
    quote = await _new_quote(session, tenant_id, customer_id, user_id, lines, actor, note)
    await mark_ordered(session, tenant_id, user_id)
    await _tell_staff(session, tenant_id, "quote_requested", quote, back_office, comment=note)
    return _ref(quote)


async def _tell_staff(session, tenant_id, kind: str, quote: Quote, back_office: str, **details) -> None:
    path = f"/sales/quotes/{quote.id}"
    await tell_staff(
        session,
        tenant_id,
        kind,
        customer_id=quote.customer_id,
        number=quote.number,
        path=path,
        back_office=back_office,
        **details,
    )


async def create_quote(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    customer_id: uuid.UUID,
    lines: Sequence[tuple[str, Decimal | int | str]],
    actor: Actor,
    *,
    note: str = "",
) -> QuoteRef:
    """Staff write a quote for a customer from (SKU, quantity) lines, priced by the engine (zero where it has
    no price) as the first draft."""
    note = _note("note", note)
    pairs = await _by_sku(session, tenant_id, lines, "lines")
    quoted = await engine_lines(session, tenant_id, customer_id, pairs, unpriced_at_zero=True)
    return _ref(await _new_quote(session, tenant_id, customer_id, None, quoted, actor, note))


async def _by_sku(
    session: AsyncSession, tenant_id: uuid.UUID, lines: Sequence[tuple[str, Decimal | int | str]], field: str
) -> list[tuple[uuid.UUID, Decimal | int | str]]:
    """(variant id, quantity) for (SKU, quantity) lines; an unknown SKU or one not for sale is refused."""
    if not lines:
        raise ValidationFailed({field: _("Add at least one item to quote.")})
    skus = {sku.strip().upper() for sku, _qty in lines if isinstance(sku, str)}
    rows = await repo.for_sale_by_sku(session, tenant_id, skus)
    found = {row["sku"].upper(): row["id"] for row in rows}
    errors, pairs = {}, []
    for i, (sku, qty) in enumerate(lines):
        variant_id = found.get(sku.strip().upper()) if isinstance(sku, str) else None
        if variant_id is None:
            errors[f"{field}.{i}.sku"] = _("%(sku)s: no article for sale has this SKU.", sku=str(sku)[:64])
        else:
            pairs.append((variant_id, qty))
    if errors:
        raise ValidationFailed(errors)
    return pairs


def _parsed(raw, field: str, errors: dict[str, str], *, cap: Decimal, zero_ok: bool) -> Decimal | None:
    number = read_qty(raw)
    if number is None:
        errors[field] = _("Enter a number.")
    elif number < 0 or (number == 0 and not zero_ok):
        errors[field] = _("Enter a number greater than zero.") if not zero_ok else _("Enter zero or more.")
    elif number > cap or number != number.quantize(Decimal("0.0001")):
        errors[field] = _("Enter a number up to %(max)s, with at most 4 decimals.", max=cap)
    else:
        return number
    return None


def _revised_lines(revision: QuoteRevision, known: dict[uuid.UUID, QuoteLine]) -> list[QuoteLine]:
    """The kept lines with their new quantity, price and discount (errors under lines.<i>.<field>, all at once)."""
    errors: dict[str, str] = {}
    lines = []
    for i, line in enumerate(revision.lines):
        before = known.get(line.variant_id)
        if before is None:
            errors[f"lines.{i}.variant_id"] = _("This line is not on the quote.")
            continue
        qty = _parsed(line.qty, f"lines.{i}.qty", errors, cap=Decimal(1_000_000), zero_ok=False)
        price = _parsed(line.unit_price, f"lines.{i}.unit_price", errors, cap=MAX_PRICE, zero_ok=True)
        discount = _parsed(line.discount_pct, f"lines.{i}.discount_pct", errors, cap=Decimal(100), zero_ok=True)
        if qty is not None and price is not None and discount is not None:
            lines.append(before._replace(qty=qty, unit_price=price, discount_pct=discount))
    if errors:
        raise ValidationFailed(errors)
    return lines


async def revise_quote(
    session: AsyncSession, tenant_id: uuid.UUID, quote_id: uuid.UUID, revision: QuoteRevision, actor: Actor
) -> QuoteRef:
    """Staff write the next version (prices, discounts, quantities, added lines, validity, a note): the quote
    goes back to draft until it is sent; versions already written stay as they were."""
    quote = await _locked(session, quote_id)
    if quote.status != Q.DRAFT:
        decision = quote_transition(quote.status, Q.DRAFT)
        if not decision:
            raise ValidationFailed({"status": said(decision.reason)})
    note = _note("note", revision.note)
    if revision.valid_until is None:
        raise ValidationFailed({"valid_until": _("Enter the last day the quote can be accepted.")})
    previous = await stored_version(session, quote)
    lines = _revised_lines(revision, {line.variant_id: line for line in previous.lines})
    if revision.added:
        pairs = await _by_sku(session, tenant_id, revision.added, "added")
        lines += await engine_lines(session, tenant_id, quote.customer_id, pairs, unpriced_at_zero=True)
    try:
        version = new_version(
            previous, lines, valid_until=revision.valid_until, today=date.today(), currency=previous.currency
        )
    except SalesRuleError as exc:
        raise rule_error(exc) from None
    await write_version(session, tenant_id, quote, version, actor, note)
    await _move(session, tenant_id, quote, Q.DRAFT, actor, note)
    return _ref(quote)


async def send_quote(
    session: AsyncSession, tenant_id: uuid.UUID, quote_id: uuid.UUID, actor: Actor, *, link: str
) -> QuoteRef:
    """Send the current version to the buyer: an e-mail (after commit, through the outbox) with `link`, the
    quote's page on the tenant's own address. A version whose last valid day has passed is revised first."""
    quote = await _locked(session, quote_id)
    if quote.status == Q.DRAFT and quote.valid_until < date.today():
        raise ValidationFailed(
            {
                "valid_until": _(
                    "This version expired on %(date)s: write one valid until a later day.",
                    date=quote.valid_until.isoformat(),
                )
            }
        )
    await _move(session, tenant_id, quote, Q.SENT, actor)
    quote.sent_at = datetime.now(UTC)
    await _mail_buyer(session, tenant_id, quote, link)
    await session.flush()
    return _ref(quote)


async def _mail_buyer(session: AsyncSession, tenant_id: uuid.UUID, quote: Quote, link: str) -> None:
    """To the user who asked for it, or to the company's address for a quote staff wrote."""
    tenant = await repo.tenant(session, tenant_id)
    customer = await repo.customer(session, tenant_id, quote.customer_id)
    user = await repo.user(session, tenant_id, quote.requested_by) if quote.requested_by else None
    if user is None or not user["is_active"]:
        user = None if customer["email"] else await _first_user(session, tenant_id, quote.customer_id)
    if user is not None:
        to, name, locale = user["email"], user["name"], user["locale"]
    else:
        to, name, locale = customer["email"], customer["name"], customer["locale"]
    if not to:
        return
    context = {
        "number": quote.number,
        "version": quote.current_version,
        "tenant_name": tenant["name"],
        "name": name,
        "total": str(quote.gross),
        "currency": quote.currency,
        "valid_until": quote.valid_until.isoformat(),
        "link": link,
    }
    await queue_mail(
        session, tenant_id, to=to, template="mail/quote_sent", context=context, locale=locale or tenant["locale"]
    )


async def _first_user(session: AsyncSession, tenant_id: uuid.UUID, customer_id: uuid.UUID):
    """The company's longest-standing active user: who hears of a staff-written quote when it has no address."""
    user_id = await session.scalar(
        select(User.id)
        .where(User.customer_id == customer_id, User.is_active.is_(True))
        .order_by(User.created_at, User.id)
        .limit(1)
    )
    return await repo.user(session, tenant_id, user_id) if user_id is not None else None


async def accept_quote(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    quote_id: uuid.UUID,
    user_id: uuid.UUID,
    actor: Actor,
    *,
    po_number: str = "",
    delivery_service_id: uuid.UUID | None = None,
    back_office: str = "",
) -> PlacedOrder:
    """The buyer accepts the current version: a sales order at its prices, delivered by the service chosen (None:
    the cheapest; see _quote_order), and the sales team is told. Accepting again returns that order; an expired,
    superseded or not yet sent quote is refused with the reason (field 'quote')."""
    customer_id = await _company_of(session, tenant_id, user_id)
    quote = await _locked(session, quote_id, customer_id)
    if quote.order_id is not None:
        return await placed_before(session, tenant_id, quote.order_id)
    version = await stored_version(session, quote)
    acceptance = accept(version, status=quote.status, latest_number=quote.current_version, today=date.today())
    if not acceptance.allowed:
        raise ValidationFailed({"quote": said(acceptance.decision.reason)})
    data = order_request(customer_id, user_id, quote.id, acceptance.lines, po_number, delivery_service_id)
    note = _("From quote %(number)s, version %(version)s.", number=quote.number, version=version.number)
    placed = await order_from_quote(session, tenant_id, data, acceptance.lines, actor, note)
    quote.order_id = placed.order_id
    await _move(session, tenant_id, quote, Q.ACCEPTED, actor, placed.number)
    await session.flush()
    await _tell_staff(session, tenant_id, "quote_accepted", quote, back_office, order_number=placed.number)
    return placed


async def reject_quote(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    quote_id: uuid.UUID,
    user_id: uuid.UUID,
    actor: Actor,
    comment="",
    *,
    back_office: str = "",
) -> QuoteRef:
    """The buyer declines the quote (final), with an optional comment the sales team is told."""
    comment = _note("comment", comment)
    quote = await _locked(session, quote_id, await _company_of(session, tenant_id, user_id))
    await _move(session, tenant_id, quote, Q.REJECTED, actor, comment)
    await _tell_staff(session, tenant_id, "quote_rejected", quote, back_office, comment=comment)
    return _ref(quote)


async def ask_revision(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    quote_id: uuid.UUID,
    user_id: uuid.UUID,
    actor: Actor,
    comment: str,
    *,
    back_office: str = "",
) -> QuoteRef:
    """The buyer asks for changes to a sent quote, saying which: the sales team is told, and writes the next
    version."""
    comment = _note("comment", comment)
    if not comment:
        raise ValidationFailed({"comment": _("Say what should change.")})
    quote = await _locked(session, quote_id, await _company_of(session, tenant_id, user_id))
    await _move(session, tenant_id, quote, Q.REVISION_REQUESTED, actor, comment)
    await _tell_staff(session, tenant_id, "quote_revision", quote, back_office, comment=comment)
    return _ref(quote)


async def decline_quote(
    session: AsyncSession, tenant_id: uuid.UUID, quote_id: uuid.UUID, actor: Actor, note: str = ""
) -> QuoteRef:
    """Staff decline a request they will not quote (a draft, or one waiting for a revision), saying why."""
    note = _note("note", note)
    quote = await _locked(session, quote_id)
    await _move(session, tenant_id, quote, Q.REJECTED, actor, note)
    return _ref(quote)

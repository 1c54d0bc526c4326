"""What the quote services share: pricing lines with the engine as a starting point, taxing a version's lines at
their quoted prices, reading a stored version back as the pure rules' QuoteVersion, and writing a new one."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.sales import repo
from app.sales._errors import SalesRuleError
from app.sales._quotes import QuoteLine, QuoteVersion
from app.sales._totals import OrderLineInput, OrderTotals, ShippingCharge, order_totals
from app.sales.quote_models import Quote, QuoteLineRecord, QuoteVersionRecord
from app.sales.services import _taxing
from app.sales.services._checks import TenantFacts, checked_lines, prices, rule_error, variant_name


async def engine_lines(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    customer_id: uuid.UUID,
    pairs: Sequence[tuple[uuid.UUID, Decimal | int | str]],
    *,
    unpriced_at_zero: bool,
) -> list[QuoteLine]:
    """Lines checked against the catalogue and priced for the customer now: the quote's starting point. A line
    without a price is refused for a buyer; staff get it at zero, to price by hand."""
    lines = await checked_lines(session, tenant_id, pairs)
    tenant = await repo.tenant(session, tenant_id)
    found = await prices(
        session, TenantFacts(tenant_id, tenant["currency"]), customer_id, [(c.variant.id, c.qty) for c in lines]
    )
    errors, quoted = {}, []
    for line in lines:
        quote = found.get(line.variant.id)
        unit = quote.unit_price if quote is not None else None
        if unit is None and not unpriced_at_zero:
            errors[f"lines.{line.index}.variant_id"] = _(
                "%(sku)s has no price for you: remove it from the cart and ask us about it.", sku=line.variant.sku
            )
        quoted.append(
            QuoteLine(
                line.variant.id, line.variant.sku, line.qty, unit or Decimal(0), Decimal(0), line.variant.tax_class
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return quoted


async def taxed(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    customer_id: uuid.UUID,
    inputs: Sequence[OrderLineInput],
    shipping: ShippingCharge | None = None,
) -> OrderTotals:
    """The lines' figures at the given prices and discounts (with the shipping charge, if any), taxed for the
    company's default ship-to address (as placing the order would tax them)."""
    tenant = await repo.tenant(session, tenant_id)
    customer = await repo.customer(session, tenant_id, customer_id)
    ship_to = await repo.address(session, tenant_id, customer_id, None)
    settings = _taxing.tax_settings(tenant["country"], await repo.tax_rates(session, tenant_id))
    try:
        return order_totals(
            inputs,
            currency=tenant["currency"],
            tax_settings=settings,
            destination_country=ship_to["country"] if ship_to is not None else tenant["country"],
            buyer_vat_id=customer["tax_id"] if customer is not None else None,
            shipping=shipping,
        )
    except SalesRuleError as exc:
        raise rule_error(exc) from None


def order_inputs(version: QuoteVersion) -> list[OrderLineInput]:
    return [
        OrderLineInput(line.variant_id, line.variant_id, line.qty, line.unit_price, line.tax_class, line.discount_pct)
        for line in version.lines
    ]


async def stored_version(session: AsyncSession, quote: Quote, number: int | None = None) -> QuoteVersion:
    """A stored version (the current one by default) as the pure rules read it."""
    wanted = number or quote.current_version
    record = await session.scalar(
        select(QuoteVersionRecord).where(QuoteVersionRecord.quote_id == quote.id, QuoteVersionRecord.number == wanted)
    )
    rows = await session.scalars(
        select(QuoteLineRecord).where(QuoteLineRecord.version_id == record.id).order_by(QuoteLineRecord.position)
    )
    lines = tuple(QuoteLine(r.variant_id, r.sku, r.qty, r.unit_price, r.discount_pct, r.tax_class) for r in rows.all())
    return QuoteVersion(record.number, record.currency, lines, record.valid_until)


async def write_version(
    session: AsyncSession, tenant_id: uuid.UUID, quote: Quote, version: QuoteVersion, actor: Actor, note: str
) -> None:
    """Store the version and its lines (never changed afterwards) and make it the quote's current one."""
    totals = await taxed(session, tenant_id, quote.customer_id, order_inputs(version))
    facts = await repo.variants(session, tenant_id, [line.variant_id for line in version.lines])
    record = QuoteVersionRecord(
        tenant_id=tenant_id,
        quote_id=quote.id,
        number=version.number,
        currency=version.currency,
        valid_until=version.valid_until,
        net=totals.net,
        tax=totals.tax,
        gross=totals.grand_total,
        note=note[:2000],
        author_kind=actor.kind,
        author_id=actor.id,
        author_label=actor.label[:320],
    )
    session.add(record)
    await session.flush()
    taxed_lines = {t.line_id: t for t in totals.taxes.lines}
    for position, line in enumerate(version.lines):
        tax = taxed_lines[line.variant_id]
        session.add(
            QuoteLineRecord(
                tenant_id=tenant_id,
                version_id=record.id,
                position=position,
                variant_id=line.variant_id,
                sku=line.sku,
                name=variant_name(facts[line.variant_id])[:300],
                qty=line.qty,
                unit_price=line.unit_price,
                discount_pct=line.discount_pct,
                tax_class=str(tax.tax_class),
                tax_rate=tax.rate,
                net=tax.net,
                tax=tax.tax,
                gross=tax.gross,
            )
        )
    quote.current_version, quote.valid_until, quote.currency = version.number, version.valid_until, version.currency
    quote.net, quote.tax, quote.gross = totals.net, totals.tax, totals.grand_total
    quote.updated_at = func.now()
    await session.flush()

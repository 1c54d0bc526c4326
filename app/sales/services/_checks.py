"""What the cart and order services share: reading quantities, checking lines against the catalogue's rules,
pricing them for the customer on the server, and turning a pure rule's "no" into a translated field error."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.domain import translated
from app.catalog.services import viewer_catalogs
from app.errors import ValidationFailed
from app.i18n import current_locale
from app.i18n import gettext as _
from app.pricing.domain import PriceQuote, QuantityRule, check_quantity
from app.pricing.services import price_variants, pricing_context_for
from app.sales import repo
from app.sales._errors import Reason, SalesRuleError
from app.sales.repo import VariantFacts

MAX_LINES = 1000
MAX_QTY = Decimal(1_000_000)  # per line; the columns hold 10 digits before the point and 4 after


class TenantFacts(NamedTuple):
    """What pricing needs of a tenant (app.pricing.services.quotes.TenantLike)."""

    id: uuid.UUID
    currency: str


class CheckedLine(NamedTuple):
    """A line whose variant exists, is sold and whose quantity obeys its rules; `index`: its first input line."""

    variant: VariantFacts
    qty: Decimal
    index: int


def said(reason: Reason) -> str:
    """A rule's reason in the reader's language."""
    return _(reason.message, **reason.params)


def rule_error(error: SalesRuleError) -> ValidationFailed:
    return ValidationFailed({error.field: _(error.message, **error.params)})


def read_qty(raw: Decimal | int | str) -> Decimal | None:
    """A quantity as Decimal, None when it is not a finite number (a float is refused: no binary fractions)."""
    if isinstance(raw, bool | float):
        return None
    try:
        qty = Decimal(raw.strip().replace(",", ".")) if isinstance(raw, str) else Decimal(raw)
    except (InvalidOperation, ValueError):
        return None
    return qty if qty.is_finite() else None


def variant_name(variant: VariantFacts) -> str:
    return translated(variant.name or {}, current_locale.get()) or variant.sku


def qty_problem(variant: VariantFacts, qty: Decimal) -> str | None:
    """The first broken quantity rule of the variant, translated; None when the quantity may be ordered."""
    rule = QuantityRule(variant.id, variant.min_qty, variant.order_multiple, variant.max_qty)
    check = check_quantity(qty, rule)
    return None if check.ok else check.problems[0].message


async def assortment(session: AsyncSession, customer_id: uuid.UUID | None) -> frozenset[uuid.UUID] | None:
    """The catalogues a customer may buy from (catalog's rule: theirs and their group's), None for everything."""
    return await viewer_catalogs(session, customer_id)


async def checked_lines(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    lines: Sequence[tuple[uuid.UUID, Decimal | int | str]],
    *,
    allowed: frozenset[uuid.UUID] | None = None,
) -> list[CheckedLine]:
    """Every line checked (errors under lines.<i>.variant_id / lines.<i>.qty, all at once); the same variant
    twice is one line with the total quantity, checked on that total. `allowed`: the customer's assortment
    (see `assortment`); a variant outside it is refused as if it were not for sale."""
    if not lines:
        raise ValidationFailed({"lines": _("Add at least one item to order.")})
    if len(lines) > MAX_LINES:
        raise ValidationFailed({"lines": _("At most %(max)s lines per order.", max=MAX_LINES)})
    facts = await repo.variants(session, tenant_id, {v for v, _q in lines if isinstance(v, uuid.UUID)})
    errors: dict[str, str] = {}
    totals: dict[uuid.UUID, Decimal] = {}
    first: dict[uuid.UUID, int] = {}
    for i, (variant_id, raw) in enumerate(lines):
        qty = read_qty(raw)
        variant = facts.get(variant_id)
        if variant is None:
            errors[f"lines.{i}.variant_id"] = _("This item does not exist.")
        elif variant.status != "active" or variant.product_status != "active":
            errors[f"lines.{i}.variant_id"] = _("%(sku)s is not for sale.", sku=variant.sku)
        elif not variant.in_assortment(allowed):
            errors[f"lines.{i}.variant_id"] = _("%(sku)s is not in your assortment.", sku=variant.sku)
        if qty is None:
            errors[f"lines.{i}.qty"] = _("Enter a number.")
        elif qty <= 0:
            errors[f"lines.{i}.qty"] = _("Enter a quantity greater than zero")
        elif qty > MAX_QTY or qty != qty.quantize(Decimal("0.0001")):
            errors[f"lines.{i}.qty"] = _("Enter a quantity up to %(max)s, with at most 4 decimals.", max=MAX_QTY)
        elif variant is not None:
            totals[variant_id] = totals.get(variant_id, Decimal(0)) + qty
            first.setdefault(variant_id, i)
    for i, (variant_id, _raw) in enumerate(lines):
        if f"lines.{i}.qty" not in errors and variant_id in totals and f"lines.{i}.variant_id" not in errors:
            problem = qty_problem(facts[variant_id], totals[variant_id])
            if problem:
                errors[f"lines.{i}.qty"] = problem
    if errors:
        raise ValidationFailed(errors)
    return [CheckedLine(facts[v], q, first[v]) for v, q in totals.items()]


async def prices(
    session: AsyncSession,
    tenant: TenantFacts,
    customer_id: uuid.UUID,
    lines: Sequence[tuple[uuid.UUID, Decimal]],
) -> dict[uuid.UUID, PriceQuote]:
    """Each variant's price for the customer at its quantity, from the pricing engine (never from the input)."""
    ctx = await pricing_context_for(session, tenant, customer_id)
    sheet = await price_variants(session, ctx, [v for v, _q in lines], {v: q for v, q in lines}, tiers=False)
    return dict(sheet.quotes)

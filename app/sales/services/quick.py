"""Quick order: a pasted list of "SKU quantity" lines checked line by line for the buyer's company (unknown SKU,
not for sale, outside the assortment, quantity rules), and its good lines added to the buyer's cart.

The pure rules are app.sales._quick_order's; this loads what they read (the listed SKUs that are for sale, with
the catalogues their products are in and their quantity rules, in one query; and the company's catalogues).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.services import viewer_catalogs
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.pricing.domain import QuantityRule
from app.sales import repo
from app.sales._quick_order import QuickOrderCatalogue, QuickOrderResult, check_quick_order
from app.sales._quick_order_input import TooManyLines, parse_pasted
from app.sales.services._checks import rule_error
from app.sales.services.carts import _customer_of, add_to_cart

MAX_TEXT = 100_000  # characters: far more than MAX_LINES lines of a SKU and a quantity


@dataclass(frozen=True, slots=True)
class QuickOrderAdded:
    """What adding a quick order did: every line's answer, and the SKUs added to the cart or refused there (a
    line whose total with what the cart held breaks its rule: SKU -> the message)."""

    result: QuickOrderResult
    added: tuple[str, ...]
    refused: dict[str, str]


async def _catalogue(
    session: AsyncSession, tenant_id: uuid.UUID, customer_id: uuid.UUID, skus: set[str]
) -> QuickOrderCatalogue:
    rows = await repo.for_sale_by_sku(session, tenant_id, skus) if skus else []
    allowed = await viewer_catalogs(session, customer_id)
    assortment = None
    if allowed is not None:
        assortment = {row["id"] for row in rows if set(row["catalog_ids"]) & allowed}
    rules = {r["id"]: QuantityRule(r["id"], r["min_qty"], r["order_multiple"], r["max_qty"]) for r in rows}
    return QuickOrderCatalogue({row["sku"]: row["id"] for row in rows}, assortment, rules)


async def check_quick_order_text(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, pasted: str
) -> QuickOrderResult:
    """Every pasted line's answer for the user's company (ValidationFailed under `lines` for too many)."""
    customer_id = await _customer_of(session, tenant_id, user_id)
    if len(pasted) > MAX_TEXT:
        pasted = pasted[: MAX_TEXT + 1]  # still refused whole below, by its size
    try:
        inputs = parse_pasted(pasted)
    except TooManyLines as exc:
        raise rule_error(exc) from None
    if not inputs:
        raise ValidationFailed({"lines": _("Paste or type at least one line: a SKU and a quantity.")})
    catalogue = await _catalogue(session, tenant_id, customer_id, {item.sku for item in inputs if item.sku})
    return check_quick_order(inputs, catalogue)


async def add_quick_order(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, pasted: str
) -> QuickOrderAdded:
    """Check the list and add its good lines to the user's cart (refused lines are reported, never added)."""
    result = await check_quick_order_text(session, tenant_id, user_id, pasted)
    added: list[str] = []
    refused: dict[str, str] = {}
    for line in result.orderable:
        try:
            async with session.begin_nested():
                await add_to_cart(session, tenant_id, user_id, line.variant_id, line.qty)
        except ValidationFailed as exc:
            refused[line.sku] = next(iter(exc.errors.values()), "")
        else:
            added.append(line.sku)
    return QuickOrderAdded(result, tuple(added), refused)

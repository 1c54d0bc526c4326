"""Quick order: a pasted list of "SKU quantity" lines, or an uploaded CSV or XLSX file of them, checked line by
line for the buyer's company (unknown SKU, not for sale, outside the assortment, quantity rules), and its good
lines added to the buyer's cart.

The pure rules are app.sales._quick_order's (and the readers _quick_order_input's and _quick_order_files');
this loads what they read (the listed SKUs that are for sale, with the catalogues their products are in and
their quantity rules, in one query; and the company's catalogues) and adds the good lines in one statement.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.pricing.domain import QuantityRule
from app.sales import repo
from app.sales._quick_order import QuickOrderCatalogue, QuickOrderResult, check_quick_order
from app.sales._quick_order_files import BadUpload, read_upload
from app.sales._quick_order_input import MAX_LINES, QuickOrderInput, TooManyLines, parse_pasted
from app.sales.services._checks import assortment, rule_error
from app.sales.services.carts import _customer_of, add_many

MAX_TEXT = 100_000  # characters: far more than MAX_LINES lines of a SKU and a quantity


@dataclass(frozen=True, slots=True)
class QuickOrderUpload:
    """An uploaded file: its name as the browser sent it (to tell CSV from XLSX) and its bytes."""

    filename: str
    content: bytes


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
    allowed = await assortment(session, customer_id)
    in_assortment = None
    if allowed is not None:
        in_assortment = {row["id"] for row in rows if set(row["catalog_ids"]) & allowed}
    rules = {r["id"]: QuantityRule(r["id"], r["min_qty"], r["order_multiple"], r["max_qty"]) for r in rows}
    return QuickOrderCatalogue({row["sku"]: row["id"] for row in rows}, in_assortment, rules)


def _pasted_lines(pasted: str) -> list[QuickOrderInput]:
    """The pasted lines; a text too long to be a quick order is refused whole, by its real line count when it
    has too many lines (10,000 lines cost a count, not a parse: see parse_pasted)."""
    if len(pasted) > MAX_TEXT and pasted.count("\n") <= MAX_LINES:
        pasted = pasted[: MAX_TEXT + 1]  # few but huge lines: refused by its size
    return parse_pasted(pasted)


def _read(source: str | QuickOrderUpload) -> list[QuickOrderInput]:
    """The lines of pasted text or of an uploaded file (ValidationFailed under `lines` or `file`)."""
    try:
        if isinstance(source, QuickOrderUpload):
            inputs = read_upload(source.filename, source.content)
        else:
            inputs = _pasted_lines(source)
    except (TooManyLines, BadUpload) as exc:
        error = rule_error(exc)
        if isinstance(source, QuickOrderUpload):  # said beside the file field, not the box
            raise ValidationFailed({"file": next(iter(error.errors.values()))}) from None
        raise error from None
    if not inputs and isinstance(source, QuickOrderUpload):
        raise ValidationFailed({"file": _("The file holds no lines: a SKU and a quantity per row.")})
    if not inputs:
        raise ValidationFailed({"lines": _("Paste or type at least one line: a SKU and a quantity.")})
    return inputs


async def check_quick_order_text(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, pasted: str | QuickOrderUpload
) -> QuickOrderResult:
    """Every pasted line's (or uploaded row's) answer for the user's company (ValidationFailed under `lines`
    for too many, under `file` for a file that cannot be read)."""
    customer_id = await _customer_of(session, tenant_id, user_id)
    inputs = _read(pasted)
    catalogue = await _catalogue(session, tenant_id, customer_id, {item.sku for item in inputs if item.sku})
    return check_quick_order(inputs, catalogue)


async def add_quick_order(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, pasted: str | QuickOrderUpload
) -> QuickOrderAdded:
    """Check the list and add its good lines to the user's cart (refused lines are reported, never added)."""
    result = await check_quick_order_text(session, tenant_id, user_id, pasted)
    lines = [(line.variant_id, line.qty) for line in result.orderable]
    refused = await add_many(session, tenant_id, user_id, lines) if lines else {}
    added = tuple(line.sku for line in result.orderable if line.variant_id not in refused)
    by_sku = {line.sku: refused[line.variant_id] for line in result.orderable if line.variant_id in refused}
    return QuickOrderAdded(result, added, by_sku)

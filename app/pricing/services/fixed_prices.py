"""Fixed variant prices in bulk, for the CSV imports: what a file is checked against, and setting many prices at once.

A price is keyed by (price list, variant, tier start, valid_from, valid_to) among the list's fixed prices: an
existing one gets the new value when it differs, otherwise a rule is added, in a few set-based statements.
Callers check every price first with check_rule (app.pricing.rule_checks, as the price list screen does),
against the lists and saved prices loaded here; each change is audited through app.audit.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.base import new_id
from app.catalog.models import ProductVariant
from app.pricing.domain import PriceRule, QuantityRule

IMPORTED = "price_rule.imported"  # the audit action of a price set in bulk
_LISTS = text(
    "SELECT id, code, level, currency, customer_id, customer_group_id, rounding, valid_from, valid_to, is_active, "
    "level = 'base' AND currency = :currency AS is_shop_base FROM price_lists "
    "ORDER BY (level = 'base' AND currency = :currency AND is_active) DESC, is_base DESC, created_at"
)
# Every saved variant price of these SKUs: its dates as the engine sees them (clipped to its list's) and its own.
_SAVED = text(
    """
    SELECT v.sku, r.id, l.id, l.code, l.level, l.currency, r.value, r.method, l.customer_id, l.customer_group_id,
           r.variant_id, r.product_id, r.category_id, r.min_qty, coalesce(r.rounding, l.rounding),
           greatest(r.valid_from, l.valid_from), least(r.valid_to, l.valid_to), r.label,
           l.is_active, r.valid_from, r.valid_to
    FROM price_rules r
    JOIN price_lists l ON l.tenant_id = r.tenant_id AND l.id = r.price_list_id
    JOIN product_variants v ON v.tenant_id = r.tenant_id AND v.id = r.variant_id
    WHERE v.sku = ANY (CAST(:skus AS text[]))
    """
)
_EXISTING = text(
    "SELECT id, price_list_id, variant_id, min_qty, valid_from, valid_to, value FROM price_rules "
    "WHERE method = 'fixed' AND variant_id = ANY (CAST(:variants AS uuid[])) "
    "AND price_list_id = ANY (CAST(:lists AS uuid[]))"
)
_UPDATE = text(
    "UPDATE price_rules AS r SET value = u.value FROM unnest(CAST(:ids AS uuid[]), CAST(:values AS numeric[])) "
    "AS u(id, value) WHERE r.id = u.id"
)
_INSERT = text(
    "INSERT INTO price_rules (tenant_id, id, price_list_id, variant_id, min_qty, method, value, valid_from, valid_to) "
    "SELECT :tenant, u.id, u.list, u.variant, u.min_qty, 'fixed', u.value, u.valid_from, u.valid_to FROM unnest("
    "CAST(:ids AS uuid[]), CAST(:lists AS uuid[]), CAST(:variants AS uuid[]), CAST(:min_qty AS numeric[]), "
    "CAST(:values AS numeric[]), CAST(:froms AS date[]), CAST(:tos AS date[])) "
    "AS u(id, list, variant, min_qty, value, valid_from, valid_to)"
)
_BASE_PRICES = text(
    "SELECT variant_id, value FROM price_rules WHERE price_list_id = CAST(:list AS uuid) "
    "AND variant_id = ANY (CAST(:variants AS uuid[])) AND method = 'fixed' AND min_qty = 1 "
    "AND valid_from IS NULL AND valid_to IS NULL"
)


class FixedPrice(NamedTuple):
    """One fixed unit price of a variant (by SKU) in a list, from a tier start, during its dates (None = open)."""

    list_id: uuid.UUID
    sku: str
    min_qty: Decimal
    value: Decimal
    valid_from: date | None
    valid_to: date | None


class SavedPrices(NamedTuple):
    """The saved variant prices of some SKUs, as a file's prices are checked against them."""

    rules: dict[str, list[PriceRule]]  # SKU -> the rules of its active lists (dates clipped to the lists')
    fixed: dict[tuple, uuid.UUID]  # (list id, SKU, min_qty, valid_from, valid_to) of each fixed price -> its id


async def lists_by_code(session: AsyncSession, currency: str) -> tuple[dict[str, PriceRule], frozenset[str]]:
    """Price lists by code as rule templates ("" = the shop's active base list in `currency`), and inactive codes."""
    lists: dict[str, PriceRule] = {}
    inactive: set[str] = set()
    for row in (await session.execute(_LISTS, {"currency": currency})).all():
        template = PriceRule(
            id=None, list_id=row.id, list_code=row.code, level=row.level, currency=row.currency, value=Decimal(0),
            customer_id=row.customer_id, group_id=row.customer_group_id, rounding=row.rounding,
            valid_from=row.valid_from, valid_to=row.valid_to,
        )  # fmt: skip
        lists[row.code] = template
        if row.is_shop_base and row.is_active:
            lists.setdefault("", template)
        if not row.is_active:
            inactive.add(row.code)
    return lists, frozenset(inactive)


async def saved_prices(session: AsyncSession, skus: list[str]) -> SavedPrices:
    """The SKUs' saved rules of active lists (for clash checks), and the exact key of each fixed price."""
    saved = SavedPrices({}, {})
    for row in (await session.execute(_SAVED, {"skus": skus})).all():
        sku, rule, active, own_from, own_to = row[0], PriceRule._make(row[1:18]), row[18], row[19], row[20]
        if active:
            saved.rules.setdefault(sku, []).append(rule)
        if rule.method == "fixed":
            saved.fixed[(rule.list_id, sku, rule.min_qty, own_from, own_to)] = rule.id
    return saved


async def quantity_rules(session: AsyncSession, skus: list[str]) -> dict[str, QuantityRule]:
    """SKU -> its variant's id and ordering rule (a tier may not start below its minimum), for the known SKUs."""
    columns = (ProductVariant.sku, ProductVariant.id, ProductVariant.min_qty, ProductVariant.order_multiple)
    rows = await session.execute(select(*columns, ProductVariant.max_qty).where(ProductVariant.sku.in_(skus)))
    return {r[0]: QuantityRule(r[1], r[2], r[3], r[4]) for r in rows.all()}


async def base_prices(
    session: AsyncSession, list_id: uuid.UUID, variant_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Decimal]:
    """Variant id -> its undated price from one unit in the list (the product CSV's price column)."""
    rows = await session.execute(_BASE_PRICES, {"list": list_id, "variants": variant_ids})
    return {variant: value for variant, value in rows.all()}


async def set_fixed_prices(
    session: AsyncSession, tenant_id: uuid.UUID, prices: list[FixedPrice], actor: Actor
) -> dict[str, int]:
    """Add or change checked prices, each change audited; counts prices_created, prices_updated, prices_unchanged."""
    stmt = select(ProductVariant.sku, ProductVariant.id).where(ProductVariant.sku.in_({p.sku for p in prices}))
    variants: dict[str, uuid.UUID] = {sku: vid for sku, vid in (await session.execute(stmt)).all()}
    found = await session.execute(
        _EXISTING, {"variants": list(set(variants.values())), "lists": list({p.list_id for p in prices})}
    )
    existing = {(r.price_list_id, r.variant_id, r.min_qty, r.valid_from, r.valid_to): (r.id, r.value) for r in found}
    created: list[tuple[uuid.UUID, FixedPrice, uuid.UUID]] = []
    updated: list[tuple[uuid.UUID, Decimal]] = []
    changes: list[tuple[uuid.UUID, dict]] = []
    for price in prices:
        variant = variants[price.sku]
        saved = existing.get((price.list_id, variant, price.min_qty, price.valid_from, price.valid_to))
        if saved is None:
            created.append((new_id(), price, variant))
            changes.append((created[-1][0], {"value": [None, str(price.value)]}))
        elif saved[1] != price.value:
            updated.append((saved[0], price.value))
            changes.append((saved[0], {"value": [str(saved[1]), str(price.value)]}))
    if updated:
        await session.execute(_UPDATE, {"ids": [u[0] for u in updated], "values": [u[1] for u in updated]})
    if created:
        await session.execute(_INSERT, _insert_params(tenant_id, created))
    await audit.record_many(session, tenant_id, actor, IMPORTED, "price_rule", changes)
    return {
        "prices_created": len(created),
        "prices_updated": len(updated),
        "prices_unchanged": len(prices) - len(created) - len(updated),
    }


def _insert_params(tenant_id: uuid.UUID, created: list[tuple[uuid.UUID, FixedPrice, uuid.UUID]]) -> dict:
    """The new prices as the column arrays _INSERT unnests."""
    return {
        "tenant": tenant_id,
        "ids": [rule_id for rule_id, _price, _variant in created],
        "lists": [price.list_id for _id, price, _variant in created],
        "variants": [variant for _id, _price, variant in created],
        "min_qty": [price.min_qty for _id, price, _variant in created],
        "values": [price.value for _id, price, _variant in created],
        "froms": [price.valid_from for _id, price, _variant in created],
        "tos": [price.valid_to for _id, price, _variant in created],
    }

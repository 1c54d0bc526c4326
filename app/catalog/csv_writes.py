"""Set many fixed variant prices at once (the CSV imports' price writer), in a few set-based statements.

A price is keyed by (price list, variant, tier start, valid_from, valid_to) among the list's fixed prices:
an existing one gets the new value when it differs, otherwise a rule is added. Callers have checked every
price with the engine's validate_rule first (app.catalog.csv_prices). Each change is audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit.models import AuditEntry
from app.base import new_id
from app.catalog.models import ProductVariant

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


@dataclass(frozen=True)
class PriceWrite:
    list_id: uuid.UUID
    sku: str
    min_qty: Decimal
    value: Decimal
    valid_from: date | None
    valid_to: date | None


async def write_prices(
    session: AsyncSession, tenant_id: uuid.UUID, prices: list[PriceWrite], actor: Actor
) -> dict[str, int]:
    """Add or change the prices; counts prices_created, prices_updated, prices_unchanged."""
    skus = {p.sku for p in prices}
    stmt = select(ProductVariant.sku, ProductVariant.id).where(ProductVariant.sku.in_(skus))
    variants: dict[str, uuid.UUID] = {sku: vid for sku, vid in (await session.execute(stmt)).all()}
    found = await session.execute(
        _EXISTING, {"variants": list(set(variants.values())), "lists": list({p.list_id for p in prices})}
    )
    existing = {(r.price_list_id, r.variant_id, r.min_qty, r.valid_from, r.valid_to): (r.id, r.value) for r in found}
    created, updated, audits = [], [], []
    for price in prices:
        variant = variants[price.sku]
        saved = existing.get((price.list_id, variant, price.min_qty, price.valid_from, price.valid_to))
        if saved is None:
            rule_id = new_id()
            created.append((rule_id, price, variant))
            audits.append(_audit(tenant_id, actor, rule_id, None, price.value))
        elif saved[1] != price.value:
            updated.append((saved[0], price.value))
            audits.append(_audit(tenant_id, actor, saved[0], saved[1], price.value))
    if updated:
        await session.execute(_UPDATE, {"ids": [u[0] for u in updated], "values": [u[1] for u in updated]})
    if created:
        await session.execute(
            _INSERT,
            {
                "tenant": tenant_id,
                "ids": [c[0] for c in created],
                "lists": [c[1].list_id for c in created],
                "variants": [c[2] for c in created],
                "min_qty": [c[1].min_qty for c in created],
                "values": [c[1].value for c in created],
                "froms": [c[1].valid_from for c in created],
                "tos": [c[1].valid_to for c in created],
            },
        )
    if audits:
        await session.execute(insert(AuditEntry), audits)
    return {
        "prices_created": len(created),
        "prices_updated": len(updated),
        "prices_unchanged": len(prices) - len(created) - len(updated),
    }


def _audit(tenant_id: uuid.UUID, actor: Actor, rule_id: uuid.UUID, old: Decimal | None, new: Decimal) -> dict:
    return dict(
        tenant_id=tenant_id,
        id=new_id(),
        actor_kind=actor.kind,
        actor_id=actor.id,
        actor_label=actor.label,
        action="price_rule.imported",
        entity_type="price_rule",
        entity_id=rule_id,
        changes={"value": [None if old is None else str(old), str(new)]},
        ip=actor.ip,
        request_id=actor.request_id,
    )

"""Related, substitute and accessory products, and kit components (a kit never contains itself)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.catalog import domain, repo
from app.catalog.models import KitComponent, Product, ProductRelation, ProductVariant
from app.errors import ValidationFailed
from app.i18n import gettext as _


@dataclass(frozen=True)
class Component:
    variant_id: uuid.UUID
    qty: Decimal


async def set_relations(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    product_id: uuid.UUID,
    kind: str,
    related_ids: Sequence[uuid.UUID],
    actor: Actor,
) -> list[uuid.UUID]:
    """Replace the product's related (or substitute, or accessory) products, in this order."""
    product = await repo.get(session, Product, product_id, for_update=True)
    if kind not in domain.RELATION_KINDS:
        raise ValidationFailed({"kind": _("Unknown kind of relation.")})
    wanted = list(dict.fromkeys(related_ids))
    found = set(await session.scalars(select(Product.id).where(Product.id.in_(wanted))))
    errors = {
        f"related.{n}": _("Choose another existing product.")
        for n, rid in enumerate(wanted)
        if rid not in found or rid == product.id
    }
    if errors:
        raise ValidationFailed(errors)
    before = list(
        await session.scalars(
            select(ProductRelation.related_id)
            .where(ProductRelation.product_id == product.id, ProductRelation.kind == kind)
            .order_by(ProductRelation.position)
        )
    )
    await session.execute(
        delete(ProductRelation).where(ProductRelation.product_id == product.id, ProductRelation.kind == kind)
    )
    session.add_all(
        ProductRelation(tenant_id=tenant_id, product_id=product.id, kind=kind, related_id=rid, position=n)
        for n, rid in enumerate(wanted)
    )
    await session.flush()
    if before != wanted:
        await audit.record(
            session,
            tenant_id,
            actor,
            f"product.{kind}_set",
            "product",
            product.id,
            {kind: [[str(i) for i in before], [str(i) for i in wanted]]},
        )
    return wanted


async def related_products(session: AsyncSession, product_id: uuid.UUID, kind: str) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(ProductRelation.related_id)
        .where(ProductRelation.product_id == product_id, ProductRelation.kind == kind)
        .order_by(ProductRelation.position)
    )
    return list(rows)


async def set_kit_components(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    kit_variant_id: uuid.UUID,
    components: Sequence[Component],
    actor: Actor,
) -> list[KitComponent]:
    """Replace what one kit variant is made of; the kit's product must be marked as a kit."""
    kit = await repo.get(session, ProductVariant, kit_variant_id, for_update=True)
    product = await repo.get(session, Product, kit.product_id)
    if not product.is_kit:
        raise ValidationFailed({"components": _("Mark the product as a kit first.")})
    ids = [c.variant_id for c in components]
    found = set(await session.scalars(select(ProductVariant.id).where(ProductVariant.id.in_(ids))))
    errors: dict[str, str] = {}
    for n, c in enumerate(components):
        if c.variant_id == kit.id:
            errors[f"components.{n}.variant_id"] = _("A kit cannot contain itself.")
        elif c.variant_id not in found:
            errors[f"components.{n}.variant_id"] = _("Choose an existing variant.")
        elif ids.count(c.variant_id) > 1:
            errors[f"components.{n}.variant_id"] = _("This component is listed twice.")
        if not c.qty.is_finite() or c.qty <= 0:
            errors[f"components.{n}.qty"] = _("Enter a quantity of more than zero.")
    if not errors:
        edges: dict[uuid.UUID, list[uuid.UUID]] = {}
        for k, comp in (
            await session.execute(select(KitComponent.kit_variant_id, KitComponent.component_variant_id))
        ).all():
            if k != kit.id:
                edges.setdefault(k, []).append(comp)
        if domain.kit_cycle(kit.id, ids, edges):
            errors["components"] = _("A component contains this kit: kits cannot contain each other in a loop.")
    if errors:
        raise ValidationFailed(errors)
    before = {
        str(r.component_variant_id): str(r.qty)
        for r in await session.scalars(select(KitComponent).where(KitComponent.kit_variant_id == kit.id))
    }
    await session.execute(delete(KitComponent).where(KitComponent.kit_variant_id == kit.id))
    rows = [
        KitComponent(tenant_id=tenant_id, kit_variant_id=kit.id, component_variant_id=c.variant_id, qty=c.qty)
        for c in components
    ]
    session.add_all(rows)
    await session.flush()
    after = {str(c.variant_id): str(c.qty) for c in components}
    if before != after:
        await audit.record(
            session, tenant_id, actor, "product.kit_set", "product", product.id, {"components": [before, after]}
        )
    return rows

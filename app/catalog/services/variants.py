"""Variants of a product: add them, generate them from attribute combinations, change them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.catalog import domain, repo
from app.catalog.models import Attribute, AttributeValue, Product, ProductUom, ProductVariant, VariantAttributeValue
from app.errors import ValidationFailed
from app.i18n import gettext as _

_AUDITED = ("sku", "gtin", "status", "min_qty", "order_multiple", "max_qty", "cost", "weight_kg")


@dataclass(frozen=True)
class VariantInput:
    """A sellable article; `attributes` maps attribute codes to value codes ({'colour': 'black'})."""

    sku: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    gtin: str | None = None
    status: str = "active"
    min_qty: Decimal = Decimal(1)
    order_multiple: Decimal = Decimal(1)  # the pack: order 6, 12, 18...
    max_qty: Decimal | None = None
    cost: Decimal | None = None
    weight_kg: Decimal | None = None
    position: int | None = None


ValueIndex = dict[tuple[str, str], tuple[uuid.UUID, uuid.UUID]]


async def value_index(session: AsyncSession) -> ValueIndex:
    """(attribute code, value code) -> (attribute id, value id) for the whole tenant (a small table)."""
    stmt = select(Attribute.code, AttributeValue.code, Attribute.id, AttributeValue.id).join(
        Attribute, (Attribute.tenant_id == AttributeValue.tenant_id) & (Attribute.id == AttributeValue.attribute_id)
    )
    return {(a, v): (aid, vid) for a, v, aid, vid in (await session.execute(stmt)).all()}


def check_variant(data: VariantInput, key: str, index: ValueIndex, errors: dict[str, str]) -> VariantInput:
    """Normalise one variant and collect its problems under `key.<field>`."""
    sku = domain.normalise_sku(data.sku)
    if not domain.valid_sku(sku):
        errors[f"{key}.sku"] = _("Enter a SKU of up to 64 letters, digits or . _ / - characters.")
    gtin = (data.gtin or "").strip() or None
    if gtin and not domain.gtin_valid(gtin):
        errors[f"{key}.gtin"] = _("Enter a valid EAN/GTIN (8, 12, 13 or 14 digits with its check digit).")
    if data.status not in domain.VARIANT_STATUSES:
        errors[f"{key}.status"] = _("Unknown status.")
    if data.min_qty <= 0:
        errors[f"{key}.min_qty"] = _("The minimum quantity must be more than zero.")
    if data.order_multiple <= 0:
        errors[f"{key}.order_multiple"] = _("The pack size must be more than zero.")
    if data.max_qty is not None and data.max_qty < data.min_qty:
        errors[f"{key}.max_qty"] = _("The maximum cannot be below the minimum.")
    for measure in ("cost", "weight_kg"):
        value = getattr(data, measure)
        if value is not None and value < 0:
            errors[f"{key}.{measure}"] = _("Enter a number of zero or more.")
    for attribute, value in data.attributes.items():
        if (attribute, value) not in index:
            errors[f"{key}.attributes.{attribute}"] = _("Unknown attribute value “%(value)s”.", value=value)
    return replace(data, sku=sku, gtin=gtin)


async def check_codes_free(
    session: AsyncSession, variants: Sequence[VariantInput], errors: dict[str, str], *, exclude_ids: Sequence = ()
) -> None:
    """SKUs and GTINs must be new to the tenant (and to this batch)."""
    skus = [v.sku for v in variants]
    gtins = [v.gtin for v in variants if v.gtin]
    taken_skus = set(
        await session.scalars(
            select(ProductVariant.sku).where(ProductVariant.sku.in_(skus), ProductVariant.id.not_in(exclude_ids))
        )
    )
    taken_gtins = set(
        await session.scalars(
            select(ProductVariant.gtin).where(ProductVariant.gtin.in_(gtins), ProductVariant.id.not_in(exclude_ids))
        )
    ) | set(await session.scalars(select(ProductUom.barcode).where(ProductUom.barcode.in_(gtins))))
    for i, v in enumerate(variants):
        if v.sku in taken_skus or skus.count(v.sku) > 1:
            errors[f"variants.{i}.sku"] = _("SKU %(sku)s is already used.", sku=v.sku)
        if v.gtin and (v.gtin in taken_gtins or gtins.count(v.gtin) > 1):
            errors[f"variants.{i}.gtin"] = _("This barcode is already used.")


async def insert_variants(
    session: AsyncSession, tenant_id: uuid.UUID, product: Product, variants: Sequence[VariantInput], actor: Actor
) -> list[ProductVariant]:
    """Check and add variants to `product` (its document is refreshed by the caller)."""
    index = await value_index(session)
    errors: dict[str, str] = {}
    checked = [check_variant(v, f"variants.{i}", index, errors) for i, v in enumerate(variants)]
    existing = await _combinations(session, product.id)
    combos = existing + [dict(v.attributes) for v in checked]
    if domain.duplicate_combinations(c for c in combos if c):
        errors["variants"] = _("Two variants of a product cannot have the same attribute values.")
    if not errors:
        await check_codes_free(session, checked, errors)
    if errors:
        raise ValidationFailed(errors)
    position = len(existing)
    rows = []
    for v in checked:
        row = ProductVariant(
            tenant_id=tenant_id,
            product_id=product.id,
            sku=v.sku,
            gtin=v.gtin,
            status=v.status,
            position=v.position if v.position is not None else position,
            min_qty=v.min_qty,
            order_multiple=v.order_multiple,
            max_qty=v.max_qty,
            cost=v.cost,
            weight_kg=v.weight_kg,
        )
        position += 1
        rows.append(row)
    session.add_all(rows)
    await session.flush()
    for row, v in zip(rows, checked, strict=True):
        for attribute, value in v.attributes.items():
            attribute_id, value_id = index[(attribute, value)]
            session.add(
                VariantAttributeValue(
                    tenant_id=tenant_id, variant_id=row.id, attribute_id=attribute_id, value_id=value_id
                )
            )
        await audit.record(
            session, tenant_id, actor, "variant.created", "product", product.id, {"sku": [None, row.sku]}
        )
    await session.flush()
    return rows


async def _combinations(session: AsyncSession, product_id: uuid.UUID) -> list[dict[str, str]]:
    """The attribute values (codes) of each existing variant of a product."""
    return list((await _combinations_by_variant(session, product_id)).values())


async def add_variants(
    session: AsyncSession, tenant_id: uuid.UUID, product_id: uuid.UUID, variants: Sequence[VariantInput], actor: Actor
) -> list[ProductVariant]:
    product = await repo.get(session, Product, product_id, for_update=True)
    rows = await insert_variants(session, tenant_id, product, variants, actor)
    await repo.refresh_search(session, [product.id])
    return rows


async def generate_variants(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    product_id: uuid.UUID,
    base_sku: str,
    axes: Sequence[tuple[str, Sequence[str]]],
    actor: Actor,
    *,
    template: VariantInput | None = None,
) -> list[ProductVariant]:
    """Add a variant for every combination of the axes' values the product lacks (SKU: BASE-VALUE-...).

    `template` carries the quantity rules, cost and weight the new variants start with.
    """
    product = await repo.get(session, Product, product_id, for_update=True)
    combinations = domain.variant_combinations(axes)
    existing = {tuple(sorted(c.items())) for c in await _combinations(session, product.id)}
    base = template or VariantInput(sku="")
    wanted = [
        replace(base, sku=domain.variant_sku(base_sku, combo), attributes=combo)
        for combo in combinations
        if tuple(sorted(combo.items())) not in existing
    ]
    rows = await insert_variants(session, tenant_id, product, wanted, actor) if wanted else []
    await repo.refresh_search(session, [product.id])
    return rows


async def update_variant(
    session: AsyncSession, tenant_id: uuid.UUID, variant_id: uuid.UUID, data: VariantInput, actor: Actor
) -> ProductVariant:
    """Change a variant's codes, attribute values, quantity rules, cost, weight or status."""
    variant = await repo.get(session, ProductVariant, variant_id, for_update=True)
    index = await value_index(session)
    errors: dict[str, str] = {}
    checked = check_variant(data, "variants.0", index, errors)
    others = [
        c for vid, c in (await _combinations_by_variant(session, variant.product_id)).items() if vid != variant.id
    ]
    if checked.attributes and domain.duplicate_combinations([*others, dict(checked.attributes)]):
        errors["variants.0.attributes"] = _("Another variant already has these attribute values.")
    if not errors:
        await check_codes_free(session, [checked], errors, exclude_ids=[variant.id])
    if errors:
        raise ValidationFailed({k.replace("variants.0.", ""): v for k, v in errors.items()})
    before = {f: getattr(variant, f) for f in _AUDITED}
    for name in _AUDITED:
        setattr(variant, name, getattr(checked, name))
    if checked.position is not None:
        variant.position = checked.position
    await session.execute(delete(VariantAttributeValue).where(VariantAttributeValue.variant_id == variant.id))
    for attribute, value in checked.attributes.items():
        attribute_id, value_id = index[(attribute, value)]
        session.add(
            VariantAttributeValue(
                tenant_id=tenant_id, variant_id=variant.id, attribute_id=attribute_id, value_id=value_id
            )
        )
    await session.flush()
    changes = audit.diff(before, {f: getattr(variant, f) for f in _AUDITED})
    if changes:
        await audit.record(session, tenant_id, actor, "variant.updated", "product", variant.product_id, changes)
    await repo.refresh_search(session, [variant.product_id])
    return variant


async def _combinations_by_variant(session: AsyncSession, product_id: uuid.UUID) -> dict[uuid.UUID, dict[str, str]]:
    stmt = (
        select(VariantAttributeValue.variant_id, Attribute.code, AttributeValue.code)
        .join(ProductVariant, ProductVariant.id == VariantAttributeValue.variant_id)
        .join(Attribute, Attribute.id == VariantAttributeValue.attribute_id)
        .join(AttributeValue, AttributeValue.id == VariantAttributeValue.value_id)
        .where(ProductVariant.product_id == product_id)
    )
    by_variant: dict[uuid.UUID, dict[str, str]] = {}
    for variant_id, attribute, value in (await session.execute(stmt)).all():
        by_variant.setdefault(variant_id, {})[attribute] = value
    return by_variant

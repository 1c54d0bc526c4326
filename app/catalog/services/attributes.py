"""Attributes (size, colour, material) and their values; renaming a value refreshes the products using it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.catalog import domain, repo
from app.catalog.models import Attribute, AttributeValue
from app.catalog.services._support import check_code, ensure_unique
from app.errors import ValidationFailed
from app.i18n import gettext as _

_AUDITED = ("code", "name", "position")


@dataclass(frozen=True)
class AttributeInput:
    code: str
    name: Mapping[str, str]
    position: int = 0
    is_facet: bool = True


@dataclass(frozen=True)
class ValueInput:
    code: str
    name: Mapping[str, str]
    position: int = 0


async def create_attribute(
    session: AsyncSession, tenant_id: uuid.UUID, data: AttributeInput, actor: Actor
) -> Attribute:
    code = check_code(data.code)
    name = domain.clean_translations(data.name, "name", max_len=100)
    await ensure_unique(session, Attribute, Attribute.code, code, "code")
    attribute = Attribute(tenant_id=tenant_id, code=code, name=name, position=data.position, is_facet=data.is_facet)
    session.add(attribute)
    await session.flush()
    await audit.record(
        session, tenant_id, actor, "attribute.created", "attribute", attribute.id, {"code": [None, code]}
    )
    return attribute


async def update_attribute(
    session: AsyncSession, tenant_id: uuid.UUID, attribute_id: uuid.UUID, data: AttributeInput, actor: Actor
) -> Attribute:
    """Rename, reorder or hide from the facets; the code is permanent (imports refer to it)."""
    attribute = await repo.get(session, Attribute, attribute_id, for_update=True)
    before = audit.snapshot(attribute, (*_AUDITED, "is_facet"))
    attribute.name = domain.clean_translations(data.name, "name", max_len=100)
    attribute.position, attribute.is_facet = data.position, data.is_facet
    changes = audit.diff(before, audit.snapshot(attribute, (*_AUDITED, "is_facet")))
    if changes:
        await audit.record(session, tenant_id, actor, "attribute.updated", "attribute", attribute.id, changes)
    return attribute


async def add_attribute_value(
    session: AsyncSession, tenant_id: uuid.UUID, attribute_id: uuid.UUID, data: ValueInput, actor: Actor
) -> AttributeValue:
    attribute = await repo.get(session, Attribute, attribute_id)
    code = check_code(data.code)
    name = domain.clean_translations(data.name, "name", max_len=100)
    taken = await session.scalar(
        select(AttributeValue.id).where(AttributeValue.attribute_id == attribute.id, AttributeValue.code == code)
    )
    if taken:
        raise ValidationFailed({"code": _("“%(value)s” is already used.", value=code)})
    value = AttributeValue(tenant_id=tenant_id, attribute_id=attribute.id, code=code, name=name, position=data.position)
    session.add(value)
    await session.flush()
    await audit.record(
        session, tenant_id, actor, "attribute.value_added", "attribute", attribute.id, {"value": [None, code]}
    )
    return value


async def update_attribute_value(
    session: AsyncSession, tenant_id: uuid.UUID, value_id: uuid.UUID, data: ValueInput, actor: Actor
) -> AttributeValue:
    value = await repo.get(session, AttributeValue, value_id, for_update=True)
    before = audit.snapshot(value, _AUDITED)
    value.name = domain.clean_translations(data.name, "name", max_len=100)
    value.position = data.position
    changes = audit.diff(before, audit.snapshot(value, _AUDITED))
    if changes:
        await audit.record(
            session, tenant_id, actor, "attribute.value_updated", "attribute", value.attribute_id, {value.code: changes}
        )
        await repo.refresh_search(session, await repo.products_with_values(session, [value.id]))
    return value


async def attributes_with_values(session: AsyncSession) -> list[tuple[Attribute, list[AttributeValue]]]:
    """Every attribute with its values, both in display order (for forms and the import)."""
    attributes = list(await session.scalars(select(Attribute).order_by(Attribute.position, Attribute.code)))
    values = list(await session.scalars(select(AttributeValue).order_by(AttributeValue.position, AttributeValue.code)))
    by_attribute: dict[uuid.UUID, list[AttributeValue]] = {}
    for v in values:
        by_attribute.setdefault(v.attribute_id, []).append(v)
    return [(a, by_attribute.get(a.id, [])) for a in attributes]

"""Bulk actions on the product list: each product goes through the same service as a single change."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.catalog import queries, repo
from app.catalog.models import Catalog, Category, Product
from app.catalog.services import change_product_status, set_catalog_contents, update_product
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from backoffice.catalog._forms import input_from

ACTIONS = ("activate", "discontinue", "set_category", "add_to_catalog")


@dataclass
class BulkResult:
    done: int = 0
    refused: list[tuple[uuid.UUID, str]] = field(default_factory=list)


async def run_bulk(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    actor: Actor,
    action: str,
    product_ids: Sequence[uuid.UUID],
    *,
    category_id: uuid.UUID | None = None,
    catalog_id: uuid.UUID | None = None,
) -> BulkResult:
    """Apply one action to the chosen products; a product the rules refuse is reported, the others change."""
    if not product_ids:
        raise ValidationFailed({"ids": _("Choose at least one product.")})
    if action not in ACTIONS:
        raise ValidationFailed({"action": _("Choose an action.")})
    if action == "add_to_catalog":
        return await _add_to_catalog(session, tenant_id, actor, product_ids, catalog_id)
    if action == "set_category":
        try:
            await repo.get(session, Category, category_id)
        except NotFound:
            raise ValidationFailed({"category_id": _("Choose an existing category.")}) from None
    result = BulkResult()
    for product_id in dict.fromkeys(product_ids):
        try:
            if action == "set_category":
                product = await repo.get(session, Product, product_id)
                await update_product(
                    session, tenant_id, product_id, input_from(product, category_id=category_id), actor
                )
            else:
                status = "active" if action == "activate" else "discontinued"
                await change_product_status(session, tenant_id, product_id, status, actor)
            result.done += 1
        except NotFound:
            continue  # not this tenant's: as if it had not been sent
        except ValidationFailed as exc:
            result.refused.append((product_id, "; ".join(exc.errors.values())))
    return result


async def _add_to_catalog(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    actor: Actor,
    product_ids: Sequence[uuid.UUID],
    catalog_id: uuid.UUID | None,
) -> BulkResult:
    try:
        catalog = await repo.get(session, Catalog, catalog_id)
    except NotFound:
        raise ValidationFailed({"catalog_id": _("Choose an existing catalogue.")}) from None
    products, categories = await queries.catalog_contents(session, catalog.id)
    known = {i for i, _name in await queries.products_named(session, list(product_ids))}
    added = [p for p in dict.fromkeys(product_ids) if p in known and p not in products]
    if added:
        await set_catalog_contents(
            session, tenant_id, catalog.id, actor, product_ids=[*products, *added], category_ids=categories
        )
    return BulkResult(done=len(added))

"""Customer groups and B2B catalogues: what each catalogue holds and who it is assigned to.

The assortment rule: a customer sees the union of the catalogues assigned to them and to their group;
a customer with none (and an anonymous visitor) sees every active product.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.catalog import domain, repo
from app.catalog.models import (
    Catalog,
    CatalogAssignment,
    CatalogCategory,
    CatalogProduct,
    Category,
    Product,
)
from app.catalog.services._support import ensure_unique
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.parties import Customer, CustomerGroup


def _code_and_name(code: str, name: str) -> tuple[str, str]:
    errors: dict[str, str] = {}
    code, name = code.strip().upper(), " ".join(name.split())
    if not code or len(code) > 40:
        errors["code"] = _("Enter a code of up to 40 characters.")
    if not name or len(name) > 200:
        errors["name"] = _("Enter a name of up to 200 characters.")
    if errors:
        raise ValidationFailed(errors)
    return code, name


async def create_catalog(session: AsyncSession, tenant_id: uuid.UUID, code: str, name: str, actor: Actor) -> Catalog:
    code, name = _code_and_name(code, name)
    await ensure_unique(session, Catalog, Catalog.code, code, "code")
    catalog = Catalog(tenant_id=tenant_id, code=code, name=name)
    session.add(catalog)
    await session.flush()
    await audit.record(session, tenant_id, actor, "catalog.created", "catalog", catalog.id, {"code": [None, code]})
    return catalog


async def rename_catalog(
    session: AsyncSession, tenant_id: uuid.UUID, catalog_id: uuid.UUID, name: str, actor: Actor
) -> Catalog:
    catalog = await repo.get(session, Catalog, catalog_id, for_update=True)
    _code, name = _code_and_name(catalog.code, name)
    if name != catalog.name:
        await audit.record(
            session, tenant_id, actor, "catalog.updated", "catalog", catalog.id, {"name": [catalog.name, name]}
        )
        catalog.name = name
    return catalog


async def set_catalog_contents(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    catalog_id: uuid.UUID,
    actor: Actor,
    *,
    product_ids: Sequence[uuid.UUID] = (),
    category_ids: Sequence[uuid.UUID] = (),
) -> Catalog:
    """Replace what the catalogue holds: single products and whole category subtrees (new products included)."""
    catalog = await repo.get(session, Catalog, catalog_id, for_update=True)
    products, categories = list(dict.fromkeys(product_ids)), list(dict.fromkeys(category_ids))
    found_products = set(await session.scalars(select(Product.id).where(Product.id.in_(products))))
    found_categories = set(await session.scalars(select(Category.id).where(Category.id.in_(categories))))
    errors = {
        f"product_ids.{n}": _("Choose an existing product.") for n, p in enumerate(products) if p not in found_products
    }
    errors |= {
        f"category_ids.{n}": _("Choose an existing category.")
        for n, c in enumerate(categories)
        if c not in found_categories
    }
    if errors:
        raise ValidationFailed(errors)
    affected = set(await repo.products_in_catalog(session, catalog.id))
    await session.execute(delete(CatalogProduct).where(CatalogProduct.catalog_id == catalog.id))
    await session.execute(delete(CatalogCategory).where(CatalogCategory.catalog_id == catalog.id))
    session.add_all(CatalogProduct(tenant_id=tenant_id, catalog_id=catalog.id, product_id=p) for p in products)
    session.add_all(CatalogCategory(tenant_id=tenant_id, catalog_id=catalog.id, category_id=c) for c in categories)
    await session.flush()
    affected |= set(await repo.products_in_catalog(session, catalog.id))
    await repo.refresh_search(session, affected)
    await audit.record(
        session,
        tenant_id,
        actor,
        "catalog.contents_set",
        "catalog",
        catalog.id,
        {"products": [None, len(products)], "categories": [None, [str(c) for c in categories]]},
    )
    return catalog


async def delete_catalog(session: AsyncSession, tenant_id: uuid.UUID, catalog_id: uuid.UUID, actor: Actor) -> None:
    catalog = await repo.get(session, Catalog, catalog_id, for_update=True)
    affected = await repo.products_in_catalog(session, catalog.id)
    await session.delete(catalog)
    await session.flush()
    await repo.refresh_search(session, affected)
    await audit.record(
        session, tenant_id, actor, "catalog.deleted", "catalog", catalog_id, {"code": [catalog.code, None]}
    )


async def assign_catalog(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    catalog_id: uuid.UUID,
    actor: Actor,
    *,
    customer_group_id: uuid.UUID | None = None,
    customer_id: uuid.UUID | None = None,
) -> CatalogAssignment:
    """Give a catalogue to a customer group or to one customer (idempotent)."""
    catalog = await repo.get(session, Catalog, catalog_id)
    if (customer_group_id is None) == (customer_id is None):
        raise ValidationFailed({"target": _("Choose a customer group or a customer.")})
    target_model, target_id = (CustomerGroup, customer_group_id) if customer_group_id else (Customer, customer_id)
    try:
        await repo.get(session, target_model, target_id)
    except NotFound:
        raise ValidationFailed({"target": _("Choose an existing customer group or customer.")}) from None
    existing = await session.scalar(
        select(CatalogAssignment).where(
            CatalogAssignment.catalog_id == catalog.id,
            CatalogAssignment.customer_group_id == customer_group_id
            if customer_group_id
            else CatalogAssignment.customer_id == customer_id,
        )
    )
    if existing:
        return existing
    assignment = CatalogAssignment(
        tenant_id=tenant_id, catalog_id=catalog.id, customer_group_id=customer_group_id, customer_id=customer_id
    )
    session.add(assignment)
    await session.flush()
    target = (
        {"customer_group_id": [None, str(customer_group_id)]}
        if customer_group_id
        else {"customer_id": [None, str(customer_id)]}
    )
    await audit.record(session, tenant_id, actor, "catalog.assigned", "catalog", catalog.id, target)
    return assignment


async def unassign_catalog(session: AsyncSession, tenant_id: uuid.UUID, assignment_id: uuid.UUID, actor: Actor) -> None:
    assignment = await repo.get(session, CatalogAssignment, assignment_id, for_update=True)
    await session.delete(assignment)
    await session.flush()
    target = assignment.customer_group_id or assignment.customer_id
    await audit.record(
        session,
        tenant_id,
        actor,
        "catalog.unassigned",
        "catalog",
        assignment.catalog_id,
        {"target": [str(target), None]},
    )


async def viewer_catalogs(session: AsyncSession, customer_id: uuid.UUID | None) -> frozenset[uuid.UUID] | None:
    """The catalogues limiting what a customer sees, or None for everything (see the module's rule).

    Cheap, but a page may keep it for the request (or the session) and pass it to search.browse.
    """
    if customer_id is None:
        return None
    rows = await session.scalars(_VIEWER_CATALOGS, {"customer": customer_id})
    return domain.assortment(rows)


# plain SQL: this runs on every storefront page of a signed-in customer
_VIEWER_CATALOGS = text(
    "SELECT a.catalog_id FROM catalog_assignments a WHERE a.customer_id = :customer "
    "OR a.customer_group_id = (SELECT c.group_id FROM customers c WHERE c.id = :customer)"
)

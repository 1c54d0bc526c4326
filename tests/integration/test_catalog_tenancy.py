"""Tenant isolation and B2B assortments: who may see and address which products."""

from __future__ import annotations

import pytest

from app import parties
from app.actor import SYSTEM
from app.catalog import services as catalog
from app.catalog.demo import seed_demo_catalog
from app.catalog.search import CatalogQuery, browse, find_visible_product
from app.catalog.services import CategoryInput, ProductInput
from app.errors import NotFound, ValidationFailed
from app.parties import NewCustomer, create_customer


@pytest.fixture
async def demo(db, tenant_a):
    async with db.transaction(tenant_a.id) as s:
        return await seed_demo_catalog(s, tenant_a.id, SYSTEM)


async def test_another_tenant_cannot_read_or_address_products_categories_or_catalogs(db, tenant_a, tenant_b, demo):
    async with db.transaction(tenant_a.id) as s:
        catalogue = await catalog.create_catalog(s, tenant_a.id, "VIP", "Clientes VIP", SYSTEM)
    kappa, chairs = demo.products["kappa"], demo.categories["sillas"]
    calls = [
        lambda s: catalog.get_product(s, kappa),
        lambda s: catalog.update_product(s, tenant_b.id, kappa, ProductInput(name={"es": "Robada"}), SYSTEM),
        lambda s: catalog.change_product_status(s, tenant_b.id, kappa, "discontinued", SYSTEM),
        lambda s: catalog.set_relations(s, tenant_b.id, kappa, "related", [], SYSTEM),
        lambda s: catalog.update_category(s, tenant_b.id, chairs, CategoryInput({"es": "Robada"}), SYSTEM),
        lambda s: catalog.delete_category(s, tenant_b.id, chairs, SYSTEM),
        lambda s: catalog.set_catalog_contents(s, tenant_b.id, catalogue.id, SYSTEM),
        lambda s: catalog.rename_catalog(s, tenant_b.id, catalogue.id, "Robado", SYSTEM),
        lambda s: catalog.update_brand(s, tenant_b.id, demo.brands["Actiu"], "Robada", SYSTEM),
        lambda s: find_visible_product(s, "silla-ergonomica-kappa", catalog_ids=None),
    ]
    for call in calls:
        async with db.transaction(tenant_b.id) as s:
            with pytest.raises(NotFound):
                await call(s)
    async with db.transaction(tenant_b.id) as s:
        with pytest.raises(ValidationFailed) as foreign_ref:
            await catalog.create_product(s, tenant_b.id, ProductInput(name={"es": "X"}, category_id=chairs), SYSTEM)
        assert set(foreign_ref.value.errors) == {"category_id"}
        page = await browse(s, CatalogQuery(text="silla"))
        assert page.items == [] and page.total == 0
        everything = await browse(s, CatalogQuery())
        assert everything.total == 0 and everything.facets.categories == []


async def test_the_same_sku_and_slug_may_exist_in_two_tenants(db, tenant_a, tenant_b):
    for tenant in (tenant_a, tenant_b):
        async with db.transaction(tenant.id) as s:
            product = await catalog.create_product(
                s, tenant.id, ProductInput(name={"es": "Silla"}), SYSTEM, variants=[catalog.VariantInput(sku="SIL-1")]
            )
            assert product.slug == "silla"


async def test_customers_see_only_their_catalogues_and_everyone_else_sees_all(db, tenant_a, demo):
    async with db.transaction(tenant_a.id) as s:
        retail = await create_customer(s, tenant_a.id, NewCustomer(code="C1", name="Oficinas Sol"), SYSTEM)
        schools = await create_customer(s, tenant_a.id, NewCustomer(code="C2", name="Colegio Norte"), SYSTEM)
        free = await create_customer(s, tenant_a.id, NewCustomer(code="C3", name="Libre S.A."), SYSTEM)
        group = await parties.create_customer_group(s, tenant_a.id, "edu", "Educación", SYSTEM)
        await parties.set_customer_group(s, tenant_a.id, schools.id, group.id, SYSTEM)
        seating = await catalog.create_catalog(s, tenant_a.id, "SEAT", "Asientos", SYSTEM)
        await catalog.set_catalog_contents(s, tenant_a.id, seating.id, SYSTEM, category_ids=[demo.categories["sillas"]])
        lamps = await catalog.create_catalog(s, tenant_a.id, "LAMP", "Lámparas", SYSTEM)
        await catalog.set_catalog_contents(s, tenant_a.id, lamps.id, SYSTEM, product_ids=[demo.products["lumen"]])
        await catalog.assign_catalog(s, tenant_a.id, seating.id, SYSTEM, customer_id=retail.id)
        await catalog.assign_catalog(s, tenant_a.id, seating.id, SYSTEM, customer_id=retail.id)  # idempotent
        await catalog.assign_catalog(s, tenant_a.id, lamps.id, SYSTEM, customer_group_id=group.id)
        with pytest.raises(ValidationFailed):
            await catalog.assign_catalog(s, tenant_a.id, lamps.id, SYSTEM)

    async def visible(customer_id):
        async with db.transaction(tenant_a.id) as s:
            page = await browse(s, CatalogQuery(sort="name"), customer_id=customer_id)
            return page.total, {i.slug for i in page.items}

    retail_total, retail_slugs = await visible(retail.id)
    assert retail_total == 3 and all(slug.startswith("silla") for slug in retail_slugs)
    assert await visible(schools.id) == (1, {"lampara-de-escritorio-lumen"})
    assert (await visible(free.id))[0] == 8
    assert (await visible(None))[0] == 8
    async with db.transaction(tenant_a.id) as s:
        retail_catalogs = await catalog.viewer_catalogs(s, retail.id)
        with pytest.raises(NotFound):
            await find_visible_product(s, "lampara-de-escritorio-lumen", catalog_ids=retail_catalogs)
        found = await find_visible_product(s, "silla-giratoria-sigma", catalog_ids=retail_catalogs)
        assert found.product_id == demo.products["sigma"]
        # a new chair joins the catalogue through its category
        product = await catalog.create_product(
            s,
            tenant_a.id,
            ProductInput(name={"es": "Taburete alto"}, category_id=demo.categories["sillas-oficina"]),
            SYSTEM,
            variants=[catalog.VariantInput(sku="TAB-1")],
        )
        await catalog.change_product_status(s, tenant_a.id, product.id, "active", SYSTEM)
    assert (await visible(retail.id))[0] == 4

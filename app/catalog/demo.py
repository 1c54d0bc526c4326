"""A small office-furniture catalogue built through the services (demo tenant, tests, benchmarks)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.catalog import services as catalog
from app.catalog.services import AttributeInput, CategoryInput, ProductInput, ValueInput, VariantInput

CATEGORIES = [  # slug, parent slug, es, en
    ("sillas", None, "Sillas", "Chairs"),
    ("sillas-oficina", "sillas", "Sillas de oficina", "Office chairs"),
    ("sillas-confidente", "sillas", "Sillas de confidente", "Visitor chairs"),
    ("mesas", None, "Mesas", "Tables"),
    ("escritorios", "mesas", "Escritorios", "Desks"),
    ("mesas-reuniones", "mesas", "Mesas de reuniones", "Meeting tables"),
    ("almacenaje", None, "Almacenaje", "Storage"),
    ("armarios", "almacenaje", "Armarios", "Cabinets"),
    ("estanterias", "almacenaje", "Estanterías", "Shelving"),
    ("iluminacion", None, "Iluminación", "Lighting"),
]
ATTRIBUTES = {  # code -> (es, en, [(value code, es, en)])
    "color": (
        "Color",
        "Colour",
        [("negro", "Negro", "Black"), ("gris", "Gris", "Grey"), ("blanco", "Blanco", "White")],
    ),
    "material": (
        "Material",
        "Material",
        [("malla", "Malla", "Mesh"), ("madera", "Madera", "Wood"), ("metal", "Metal", "Metal")],
    ),
}
# key, category, brand, es name, en name, sku base, axes {attribute: [values]}, cost
PRODUCTS = [
    ("kappa", "sillas-oficina", "Ofiprix", "Silla ergonómica Kappa", "Kappa ergonomic chair", "SIL-KAPPA",
     {"color": ["negro", "gris"], "material": ["malla"]}, "89.00"),
    ("sigma", "sillas-oficina", "Actiu", "Silla giratoria Sigma", "Sigma swivel chair", "SIL-SIGMA",
     {"color": ["negro", "blanco"]}, "59.00"),
    ("alba", "sillas-confidente", "Actiu", "Silla de confidente Alba", "Alba visitor chair", "SIL-ALBA",
     {"color": ["gris"], "material": ["metal"]}, "35.00"),
    ("nova", "escritorios", "Ofiprix", "Escritorio regulable Nova", "Nova adjustable desk", "ESC-NOVA",
     {"color": ["blanco"], "material": ["madera"]}, "240.00"),
    ("roble", "mesas-reuniones", "Ofiprix", "Mesa de reuniones Roble", "Roble meeting table", "MES-ROBLE",
     {"material": ["madera"]}, "410.00"),
    ("atlas", "armarios", "Actiu", "Armario alto con puertas Atlas", "Atlas tall cabinet with doors", "ARM-ATLAS",
     {"color": ["gris", "blanco"], "material": ["metal"]}, "180.00"),
    ("delta", "estanterias", "Ofiprix", "Estantería metálica Delta", "Delta metal shelving unit", "EST-DELTA",
     {"color": ["gris"], "material": ["metal"]}, "75.00"),
    ("lumen", "iluminacion", "Lumina", "Lámpara de escritorio Lumen", "Lumen desk lamp", "LAM-LUMEN",
     {"color": ["negro", "blanco"]}, "22.00"),
]  # fmt: skip


@dataclass
class DemoCatalog:
    categories: dict[str, uuid.UUID] = field(default_factory=dict)
    brands: dict[str, uuid.UUID] = field(default_factory=dict)
    values: dict[str, uuid.UUID] = field(default_factory=dict)  # "color:negro" -> value id
    products: dict[str, uuid.UUID] = field(default_factory=dict)


async def seed_demo_catalog(session: AsyncSession, tenant_id: uuid.UUID, actor: Actor) -> DemoCatalog:
    """Categories, brands, colour and material, and eight active products with their variants."""
    demo = DemoCatalog()
    for position, (slug, parent, es, en) in enumerate(CATEGORIES):
        data = CategoryInput(
            name={"es": es, "en": en}, slug=slug, parent_id=demo.categories.get(parent or ""), position=position
        )
        demo.categories[slug] = (await catalog.create_category(session, tenant_id, data, actor)).id
    for position, (code, (es, en, values)) in enumerate(ATTRIBUTES.items()):
        attribute = await catalog.create_attribute(
            session, tenant_id, AttributeInput(code, {"es": es, "en": en}, position), actor
        )
        for n, (value, v_es, v_en) in enumerate(values):
            data = ValueInput(value, {"es": v_es, "en": v_en}, n)
            demo.values[f"{code}:{value}"] = (
                await catalog.add_attribute_value(session, tenant_id, attribute.id, data, actor)
            ).id
    for key, category, brand, es, en, sku, axes, cost in PRODUCTS:
        if brand not in demo.brands:
            demo.brands[brand] = (await catalog.create_brand(session, tenant_id, brand, actor)).id
        data = ProductInput(
            name={"es": es, "en": en},
            description={"es": f"{es} para la oficina.", "en": f"{en} for the office."},
            category_id=demo.categories[category],
            brand_id=demo.brands[brand],
            weight_kg=Decimal("12.5"),
        )
        product = await catalog.create_product(session, tenant_id, data, actor)
        template = VariantInput(sku="", cost=Decimal(cost))
        await catalog.generate_variants(
            session, tenant_id, product.id, sku, list(axes.items()), actor, template=template
        )
        await catalog.change_product_status(session, tenant_id, product.id, "active", actor)
        demo.products[key] = product.id
    return demo

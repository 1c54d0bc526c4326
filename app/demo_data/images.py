"""Product pictures for the demo: a drawn PNG per (shape, style, colour), cached, stored content-addressed.

Products of one family share drawings (and, the storage being content-addressed, files); each variant
colour gets its own picture, so a chair in blue shows blue.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from functools import cache

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.actor import Actor
from app.audit import services as audit
from app.base import new_id
from app.catalog import repo
from app.catalog.models import ProductImage
from app.catalog.storage import Storage, check_image
from app.demo_data._canvas import RGB, Canvas
from app.demo_data.catalogue import Catalogue, PlannedProduct
from app.demo_data.drawings import SHAPES
from app.demo_data.taxonomy import VALUE_NAMES

# attribute value code -> RGB (colours and wood finishes share the table)
COLOURS: dict[str, RGB] = {
    "negro": (52, 53, 56),
    "blanco": (236, 236, 232),
    "gris": (156, 160, 166),
    "antracita": (78, 83, 90),
    "azul": (47, 93, 138),
    "rojo": (176, 58, 46),
    "verde": (94, 125, 79),
    "mostaza": (212, 162, 54),
    "arena": (205, 184, 146),
    "terracota": (190, 104, 72),
    "roble": (200, 155, 99),
    "nogal": (122, 82, 52),
    "haya": (221, 185, 138),
    "gris-perla": (201, 201, 196),
    "cromado": (176, 182, 188),
}
DEFAULT_COLOUR = "gris"
_NEUTRALS: tuple[RGB, ...] = (
    (160, 165, 170),  # METAL
    (98, 103, 108),  # METAL_DARK
    (34, 34, 36),  # BLACK
    (250, 234, 160),  # GLOW
    (200, 155, 99),  # WOOD
    (150, 108, 66),  # WOOD_DARK
    (178, 206, 222),  # GLASS
    (255, 255, 255),  # WHITE
    (192, 72, 60),  # BOOK1
    (60, 104, 150),  # BOOK2
    (112, 140, 92),  # BOOK3
)
BACKGROUND: RGB = (246, 244, 240)
FLOOR_SHADOW: RGB = (228, 224, 217)


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def palette(colour: str) -> list[RGB]:
    """Background, shadow, the colour with its dark shade and light tint, then the fixed neutrals."""
    main = COLOURS.get(colour, COLOURS[DEFAULT_COLOUR])
    light_main = sum(main) > 600  # a white product needs a visible shade against the background
    dark = _mix(main, (0, 0, 0), 0.22 if light_main else 0.28)
    light = _mix(main, (255, 255, 255), 0.12 if light_main else 0.3)
    return [BACKGROUND, FLOOR_SHADOW, main, dark, light, *_NEUTRALS]


@cache
def drawing(shape: str, style: int, colour: str) -> bytes:
    """The PNG of one shape in one colour (cached: a family's products share their drawings)."""
    canvas = Canvas(palette(colour))
    SHAPES[shape](canvas, style)
    return canvas.png()


def pictures(product: PlannedProduct) -> list[tuple[str, str | None]]:
    """(colour, SKU the picture shows) per distinct colour of the variants; the first, the product's, has no SKU."""
    seen: dict[str, str | None] = {}
    for n, variant in enumerate(product.variants):
        seen.setdefault(variant.colour, None if n == 0 else variant.sku)
    return list(seen.items())


def _alt(product: PlannedProduct, colour: str, locale: int) -> str:
    name = product.name["es" if locale == 0 else "en"]
    shade = VALUE_NAMES.get(("color", colour)) or VALUE_NAMES.get(("acabado", colour))
    return f"{name}, {shade[locale].lower()}" if shade else name


async def attach_pictures(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    storage: Storage,
    actor: Actor,
    plan: Catalogue,
    products: Mapping[str, uuid.UUID],
    variants: Mapping[str, uuid.UUID],
) -> int:
    """Store each distinct drawing once and give every product its pictures, in one statement.

    The batch form of catalog.add_product_image (the same file checks and content-addressed storage, audit
    per product, one search refresh): ~700 pictures one by one would cost seconds of `make run`.
    """
    keys: dict[tuple[str, int, str], str] = {}
    rows = []
    for product in plan.products:
        product_id, shown = products[product.slug], pictures(product)
        for position, (colour, sku) in enumerate(shown):
            png = drawing(product.shape, product.style, colour)
            key = keys.get((product.shape, product.style, colour))
            if key is None:
                key = keys[(product.shape, product.style, colour)] = storage.save(png, check_image(png, "image/png"))
            rows.append(
                {
                    "tenant_id": tenant_id,
                    "id": new_id(),
                    "product_id": product_id,
                    "variant_id": variants[sku] if sku else None,
                    "storage_key": key,
                    "content_type": "image/png",
                    "byte_size": len(png),
                    "alt": {"es": _alt(product, colour, 0), "en": _alt(product, colour, 1)},
                    "position": position,
                }
            )
        await audit.record(
            session, tenant_id, actor, "product.image_added", "product", product_id, {"images": [0, len(shown)]}
        )
    await session.execute(insert(ProductImage), rows)
    await repo.refresh_search(session, products.values())
    return len(rows)

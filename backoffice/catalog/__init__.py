"""Back-office catalog and pricing screens, mounted under /admin/catalog and /admin/pricing."""

from __future__ import annotations

from litestar import Router

from backoffice.catalog import (
    assortments,
    attributes,
    brands,
    categories,
    customer_groups,
    price_check,
    pricing,
    pricing_rules,
    product_form,
    product_links,
    product_media,
    products,
    promotions,
    settings,
    variants,
)
from backoffice.catalog._web import EXCEPTION_HANDLERS

ROUTER = Router(
    path="/",
    route_handlers=[
        *products.HANDLERS,
        *product_form.HANDLERS,
        *variants.HANDLERS,
        *product_media.HANDLERS,
        *product_links.HANDLERS,
        *price_check.HANDLERS,
        *categories.HANDLERS,
        *brands.HANDLERS,
        *attributes.HANDLERS,
        *customer_groups.HANDLERS,
        *assortments.HANDLERS,
        *settings.HANDLERS,
        *pricing.HANDLERS,
        *pricing_rules.HANDLERS,
        *promotions.HANDLERS,
    ],
    exception_handlers=EXCEPTION_HANDLERS,
)

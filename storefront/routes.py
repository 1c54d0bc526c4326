"""Storefront routes, mounted at / on a tenant's host."""

from __future__ import annotations

from storefront.account import HANDLERS as ACCOUNT
from storefront.auth import HANDLERS as AUTH
from storefront.cart import HANDLERS as CART
from storefront.catalog_listing import HANDLERS as CATALOG_LISTING
from storefront.catalog_product import HANDLERS as CATALOG_PRODUCT
from storefront.checkout import HANDLERS as CHECKOUT
from storefront.home import home
from storefront.media import media
from storefront.orders import HANDLERS as ORDERS
from storefront.quick_order import HANDLERS as QUICK_ORDER

HANDLERS: list = [
    home,
    *AUTH,
    *ACCOUNT,
    *CATALOG_LISTING,
    *CATALOG_PRODUCT,
    *CART,
    *QUICK_ORDER,
    *CHECKOUT,
    *ORDERS,
    media,
]

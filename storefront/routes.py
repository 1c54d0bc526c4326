"""Storefront routes, mounted at / on a tenant's host."""

from __future__ import annotations

from storefront.account import HANDLERS as ACCOUNT
from storefront.approvals import HANDLERS as APPROVALS
from storefront.auth import HANDLERS as AUTH
from storefront.cart import HANDLERS as CART
from storefront.catalog_listing import HANDLERS as CATALOG_LISTING
from storefront.catalog_product import HANDLERS as CATALOG_PRODUCT
from storefront.checkout import HANDLERS as CHECKOUT
from storefront.company import HANDLERS as COMPANY
from storefront.home import home
from storefront.lists import HANDLERS as LISTS
from storefront.media import media
from storefront.orders import HANDLERS as ORDERS
from storefront.payments import HANDLERS as PAYMENTS
from storefront.quick_order import HANDLERS as QUICK_ORDER
from storefront.quotes import HANDLERS as QUOTES
from storefront.returns import HANDLERS as RETURNS

HANDLERS: list = [
    home,
    *AUTH,
    *ACCOUNT,
    *COMPANY,
    *CATALOG_LISTING,
    *CATALOG_PRODUCT,
    *CART,
    *QUICK_ORDER,
    *CHECKOUT,
    *ORDERS,
    *RETURNS,
    *PAYMENTS,
    *APPROVALS,
    *QUOTES,
    *LISTS,
    media,
]

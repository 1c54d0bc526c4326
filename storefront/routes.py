"""Storefront routes, mounted at / on a tenant's host."""

from __future__ import annotations

from storefront.account import HANDLERS as ACCOUNT
from storefront.auth import HANDLERS as AUTH
from storefront.home import home

HANDLERS: list = [home, *AUTH, *ACCOUNT]

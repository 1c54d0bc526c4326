"""Storefront routes, mounted at / on a tenant's host."""

from __future__ import annotations

from storefront.home import home

HANDLERS: list = [home]

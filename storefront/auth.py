"""Storefront sign-in, sign-out, password reset and invitation pages for customer users."""

from __future__ import annotations

from app.web.auth import requires_customer
from app.web.auth_pages import CUSTOMER_FACE
from app.web.auth_routes import auth_routes

HANDLERS = auth_routes(CUSTOMER_FACE, "storefront", "/account/password", requires_customer())

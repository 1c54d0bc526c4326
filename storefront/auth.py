"""Storefront sign-in, sign-out, password reset and invitation pages for customer users."""

from __future__ import annotations

from app.identity.face_routes import auth_routes
from app.identity.guards import requires_customer
from app.identity.pages import CUSTOMER_FACE

HANDLERS = auth_routes(CUSTOMER_FACE, "storefront", "/account/password", requires_customer())

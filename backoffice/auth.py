"""Back-office sign-in, sign-out, password reset and invitation pages for staff users."""

from __future__ import annotations

from app.web.auth import requires_staff
from app.web.auth_pages import STAFF_FACE
from app.web.auth_routes import auth_routes

HANDLERS = auth_routes(STAFF_FACE, "backoffice", "/password", requires_staff())

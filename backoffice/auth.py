"""Back-office sign-in, sign-out, password reset and invitation pages for staff users."""

from __future__ import annotations

from app.identity.face_routes import auth_routes
from app.identity.guards import requires_staff
from app.identity.pages import STAFF_FACE

HANDLERS = auth_routes(STAFF_FACE, "backoffice", "/password", requires_staff())

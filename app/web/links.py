"""Absolute links to a tenant's pages, built from its canonical address and never from the request.

The Host header, X-Forwarded-Host, Forwarded and the request line are all the client's to choose: a link
built from any of them can be pointed at an attacker's site (a password-reset link that mails its token
to evil.example). The tenant's primary domain and the PUBLIC_URL setting cannot.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection

from app.web.guards import current_tenant


def tenant_link(connection: ASGIConnection, path: str) -> str:
    """`path` on the current tenant's canonical address (its primary domain, scheme and port from settings)."""
    return connection.app.state.settings.public_url(current_tenant(connection).host, path)

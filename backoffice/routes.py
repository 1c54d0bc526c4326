"""Back-office routes, mounted at /admin on a tenant's host."""

from __future__ import annotations

HANDLERS: list = []

"""Platform console routes, mounted at /platform on the bare base domain."""

from __future__ import annotations

HANDLERS: list = []

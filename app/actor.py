"""Who is acting: carried from the request into services for audit and authorisation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    kind: str  # staff, customer, operator, system
    id: uuid.UUID | None
    label: str
    ip: str | None = None
    request_id: str | None = None


SYSTEM = Actor(kind="system", id=None, label="system")

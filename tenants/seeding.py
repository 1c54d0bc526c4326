"""What a new tenant starts with, contributed by each domain: registered at assembly (app/assembly.py).

Tenancy sits below the business domains, so it cannot know what they need; each domain exposes a
`seed_tenant(session, seed)` and the app's assembly registers it here. Creating a tenant runs them all, in
registration order, in the tenant's one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class TenantSeed:
    """The new tenant as its seeders need it; `invite_url` has `{token}` for the admin's invitation."""

    tenant_id: uuid.UUID
    name: str
    slug: str
    country: str
    currency: str
    locale: str
    admin_email: str
    admin_name: str
    invite_url: str


Seeder = Callable[[AsyncSession, TenantSeed], Awaitable[None]]
_SEEDERS: dict[str, Seeder] = {}


def register(name: str, seeder: Seeder) -> None:
    """Add (or replace) the seeder of `name`; seeders run in the order they were first registered."""
    _SEEDERS[name] = seeder


def registered() -> list[str]:
    return list(_SEEDERS)


async def seed(session: AsyncSession, new: TenantSeed) -> None:
    """Run every registered seeder for the new tenant."""
    if not _SEEDERS:
        raise RuntimeError("no tenant seeders registered: call app.assembly.assemble() first")
    for seeder in _SEEDERS.values():
        await seeder(session, new)

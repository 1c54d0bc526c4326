"""Host name -> tenant, resolved once per request and cached briefly in the process."""

from __future__ import annotations

import ipaddress
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass(frozen=True, slots=True)
class TenantInfo:
    """What a request needs to know about its tenant; immutable and cheap to pass around."""

    id: uuid.UUID
    slug: str
    name: str
    country: str
    currency: str
    locale: str
    status: str

    @property
    def is_suspended(self) -> bool:
        return self.status == "suspended"


PLATFORM = "platform"
UNKNOWN = "unknown"

_LOOKUP = text(
    "SELECT t.id, t.slug, t.name, t.country, t.currency, t.locale, t.status "
    "FROM tenant_domains d JOIN tenants t ON t.id = d.tenant_id "
    "WHERE d.host = :host AND d.kind = :kind"
)


def split_host(host_header: str, base_domain: str) -> tuple[str, str]:
    """Classify a Host header: ('platform', ''), ('subdomain', label), ('custom', host) or ('unknown', host)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return PLATFORM, ""
    host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    host = host.rstrip(".")  # after the port: "acme.localhost.:8000" is still acme
    base_domain = base_domain.strip().lower().rstrip(".")
    if host in {"", base_domain, "localhost"} or _is_ip(host):
        return PLATFORM, ""
    suffix = "." + base_domain
    if host.endswith(suffix):
        label = host[: -len(suffix)]
        return ("subdomain", label) if label and "." not in label else (UNKNOWN, host)
    return "custom", host


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class TenantDirectory:
    """Resolves hosts against tenant_domains; entries live `ttl` seconds (suspension shows within it)."""

    def __init__(self, engine: AsyncEngine, base_domain: str, ttl: float = 5.0) -> None:
        self.engine = engine
        self.base_domain = base_domain
        self.ttl = ttl
        # keyed by kind too: a bare Host "acme" (custom) must not share an entry with the label "acme"
        self._cache: dict[tuple[str, str], tuple[float, TenantInfo | None]] = {}

    async def resolve(self, host_header: str) -> tuple[str, TenantInfo | None]:
        kind, key = split_host(host_header, self.base_domain)
        if kind in (PLATFORM, UNKNOWN):
            return kind, None
        now = time.monotonic()
        cached = self._cache.get((kind, key))
        if cached and cached[0] > now:
            return ("tenant" if cached[1] else UNKNOWN), cached[1]
        async with self.engine.connect() as conn:
            row = (await conn.execute(_LOOKUP, {"host": key, "kind": kind})).one_or_none()
        info = TenantInfo(*row) if row else None
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[(kind, key)] = (now + self.ttl, info)
        return ("tenant" if info else UNKNOWN), info

    def forget(self, tenant_id: uuid.UUID | None = None) -> None:
        """Drop cached entries after a change made in this process (suspend, rename)."""
        if tenant_id is None:
            self._cache.clear()
            return
        for key, (_, info) in list(self._cache.items()):
            if info and info.id == tenant_id:
                del self._cache[key]

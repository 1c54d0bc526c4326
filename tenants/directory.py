"""Host name -> tenant, resolved once per request and cached briefly in the process."""

from __future__ import annotations

import ipaddress
import re
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
    host: str  # the canonical host name (its primary domain): every absolute link is built on it

    @property
    def is_suspended(self) -> bool:
        return self.status == "suspended"


PLATFORM = "platform"
UNKNOWN = "unknown"

_LOOKUP = text(
    "SELECT t.id, t.slug, t.name, t.country, t.currency, t.locale, t.status, "
    "  (SELECT CASE p.kind WHEN 'subdomain' THEN p.host::text || '.' || :base ELSE p.host::text END"
    "   FROM tenant_domains p WHERE p.tenant_id = t.id ORDER BY p.is_primary DESC, p.host LIMIT 1) AS canonical "
    "FROM tenant_domains d JOIN tenants t ON t.id = d.tenant_id "
    "WHERE d.host = :host AND d.kind = :kind"
)
_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
_PORT = re.compile(r"[0-9]{1,5}")


class BadHost(ValueError):
    """A Host header that is not a host name (or bracketed IPv6 address) with an optional valid port."""


def parse_host(host_header: str) -> tuple[str, int | None]:
    """The host name and port of a Host header, parsed strictly: nothing but labels, a literal, a port.

    User info (`a.test:80@evil.test`), spaces, empty labels, ports out of 1-65535 and anything else raise
    BadHost, so that no two readers of one header can ever disagree about which host it names.
    """
    host = host_header.strip().lower()
    if host.startswith("["):
        literal, bracket, rest = host[1:].partition("]")
        if not bracket or not _is_ipv6(literal):
            raise BadHost(host_header)
        return f"[{literal}]", _port(rest, host_header)
    name, colon, port_text = host.partition(":")
    port = _port(colon + port_text, host_header)
    name = name[:-1] if name.endswith(".") else name  # the root's dot: "acme.localhost." is acme.localhost
    if not name or len(name) > 253 or not all(_LABEL.fullmatch(label) for label in name.split(".")):
        raise BadHost(host_header)
    return name, port


def _port(text: str, header: str) -> int | None:
    if not text:
        return None
    digits = text[1:]
    if text[0] != ":" or not _PORT.fullmatch(digits) or not 0 < int(digits) < 65536:
        raise BadHost(header)
    return int(digits)


def _is_ipv6(literal: str) -> bool:
    try:
        ipaddress.IPv6Address(literal)
    except ValueError:
        return False
    return True


def split_host(host_header: str, base_domain: str) -> tuple[str, str]:
    """Classify a Host header: ('platform', ''), ('subdomain', label), ('custom', host) or ('unknown', host).

    Raises BadHost for a header that is not strictly a host and port (see parse_host).
    """
    host, _ = parse_host(host_header)
    base_domain = base_domain.strip().lower().rstrip(".")
    if host.startswith("[") or host in {base_domain, "localhost"} or _is_ip(host):
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
        base = self.base_domain.strip().lower().rstrip(".")
        async with self.engine.connect() as conn:
            row = (await conn.execute(_LOOKUP, {"host": key, "kind": kind, "base": base})).one_or_none()
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

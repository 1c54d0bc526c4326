"""The one facility for process-local caches: bounded, least recently used out, every entry with a lifetime.

And one staleness rule, the README's: an entry is stored under the change token of the data it was read
from (app.changes), taken before the read, and looked up under the token current at the time of asking. A
committed write moves the token on, so nothing read before a change is served after it. While the change
feed is not listening the token is None, and then nothing is kept and nothing is read: callers compute.

Every cache is created here by name (`cache(...)`) and registered, so what each holds and how often it
helps can be watched: `stats()` feeds the `bodega_cache_*` series on /metrics and the back office's
system page.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from time import monotonic
from typing import Any


@dataclass(frozen=True, slots=True)
class CacheStats:
    """What one cache holds and how it has served: `skipped` counts the asks made while nothing could be kept."""

    name: str
    entries: int
    capacity: int
    ttl: float
    hits: int
    misses: int
    skipped: int

    @property
    def hit_ratio(self) -> float:
        asked = self.hits + self.misses
        return self.hits / asked if asked else 0.0


def _usable(token: Any) -> bool:
    """A token, or a tuple of tokens none of which is None (`in` on a tuple: every lookup asks this)."""
    return token is not None and (type(token) is not tuple or None not in token)


class Cache:
    """Values under (token, key), each for at most `ttl` seconds; beyond `size` the least recently used go.

    `size` counts entries, or what `weigh(value)` says each weighs (a map of many prices weighs its length): a
    value that grew in place is weighed again when it is put back. A value alone over the size stays while it
    is the one being filled, unless `keep_oversized` is False.
    """

    def __init__(
        self,
        name: str,
        *,
        size: int,
        ttl: float,
        weigh: Callable[[Any], int] | None = None,
        keep_oversized: bool = True,
    ) -> None:
        self.name, self.size, self.ttl, self.weigh, self.keep_oversized = name, size, ttl, weigh, keep_oversized
        self.hits = self.misses = self.skipped = 0
        self.weight = 0
        self._entries: OrderedDict[Hashable, tuple[float, Any, int]] = OrderedDict()

    def get(self, token: Any, key: Hashable, default: Any = None) -> Any:
        """The value kept under this token and key, or `default` (always while `token` is, or holds, None)."""
        if not _usable(token):
            self.skipped += 1
            return default
        entry = self._entries.get((token, key))
        if entry is None or entry[0] < monotonic():
            if entry is not None:
                self._forget((token, key))
            self.misses += 1
            return default
        self._entries.move_to_end((token, key))
        self.hits += 1
        return entry[1]

    def put(self, token: Any, key: Hashable, value: Any, *, ttl: float | None = None) -> None:
        """Keep `value` for the cache's ttl, or `ttl` seconds when shorter; nothing while the token is None."""
        if not _usable(token):
            return
        entries, full_key = self._entries, (token, key)
        lifetime = self.ttl if ttl is None else min(ttl, self.ttl)
        old = entries.get(full_key)
        expires = old[0] if old is not None and ttl is None else monotonic() + lifetime
        if old is not None:
            self.weight -= old[2]
        weight = 1 if self.weigh is None else self.weigh(value)
        entries[full_key] = (expires, value, weight)
        entries.move_to_end(full_key)
        self.weight += weight
        while self.weight > self.size and entries:
            oldest = next(iter(entries))
            if oldest == full_key and self.keep_oversized:  # the value being filled stays, alone over the size
                break
            self._forget(oldest)

    def discard(self, token: Any, key: Hashable) -> None:
        """Forget the entry under this token and key, if there is one (its data is known to be outdated)."""
        if (token, key) in self._entries:
            self._forget((token, key))

    def _forget(self, full_key: Hashable) -> None:
        self.weight -= self._entries.pop(full_key)[2]

    def clear(self) -> None:
        self._entries.clear()
        self.weight = 0

    def __len__(self) -> int:
        return len(self._entries)

    def stats(self) -> CacheStats:
        return CacheStats(self.name, self.weight, self.size, self.ttl, self.hits, self.misses, self.skipped)


_REGISTRY: dict[str, Cache] = {}


def cache(
    name: str, *, size: int, ttl: float, weigh: Callable[[Any], int] | None = None, keep_oversized: bool = True
) -> Cache:
    """The process's cache called `name` (made on first use; a second call with the name gets the same one)."""
    existing = _REGISTRY.get(name)
    if existing is None:
        existing = _REGISTRY[name] = Cache(name, size=size, ttl=ttl, weigh=weigh, keep_oversized=keep_oversized)
    return existing


def stats() -> list[CacheStats]:
    """Every registered cache's figures, by name."""
    return [c.stats() for _, c in sorted(_REGISTRY.items())]


def clear_all() -> None:
    """Forget every entry of every cache (tests, or an operator who wants a cold start)."""
    for registered in _REGISTRY.values():
        registered.clear()

"""One small process-local cache for the app's memoised reads: bounded, least recently used out, every entry
with a lifetime. Callers that must never read a stale entry key it by a change token (app.changes)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from time import monotonic
from typing import Any


class Recent:
    """Values for at most `ttl` seconds; beyond `size` entries the least recently used goes."""

    def __init__(self, size: int = 10_000, ttl: float = 600.0) -> None:
        self.size, self.ttl = size, ttl
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()

    def get(self, key: Hashable, default: Any = None) -> Any:
        entry = self._entries.get(key)
        if entry is None or entry[0] < monotonic():
            return default
        self._entries.move_to_end(key)
        return entry[1]

    def put(self, key: Hashable, value: Any, ttl: float | None = None) -> None:
        """Keep `value` for the cache's ttl, or for `ttl` seconds when that is shorter."""
        entries = self._entries
        entries[key] = (monotonic() + (self.ttl if ttl is None else min(ttl, self.ttl)), value)
        entries.move_to_end(key)
        if len(entries) > self.size:
            entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

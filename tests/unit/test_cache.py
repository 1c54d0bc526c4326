"""The cache facility: one staleness rule (nothing kept or read without a token), a registry with figures."""

from __future__ import annotations

from app import cache as facility
from app.cache import Cache


def test_nothing_is_kept_or_read_while_the_token_is_none():
    c = Cache("test.no_token", size=10, ttl=60)
    c.put(None, "k", 1)
    c.put((1, None), "k", 1)  # a tuple of tokens with one missing is no token either
    assert len(c) == 0
    c.put((1, 0), "k", 1)
    assert c.get(None, "k") is None and c.get((1, None), "k") is None
    assert c.stats().skipped == 2


def test_an_entry_is_read_only_under_the_token_it_was_stored_with():
    c = Cache("test.tokens", size=10, ttl=60)
    c.put((1, 4), "k", "old")
    assert c.get((1, 4), "k") == "old"
    assert c.get((1, 5), "k") is None  # the generation moved on: the old entry is never served
    stats = c.stats()
    assert (stats.hits, stats.misses, stats.entries) == (1, 1, 1)
    assert stats.hit_ratio == 0.5


def test_caches_are_registered_by_name_once():
    first = facility.cache("test.registered", size=5, ttl=1)
    assert facility.cache("test.registered", size=99, ttl=99) is first
    assert "test.registered" in [s.name for s in facility.stats()]
    first.put((1, 1), "k", 1)
    facility.clear_all()
    assert len(first) == 0


def test_a_weighed_cache_bounds_what_its_values_hold_and_keeps_the_one_being_filled():
    c = Cache("test.weighed", size=5, ttl=60, weigh=len)
    token = (1, 0)
    c.put(token, "a", {1: 1, 2: 2})
    c.put(token, "b", {1: 1, 2: 2})
    assert c.stats().entries == 4
    grown = {i: i for i in range(4)}
    c.put(token, "b", grown)  # grew in place and put back: weighed again, the least recently used goes
    assert c.get(token, "a") is None and c.get(token, "b") == grown and c.stats().entries == 4
    c.put(token, "big", {i: i for i in range(9)})  # alone over the size: kept, everything else goes
    assert c.get(token, "big") is not None and len(c) == 1

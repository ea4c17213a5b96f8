"""Caches of what is worked out once per template object (or per label of one).

Templates and labels are not hashable, so entries are keyed by ``id(obj)`` — together with
whatever else the value depends on — and hold the object itself: while an entry exists its
object cannot be collected, so its id cannot be reused by another object and return a
stale value. A cache that reaches ``limit`` entries is cleared, so none grows without end.
"""
from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")
LIMIT = 20_000


def per_object(cache: dict, obj: object, key: object, make: Callable[[], T], limit: int = LIMIT) -> T:
    """``make()``, remembered in ``cache`` under ``key`` (which includes ``id(obj)``) while ``obj`` lives."""
    found = cache.get(key)
    if found is None or found[0] is not obj:
        if len(cache) >= limit:
            cache.clear()
        found = cache[key] = (obj, make())
    return found[1]

"""Cells linked by identities: the connected components that can be solved or drawn apart."""
from __future__ import annotations

from typing import Hashable, Iterable, Sequence, TypeVar

T = TypeVar("T", bound=Hashable)


def linked_groups(items: Sequence[T], links: Iterable[Sequence[T]]) -> list[list[T]]:
    """Group ``items`` joined (transitively) by appearing together in one link.

    Groups and their members keep the order of ``items`` (printed order, for stable output);
    items in no link are groups of their own.
    """
    parent: dict[T, T] = {x: x for x in items}

    def root(x: T) -> T:
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving keeps the trees flat
            x = parent[x]
        return x

    for link in links:
        members = [m for m in link if m in parent]
        for m in members[1:]:
            parent[root(m)] = root(members[0])
    groups: dict[T, list[T]] = {}
    for x in items:
        groups.setdefault(root(x), []).append(x)
    return list(groups.values())

"""Split digit runs printed with no separator (``640020470`` = 64|0|0|2|0|4|70).

A run can be cut in many ways; the table's own identities pick the right one. A cut
never makes a number with a leading zero (``05``), so ``0000000`` is seven zeros.
"""
from __future__ import annotations

from typing import Callable, Iterator, Sequence

MAX_CANDIDATES = 200_000


class TooManySplits(Exception):
    """The run is too long to enumerate its cuts."""


def _cuts(chunk: str, k: int) -> Iterator[tuple[int, ...]]:
    """All ways to cut ``chunk`` into exactly ``k`` numbers without leading zeros."""
    if k == 1:
        if chunk and (chunk[0] != "0" or len(chunk) == 1):
            yield (int(chunk),)
        return
    if len(chunk) < k:
        return
    if chunk[0] == "0":
        for rest in _cuts(chunk[1:], k - 1):
            yield (0, *rest)
        return
    for i in range(1, len(chunk) - k + 2):
        for rest in _cuts(chunk[i:], k - 1):
            yield (int(chunk[:i]), *rest)


def _counts(lengths: Sequence[int], n: int) -> Iterator[tuple[int, ...]]:
    """How many numbers each chunk holds: every chunk at least one, total ``n``."""
    if not lengths:
        if n == 0:
            yield ()
        return
    head, tail = lengths[0], lengths[1:]
    for k in range(1, min(head, n - len(tail)) + 1):
        for rest in _counts(tail, n - k):
            yield (k, *rest)


def splits(chunks: Sequence[str], n: int, accept: Callable[[tuple[int, ...]], bool] = lambda v: True
           ) -> list[tuple[int, ...]]:
    """Every cut of ``chunks`` (digit strings in order) into ``n`` numbers that ``accept`` allows."""
    found: list[tuple[int, ...]] = []
    seen = 0

    def walk(i: int, counts: tuple[int, ...], acc: tuple[int, ...]) -> None:
        nonlocal seen
        if i == len(chunks):
            seen += 1
            if seen > MAX_CANDIDATES:
                raise TooManySplits(f"more than {MAX_CANDIDATES} ways to cut {''.join(chunks)!r}")
            if accept(acc):
                found.append(acc)
            return
        for part in _cuts(chunks[i], counts[i]):
            walk(i + 1, counts, acc + part)

    for counts in _counts([len(c) for c in chunks], n):
        walk(0, counts, ())
    return found


def sum_rule(total_at: int, parts: Sequence[int]) -> Callable[[tuple[int, ...]], bool]:
    """``values[total_at] == sum(values[parts])``."""
    return lambda v: v[total_at] == sum(v[p] for p in parts)


def all_of(*tests: Callable[[tuple[int, ...]], bool]) -> Callable[[tuple[int, ...]], bool]:
    return lambda v: all(t(v) for t in tests)

"""Split digit runs printed with no separator (``640020470`` = 64|0|0|2|0|4|70).

A run can be cut in many ways; the table's own identities pick the right one. A cut
never makes a number with a leading zero (``05``), so ``0000000`` is seven zeros.
Rows are first cut alone under their own row identity (total = Σ parts); the
``Chooser`` then settles all cut rows of a table jointly under the column identities
(table 3: new + carried in = total + carried out, total = Σ results), and says which
rows were inferred (one split fits) and which stay ambiguous.
"""
from __future__ import annotations

import functools
import itertools
import math
import operator
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from .._template import Template
from ._atoms import Atom
from ._numbers import is_plain_digits

MAX_CANDIDATES = 50_000   # real runs have at most a few thousand cuts
MAX_DIGITS = 40           # longer runs are not a table row whose separators were lost
MAX_COMBINATIONS = 50_000
SUBTOTAL = "*subtotal"  # an extra printed column: 法人或其他组织 小计 (see ``_extras``)


class TooManySplits(Exception):
    """The run is too long to enumerate its cuts."""


def _cuts(chunk: str, k: int) -> list[tuple[int, ...]]:
    """All ways to cut ``chunk`` into exactly ``k`` numbers without leading zeros, in order.

    Built bottom-up from the cuts of each suffix (shared, not regenerated per prefix);
    each suffix's cuts all appear in the whole's, so no list outgrows the result.
    """
    memo: dict[tuple[int, int], list[tuple[int, ...]]] = {}
    size = len(chunk)

    def cut(start: int, k: int) -> list[tuple[int, ...]]:
        found = memo.get((start, k))
        if found is not None:
            return found
        rest = size - start
        if k == 1:
            found = [(int(chunk[start:]),)] if rest and (chunk[start] != "0" or rest == 1) else []
        elif rest < k:
            found = []
        elif chunk[start] == "0":
            found = [(0, *tail) for tail in cut(start + 1, k - 1)]
        else:
            found = []
            for i in range(start + 1, size - k + 2):
                head = int(chunk[start:i])
                found.extend((head, *tail) for tail in cut(i, k - 1))
        memo[(start, k)] = found
        return found

    return cut(0, k)


@functools.lru_cache(maxsize=4096)
def _n_cuts(chunk: str, k: int) -> int:
    """``len(_cuts(chunk, k))``, counted without making them (a long run has billions)."""
    if k == 1:
        return 1 if chunk and (chunk[0] != "0" or len(chunk) == 1) else 0
    if len(chunk) < k:
        return 0
    if chunk[0] == "0":
        return _n_cuts(chunk[1:], k - 1)
    return sum(_n_cuts(chunk[i:], k - 1) for i in range(1, len(chunk) - k + 2))


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


def splits(chunks: Sequence[str], n: int, accept: Callable[[tuple[int, ...]], bool]) -> list[tuple[int, ...]]:
    """Every cut of ``chunks`` (digit strings in order) into ``n`` numbers that ``accept`` allows."""
    if sum(len(c) for c in chunks) > MAX_DIGITS:
        raise TooManySplits(f"{''.join(chunks)[:20]}… is too long to be one row")
    # Count first: more than MAX_CANDIDATES cuts is refused before any is made.
    plans = []
    seen = 0
    for counts in _counts([len(c) for c in chunks], n):
        ways = math.prod(_n_cuts(c, k) for c, k in zip(chunks, counts))
        seen += ways
        if seen > MAX_CANDIDATES:
            raise TooManySplits(f"more than {MAX_CANDIDATES} ways to cut {''.join(chunks)!r}")
        if ways:
            plans.append(counts)
    found: list[tuple[int, ...]] = []
    made: dict[tuple[str, int], list[tuple[int, ...]]] = {}
    for counts in plans:
        parts = []
        for c, k in zip(chunks, counts):
            if (c, k) not in made:
                made[(c, k)] = _cuts(c, k)
            parts.append(made[(c, k)])
        if len(parts) == 1:  # one run of digits (the usual case): its cuts are the candidates
            found.extend(filter(accept, parts[0]))
            continue
        for combo in itertools.product(*parts):  # chunk by chunk, in order
            values = tuple(itertools.chain.from_iterable(combo))
            if accept(values):
                found.append(values)
    return found


def cuts_of(chunks: Sequence[str], n: int) -> Iterator[tuple[tuple[int, ...], tuple[tuple[int, ...], ...]]]:
    """Every cut of ``chunks`` into ``n`` numbers, chunk by chunk: ``(counts, cut of each chunk)``."""
    if sum(len(c) for c in chunks) > MAX_DIGITS or \
            sum(math.prod(_n_cuts(c, k) for c, k in zip(chunks, counts))
                for counts in _counts([len(c) for c in chunks], n)) > MAX_CANDIDATES:
        return
    for counts in _counts([len(c) for c in chunks], n):
        for combo in itertools.product(*(_cuts(c, k) for c, k in zip(chunks, counts))):
            yield counts, combo


def block_splits(chunk: str, sizes: Sequence[int], accept: Callable[[tuple[int, ...]], bool]
                 ) -> list[tuple[int, ...]]:
    """Every cut of one digit run into blocks of ``sizes`` numbers, each block allowed by ``accept``.

    For a row made of independent blocks (table 4: three groups of five, each with its
    own total) the blocks are cut one after another, so a long run whose cuts as a whole
    are far too many to try is still settled by the blocks' identities.
    """
    if len(chunk) > MAX_DIGITS:
        raise TooManySplits(f"{chunk[:20]}… is too long to be one row")
    size = len(chunk)
    memo: dict[tuple[int, int], list[tuple[int, ...]]] = {}

    def rest(start: int, b: int) -> list[tuple[int, ...]]:
        if b == len(sizes):
            return [()] if start == size else []
        found = memo.get((start, b))
        if found is not None:
            return found
        found = []
        need = sum(sizes[b + 1:])
        for end in range(start + sizes[b], size - need + 1):
            heads = [c for c in _cuts(chunk[start:end], sizes[b]) if accept(c)]
            if not heads:
                continue
            tails = rest(end, b + 1)
            if len(found) + len(heads) * len(tails) > MAX_CANDIDATES:
                raise TooManySplits(f"more than {MAX_CANDIDATES} ways to cut {chunk!r}")
            found.extend(h + t for h in heads for t in tails)
        memo[(start, b)] = found
        return found

    return rest(0, 0)


def sum_rule(total_at: int, parts: Sequence[int]) -> Callable[[tuple[int, ...]], bool]:
    """``values[total_at] == sum(values[parts])``."""
    parts = tuple(parts)
    if not parts:
        return lambda v: v[total_at] == 0
    if len(parts) == 1:
        only = parts[0]
        return lambda v: v[total_at] == v[only]
    get = operator.itemgetter(*parts)  # tested on every candidate cut: item access in C
    return lambda v: v[total_at] == sum(get(v))


def all_of(*tests: Callable[[tuple[int, ...]], bool]) -> Callable[[tuple[int, ...]], bool]:
    if len(tests) == 1:
        return tests[0]

    def test(v: tuple[int, ...]) -> bool:
        for t in tests:
            if not t(v):
                return False
        return True
    return test


def run_of(vals: list[Atom], n: int) -> list[Atom] | None:
    """The atoms of a row whose digits ran together, or None if they cannot be one.

    Numbers in separate table cells never ran together: a table row with too few
    cells lost a cell, and which one cannot be known.
    """
    if not vals or len(vals) >= n or not all(is_plain_digits(a) for a in vals):
        return None
    if len({a.where for a in vals if a.cell}) > 1:
        return None
    if sum(len(a.text) for a in vals) < n:
        return None
    return vals


def row_test(template: Template, table: str, layout: Sequence[str]) -> Callable[[tuple[int, ...]], bool]:
    """The identities inside one printed row of ``table`` with columns ``layout``."""
    cols = list(layout)
    if table == "t3":
        parts = [cols.index(c) for c in template.tables["t3"].column_groups["applicants"]]
        tests = [sum_rule(cols.index("total"), parts)]
        if SUBTOTAL in cols:
            orgs = [cols.index(c) for c in template.tables["t3"].column_groups["organisations"]]
            tests.append(sum_rule(cols.index(SUBTOTAL), orgs))
        return all_of(*tests)
    if table == "t4":  # one printed row of 15: three groups of upheld, corrected, other, pending, total
        return all_of(*(sum_rule(5 * g + 4, [5 * g + j for j in range(4)]) for g in range(3)))
    return lambda v: True


@dataclass
class Decision:
    """How the cut rows of a table were settled: the values (canonical order) or None."""

    row: str
    codes: list[str]
    atoms: list[Atom]
    values: tuple[int, ...] | None
    options: list[tuple[int, ...]]
    how: str  # inferred | ambiguous


class Chooser:
    """Collects the rows of one table whose digits ran together and settles them jointly."""

    def __init__(self, template: Template, table: str):
        self.template, self.table = template, table
        self.pending: dict[str, tuple[list[str], list[Atom], list[tuple[int, ...]]]] = {}

    def add(self, row: str, codes: list[str], atoms: list[Atom], layout: Sequence[str]) -> bool:
        """Cut a row's run under its row identity; False when no cut fits (or too many to try)."""
        try:
            cands = splits([a.text for a in atoms], len(layout), row_test(self.template, self.table, layout))
        except TooManySplits:
            if self.table != "t4" or len(atoms) != 1 or len(layout) != 15:
                return False
            try:  # too many cuts as a whole: cut group by group under each group's 总计
                cands = block_splits(atoms[0].text, (5, 5, 5), sum_rule(4, range(4)))
            except TooManySplits:
                return False
        keep = [i for i, c in enumerate(layout) if c != SUBTOTAL]
        cands = sorted({tuple(v[i] for i in keep) for v in cands})
        if not cands:
            return False
        self.pending[row] = (codes, atoms, cands)
        return True

    def settle(self, known: dict[str, float | None]) -> list[Decision]:
        """One decision per pending row; ``known`` holds the cells read plainly (for the identities)."""
        rows = list(self.pending)
        if not rows:
            return []
        joint = _joint_test(self.template, self.table, known)
        options = {r: self.pending[r][2] for r in rows}
        if joint is not None:
            total = 1
            for r in rows:
                total *= len(options[r])
            if total <= MAX_COMBINATIONS:
                combos = [c for c in itertools.product(*(options[r] for r in rows)) if joint(dict(zip(rows, c)))]
                if combos:
                    options = {r: sorted({c[n] for c in combos}) for n, r in enumerate(rows)}
        out = []
        for r in rows:
            codes, atoms, _ = self.pending[r]
            opts = options[r]
            if len(opts) == 1:
                out.append(Decision(r, codes, atoms, opts[0], opts, "inferred"))
            elif joint is None:  # a row standing alone: several cuts fit, so do not guess
                out.append(Decision(r, codes, atoms, None, opts, "ambiguous"))
            else:  # several cuts fit every identity: take the first, and say so
                out.append(Decision(r, codes, atoms, opts[0], opts, "ambiguous"))
        return out


def _joint_test(template: Template, table: str, known: dict[str, float | None]):
    """Table 3's column identities over cut rows and known cells; None for tables without them."""
    if table == "t4":
        return lambda choice: True
    if table != "t3":
        return None
    t = template.tables["t3"]
    cols = list(t.columns)
    results = t.row_groups["results"]

    def test(choice: dict[str, tuple[int, ...]]) -> bool:
        def v(row: str, k: int):
            if row in choice:
                return choice[row][k]
            return known.get(f"t3.{row}.{cols[k]}")
        for k in range(len(cols)):
            new, cin, tot, cout = v("new", k), v("carry_in", k), v("total", k), v("carry_out", k)
            if None not in (new, cin, tot, cout) and new + cin != tot + cout:
                return False
            items = [v(r, k) for r in results]
            if tot is not None and None not in items and sum(items) != tot:
                return False
        return True

    return test

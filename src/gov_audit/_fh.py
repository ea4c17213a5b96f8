"""The Fellegi–Holt solver: the fewest cells to change so that a linear system holds.

``_System`` is one independent part of a report's identities: ``A x = 0`` (rows with
``eq``) or ``A x ≤ 0``, plus non-negativity and integrality per cell, and ``x0`` the
printed values. Minimal sets are found

* for one cell, directly (it must lie in every failing row and each failing equality
  through it must call for the same value) — ``_single_changes``;
* for up to ``EXACT_UP_TO`` cells, by exact branching (``_exact``): every minimal set hits
  each failing row, and each further cell shares a row with one already chosen;
* beyond, or when the branching grows past ``EXACT_NODES``, with ``scipy.optimize.milp``
  (HiGHS), minimising the number of changed cells under |x − x0| ≤ M·z.

The results are deterministic as long as no time limit is reached: candidates are
visited in cell order, the branching is bounded by a node count (not by time), and HiGHS
runs with fixed options. HiGHS does have a time limit (``time_limit`` in ``_milp``), and
``_localise`` stops listing tied explanations after a wall-clock budget; on a slow or
loaded machine a large table can hit either, and then the result is marked incomplete
(``complete=False``) rather than silently different.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

EXACT_UP_TO = 5       # exact enumeration up to this many cells; the MILP beyond
EXACT_NODES = 50_000  # ... unless the search tree grows past this many nodes
MAX_CHANGED = 8       # beyond this many wrong cells a table is more likely misread than mistyped
TOL = 1e-6


@dataclass
class _System:
    codes: list[str]
    x0: np.ndarray
    A: np.ndarray
    eq: np.ndarray
    names: list[str]
    nonneg: np.ndarray
    integer: np.ndarray

    def violated(self, x: np.ndarray) -> np.ndarray:
        r = self.A @ x
        return np.where(self.eq, np.abs(r) > TOL, r > TOL)

    def bad(self, x: np.ndarray) -> np.ndarray:
        return (self.nonneg & (x < -TOL)) | (self.integer & (np.abs(x - np.round(x)) > TOL))

    def holds(self, x: np.ndarray) -> bool:
        return not self.violated(x).any() and not self.bad(x).any()



def _single_changes(s: _System, x0: np.ndarray, only: list[int] | None = None) -> list[tuple[int, float | None]]:
    """Every cell that alone can be changed so that all of ``s`` holds, with its value."""
    viol, bad = s.violated(x0), np.nonzero(s.bad(x0))[0]
    if len(bad) > 1:
        return []
    r = s.A @ x0
    out = []
    for j in (only if only is not None else range(len(x0))):
        col = s.A[:, j]
        if np.any(viol & (col == 0)) or (len(bad) and bad[0] != j):
            continue
        touching = col != 0
        rest = r[touching] - col[touching] * x0[j]
        exact = -rest / col[touching]
        eq = s.eq[touching]
        if eq.any():
            v = float(exact[eq][0])
            if not np.isfinite(exact[eq]).all() or np.ptp(exact[eq]) > TOL:
                continue  # (a value out of float range solves nothing)
        else:  # only inequalities: any value in the feasible interval; not pinned down
            v = None
        trial = x0.copy()
        trial[j] = v if v is not None else _nearest_feasible(s, x0, j, exact, col[touching])
        if s.integer[j] and v is not None:
            if abs(v - round(v)) > TOL:
                continue
            trial[j] = v = float(round(v))
        if s.holds(trial) and trial[j] != x0[j]:
            out.append((j, v))
    return out


def _nearest_feasible(s: _System, x0: np.ndarray, j: int, bound: np.ndarray, coef: np.ndarray) -> float:
    lo = max([0.0 if s.nonneg[j] else -np.inf, *bound[coef < 0]])
    hi = min([np.inf, *bound[coef > 0]])
    return float(min(max(x0[j], lo), hi))


def _feasible(s: _System, cells: list[int]) -> dict[int, float | None] | None:
    """Values for ``cells`` that make all of ``s`` hold with every other cell as printed, or None."""
    A = s.A[:, cells]
    r = s.A @ s.x0
    touched = np.any(A != 0, axis=1)
    if s.violated(s.x0)[~touched].any():
        return None
    if not s.eq.all():  # inequalities: let the solver decide on these few cells
        return _values(s, cells) if _solvable(s, cells) else None
    delta = np.linalg.lstsq(A, -r, rcond=None)[0]
    if np.abs(A @ delta + r).max(initial=0.0) > 1e-6:
        return None
    if np.linalg.matrix_rank(A) < len(cells):  # a family of fixes: check one exists within bounds
        return _values(s, cells) if _solvable(s, cells) else None
    x = s.x0.copy()
    x[cells] += delta
    ints = s.integer[cells]
    if np.any(np.abs(x[cells][ints] - np.round(x[cells][ints])) > 1e-6):
        return None
    x[cells] = np.where(ints, np.round(x[cells]), x[cells])
    if not s.holds(x) or np.any(x[cells] == s.x0[cells]):
        return None
    return {j: float(x[j]) for j in cells}


def _solvable(s: _System, cells: list[int]) -> bool:
    try:
        return _milp(s, [], only=cells) is not None
    except _TimedOut:
        return False


def _could_cover(rows: list[set[int]], left: int) -> bool:
    """Whether ``left`` more cells can hit every row (greedy bound: each cell hits at most max-degree rows)."""
    degree: dict[int, int] = {}
    for row in rows:
        for j in row:
            degree[j] = degree.get(j, 0) + 1
    best = sorted(degree.values(), reverse=True)[:left]
    return sum(best) >= len(rows)


def _exact_or_none(s: _System) -> list[dict[int, float | None]]:
    try:
        return _exact(s, EXACT_UP_TO)
    except _TimedOut:
        return []


def _exact(s: _System, largest: int) -> list[dict[int, float | None]]:
    """Every minimal set of at most ``largest`` cells, by branching on uncovered failures.

    A minimal set must hit every failing identity, and each further cell must share an
    identity with a cell already chosen (otherwise the chosen cells alone would do), so
    branching over the smallest uncovered failing identity, else over the identities
    through the chosen cells, misses none.
    """
    viol = np.nonzero(s.violated(s.x0))[0]
    bad = tuple(int(j) for j in np.nonzero(s.bad(s.x0))[0])
    support = [set(np.nonzero(row)[0].tolist()) for row in s.A]
    rows_of = [set(np.nonzero(s.A[:, j])[0].tolist()) for j in range(len(s.x0))]
    nodes = 0
    for size in range(max(1, len(bad)), largest + 1):
        seen: set[frozenset] = set()
        found: list[dict[int, float | None]] = []

        def search(chosen: tuple[int, ...]) -> None:
            nonlocal nodes
            key = frozenset(chosen)
            if key in seen:
                return
            seen.add(key)
            nodes += 1
            if nodes > EXACT_NODES:
                raise _TimedOut
            if len(chosen) == size:
                values = _feasible(s, sorted(chosen))
                if values is not None:
                    found.append(values)
                return
            uncovered = [support[k] for k in viol if not support[k] & key]
            if len(uncovered) > 2 * (size - len(chosen)) + 2 and not _could_cover(uncovered, size - len(chosen)):
                return
            if uncovered:
                options = min(uncovered, key=len)
            else:
                options = set().union(*(support[k] for j in chosen for k in rows_of[j]))
            for j in sorted(options - key):
                search(chosen + (j,))

        search(bad)
        if found:
            return found
    return []


class _TimedOut(Exception):
    """The MILP hit its time limit: its set is not proven minimal."""


def _milp(s: _System, cuts: list[list[int]], only: list[int] | None = None) -> list[int] | None:
    """One minimal-cardinality set of cells to change (not containing any cut set).

    ``only``: just check that changing these cells (and no others) can satisfy ``s``.
    """
    n = len(s.x0)
    with np.errstate(over="ignore"):
        big = 2.0 * float(np.abs(s.x0).sum()) + 10.0
    if not np.isfinite(big + float(np.abs(s.x0).max(initial=0.0))):
        raise _TimedOut  # values near the float limit: no bound to solve within, so no proven set
    lb = np.where(s.nonneg, 0.0, -big)
    z_hi = np.ones(n)
    if only is not None:
        z_hi = np.zeros(n)
        z_hi[only] = 1.0
    A_rows, lo, hi = [], [], []
    # identities over the new values x
    for k in range(s.A.shape[0]):
        A_rows.append(np.concatenate([s.A[k], np.zeros(n)]))
        lo.append(0.0 if s.eq[k] else -np.inf)
        hi.append(0.0)
    # |x_j − x0_j| ≤ M z_j
    m = big + float(np.abs(s.x0).max(initial=0.0))
    for j in range(n):
        e = np.zeros(2 * n)
        e[j], e[n + j] = 1.0, -m
        A_rows.append(e.copy()); lo.append(-np.inf); hi.append(s.x0[j])
        e[j] = -1.0
        A_rows.append(e); lo.append(-np.inf); hi.append(-s.x0[j])
    for cut in cuts:  # no-good cut: not this set nor any superset
        e = np.zeros(2 * n)
        e[[n + j for j in cut]] = 1.0
        A_rows.append(e); lo.append(-np.inf); hi.append(len(cut) - 1)
    res = milp(np.concatenate([np.zeros(n), np.ones(n)]),
               constraints=LinearConstraint(np.array(A_rows), lo, hi),
               integrality=np.concatenate([s.integer.astype(int), np.ones(n, dtype=int)]),
               bounds=Bounds(np.concatenate([lb, np.zeros(n)]), np.concatenate([np.full(n, big), z_hi])),
               options={"time_limit": 5.0})
    if res.x is None:
        return None
    if res.status != 0:  # a time limit: the set may not be minimal, so do not claim it is
        raise _TimedOut
    x, z = res.x[:n], res.x[n:]
    # a cell counts as changed if flagged or moved (guards against big-M tolerance leaks)
    return sorted(j for j in range(n) if z[j] > 0.5 or abs(x[j] - s.x0[j]) > 0.5 * (1 if s.integer[j] else 1e-4))


def _values(s: _System, cells: list[int]) -> dict[int, float | None]:
    """The values the equalities force on ``cells`` (None where they leave freedom)."""
    rows = s.eq & np.any(s.A[:, cells] != 0, axis=1)
    A = s.A[np.ix_(rows, cells)]
    others = [j for j in range(len(s.x0)) if j not in cells]
    b = -s.A[np.ix_(rows, others)] @ s.x0[others]
    if not rows.any():
        return {j: None for j in cells}
    sol = np.linalg.lstsq(A, b, rcond=None)[0]
    _, sv, vt = np.linalg.svd(A)
    null = vt[int((sv > 1e-9).sum()):]
    out = {}
    for i, j in enumerate(cells):
        if null.size and np.abs(null[:, i]).max() > 1e-9:
            out[j] = None
        else:
            v = float(sol[i])
            out[j] = float(round(v)) if s.integer[j] else v
    return out

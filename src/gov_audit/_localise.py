"""Error localisation: which printed cells are wrong, and what they should be.

Fellegi–Holt: find the smallest set of cells whose change lets every error-severity
identity (and non-negativity, integrality) hold, keeping every other cell as printed.
The system is the compiled coefficient matrix restricted to identities whose cells are
all reported — a blank cell is unknown, never 0, so identities with blanks constrain
nothing. It splits into independent components (table 3, each row of table 4); each
component with a failure is solved on its own:

* one changed cell: exact enumeration (a cell must lie in every failing identity, and
  each failing identity through it must call for the same value);
* more: ``scipy.optimize.milp`` (HiGHS) minimising the number of changed cells, with
  no-good cuts to list every minimal set (up to ``MAX_EXPLANATIONS``).

Minimal explanations are then ranked by how much they look like slips people make
(``_typos``); a whole row or column shifted by one cell is tried as an extra story when
no single cell explains everything. Ties are reported as ambiguous, never guessed.
The pass ``localise_pass`` fills ``suspects``/``suggestions`` of the failing findings.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from . import _typos
from ._compile import CompiledRules, compiled_for
from ._explain import message, neighbour_codes
from ._report import Report

MAX_EXPLANATIONS = 6
TOL = 1e-6
LOCALISED_REASONS = ("identity_violated", "inequality_violated", "negative_value", "not_integer")


@dataclass(frozen=True)
class Change:
    code: str
    printed: float
    value: float | None          # None: the identities do not pin it down
    story: str | None = None     # a key of ``_typos.STORIES``


@dataclass(frozen=True)
class Explanation:
    changes: tuple[Change, ...]
    pattern: str | None = None   # a multi-cell story: swapped / shift_row / shift_column

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.changes)

    @property
    def score(self) -> int:
        return (3 if self.pattern else 0) + sum(c.story is not None for c in self.changes)


@dataclass(frozen=True)
class Localisation:
    """The explanations of the failures of one independent part of a report's tables."""

    template: str
    failing: tuple[str, ...]                 # instance names (e.g. ``t3.balance[natural]``)
    size: int                                # the fewest cells any explanation changes
    explanations: tuple[Explanation, ...]    # best first
    complete: bool = True                    # False: more minimal explanations than listed
    one_identity: bool = False               # the tied cells share all their identities

    @property
    def ambiguous(self) -> bool:
        return len(self.explanations) != 1 or not self.complete

    @property
    def suspects(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for e in self.explanations for c in e.cells))

    @property
    def suggestions(self) -> dict[str, float]:
        """Values that fix everything: the explanation's, or one per alternative cell."""
        if not self.ambiguous or all(len(e.changes) == 1 for e in self.explanations):
            return {c.code: c.value for e in self.explanations for c in e.changes if c.value is not None}
        return {}

    def message(self, lang: str = "zh") -> str:
        return message(self, lang)


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


def _systems(c: CompiledRules, values: np.ndarray) -> list[_System]:
    """The independent components of the checkable error identities."""
    unary = {(i.key, i.kind.relation) for i in c.instances if i.kind.shape == "unary" and i.rule.severity == "error"}
    keep = [k for k, inst in enumerate(c.linear)
            if inst.rule.severity == "error" and not np.isnan(values[c.matrix[k] != 0]).any()]
    if not keep:
        return []
    M = c.matrix[keep]
    parent = list(range(M.shape[1]))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for row in M:
        js = np.nonzero(row)[0]
        for j in js[1:]:
            parent[find(j)] = find(js[0])
    used = np.nonzero(np.abs(M).sum(axis=0))[0]
    groups: dict[int, list[int]] = {}
    for j in used:
        groups.setdefault(find(j), []).append(j)
    out = []
    for js in groups.values():
        rows = [k for k in range(len(keep)) if np.any(M[k, js])]
        codes = [c.codes[j] for j in js]
        out.append(_System(codes, values[js].astype(float), M[np.ix_(rows, js)],
                           np.array([c.linear[keep[k]].kind.relation == "eq" for k in rows]),
                           [c.linear[keep[k]].name for k in rows],
                           np.array([(x, "non_negative") in unary for x in codes]),
                           np.array([(x, "integer") in unary for x in codes])))
    return out


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
            if np.ptp(exact[eq]) > TOL:
                continue
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


def _milp(s: _System, cuts: list[list[int]]) -> list[int] | None:
    """One minimal-cardinality set of cells to change (not containing any cut set)."""
    n = len(s.x0)
    big = 2.0 * float(np.abs(s.x0).sum()) + 10.0
    lb = np.where(s.nonneg, 0.0, -big)
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
               bounds=Bounds(np.concatenate([lb, np.zeros(n)]), np.concatenate([np.full(n, big), np.ones(n)])),
               options={"time_limit": 10.0})
    if res.x is None:
        return None
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


def _explanation(s: _System, values: dict[int, float | None], cells_of: dict[str, float | None],
                 template, pattern: str | None = None) -> Explanation:
    changes = []
    for j, v in values.items():
        code = s.codes[j]
        near = tuple(cells_of[n] for n in neighbour_codes(code, template) if cells_of.get(n) is not None)
        story = _typos.story(s.x0[j], v, is_total=code.endswith(".total") or ".total." in code, neighbours=near)
        changes.append(Change(code, float(s.x0[j]), v, story))
    if pattern is None and len(changes) == 2:
        a, b = changes
        if a.value == b.printed and b.value == a.printed and a.value is not None and \
                b.code in neighbour_codes(a.code, template):
            pattern = "swapped"
    return Explanation(tuple(changes), pattern)


def _shift_stories(s: _System, template, cells_of: dict[str, float | None]) -> list[Explanation]:
    """Rows/columns whose values, moved back by one cell, satisfy every identity."""
    index = {c: j for j, c in enumerate(s.codes)}
    touched = {s.codes[j] for j in np.nonzero(np.any(s.A[s.violated(s.x0)] != 0, axis=0))[0]}
    lines = set()
    for code in touched:
        t, row, col = code.split(".")
        table = template.tables[t]
        lines.add(("shift_row", tuple(f"{t}.{row}.{c}" for c in table.row_columns[row])))
        lines.add(("shift_column", tuple(f"{t}.{r}.{col}" for r in table.rows if col in table.row_columns[r])))
    found = []
    for pattern, line in sorted(lines):
        if not all(c in index for c in line):
            continue
        printed = [s.x0[index[c]] for c in line]
        for direction in (1, -1):
            moved = printed[direction:] + [None] if direction == 1 else [None] + printed[:-1]
            free = line[-1] if direction == 1 else line[0]
            x = s.x0.copy()
            for c, v in zip(line, moved):
                if v is not None:
                    x[index[c]] = v
            if not s.holds(x):
                fixes = _single_changes(s, x, only=[index[free]])
                if not fixes or fixes[0][1] is None:
                    continue
                x[index[free]] = fixes[0][1]
            changed = {i: float(x[i]) for i in range(len(x)) if x[i] != s.x0[i]}
            if len(changed) >= 2:
                found.append(_explanation(s, changed, cells_of, template, pattern))
    return found


def _localise_system(s: _System, template, cells_of) -> Localisation:
    failing = tuple(n for n, v in zip(s.names, s.violated(s.x0)) if v) + \
        tuple(f"bad[{s.codes[j]}]" for j in np.nonzero(s.bad(s.x0))[0])
    singles = _single_changes(s, s.x0)
    complete, size = True, 1
    if singles:
        found = [_explanation(s, {j: v}, cells_of, template) for j, v in singles]
    else:
        found, cuts = [], []
        while True:
            cells = _milp(s, cuts)
            if cells is None or (cuts and len(cells) > len(cuts[0])):
                break
            if len(found) == MAX_EXPLANATIONS:
                complete = False
                break
            cuts.append(cells)
            found.append(_explanation(s, _values(s, cells), cells_of, template))
        size = len(cuts[0]) if cuts else 0
        known = [set(e.cells) for e in found]
        found += [e for e in _shift_stories(s, template, cells_of) if set(e.cells) not in known]
    order = {c: i for i, c in enumerate(template.codes)}
    # human stories (swaps, shifts) first, then more slips explained, fewer cells, print order
    found.sort(key=lambda e: (e.pattern is None, -e.score, len(e.changes), [order[c] for c in e.cells]))
    one = len(found) > 1 and all(len(e.changes) == 1 for e in found) and \
        len({tuple(s.A[:, s.codes.index(e.cells[0])] != 0) for e in found}) == 1
    return Localisation(template.code, failing, size, tuple(found), complete, one)


def localise(report: Report, compiled: CompiledRules | None = None) -> list[Localisation]:
    """Explanations for every independent part of ``report``'s tables that has a failure."""
    c = compiled or compiled_for(report.template)
    values = np.array([np.nan if report.cells.get(code) is None else float(report.cells[code])
                       for code in c.codes])
    out = []
    for s in _systems(c, values):
        if s.violated(s.x0).any() or s.bad(s.x0).any():
            out.append(_localise_system(s, c.template, report.cells))
    return out


def _instance_name(f) -> str:
    return f"{f.rule}[{f.instance}]" if f.instance else f.rule


def localise_result(result) -> None:
    """Fill ``suspects``/``suggestions`` of ``result``'s failing findings, in place."""
    if result.report.status == "failed" or not any(
            f.reason in LOCALISED_REASONS and f.severity == "error" for f in result.findings):
        return
    locs = localise(result.report)
    for i, f in enumerate(result.findings):
        if f.reason not in LOCALISED_REASONS or f.severity != "error":
            continue
        name = _instance_name(f)
        loc = next((l for l in locs if name in l.failing or any(f"bad[{c}]" in l.failing for c in f.cells)), None)
        if loc is None or not loc.explanations:
            continue
        suspects = tuple(c for c in loc.suspects if c in f.cells) or loc.suspects
        suggestions = tuple((c, v) for c, v in loc.suggestions.items() if c in suspects)
        result.findings[i] = f.evolve(
            suspects=suspects, suggestions=suggestions,
            message_zh=f"{f.message_zh} {loc.message('zh')}".strip(),
            message_en=f"{f.message_en} {loc.message('en')}".strip())


def localise_pass(results: list) -> list:
    """POST_PASSES step: localise every result with failing identities."""
    for r in results:
        localise_result(r)
    return results

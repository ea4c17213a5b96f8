"""Error localisation: which printed cells are wrong, and what they should be.

Fellegi–Holt: find the smallest set of cells whose change lets every error-severity
identity (and non-negativity, integrality) hold, keeping every other cell as printed.
The system is the compiled coefficient matrix restricted to identities whose cells are
all reported — a blank cell is unknown, never 0, so identities with blanks constrain
nothing. It splits into independent parts (table 3, each row of table 4); each part
with a failure is solved on its own by ``_fh`` (exact enumeration, HiGHS MILP beyond).

Minimal explanations are then ranked by how much they look like slips people make
(``_typos``); a whole row or column shifted by one cell is tried as a further story
when no single cell explains everything. Ties are reported as ambiguous, never guessed.
``localise_pass`` (in ``_api.POST_PASSES``) fills ``suspects``/``suggestions`` of the
failing findings and appends the explanation to their messages (``_explain``). It solves
the identities of the rules in force: the packaged ones, or the in-year rules of the list
given to ``audit_reports`` (so that it never counts an identity that was not checked).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from . import _typos
from ._compile import CompiledRules, compiled_for
from ._fh import MAX_CHANGED, _exact_or_none, _milp, _single_changes, _System, _TimedOut, _values
from ._explain import lines as cell_lines, message, neighbour_codes
from ._linked import linked_groups
from ._report import Report
from ._rules import Rule

MAX_EXPLANATIONS = 6
MILP_BUDGET_S = 15.0  # per part of a report, for listing tied explanations with the MILP
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
        """How much this looks like slips people make (see ``_typos.STRENGTH``)."""
        stories = ([self.pattern] if self.pattern else []) + [c.story for c in self.changes if c.story]
        return sum(_typos.STRENGTH.get(s, 0) for s in stories)

    @property
    def telling(self) -> bool:
        """Every change is explained by a telling story (or the whole by a pattern)."""
        return bool(self.pattern) or all(_typos.STRENGTH.get(c.story, 0) >= _typos.STRONG for c in self.changes)


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
    def preferred(self) -> bool:
        """Several minimal explanations, but the first is clearly a slip and the others are not as telling."""
        e = self.explanations
        return len(e) > 1 and e[0].telling and e[0].score > e[1].score

    @property
    def ambiguous(self) -> bool:
        return (len(self.explanations) != 1 or not self.complete) and not self.preferred

    @property
    def suspects(self) -> tuple[str, ...]:
        chosen = self.explanations[:1] if self.preferred else self.explanations
        return tuple(dict.fromkeys(c for e in chosen for c in e.cells))

    @property
    def suggestions(self) -> dict[str, float]:
        """Values that fix everything: the explanation's, or one per alternative cell."""
        if self.preferred:
            return {c.code: c.value for c in self.explanations[0].changes if c.value is not None}
        if not self.ambiguous or all(len(e.changes) == 1 for e in self.explanations):
            return {c.code: c.value for e in self.explanations for c in e.changes if c.value is not None}
        return {}

    def message(self, lang: str = "zh") -> str:
        return message(self, lang)


def _systems(c: CompiledRules, values: np.ndarray) -> list[_System]:
    """The independent components of the checkable error identities."""
    unary = {(i.key, i.kind.relation) for i in c.instances if i.kind.shape == "unary" and i.rule.severity == "error"}
    keep = [k for k, inst in enumerate(c.linear)
            if inst.rule.severity == "error" and not np.isnan(values[c.matrix[k] != 0]).any()]
    if not keep:
        return []
    M = c.matrix[keep]
    used = [int(j) for j in np.nonzero(np.abs(M).sum(axis=0))[0]]
    groups = linked_groups(used, (np.nonzero(row)[0].tolist() for row in M))
    out = []
    for js in groups:
        rows = [k for k in range(len(keep)) if np.any(M[k, js])]
        codes = [c.codes[j] for j in js]
        out.append(_System(codes, values[js].astype(float), M[np.ix_(rows, js)],
                           np.array([c.linear[keep[k]].kind.relation == "eq" for k in rows]),
                           [c.linear[keep[k]].name for k in rows],
                           np.array([(x, "non_negative") in unary for x in codes]),
                           np.array([(x, "integer") in unary for x in codes])))
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
        row_line, col_line = cell_lines(code, template)
        lines.update((("shift_row", row_line), ("shift_column", col_line)))
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


def _with_shifts(found: list[Explanation], shifts: list[Explanation]) -> list[Explanation]:
    """Add shift stories; a shift that is also a minimal set replaces that set's plain entry."""
    keys = {frozenset(e.cells) for e in shifts}
    return [e for e in found if frozenset(e.cells) not in keys] + shifts


def _localise_system(s: _System, template, cells_of) -> Localisation:
    failing = tuple(n for n, v in zip(s.names, s.violated(s.x0)) if v) + \
        tuple(f"bad[{s.codes[j]}]" for j in np.nonzero(s.bad(s.x0))[0])
    singles = _single_changes(s, s.x0)
    complete, size = True, 1
    if singles:
        found = [_explanation(s, {j: v}, cells_of, template) for j, v in singles]
    elif (exact := _exact_or_none(s)):
        size = len(exact[0])
        found = [_explanation(s, values, cells_of, template) for values in exact]  # all of them
        found = _with_shifts(found, _shift_stories(s, template, cells_of))
    else:
        found, cuts = [], []
        deadline = time.monotonic() + MILP_BUDGET_S
        while True:
            try:
                cells = _milp(s, cuts)
            except _TimedOut:
                complete = False
                break
            if cells is None or (cuts and len(cells) > len(cuts[0])):
                break
            if len(found) == MAX_EXPLANATIONS or len(cells) > MAX_CHANGED or time.monotonic() > deadline:
                complete = False
                break
            cuts.append(cells)
            found.append(_explanation(s, _values(s, cells), cells_of, template))
        size = len(cuts[0]) if cuts else 0
        if found:
            found = _with_shifts(found, _shift_stories(s, template, cells_of))
    order = {c: i for i, c in enumerate(template.codes)}
    # human stories (swaps, shifts) first, then more slips explained, fewer cells, print order
    found.sort(key=lambda e: (e.pattern is None, -e.score, len(e.changes), [order[c] for c in e.cells]))
    one = len(found) > 1 and all(len(e.changes) == 1 for e in found) and \
        len({tuple(s.A[:, s.codes.index(e.cells[0])] != 0) for e in found}) == 1
    return Localisation(template.code, failing, size, tuple(found), complete, one)


def localise(report: Report, compiled: CompiledRules | None = None) -> list[Localisation]:
    """Explanations for every independent part of ``report``'s tables that has a failure.

    ``compiled``: the rules to satisfy (default: the packaged rules for the report's template).
    """
    c = compiled or compiled_for(report.template)
    values = np.array([np.nan if report.cells.get(code) is None else float(report.cells[code])
                       for code in c.codes])
    # an infinite value (a reader's 400-digit number) is no count to solve for: such a
    # cell is left out like a blank one, so the identities through it constrain nothing
    values[~np.isfinite(values)] = np.nan
    out = []
    for s in _systems(c, values):
        if s.violated(s.x0).any() or s.bad(s.x0).any():
            out.append(_localise_system(s, c.template, report.cells))
    return out


def _instance_name(f) -> str:
    return f"{f.rule}[{f.instance}]" if f.instance else f.rule


def _has_failures(result) -> bool:
    return result.report.status != "failed" and any(
        f.reason in LOCALISED_REASONS and f.severity == "error" for f in result.findings)


def localise_result(result, compiled: CompiledRules | None = None) -> None:
    """Fill ``suspects``/``suggestions`` of ``result``'s failing findings, in place.

    ``compiled``: the rules the findings come from (default: the packaged rules).
    """
    if not _has_failures(result):
        return
    locs = localise(result.report, compiled)
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


def localise_pass(results: list, rules: list[Rule] | None = None) -> list:
    """POST_PASSES step: localise every result with failing identities, against ``rules``
    (None: the packaged rules; a list: its in-year rules)."""
    compiled: dict[str, CompiledRules] = {}  # a list's rules, compiled once per template
    for r in results:
        if rules is None:
            localise_result(r)
        elif _has_failures(r):
            code = r.report.template
            if code not in compiled:
                compiled[code] = compiled_for(code, rules)
            localise_result(r, compiled[code])
    return results

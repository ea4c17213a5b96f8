"""Break a report the way people do, and say which breakages the rules promise to catch.

Every corruption changes exactly one cell, and is built so that it *does* change it:
a transposition is only offered where two neighbouring digits differ (11 → 11 is no
change), a doubled digit never on 0 (0 → 00), a neighbour's value only where it differs.

Which corruptions must be detected follows from the rules alone (``blind_spots``):

* a value change (off by n, transposed/dropped/doubled digit, neighbour's value) of a
  cell in at least one ``sum_identity`` of severity error changes that identity's
  residual by the change itself, so an error naming the cell must follow — provided the
  identity's other cells are reported (true for reports drawn from ``reports()``);
* a flipped sign is also caught by an error-severity ``non_negative`` rule;
* a total left blank is caught by the blank policy as a ``not_reported`` *warning*
  naming the cell (a blank is never turned into an arithmetic error).

Everything else — with today's rules, every table-2 count — is a blind spot: the value
can change to another non-negative whole number and no rule can tell.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .._explain import neighbour_codes
from .._report import CellSource, Report
from .._rules import Rule, instances_for
from .._template import Template, get_template
from ._plan import memo, plan_for

CORRUPTION_KINDS = ("off_by", "transposed", "dropped_digit", "doubled_digit", "neighbour",
                    "blank_total", "sign_flip")
_VALUE_KINDS = ("off_by", "transposed", "dropped_digit", "doubled_digit", "neighbour")


@dataclass(frozen=True)
class Corruption:
    """What :func:`corruptions` changed: ``cell`` went from ``original`` to ``new``.

    ``source`` is the neighbouring cell whose value was typed in (``neighbour`` only).
    """

    kind: str
    cell: str
    original: float | None
    new: float | None
    source: str | None = None

    def __str__(self) -> str:
        fmt = lambda v: "blank" if v is None else f"{v:g}"  # noqa: E731
        via = f" (from {self.source})" if self.source else ""
        return f"{self.kind} {self.cell}: {fmt(self.original)} → {fmt(self.new)}{via}"


def _count_cells(tpl: Template) -> list[str]:
    return [c for c, spec in tpl.cells.items() if spec.kind == "count"]


def blind_spots(template: str = "2021", *, rules: list[Rule] | None = None) -> dict[str, tuple[str, ...]]:
    """For each corruption kind, the count cells where the rules promise no detection.

    Detection means: an error finding naming the cell (for ``blank_total``: a
    ``not_reported`` finding naming it), on a report whose other cells are reported.
    """
    return dict(memo("blind", get_template(template), rules, _blind_spots))


def _blind_spots(tpl: Template, rules: list[Rule]) -> dict[str, tuple[str, ...]]:
    insts = instances_for(tpl, rules)
    errors = [i for i in insts if i.rule.severity == "error"]
    in_identity = {c for i in errors if i.kind.relation == "eq" for c in i.cells}
    non_negative = {i.key for i in errors if i.kind.relation == "non_negative"}
    totals = plan_for(tpl, rules).totals
    linear = {c for i in insts if i.kind.shape == "linear" for c in i.cells}
    counts = _count_cells(tpl)
    caught = {k: in_identity for k in _VALUE_KINDS}
    caught["sign_flip"] = in_identity | non_negative
    caught["blank_total"] = linear
    return {k: tuple(c for c in counts if (k != "blank_total" or c in totals) and c not in caught[k])
            for k in CORRUPTION_KINDS}


def _whole(v: float | None) -> int | None:
    return int(v) if v is not None and v >= 0 and float(v).is_integer() else None


def _neighbours(tpl: Template, code: str) -> tuple[str, ...]:
    """Cells of the same kind printed next to ``code``: left/right in its row, above/below in its column."""
    return tuple(n for n in neighbour_codes(code, tpl) if tpl.cells[n].kind == tpl.cells[code].kind)


def _digit_edits(kind: str, value: int) -> list[int]:
    s = str(value)
    if kind == "transposed":
        out = [s[:i] + s[i + 1] + s[i] + s[i + 2:] for i in range(len(s) - 1)
               if s[i] != s[i + 1] and not (i == 0 and s[1] == "0")]  # a leading 0 is not a typo
    elif kind == "dropped_digit":
        out = [s[:i] + s[i + 1:] for i in range(len(s))] if len(s) > 1 else []
    else:  # doubled_digit
        out = [s[:i] + s[i] + s[i:] for i in range(len(s))] if value else []
    return sorted({int(x) for x in out} - {value})


def _options(report: Report, tpl: Template, kind: str, code: str, plan_totals: frozenset[str]) -> list:
    """Every way ``kind`` can change ``code``; an empty list if it cannot."""
    v = report.cells.get(code)
    if v is None:
        return []
    if kind == "off_by":
        return [v]  # the size of the slip is drawn later
    if kind == "sign_flip":
        return [-v] if v else []
    if kind == "blank_total":
        return [None] if code in plan_totals else []
    if kind == "neighbour":
        return [(n, report.cells[n]) for n in _neighbours(tpl, code)
                if report.cells.get(n) is not None and report.cells[n] != v]
    whole = _whole(v)
    return [] if whole is None else [float(x) for x in _digit_edits(kind, whole)]


def _apply(report: Report, c: Corruption) -> tuple[Report, Corruption]:
    cells = dict(report.cells)
    cells[c.cell] = c.new
    provenance = dict(report.provenance)
    if c.cell in provenance:
        provenance[c.cell] = CellSource("" if c.new is None else f"{c.new:g}", provenance[c.cell].where,
                                        "blank" if c.new is None else provenance[c.cell].how)
    return dataclasses.replace(report, cells=cells, provenance=provenance), c


def _off_by(report: Report, code: str, v: float) -> st.SearchStrategy:
    # Slips are mostly small; a count never goes below zero this way (that is sign_flip).
    def make(n: int) -> tuple[Report, Corruption]:
        return _apply(report, Corruption("off_by", code, v, v + n))
    down = int(min(v, 20)) if v >= 1 else 0
    return st.one_of(st.integers(1, 20), st.integers(-down, -1) if down else st.nothing()).map(make)


def corruptions(report: Report, *, kinds: tuple[str, ...] | list[str] | None = None,
                cells: list[str] | None = None, rules: list[Rule] | None = None,
                detectable: bool = False) -> st.SearchStrategy[tuple[Report, Corruption]]:
    """A strategy of ``(broken report, Corruption)`` pairs, each changing one cell of ``report``.

    Args:
        kinds: a subset of ``CORRUPTION_KINDS`` (default: all).
        cells: the cells that may be changed (default: every count cell — tables 3 and 4
            and the table-2 counts; not money, not the signed 本年增/减).
        rules: the rule set (only used to know totals and, with ``detectable``, blind spots).
        detectable: only corruptions whose detection the rules promise (see
            :func:`blind_spots`).

    A report with nothing that can be corrupted gives ``st.nothing()``.
    """
    kinds = CORRUPTION_KINDS if kinds is None else tuple(kinds)
    unknown = set(kinds) - set(CORRUPTION_KINDS)
    if unknown or not kinds:
        raise InvalidArgument(f"kinds={kinds!r}: choose from {CORRUPTION_KINDS}")
    if not isinstance(report, Report):
        raise InvalidArgument(f"corruptions() takes a gov_audit.Report, not {type(report).__name__}")
    tpl = get_template(report.template)
    scope = _count_cells(tpl) if cells is None else list(cells)
    if bad := [c for c in scope if c not in tpl.cells]:
        raise InvalidArgument(f"cells {bad[:5]} are not cells of template {tpl.code}")
    blind = {k: set(v) for k, v in blind_spots(tpl.code, rules=rules).items()} if detectable else {}
    totals = plan_for(tpl, rules).totals
    # kind → cell → way: each kind is as likely as any other, whatever its number of ways
    options: dict[str, dict[str, list]] = {}
    for kind in kinds:
        for code in scope:
            if code not in blind.get(kind, ()) and (ways := _options(report, tpl, kind, code, totals)):
                options.setdefault(kind, {})[code] = ways
    if not options:
        return st.nothing()

    def build(kind: str, code: str, option) -> st.SearchStrategy:
        original = report.cells[code]
        if kind == "off_by":
            return _off_by(report, code, original)
        if kind == "neighbour":
            source, value = option
            return st.just(_apply(report, Corruption(kind, code, original, value, source)))
        return st.just(_apply(report, Corruption(kind, code, original, option)))

    return st.sampled_from(list(options)).flatmap(
        lambda kind: st.sampled_from(list(options[kind])).flatmap(
            lambda code: st.sampled_from(options[kind][code]).flatmap(
                lambda option: build(kind, code, option))))

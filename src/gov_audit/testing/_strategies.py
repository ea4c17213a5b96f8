"""Hypothesis strategies for whole reports and panels, built by construction from a Plan.

Each report is drawn in four steps, all without filtering:

1. a profile: the agency's size (most are small, a few are large) and how sparse its
   tables are (most real reports are mostly zeros);
2. which blankable units are left blank (a whole table sometimes, a single unit rarely);
3. which rows and columns are in use: a sparse report has numbers in a few rows (予以公开,
   本机关不掌握…) and a few columns (自然人), and zeros elsewhere — the way real reports
   look, and far fewer choices than one per cell;
4. the free cells in use, one at a time, in the bounds the plan gives (see ``_plan``);
   the dependent cells (totals, ``new``) are then computed, so every rule holds exactly.

A drawn integer ``r`` becomes a cell value through a "dead zone" around zero: ``r`` in
``[-pad, pad]`` means 0 and values outside are shifted towards 0. That makes zeros as
common as the profile asks with one choice per cell. Every choice shrinks towards 0,
which means "not blank", "not in use" and "zero": failing reports shrink to near-empty ones.
"""
from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from collections import defaultdict

from .._report import CellSource, Report, panel_of
from .._rules import Rule
from .._template import get_template, templates
from ._plan import Plan, plan_for

# Upper bounds for one free count cell: a township office, a county bureau, a big city.
AGENCY_SIZES = (5, 60, 3000)
# (1 in how many rows is in use, 1 in how many columns, dead-zone pad factor); None = all.
# Half the reports are sparse, a quarter middling, a quarter dense.
PROFILES = ((4, 3, 1), (4, 3, 1), (2, 2, 1), (None, None, 0))


def _validate(template: str | None, rules: list[Rule] | None, blanks: bool, max_count: int | None) -> None:
    known = sorted(templates())
    if template is not None and str(template) not in known:
        raise InvalidArgument(f"template={template!r} is not a known template; known: {known}")
    if rules is not None and (isinstance(rules, (str, bytes)) or not all(isinstance(r, Rule) for r in rules)):
        raise InvalidArgument(f"rules={rules!r} must be a list of gov_audit rules (see gov_audit.load_rules)")
    if not isinstance(blanks, bool):
        raise InvalidArgument(f"blanks={blanks!r} must be True or False")
    if max_count is not None and (not isinstance(max_count, int) or isinstance(max_count, bool) or max_count < 0):
        raise InvalidArgument(f"max_count={max_count!r} must be None or a non-negative int")


def _draw_k(draw, lo: int, hi: int, pad_factor: int) -> int:
    """An integer in [lo, hi] (which contains 0); zero in about pad/(1+pad) of the draws."""
    if lo == hi:
        return lo  # nothing to choose: spend no choice on it
    pad = pad_factor * max(hi - lo, 1) // 2
    r = draw(st.integers(lo - pad, hi + pad))
    return r - pad if r > pad else r + pad if r < -pad else 0


def _one_in(draw, n: int) -> bool:
    # A middle value, not an end: Hypothesis draws the ends of a range far more often.
    # Shrinking goes towards 0, i.e. towards "no".
    return draw(st.integers(0, n - 1)) == n // 2


def _blank_cells(draw, plan: Plan) -> set[str]:
    """Cells left blank: whole tables sometimes, single units rarely, never a partial identity."""
    blank: set[str] = set()
    for table in plan.template.tables:
        if _one_in(draw, 15):
            blank.update(c for comp in plan.components if any(x.startswith(table + ".") for x in comp)
                         for c in comp)
    for comp in plan.components:
        if not blank.issuperset(comp) and _one_in(draw, 30):
            blank.update(comp)
    return blank


def _in_use(draw, plan: Plan, blank: set[str], rows_odds: int | None, cols_odds: int | None) -> set[str]:
    """The free cells that may be non-zero: those in a row and a column in use."""
    by_table = defaultdict(list)
    for f in plan.free:
        if f.cell not in blank:
            by_table[f.cell.split(".")[0]].append(f.cell)
    out: set[str] = set()
    for cells in by_table.values():
        rows = dict.fromkeys(c.split(".")[1] for c in cells)
        cols = dict.fromkeys(c.split(".")[2] for c in cells)
        if rows_odds is None or len(rows) + len(cols) >= len(cells):
            out.update(cells)  # dense, or a small table where flags would cost more than cells
            continue
        on_rows = {r for r in rows if _one_in(draw, rows_odds)}
        on_cols = {c for c in cols if _one_in(draw, cols_odds)}
        out.update(c for c in cells if c.split(".")[1] in on_rows and c.split(".")[2] in on_cols)
    return out


def _draw_cells(draw, plan: Plan, blank: set[str], in_use: set[str], cap: int,
                pad: int) -> dict[str, float | None]:
    partial = [0] * len(plan.guarded)  # running value of each guarded dependent (>= 0 throughout)
    free_values = {}
    for f in plan.free:
        if f.cell not in in_use:
            free_values[f.cell] = 0  # blank (its whole unit is: the value is never shown) or unused
            continue
        lo, hi = 0, int(cap // f.step)  # money too: a big agency's fees run to thousands of 万元
        if not f.non_negative:
            lo = -hi
        for g, coef in f.uses:
            m = coef * f.step
            if m > 0:
                lo = max(lo, -(partial[g] // m))   # partial + m·k >= 0, i.e. k >= ceil(−partial / m)
            else:
                hi = min(hi, partial[g] // -m)
        value = _draw_k(draw, lo, hi, pad) * f.step
        free_values[f.cell] = value
        for g, coef in f.uses:
            partial[g] += coef * value
    values = plan.evaluate(free_values)
    return {c: None if c in blank else float(values[c]) for c in plan.template.codes}


@st.composite
def _report(draw, template: str, rules: list[Rule] | None, blanks: bool, max_count: int | None) -> Report:
    tpl = get_template(template)
    plan = plan_for(tpl, rules)  # built at draw time, so a broken rule file fails the test, not collection
    size = draw(st.integers(0, 9))
    cap = max_count if max_count is not None else AGENCY_SIZES[0 if size < 6 else 1 if size < 9 else 2]
    rows_odds, cols_odds, pad = draw(st.sampled_from(PROFILES))
    blank = _blank_cells(draw, plan) if blanks else set()
    in_use = _in_use(draw, plan, blank, rows_odds, cols_odds)
    cells = _draw_cells(draw, plan, blank, in_use, cap, pad)
    last = tpl.last_year if tpl.last_year is not None else tpl.first_year + 4
    year = draw(st.integers(tpl.first_year, max(tpl.first_year, last)))
    provenance = {c: CellSource("" if v is None else f"{v:g}", "generated", "blank" if v is None else "read")
                  for c, v in cells.items()}
    # No agency: the cross-year checks pair reports by agency, and generated reports are
    # unrelated to one another.
    return Report(f"generated {tpl.code} report", tpl.code, cells, year=year, agency=None, form="data",
                  provenance=provenance)


def reports(template: str | None = "2021", *, rules: list[Rule] | None = None, blanks: bool = True,
            max_count: int | None = None) -> st.SearchStrategy[Report]:
    """A strategy of complete :class:`gov_audit.Report` objects that break no rule.

    Args:
        template: ``"2019"``, ``"2021"`` or None for either.
        rules: the rule set the reports must satisfy (default: the packaged rules, or
            ``$GOV_AUDIT_RULES``); pass the same list to ``gov_audit.audit(..., rules=)``.
        blanks: leave some cells blank (null) where the blank policy allows it without a
            finding: whole tables, or every cell linked to one another by a rule.
        max_count: upper bound for a drawn count cell (totals are sums, so larger). The
            default mixes small agencies with a few large ones.
    """
    _validate(template, rules, blanks, max_count)
    if template is None:
        return st.sampled_from(sorted(templates())).flatmap(
            lambda code: _report(code, rules, blanks, max_count))
    return _report(str(template), rules, blanks, max_count)


def _as_panel(template: str, drawn: list[Report]) -> pd.DataFrame:
    named = [Report(f"r{i}", r.template, r.cells, year=r.year, agency=r.agency, form=r.form,
                    provenance=r.provenance) for i, r in enumerate(drawn)]
    panel = panel_of(named, template)
    panel.attrs["template"] = template
    return panel


def panels(template: str | None = "2021", *, min_size: int = 1, max_size: int = 8,
           rules: list[Rule] | None = None, blanks: bool = True,
           max_count: int | None = None) -> st.SearchStrategy[pd.DataFrame]:
    """A strategy of panels: DataFrames of ``min_size``..``max_size`` reports of one template.

    The shape is that of :func:`gov_audit.panel_of`: index ``r0, r1, …`` named "report",
    one nullable ``Float64`` column per cell code; ``panel.attrs["template"]`` names the
    template, for ``gov_audit.audit_panel(panel, panel.attrs["template"])``. Other
    options are those of :func:`reports`.
    """
    _validate(template, rules, blanks, max_count)
    if not (isinstance(min_size, int) and isinstance(max_size, int) and 0 <= min_size <= max_size):
        raise InvalidArgument(f"need 0 <= min_size <= max_size, got min_size={min_size!r}, max_size={max_size!r}")

    def of(code: str) -> st.SearchStrategy[pd.DataFrame]:
        return st.lists(_report(code, rules, blanks, max_count), min_size=min_size, max_size=max_size).map(
            lambda drawn: _as_panel(code, drawn))

    if template is None:
        return st.sampled_from(sorted(templates())).flatmap(of)
    return of(str(template))

"""Find the cells of a template's tables in a stream of atoms.

Rows are found by their printed labels, in template order; the value atoms between
one row label and the next are that row's cells. Real reports bend this in a few
ways, each handled here in general rather than for one file:

* digits run together (``640020470``): the run is split with the table's identities
  (row sums, column sums, the balance) and recorded as inferred, or as ambiguous when
  several splits satisfy every identity (see ``_split``);
* a row whose label was lost or cut off (a PDF conversion dropped it, or moved it
  elsewhere): when the values after the previous row hold exactly one printed row
  per row still missing, they are taken in template order and marked inferred;
* extra printed columns and rows that are not template cells — a 法人或其他组织
  小计 column, （三）…（六） subtotal rows, a 行政诉讼 合计 column in table 4 — are
  recognised, kept out of the canonical cells and checked (``_extras``);
* table 2 is often printed in several small tables in another order, so its rows are
  also looked for out of order;
* a row with more values than columns is never cut short: values known not to be
  values (a footnote mark in a label cell, a later row's heading cells) are dropped, a
  cell holding several tokens is one cell that is not a number, and what cannot be
  told apart leaves the row unreported with a finding (``_regions.fit_surplus``).

Label groups, value chunks and how a region is shared among rows are in ``_regions``.

Most rows bend none of these ways, so a row printed plainly is read by a fast path
(see ``_TableReader``): the general steps specialised to that case, giving the same
cells, provenance and problems. ``locate(..., fast=False)`` turns it off for tests.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .._finding import Reason
from .._report import CellSource
from .._template import Template, table_name
from ._atoms import BLANK, GLUED, NUM, PLACEHOLDER, Atom, Group
from ._dash import glued_dash
from ._extras import Extras, column_layout
from ._numbers import ValueProblem, value_of
from ._regions import (
    chunks_of,
    drop_non_values,
    find_label,
    fit_surplus,
    label_groups,
    share_region,
)
from ._rowplan import row_plan, table_codes
from ._split import SUBTOTAL, Chooser, Decision, run_of
from ._surplus import SurplusSteps
from ._table4 import locate_t4

NOT_FOUND = CellSource("", "", "missing")  # immutable, so one serves every cell not found
_UNASSIGNED: tuple[list[Atom], str] = ([], "")


@dataclass
class Problem:
    reason: str
    cells: tuple[str, ...]
    zh: str
    en: str
    severity: str = "warning"
    rule: str = ""  # a rule id of its own (e.g. a printed subtotal); else ``read.<reason>``


@dataclass
class Located:
    """What was read: each cell's value and where it came from, kept apart as the Report keeps them."""

    values: dict[str, float | None] = field(default_factory=dict)
    sources: dict[str, CellSource] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    fast_rows: int = 0  # rows read by the fast path (tests check that it keeps applying)

    def set(self, code: str, value: float | None, raw: str, where: str, how: str) -> None:
        self.values[code] = value
        self.sources[code] = _new(CellSource, (raw, where, how))


_new = tuple.__new__  # builds a named tuple without its Python-level __new__: hundreds per report

# The value of a plain count as printed ("0", "12"), as ``put`` reads it: most cells hold a
# small count, and the same few hundred texts recur in every report.
_COUNTS: dict[str, float] = {}


def _count(text: str) -> float:
    value = float(int(text))
    if len(text) <= 4:  # small counts recur; a cache of them stays small
        _COUNTS[text] = value
    return value


class _TableReader(SurplusSteps):
    """Reads the tables of one report.

    With ``fast`` (the default), a row printed plainly — one run of values between its label
    and the next row's, as many as its cells, in the template's columns — is read straight
    into its cells; every other row takes the general steps (chunks, shared regions,
    subtotals, glued dashes, digits run together). The fast steps are the general ones
    specialised to that case, so both give the same cells, provenance and problems;
    ``fast=False`` forces the general steps (tests compare the two).
    """

    def __init__(self, atoms: list[Atom], template: Template, out: Located, fast: bool = True,
                 groups: list[Group] | None = None, glued_at: list[int] | None = None):
        self.atoms, self.template, self.out, self.fast = atoms, template, out, fast
        self.groups = label_groups(atoms) if groups is None else groups
        self.extras = Extras(template)
        self._unglued: set[tuple[str, str]] = set()  # rows whose values are known to hold no glued "-"
        # Where each table's rows were found, and where its last row's region ends (see ``span``)
        self._found: dict[str, tuple[dict[str, int], list[int], int]] = {}
        self._repeats: bool | None = None  # see ``repeats``
        # Where a "-" is glued between digits (a row for ``glued_dash`` to weigh, or a date in the text)
        self.glued_at = [i for i, a in enumerate(atoms) if a.unit == GLUED] if glued_at is None else glued_at

    # -- cells ----------------------------------------------------------------------------
    def put(self, code: str, atom: Atom, how: str = "read") -> None:
        text = atom.text
        if atom.kind == NUM and not atom.unit and len(text) <= 15 and text.isascii() and text.isdigit():
            # a plain count, as most cells are: ``value_of``'s own first case, without the call
            self.out.set(code, float(int(text)), atom.raw, atom.where, how)
            return
        spec = self.template.cells[code]
        try:
            value = value_of(atom, spec.kind, spec.unit)
        except ValueProblem:
            self.out.problems.append(Problem(Reason.CELL_MISSING.value, (code,),
                                             f"{spec.describe('zh')} 的内容“{atom.raw}”不是数字，按未填报处理。",
                                             f"{spec.describe('en')} holds {atom.raw!r}, not a number; read as not reported."))
            value = None
        if value is None:
            how = "blank"
        self.out.set(code, value, atom.raw, atom.where, how)

    def missing(self, codes: list[str], zh: str, en: str) -> None:
        values, sources = self.out.values, self.out.sources
        for c in codes:
            if c not in sources:
                values[c], sources[c] = None, NOT_FOUND
        self.out.problems.append(Problem(Reason.CELL_MISSING.value, tuple(codes), zh, en))

    # -- rows -----------------------------------------------------------------------------
    def find_rows(self, table: str, first_group: int = 0, stop_group: int | None = None,
                  any_order: bool = False) -> dict[str, int]:
        """Group index of each row label of ``table``, searched in printed order.

        With ``any_order`` a row not found after the previous one is also looked for
        anywhere in the table (table 2 is often printed as small tables in another order).
        """
        plan = row_plan(self.template, table)
        found: dict[str, int] = {}
        pos = first_group
        for n, (row, _, _, _, _, spellings) in enumerate(plan):
            g = find_label(self.groups, spellings, pos, stop_group)
            if g is None and any_order:
                g = find_label(self.groups, spellings, first_group, stop_group, set(found.values()))
                if g is not None:
                    found[row] = g
                continue
            if g is None:
                continue
            if n == 0 and len(plan) > 1:  # the first label must be followed by the second
                while g is not None:
                    nxt = find_label(self.groups, plan[1].spellings, g + 1, min(g + 12, len(self.groups)))
                    if nxt is not None:
                        break
                    g = find_label(self.groups, spellings, g + 1, stop_group)
                if g is None:
                    continue
            found[row] = g
            pos = g + 1
        return found

    def assign(self, table: str, row_groups: dict[str, int], limit: int | None) -> dict[str, tuple[list[Atom], str]]:
        """The value atoms of each row (and how they were assigned: ``read`` or ``inferred``).

        Extra printed rows (subtotals) are handed to ``extras``; where rows after a found
        row were not found, its region is shared out among them one printed row each.
        """
        t = self.template.tables[table]
        names = list(t.rows)
        width = None
        ordered = sorted(row_groups.values())
        groups = self.groups
        out: dict[str, tuple[list[Atom], str]] = {}
        glued_at, fast = self.glued_at, self.fast
        last_stop = limit if limit is not None else len(self.atoms)
        self._found[table] = (row_groups, ordered, last_stop)
        for n, row in enumerate(names):
            g = row_groups.get(row)
            if g is None:
                continue
            # the row's values: from its label group to the next found row's (or ``limit``)
            k = bisect.bisect_right(ordered, g)  # the first found group after g: the nearest later row
            start, stop = groups[g].end, (groups[ordered[k]].start if k < len(ordered) else last_stop)
            if fast and (n + 1 == len(names) or names[n + 1] in row_groups) and (
                    g + 1 == len(groups) or stop <= groups[g + 1].start):
                # No label between this row's and the next: the region is one run of values and
                # no row after it is missing, so chunks_of and share_region would keep it whole.
                out[row] = (self.atoms[start:stop], "read")
                if not glued_at:
                    self._unglued.add((table, row))
                    continue
                k = bisect.bisect_left(glued_at, start)
                if k == len(glued_at) or glued_at[k] >= stop:
                    self._unglued.add((table, row))
                continue
            if width is None:
                width = {r: len(self.extras.layout(table, r)) for r in names}
            chunks = chunks_of(self.atoms, start, stop)
            kept = [c for k, c in enumerate(chunks)
                    if k == 0 or not self.extras.take_subtotal(table, row, c.label, c.atoms)]
            after = []
            for other in names[n + 1:]:
                if other in row_groups:
                    break
                after.append(other)
            shared = share_region(kept, [row, *after], width) if after else None
            if shared is None:
                out[row] = ([a for c in kept for a in c.atoms], "read")
                continue
            for r, atoms in zip([row, *after], shared):
                out[r] = (atoms, "read" if r == row else "inferred")
        return out

    def read_rows(self, table: str, row_groups: dict[str, int], limit: int | None, chooser: Chooser) -> None:
        """Cells row by row; rows whose digits ran together go to ``chooser``."""
        t = self.template.tables[table]
        assigned = self.assign(table, row_groups, limit)
        values, sources = self.out.values, self.out.sources
        new, counts = _new, _COUNTS
        # Table 3's printed columns (``column_layout``) are all of its columns, maybe with a 小计
        # column; without one, a row with every column is printed just as the template has it.
        t3_plain = not self.extras.t3_layout or SUBTOTAL not in self.extras.t3_layout
        for row, codes, label, columns, full, _ in row_plan(self.template, table):
            vals, how = assigned.get(row, _UNASSIGNED)
            if (self.fast and how == "read" and len(vals) >= len(codes) and (table != "t3" or (t3_plain and full))
                    and ((table, row) in self._unglued or all(a.unit != GLUED for a in vals))):
                if len(vals) > len(codes):
                    # more values than cells: fitted as the general steps below fit them (the
                    # layout is the template's columns here), or left to those steps to report
                    fitted = self._plain_surplus_off(table, row, vals, len(codes))
                    if fitted is None:
                        ctx = self.context(table, row)
                        fitted = fit_surplus(drop_non_values(vals, len(codes), ctx), len(codes), ctx,
                                             self._widest(table), self.plausible(table, columns), self.repeats)
                    vals = fitted if len(fitted) == len(codes) else vals
                if len(vals) == len(codes):
                    # The usual row: printed in the template's columns, so its values go to its cells in order.
                    for code, atom in zip(codes, vals):
                        kind, text, raw, where, unit, _, _ = atom
                        if kind == NUM and not unit:
                            value = counts.get(text)
                            if value is None and len(text) <= 15 and text.isascii() and text.isdigit():
                                value = _count(text)
                            if value is not None:
                                values[code] = value
                                sources[code] = new(CellSource, (raw, where, "read"))
                                continue
                        elif kind == BLANK or kind == PLACEHOLDER:
                            values[code] = None
                            sources[code] = new(CellSource, (raw, where, "blank"))
                            continue
                        self.put(code, atom, how)
                    self.out.fast_rows += 1
                    continue
            codes = list(codes)
            if row not in assigned:
                self.missing(codes, f"{table_name(table)}未找到「{label}」行。",
                             f"{table_name(table, 'en')}: row 「{label}」 not found.")
                continue
            vals, how = assigned[row]
            layout = self.extras.layout(table, row)
            ctx = None
            if len(vals) > len(codes):  # some may be no values at all: marks, a later row's heading cells
                ctx = self.context(table, row)
                vals = drop_non_values(vals, len(codes), ctx)
            if len(codes) <= len(vals) < len(layout):
                layout = list(t.row_columns[row])  # the extra column was left out of this row
            if any(a.unit == GLUED for a in vals):
                decision = glued_dash(self.template, table, row, codes, vals, layout)
                if decision is not None:
                    self._record(table, decision)
                    continue
            if len(vals) > len(layout):
                vals = fit_surplus(vals, len(layout), ctx or self.context(table, row), self._widest(table),
                                   self.plausible(table, layout), self.repeats)
                if len(vals) > len(layout):
                    self.surplus(codes, vals, len(layout), f"{table_name(table)}「{label}」行",
                                 f"{table_name(table, 'en')} row 「{label}」")
                    continue
            if len(vals) == len(layout):
                cells = dict(zip(layout, vals))
                for c, code in zip(t.row_columns[row], codes):
                    self.put(code, cells[c], how)
                self.extras.row_read(table, row, cells)
                if how == "inferred":
                    self.out.problems.append(Problem(
                        "row_inferred", tuple(codes),
                        f"{table_name(table)}「{label}」行的行名缺失或错位，按行序取其数值。",
                        f"{table_name(table, 'en')} row 「{label}」: its label is missing or misplaced; "
                        f"its values were taken by row order.", "info"))
                continue
            chunks = run_of(vals, len(layout))
            if chunks is None or not chooser.add(row, codes, chunks, layout):
                shown = " ".join(a.raw for a in vals)
                self.missing(codes, f"{table_name(table)}「{label}」行只找到 {len(vals)} 个数值（{shown}），应有 {len(codes)} 个。",
                             f"{table_name(table, 'en')} row 「{label}」: found {len(vals)} values ({shown}), "
                             f"expected {len(codes)}.")

    def known(self, table: str) -> dict[str, float | None]:
        prefix = table + "."
        return {c: v for c, v in self.out.values.items() if c.startswith(prefix)}

    def settle(self, table: str, chooser: Chooser) -> None:
        """Record the rows whose digits ran together, as settled by the table's identities."""
        if not chooser.pending:  # nothing ran together (the usual case): no need to gather the cells
            return
        for d in chooser.settle(self.known(table)):
            self._record(table, d)

    def _record(self, table: str, d: Decision) -> None:
        raw = "".join(a.raw for a in d.atoms)
        for k, code in enumerate(d.codes):
            value = None if d.values is None else float(d.values[k])
            self.out.set(code, value, raw, d.atoms[0].where, d.how)
        if d.row in self.template.tables[table].rows:
            label = self.template.tables[table].rows[d.row].label
            zh, en = f"{table_name(table)}「{label}」行", f"{table_name(table, 'en')} row 「{label}」"
        else:
            zh, en = table_name(table), table_name(table, "en")
        if d.how == "inferred":
            shown = "|".join(map(str, d.values))
            self.out.problems.append(Problem(
                Reason.SPLIT_INFERRED.value, tuple(d.codes),
                f"{zh}的数字连在一起（{raw}），已按表内勾稽关系拆分为 {shown}。",
                f"{en}: digits ran together ({raw}); split as {shown} using the table's identities.", "info"))
            return
        alts = "；".join("|".join(map(str, a)) for a in d.options[:4]) + ("…" if len(d.options) > 4 else "")
        taken = "暂取第一种，请核对原表" if d.values is not None else "无法确定，按未填报处理"
        taken_en = ("the first is used; check the printed table" if d.values is not None
                    else "it cannot be decided, so the cells are left unreported")
        self.out.problems.append(Problem(
            Reason.SPLIT_AMBIGUOUS.value, tuple(d.codes),
            f"{zh}的数字连在一起（{raw}），有 {len(d.options)} 种拆分都说得通：{alts}；{taken}。",
            f"{en}: digits ran together ({raw}); {len(d.options)} splits fit: {alts}; {taken_en}."))

    def check_extras(self, table: str) -> None:
        """Report printed subtotals and extra totals that disagree with the cells they sum."""
        if not self.extras.printed(table):  # no extra column or row was printed (the usual case)
            return
        for rule, cells, zh, en in self.extras.check(table, self.known(table)):
            self.out.problems.append(Problem(Reason.IDENTITY_VIOLATED.value, cells, zh, en, "error", rule))


def locate_t3(reader: _TableReader, rows: dict[str, int]) -> int:
    """Read table 3, whose row labels were found at ``rows``; returns the atom index where it ends."""
    if "new" not in rows and "carry_in" not in rows:
        reader.missing(list(table_codes(reader.template, "t3")),
                       "未找到表三（收到和处理政府信息公开申请情况）。", "Table 3 (applications received and handled) not found.")
        return 0
    first = rows.get("new", rows.get("carry_in"))
    reader.extras.t3_layout = column_layout(reader.groups[first].text, reader.template)
    limit = _table_end(reader, max(rows.values()))
    chooser = Chooser(reader.template, "t3")
    reader.read_rows("t3", rows, limit, chooser)
    reader.settle("t3", chooser)
    reader.check_extras("t3")
    return limit


def _table_end(reader: _TableReader, last_group: int) -> int:
    """Atom index after the values of the last row: the next label group, or the end."""
    g = last_group + 1
    return reader.groups[g].start if g < len(reader.groups) else len(reader.atoms)


def locate_t2(reader: _TableReader, stop_group: int) -> None:
    groups = reader.groups
    start = next((k for k, g in enumerate(groups[:stop_group]) if "第二十条" in g.text), None)
    if start is None:
        start = next((k for k, g in enumerate(groups[:stop_group]) if "主动公开政府信息情况" in g.text), 0)
    rows = reader.find_rows("t2", start, stop_group, any_order=True)
    limit = groups[stop_group].start if stop_group < len(groups) else len(reader.atoms)
    chooser = Chooser(reader.template, "t2")
    reader.read_rows("t2", rows, limit, chooser)
    reader.settle("t2", chooser)


def locate(atoms: list[Atom], template: Template, *, fast: bool = True,
           groups: list[Group] | None = None, glued_at: list[int] | None = None) -> Located:
    """Read every cell of ``template`` from ``atoms`` (``fast=False``: general steps only, for tests).

    ``groups`` and ``glued_at``: the atoms' label groups and glued dashes, when
    ``atomise_indexed`` has found them already (else they are found here).
    """
    out = Located()
    reader = _TableReader(atoms, template, out, fast, groups, glued_at)
    t3_rows = reader.find_rows("t3")
    t3_first = min(t3_rows.values()) if t3_rows else len(reader.groups)
    locate_t2(reader, t3_first)
    end = locate_t3(reader, t3_rows)
    locate_t4(reader, end)
    codes = template.codes
    if len(out.sources) != len(codes) or list(out.sources) != codes:  # read in template order: nothing to do
        values, sources = out.values, out.sources
        out.values = {c: values.get(c) for c in codes}  # every cell, in template order
        out.sources = {c: sources.get(c, NOT_FOUND) for c in codes}
    return out

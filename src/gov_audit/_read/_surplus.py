"""Rows printed with more values than their columns: the steps that tell which are values.

The locator's table reader (``_locate._TableReader``) takes these steps as a mixin; the
decisions themselves (footnote marks in label cells, heading cells of the next row, cells
of several atoms, unmerged labels) are made in ``_regions`` (``drop_non_values``,
``fit_surplus``). Whatever they cannot explain leaves the row unreported with a warning
(``surplus``): a row is never cut short in silence.
"""
from __future__ import annotations

import bisect
from typing import Callable

from ._atoms import LABEL, Atom
from ._numbers import is_plain_digits
from ._regions import RowContext, copies_previous, row_context
from ._split import row_test

_NO_CONTEXT = RowContext(frozenset(), None, frozenset(), ())  # a row whose label was lost


def _unchecked(vals: list[Atom]) -> None:
    """A row's identities cannot be checked (see ``SurplusSteps.plausible``)."""
    return None


class SurplusSteps:
    """What the table reader needs to place a row's surplus values (a mixin of ``_TableReader``:
    it uses the reader's ``atoms``, ``groups``, ``template``, ``extras``, ``_found``,
    ``_repeats`` and ``missing``)."""

    def _plain_surplus_off(self, table: str, row: str, vals: list[Atom], width: int) -> list[Atom] | None:
        """The commonest surplus, cheaply, as the general steps drop it; None when it is not that.

        In a region that is one run of values: the next row's heading cells after the values
        (the empty cells under a merged heading, printed in its table row before its label),
        then, where the document repeats merged cells, copies of the last value. A value in
        the row's label cell (a mark, dropped first by the general steps) can only be the
        first; a cell of several atoms makes the general steps take it as one position.
        """
        span = self.span(table, row)
        if span is None or not span[3]:  # labels in the region (a mark, a repeated label): the general steps
            return None
        label_start, start, stop, _ = span
        atoms = self.atoms
        if stop >= len(atoms):
            return None
        # Atom fields by index (kind 0, where 3, row 5, cell 6): this runs for most rows of some forms
        nxt, label = atoms[stop], atoms[start - 1]
        if nxt[0] != LABEL or not label[6]:
            return None
        n = len(vals)
        if nxt[6]:  # the next label is a cell: the cells before it in its table row are its heading cells
            next_row = nxt[5]
            if next_row == label[5]:
                return None
            while n > width:
                a = vals[n - 1]
                if not a[6] or a[5] != next_row:
                    break
                n -= 1
        if n > width:
            if (n > self._widest(table) or vals[n - 1][5] != label[5] or not copies_previous(vals, n - 1)
                    or len({a[3] for a in vals[:n]}) < n or not self.repeats()):  # (a cell of several atoms)
                return None
            while n > width and copies_previous(vals, n - 1):
                n -= 1
            if n != width:
                return None
        first = vals[0]
        if first[6]:
            where = first[3]
            for a in atoms[label_start:start]:
                if a[3] == where and a[6]:
                    return None
        return vals[:n]

    def span(self, table: str, row: str) -> tuple[int, int, int, bool] | None:
        """Where a row found under its own label lies, as ``assign`` cut it (None for any other row).

        (label group start, region start, region stop, whether no label lies inside the region).
        """
        row_groups, ordered, last_stop = self._found[table]
        g = row_groups.get(row)
        if g is None:
            return None
        groups = self.groups
        k = bisect.bisect_right(ordered, g)
        start, stop = groups[g].end, (groups[ordered[k]].start if k < len(ordered) else last_stop)
        return groups[g].start, start, stop, g + 1 == len(groups) or stop <= groups[g + 1].start

    def context(self, table: str, row: str) -> RowContext:
        """What the surplus steps need of a row's region (see ``_regions.row_context``)."""
        span = self.span(table, row)
        if span is None:  # a row whose label was lost: its values were shared out to fit
            return _NO_CONTEXT
        label_start, start, stop, _ = span
        label = self.atoms[start - 1]
        return row_context(self.atoms, label_start, start, stop, label.row if label.cell else None)

    def _widest(self, table: str) -> int:
        """The number of values in the widest row of ``table`` as printed."""
        if table == "t3" and self.extras.t3_layout:
            return len(self.extras.t3_layout)
        return max(map(len, self.template.tables[table].row_columns.values()))

    def plausible(self, table: str, layout) -> Callable[[list[Atom]], bool | None]:
        """Whether a row's values, as fitted, keep the identities inside the row.

        None where they cannot be checked: a table without such identities (table 2), or a
        value that is not a plain count (a blank cell, a placeholder, words).
        """
        if table not in ("t3", "t4"):
            return _unchecked
        try:
            test = row_test(self.template, table, list(layout))
        except ValueError:  # a row without the columns of its table's identities
            return _unchecked

        def check(vals: list[Atom]) -> bool | None:
            if not all(is_plain_digits(a) for a in vals):
                return None
            return test(tuple(int(a.text) for a in vals))
        return check

    def repeats(self) -> bool:
        """Whether the document prints a merged cell again in each column it spans (as markdown does).

        Seen where a printed row holds the same label in two cells side by side.
        """
        if self._repeats is None:
            self._repeats = False
            prev = None
            for a in self.atoms:
                if (a.kind == LABEL and a.cell and prev is not None and prev.kind == LABEL and prev.cell
                        and prev.row == a.row and prev.where != a.where and prev.text == a.text):
                    self._repeats = True
                    break
                prev = a
        return self._repeats

    def surplus(self, codes: list[str], vals: list[Atom], width: int, zh: str, en: str) -> None:
        """A row with more values than columns that cannot be told apart: every cell of it left unreported."""
        shown_zh = " ".join(a.raw or "（空）" for a in vals)
        shown_en = " ".join(a.raw or "(empty)" for a in vals)
        self.missing(codes, f"{zh}有 {len(vals)} 个数值（{shown_zh}），多于其 {width} 列，"
                            f"无法确定各数值所属的列，该行按未填报处理。",
                     f"{en}: {len(vals)} values ({shown_en}), more than its {width} columns; which value "
                     f"belongs to which column cannot be told, so the row is left unreported.")

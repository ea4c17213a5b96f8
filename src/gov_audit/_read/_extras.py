"""Printed columns and rows that are not template cells: subtotals and extra totals.

Some reports add columns and rows to the national template:

* a 小计 column under 法人或其他组织 in table 3 (= Σ the five kinds of organisation);
* subtotal rows for （三）不予公开, （四）无法提供, （五）不予处理, （六）其他处理 (= Σ items);
* a 行政诉讼 合计 column in table 4 (= 未经复议直接起诉 总计 + 复议后起诉 总计).

They are not canonical cells (the cell-code contract is fixed), so the reader keeps
their values out of the cells — they must never shift a column — and checks each
against the cells it sums. A mismatch is returned as ``(rule, cells, zh, en)`` for the
locator to report as an error: ``read.t3_org_subtotal``, ``read.t3_group_subtotal``,
``read.t4_litigation_total`` (reader findings, since the cells they sum over are not
all canonical cells).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .._template import Template
from ._atoms import Atom, normalise, spellings_of
from ._memo import per_object
from ._numbers import ValueProblem, value_of
from ._split import SUBTOTAL

SUBTOTAL_WORDS = ("小计",)
LITIGATION_TOTAL_WORDS = ("合计", "小计", "诉讼总计")
Mismatch = tuple[str, tuple[str, ...], str, str]


def _core(heading: str) -> str:
    """A group heading without its ordinal: （三）不予公开 → 不予公开."""
    text = normalise(heading)
    return text.split(")", 1)[1] if text.startswith("(") and ")" in text else text


def _number(atom: Atom) -> float | None:
    try:
        return value_of(atom)
    except ValueProblem:
        return None


# What ``subtotal_group`` found for a (template, row, printed label): the same labels recur
# across reports, and each takes a search through every row's spellings.
_SUBTOTAL_GROUPS: dict[tuple[int, str, str], tuple[Template, str | None]] = {}


def _subtotal_group(template: Template, row: str, label: str) -> str | None:
    """The group a printed table-3 row met inside ``row``'s region subtotals, if it is a subtotal."""
    t = template.tables["t3"]
    for r in t.rows.values():  # a (lost or misplaced) row label is a row, not a subtotal
        if any(len(s) > 3 and s in label for s in spellings_of(r)):
            return None
    for name, members in t.row_groups.items():
        headings = {t.rows[m].group for m in members}
        if len(headings) == 1 and None not in headings and _core(headings.pop()) in label:
            return name
    if any(w in label for w in SUBTOTAL_WORDS):
        return next((n for n, m in t.row_groups.items() if row in m and n != "results"), None)
    return None


def column_layout(group_text: str, template: Template) -> list[str]:
    """Table 3's printed columns, read from the header: the canonical ones, plus 小计 if printed.

    The header is grid-ordered (自然人 and 总计 span two header rows), so the 小计 column is
    placed by where it is printed relative to the first organisation column: before it
    means first under 法人或其他组织, otherwise last (just before 总计).
    """
    t = template.tables["t3"]
    cols = list(t.columns)
    head = group_text
    for mark in ("收到和处理政府信息公开申请", "申请人情况"):
        if mark in head:
            head = head[head.rindex(mark):]
            break
    for spelling in spellings_of(t.rows["new"]):
        if spelling in head:
            head = head[:head.index(spelling)]
            break
    at = max(head.rfind(w) for w in SUBTOTAL_WORDS)
    if at < 0:
        return cols
    orgs = t.column_groups["organisations"]
    first_org = head.find(normalise(t.columns[orgs[0]].label))
    where = cols.index(orgs[0]) if 0 <= at < first_org else cols.index(orgs[-1]) + 1
    cols.insert(where, SUBTOTAL)
    return cols


def litigation_total_at(header: str, vals: list[Atom]) -> int | None:
    """Where a 行政诉讼 合计 column sits among 16 table-4 values, or None if it is not one.

    The printed sums decide (the extra value is 直接起诉 总计 + 复议后起诉 总计 and the three
    groups still add up without it); failing that, a 合计 in the header puts it last.
    """
    nums = [_number(a) for a in vals]
    fits = []
    for p in (15, 5):
        rest = [v for i, v in enumerate(nums) if i != p]
        groups_ok = all(None not in rest[5 * g:5 * g + 5] and sum(rest[5 * g:5 * g + 4]) == rest[5 * g + 4]
                        for g in range(3))
        if groups_ok and nums[p] is not None and nums[p] == rest[9] + rest[14]:
            fits.append(p)
    if len(fits) == 1:
        return fits[0]
    return 15 if any(w in header for w in LITIGATION_TOTAL_WORDS) else None


@dataclass
class Extras:
    """The extra printed cells of one report, gathered while reading and checked at the end."""

    template: Template
    t3_layout: list[str] | None = None
    org_subtotals: list[tuple[str, Atom]] = field(default_factory=list)
    group_subtotals: list[tuple[str, list[Atom]]] = field(default_factory=list)
    lit_total: Atom | None = None

    def layout(self, table: str, row: str) -> list[str]:
        """The printed columns of a row (canonical columns, plus any extra column)."""
        if table == "t3" and self.t3_layout:
            return list(self.t3_layout)
        return list(self.template.tables[table].row_columns[row])

    def take_subtotal(self, table: str, row: str, label: str, atoms: list[Atom]) -> bool:
        """Whether a printed row met inside ``row``'s region is a group subtotal (then keep it)."""
        group = self.subtotal_group(table, row, label)
        if group is None:
            return False
        self.group_subtotals.append((group, atoms))
        return True

    def subtotal_group(self, table: str, row: str, label: str) -> str | None:
        if table != "t3" or not label:
            return None
        template = self.template
        return per_object(_SUBTOTAL_GROUPS, template, (id(template), row, label),
                          lambda: _subtotal_group(template, row, label))

    def row_read(self, table: str, row: str, cells: dict[str, Atom]) -> None:
        if table == "t3" and SUBTOTAL in cells:
            self.org_subtotals.append((row, cells[SUBTOTAL]))

    def printed(self, table: str) -> bool:
        """Whether ``table`` had any extra printed cell to check (else ``check`` finds nothing)."""
        if table == "t3":
            return bool(self.org_subtotals or self.group_subtotals)
        return table == "t4" and self.lit_total is not None

    def check(self, table: str, known: dict[str, float | None]) -> list[Mismatch]:
        """Every printed subtotal that disagrees with the cells it sums."""
        out: list[Mismatch] = []
        if table == "t3":
            t = self.template.tables["t3"]
            orgs = t.column_groups["organisations"]
            for row, atom in self.org_subtotals:
                codes = tuple(f"t3.{row}.{c}" for c in orgs)
                out.extend(_compare("read.t3_org_subtotal", atom, codes, known,
                                    f"表三「{t.rows[row].label}」行的法人或其他组织「小计」",
                                    f"Table 3 row 「{t.rows[row].label}」: the printed 法人或其他组织 subtotal"))
            layout = self.t3_layout or list(t.columns)
            for group, atoms in self.group_subtotals:
                members = t.row_groups[group]
                heading = t.rows[members[0]].group or group
                for col, atom in zip(layout, atoms):
                    if col == SUBTOTAL:
                        continue
                    codes = tuple(f"t3.{m}.{col}" for m in members)
                    out.extend(_compare("read.t3_group_subtotal", atom, codes, known,
                                        f"表三「{heading}」小计行「{t.columns[col].label}」列",
                                        f"Table 3 subtotal row of 「{heading}」, column 「{t.columns[col].label}」"))
        if table == "t4" and self.lit_total is not None:
            out.extend(_compare("read.t4_litigation_total", self.lit_total, ("t4.lit_direct.total", "t4.lit_after.total"),
                                known, "表四「行政诉讼 合计」", "Table 4 litigation 合计"))
        return out


def _compare(rule: str, atom: Atom, codes: tuple[str, ...], known: dict[str, float | None],
             zh: str, en: str) -> list[Mismatch]:
    printed = _number(atom)
    parts = [known.get(c) for c in codes]
    if printed is None or None in parts or abs(printed - sum(parts)) < 1e-6:
        return []
    total = sum(parts)
    shown = f"{total:g}"
    return [(rule, codes, f"{zh}印为 {atom.raw}，但其各项之和为 {shown}。",
             f"{en} is printed as {atom.raw}, but its parts add up to {shown}.")]

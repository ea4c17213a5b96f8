"""Find the cells of a template's tables in a stream of atoms.

Rows are found by their printed labels, in template order; the value atoms between
one row label and the next are that row's cells. Where a row holds fewer atoms than
cells because digits ran together, the run is split with the table's identities
(row sums, column sums, the balance) and the split is recorded as inferred, or as
ambiguous when several splits satisfy every identity.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from .._finding import Reason
from .._template import Template
from ._atoms import BLANK, LABEL, NUM, PLACEHOLDER, Atom, normalise
from ._numbers import ValueProblem, is_plain_digits, value_of
from ._split import TooManySplits, all_of, splits, sum_rule

VALUE_KINDS = (NUM, PLACEHOLDER, BLANK)
T4_HEADER_WORDS = ["四、", "政府信息公开", "行政复议", "行政诉讼", "行政法复议", "结果维持", "结果纠正", "其他结果",
                   "尚未审结", "总计", "合计", "未经复议直接起诉", "复议后起诉", "未经复议直接诉讼", "情况", "案件数量",
                   "结果", "维持", "纠正", "其他", "尚未", "审结", "、", "(", ")", "申请", "提起"]


@dataclass
class CellRead:
    value: float | None
    raw: str
    where: str
    how: str = "read"  # read | blank | inferred | ambiguous | missing


@dataclass
class Problem:
    reason: str
    cells: tuple[str, ...]
    zh: str
    en: str
    severity: str = "warning"


@dataclass
class Located:
    cells: dict[str, CellRead] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def found(self) -> int:
        return sum(c.how != "missing" for c in self.cells.values())


@dataclass(frozen=True)
class Group:
    start: int  # first atom index
    end: int    # one past the last atom
    text: str


def label_groups(atoms: list[Atom]) -> list[Group]:
    groups, i = [], 0
    while i < len(atoms):
        if atoms[i].kind == LABEL:
            j = i
            while j < len(atoms) and atoms[j].kind == LABEL:
                j += 1
            groups.append(Group(i, j, "".join(a.text for a in atoms[i:j])))
            i = j
        else:
            i += 1
    return groups


def _spellings(label) -> list[str]:
    return [normalise(s) for s in label.spellings]


def _find(groups: list[Group], spellings: list[str], start: int, stop: int | None = None) -> int | None:
    """Index of the first group at or after ``start`` whose text holds a spelling (full label first)."""
    stop = len(groups) if stop is None else stop
    for spelling in spellings:
        for g in range(start, stop):
            if spelling in groups[g].text:
                return g
    return None


def _values(atoms: list[Atom], start: int, stop: int) -> list[Atom]:
    return [a for a in atoms[start:stop] if a.kind in VALUE_KINDS]


class _TableReader:
    def __init__(self, atoms: list[Atom], template: Template, out: Located):
        self.atoms, self.template, self.out = atoms, template, out
        self.groups = label_groups(atoms)
        self._chunks: dict[str, list[Atom]] = {}  # rows whose digits ran together

    def put(self, code: str, atom: Atom, how: str = "read", value: float | None = None) -> None:
        spec = self.template.cells[code]
        if how == "read":
            try:
                value = value_of(atom, spec.kind, spec.unit)
            except ValueProblem:
                self.out.problems.append(Problem(Reason.CELL_MISSING.value, (code,),
                                                 f"{spec.describe('zh')} 的内容“{atom.raw}”不是数字，按未填报处理。",
                                                 f"{spec.describe('en')} holds {atom.raw!r}, not a number; read as not reported."))
                value = None
            if value is None:
                how = "blank"
        self.out.cells[code] = CellRead(value, atom.raw, atom.where, how)

    def missing(self, codes: list[str], zh: str, en: str) -> None:
        for c in codes:
            self.out.cells.setdefault(c, CellRead(None, "", "", "missing"))
        self.out.problems.append(Problem(Reason.CELL_MISSING.value, tuple(codes), zh, en))

    # -- rows -----------------------------------------------------------------------------
    def find_rows(self, table: str, first_group: int = 0, stop_group: int | None = None) -> dict[str, int]:
        """Group index of each row label of ``table``, searched in printed order."""
        rows = self.template.tables[table].rows
        found: dict[str, int] = {}
        pos = first_group
        names = list(rows)
        for n, row in enumerate(names):
            g = _find(self.groups, _spellings(rows[row]), pos, stop_group)
            if g is None:
                continue
            if n == 0 and len(names) > 1:  # the first label must be followed by the second
                while g is not None:
                    nxt = _find(self.groups, _spellings(rows[names[1]]), g + 1, min(g + 12, len(self.groups)))
                    if nxt is not None:
                        break
                    g = _find(self.groups, _spellings(rows[row]), g + 1, stop_group)
                if g is None:
                    continue
            found[row] = g
            pos = g + 1
        return found

    def region(self, row_groups: dict[str, int], row: str, limit: int | None = None) -> tuple[int, int]:
        g = row_groups[row]
        later = [x for x in row_groups.values() if x > g]
        stop = self.groups[min(later)].start if later else (limit if limit is not None else len(self.atoms))
        return self.groups[g].end, stop

    def read_rows(self, table: str, row_groups: dict[str, int], limit: int | None = None,
                  row_test=None) -> dict[str, list[Atom] | list[tuple[int, ...]]]:
        """Cells row by row; rows whose digits ran together come back as candidate splits."""
        t = self.template.tables[table]
        pending: dict[str, list[tuple[int, ...]]] = {}
        for row in t.rows:
            cols = t.row_columns[row]
            codes = [f"{table}.{row}.{c}" for c in cols]
            if row not in row_groups:
                self.missing(codes, f"{_tname(table)}未找到「{t.rows[row].label}」行。",
                             f"{_tname(table, 'en')}: row 「{t.rows[row].label}」 not found.")
                continue
            start, stop = self.region(row_groups, row, limit)
            vals = _values(self.atoms, start, stop)
            if len(vals) >= len(cols):
                for code, atom in zip(codes, vals):
                    self.put(code, atom)
                continue
            chunks = self._run(vals, len(cols))
            if chunks is None:
                self.missing(codes, f"{_tname(table)}「{t.rows[row].label}」行只找到 {len(vals)} 个数值，应有 {len(cols)} 个。",
                             f"{_tname(table, 'en')} row 「{t.rows[row].label}」: found {len(vals)} values, expected {len(cols)}.")
                continue
            try:
                cands = splits([a.text for a in chunks], len(cols), row_test(row) if row_test else (lambda v: True))
            except TooManySplits:
                cands = []
            if not cands:
                self.missing(codes, f"{_tname(table)}「{t.rows[row].label}」行的数字连在一起（{''.join(a.raw for a in chunks)}），无法拆分。",
                             f"{_tname(table, 'en')} row 「{t.rows[row].label}」: digits run together ({''.join(a.raw for a in chunks)}) and cannot be split.")
                continue
            pending[row] = cands
            self._chunks[row] = chunks
        return pending

    @staticmethod
    def _run(vals: list[Atom], n: int) -> list[Atom] | None:
        """The atoms of a row whose digits ran together, or None if it cannot be one."""
        if not vals or len(vals) >= n or not all(is_plain_digits(a) for a in vals):
            return None
        if sum(len(a.text) for a in vals) < n:
            return None
        return vals

    def settle(self, table: str, pending: dict[str, list[tuple[int, ...]]], joint_test=None) -> None:
        """Choose among candidate splits: jointly where column identities (``joint_test``) exist.

        Without a joint test each row stands alone: one candidate is inferred, several
        leave the cells blank with an ambiguity finding (guessing would be silent).
        """
        if not pending:
            return
        rows = list(pending)
        if joint_test is None:
            for row in rows:
                self._record(table, row, pending[row][0] if len(pending[row]) == 1 else None, pending[row])
            return
        total = 1
        for r in rows:
            total *= len(pending[r])
        combos = [tuple(pending[r][0] for r in rows)] if total == 1 else []
        if 1 < total <= 50_000:
            combos = [c for c in itertools.product(*(pending[r] for r in rows)) if joint_test(dict(zip(rows, c)))]
        for n, row in enumerate(rows):
            options = sorted({c[n] for c in combos}) if combos else pending[row]
            if len(options) == 1:
                self._record(table, row, options[0], options)
            else:  # several splits fit every identity: take the first, and say so
                self._record(table, row, options[0], options, ambiguous=True)

    def _record(self, table: str, row: str, values, options, ambiguous: bool = False) -> None:
        t = self.template.tables[table]
        codes = [f"{table}.{row}.{c}" for c in t.row_columns[row]]
        chunks = self._chunks[row]
        raw = "".join(a.raw for a in chunks)
        label = t.rows[row].label
        how = "ambiguous" if (values is None or ambiguous) else "inferred"
        for k, code in enumerate(codes):
            self.out.cells[code] = CellRead(None if values is None else float(values[k]), raw, chunks[0].where, how)
        if how == "inferred":
            shown = "|".join(map(str, values))
            self.out.problems.append(Problem(
                Reason.SPLIT_INFERRED.value, tuple(codes),
                f"{_tname(table)}「{label}」行的数字连在一起（{raw}），已按表内勾稽关系拆分为 {shown}。",
                f"{_tname(table, 'en')} row 「{label}」: digits ran together ({raw}); split as {shown} "
                f"using the table's identities.", "info"))
            return
        alts = "；".join("|".join(map(str, a)) for a in options[:4]) + ("…" if len(options) > 4 else "")
        taken = ("暂取第一种，请核对原表" if values is not None else "无法确定，按未填报处理")
        taken_en = ("the first is used; check the printed table" if values is not None
                    else "it cannot be decided, so the cells are left unreported")
        self.out.problems.append(Problem(
            Reason.SPLIT_AMBIGUOUS.value, tuple(codes),
            f"{_tname(table)}「{label}」行的数字连在一起（{raw}），有 {len(options)} 种拆分都说得通：{alts}；{taken}。",
            f"{_tname(table, 'en')} row 「{label}」: digits ran together ({raw}); {len(options)} splits fit: "
            f"{alts}; {taken_en}."))


def _tname(table: str, lang: str = "zh") -> str:
    from .._template import TABLE_NAMES
    return TABLE_NAMES[table][0 if lang == "zh" else 1]


def _t3_tests(template: Template):
    t = template.tables["t3"]
    cols = list(t.columns)
    total_at = cols.index("total")
    parts = [cols.index(c) for c in t.column_groups["applicants"]]

    def row_test(row: str):
        return sum_rule(total_at, parts)

    def joint_test(choice: dict[str, tuple[int, ...]], known: dict[str, float | None]) -> bool:
        def v(row: str, k: int):
            if row in choice:
                return choice[row][k]
            return known.get(f"t3.{row}.{cols[k]}")
        for k in range(len(cols)):
            new, cin, tot, cout = v("new", k), v("carry_in", k), v("total", k), v("carry_out", k)
            if None not in (new, cin, tot, cout) and new + cin != tot + cout:
                return False
            items = [v(r, k) for r in t.row_groups["results"]]
            if tot is not None and None not in items and sum(items) != tot:
                return False
        return True

    return row_test, joint_test


def locate_t3(reader: _TableReader, first_group: int = 0) -> int:
    """Read table 3; returns the atom index where it ends."""
    rows = reader.find_rows("t3", first_group)
    if "new" not in rows and "carry_in" not in rows:
        t = reader.template.tables["t3"]
        reader.missing([c for c in reader.template.codes if c.startswith("t3.")],
                       "未找到表三（收到和处理政府信息公开申请情况）。", "Table 3 (applications received and handled) not found.")
        return 0
    last = max(rows.values())
    limit = _table_end(reader, last)
    row_test, joint = _t3_tests(reader.template)
    pending = reader.read_rows("t3", rows, limit, row_test)
    known = {c: r.value for c, r in reader.out.cells.items() if c.startswith("t3.")}
    reader.settle("t3", pending, lambda choice: joint(choice, known))
    return limit


def _table_end(reader: _TableReader, last_group: int) -> int:
    """Atom index after the values of the last row: the next label group, or the end."""
    g = last_group + 1
    return reader.groups[g].start if g < len(reader.groups) else len(reader.atoms)


def _is_t4_header(text: str) -> bool:
    rest = text
    for w in sorted(T4_HEADER_WORDS, key=len, reverse=True):
        rest = rest.replace(w, "")
    return len(rest) <= 2


def locate_t4(reader: _TableReader, start_atom: int) -> None:
    codes = [c for c in reader.template.codes if c.startswith("t4.")]
    groups = reader.groups
    first = next((k for k, g in enumerate(groups) if g.start >= start_atom and "行政复议" in g.text), None)
    if first is None:
        first = next((k for k, g in enumerate(groups) if "复议" in g.text and "结果维持" in "".join(
            x.text for x in groups[k:k + 4])), None)
    if first is None:
        reader.missing(codes, "未找到表四（行政复议、行政诉讼情况）。", "Table 4 (administrative review and litigation) not found.")
        return
    vals: list[Atom] = []
    k = first
    pos = groups[first].end
    while len(vals) < 15:
        nxt = next((g for g in groups[k + 1:] if g.start >= pos), None)
        stop = nxt.start if nxt else len(reader.atoms)
        vals.extend(_values(reader.atoms, pos, stop))
        if nxt is None or (not _is_t4_header(nxt.text) and len(vals) > 0):
            break
        k = groups.index(nxt)
        pos = nxt.end
    vals = [a for a in vals if a.kind != BLANK] if sum(a.kind != BLANK for a in vals) >= 15 else vals
    if len(vals) >= 15:
        for code, atom in zip(codes, vals[:15]):
            reader.put(code, atom)
        return
    chunks = _TableReader._run(vals, 15)
    if chunks is None:
        reader.missing(codes, f"表四只找到 {len(vals)} 个数值，应有 15 个。", f"Table 4: found {len(vals)} values, expected 15.")
        return
    tests = all_of(*(sum_rule(5 * g + 4, [5 * g + j for j in range(4)]) for g in range(3)))
    try:
        cands = splits([a.text for a in chunks], 15, tests)
    except TooManySplits:
        cands = []
    if not cands:
        reader.missing(codes, f"表四的数字连在一起（{''.join(a.raw for a in chunks)}），无法拆分。",
                       f"Table 4: digits run together ({''.join(a.raw for a in chunks)}) and cannot be split.")
        return
    _record_flat(reader, codes, chunks, cands)


def _record_flat(reader: _TableReader, codes: list[str], chunks: list[Atom], cands) -> None:
    """Table 4 as one run of digits: record the chosen split cell by cell."""
    raw = "".join(a.raw for a in chunks)
    how = "inferred" if len(cands) == 1 else "ambiguous"
    for code, v in zip(codes, cands[0]):
        reader.out.cells[code] = CellRead(float(v), raw, chunks[0].where, how)
    shown = "|".join(map(str, cands[0]))
    if how == "inferred":
        reader.out.problems.append(Problem(
            Reason.SPLIT_INFERRED.value, tuple(codes), f"表四的数字连在一起（{raw}），已按表内勾稽关系拆分为 {shown}。",
            f"Table 4: digits ran together ({raw}); split as {shown} using the identities.", "info"))
        return
    alts = "；".join("|".join(map(str, c)) for c in cands[:4]) + ("…" if len(cands) > 4 else "")
    reader.out.problems.append(Problem(
        Reason.SPLIT_AMBIGUOUS.value, tuple(codes),
        f"表四的数字连在一起（{raw}），有 {len(cands)} 种拆分都满足勾稽关系：{alts}；暂取第一种，请核对原表。",
        f"Table 4: digits ran together ({raw}); {len(cands)} splits satisfy every identity: {alts}; "
        f"the first is used; check the printed table."))


def locate_t2(reader: _TableReader, stop_group: int) -> None:
    groups = reader.groups
    start = next((k for k, g in enumerate(groups[:stop_group]) if "第二十条" in g.text), None)
    if start is None:
        start = next((k for k, g in enumerate(groups[:stop_group]) if "主动公开政府信息情况" in g.text), 0)
    rows = reader.find_rows("t2", start, stop_group)
    limit = groups[stop_group].start if stop_group < len(groups) else len(reader.atoms)
    pending = reader.read_rows("t2", rows, limit)
    reader.settle("t2", pending, None)


def locate(atoms: list[Atom], template: Template) -> Located:
    """Read every cell of ``template`` from ``atoms``."""
    out = Located()
    reader = _TableReader(atoms, template, out)
    t3_rows = reader.find_rows("t3")
    t3_first = min(t3_rows.values()) if t3_rows else len(reader.groups)
    locate_t2(reader, t3_first)
    end = locate_t3(reader, 0)
    locate_t4(reader, end)
    for code in template.codes:  # keep template order
        out.cells.setdefault(code, CellRead(None, "", "", "missing"))
    out.cells = {c: out.cells[c] for c in template.codes}
    return out

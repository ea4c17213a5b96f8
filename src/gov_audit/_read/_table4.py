"""Table 4 (行政复议、行政诉讼): fifteen values under a two-level header, no row labels.

The table starts at the label group holding 行政复议; its header may come in several
groups (one per printed header row) before the values. A 16th value is a printed
行政诉讼 合计 column when the header says so (checked in ``_extras``, kept out of the
canonical cells); fewer than 15 values that ran together are split under the table's
three 总计 identities (``_split``).
"""
from __future__ import annotations

import bisect
import operator

from ._atoms import BLANK, Atom
from ._extras import litigation_total_at
from ._regions import RowContext, drop_non_values, fit_surplus, row_context, values_in
from ._rowplan import table_codes
from ._split import Chooser, run_of

T4_HEADER_WORDS = ["四、", "政府信息公开", "行政复议", "行政诉讼", "行政法复议", "结果维持", "结果纠正", "其他结果",
                   "尚未审结", "总计", "合计", "小计", "未经复议直接起诉", "复议后起诉", "未经复议直接诉讼", "情况",
                   "案件数量", "结果", "维持", "纠正", "其他", "尚未", "审结", "、", "(", ")", "申请", "提起"]


_group_start = operator.attrgetter("start")
_T4_HEADER_LONGEST_FIRST = tuple(sorted(T4_HEADER_WORDS, key=len, reverse=True))


def _is_t4_header(text: str) -> bool:
    rest = text
    for w in _T4_HEADER_LONGEST_FIRST:
        rest = rest.replace(w, "")
    return len(rest) <= 2


def locate_t4(reader, start_atom: int) -> None:
    """Read table 4 after ``start_atom`` (the end of table 3) with the locator's table ``reader``."""
    codes = list(table_codes(reader.template, "t4"))
    groups = reader.groups
    # groups are in atom order: skip those before start_atom without looking at them
    after = bisect.bisect_left(groups, start_atom, key=_group_start)
    first = next((k for k in range(after, len(groups)) if "行政复议" in groups[k].text), None)
    if first is None:
        first = next((k for k, g in enumerate(groups) if "复议" in g.text and "结果维持" in "".join(
            x.text for x in groups[k:k + 4])), None)
    if first is None:
        reader.missing(codes, "未找到表四（行政复议、行政诉讼情况）。", "Table 4 (administrative review and litigation) not found.")
        return
    vals: list[Atom] = []
    header = groups[first].text
    k, pos = first, groups[first].end
    contexts: list[tuple[int, int, int]] = []  # each stretch of values: (header group start, start, stop)
    while len(vals) < 15:
        # label groups are maximal runs in atom order: the next one starts after ``pos``
        nxt = groups[k + 1] if k + 1 < len(groups) else None
        stop = nxt.start if nxt else len(reader.atoms)
        found = values_in(reader.atoms, pos, stop)
        if nxt is not None and found and _is_t4_header(nxt.text):
            # empty cells printed before header words in the same table row (under a
            # row-spanning header cell) are part of the header, not value positions
            header_row = reader.atoms[nxt.start].row
            found = [a for a in found if not (a.kind == BLANK and a.cell and a.row == header_row)]
        vals.extend(found)
        contexts.append((groups[k].start, pos, stop))
        if nxt is None or (not _is_t4_header(nxt.text) and len(vals) > 0):
            break
        header += nxt.text
        k += 1
        pos = nxt.end
    ctx = None
    if len(vals) > 15:  # some may be no values: marks in header cells, a later table's heading cells
        ctx = _context(reader.atoms, contexts)
        vals = drop_non_values(vals, 15, ctx)
    if len(vals) == 16 or (len(vals) > 16 and all(a.kind == BLANK for a in vals[16:])):
        extra = litigation_total_at(header, vals[:16])
        if extra is not None:
            reader.extras.lit_total = vals[extra]
            vals = [a for i, a in enumerate(vals[:16]) if i != extra]
    if sum(a.kind != BLANK for a in vals) >= 15 and len(vals) > 15:
        vals = [a for a in vals if a.kind != BLANK]
    if len(vals) > 15:
        vals = fit_surplus(vals, 15, ctx, 15, reader.plausible("t4", [str(i) for i in range(15)]), reader.repeats)
        if len(vals) > 15:
            reader.surplus(codes, vals, 15, "表四", "Table 4")
            return
    if len(vals) == 15:
        for code, atom in zip(codes, vals):
            reader.put(code, atom)
        reader.check_extras("t4")
        return
    chooser = Chooser(reader.template, "t4")
    chunks = run_of(vals, 15)
    if chunks is None or not chooser.add("*", codes, chunks, [str(i) for i in range(15)]):
        reader.missing(codes, f"表四只找到 {len(vals)} 个数值，应有 15 个。", f"Table 4: found {len(vals)} values, expected 15.")
        return
    reader.settle("t4", chooser)


def _context(atoms: list[Atom], stretches: list[tuple[int, int, int]]) -> RowContext:
    """The surplus context of table 4's values: its header cells are its label cells."""
    parts = [row_context(atoms, label_start, start, stop) for label_start, start, stop in stretches]
    return RowContext(frozenset().union(*(p.label_wheres for p in parts)), None,
                      frozenset().union(*(p.heading for p in parts)), tuple(a for p in parts for a in p.region))

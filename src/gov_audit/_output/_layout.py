"""The printed layout of a template's tables, for outputs that draw them (HTML, XLSX).

A table is drawn as blocks: consecutive rows that share the same columns form one
block with its own header (table 2 prints several small tables, one per kind of
item; tables 3 and 4 are one block each). Row groups of the template
(「三、本年度办理结果」,「（三）不予公开」,「行政诉讼」) become heading rows, and
rows are indented by their printed numbering (一、 > （一） > 1.).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .._resources import rules_dir
from .._template import get_template, table_name

_LEVELS = ((re.compile(r"^[一二三四五六七八九十]+、"), 0), (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), 1),
           (re.compile(r"^\d+[.．、]"), 2))


def level_of(label: str, default: int = 0) -> int:
    for pattern, level in _LEVELS:
        if pattern.match(label):
            return level
    return default


@dataclass(frozen=True)
class LayoutRow:
    label: str
    level: int
    cells: tuple[str, ...] = ()  # cell codes, one per column of the block; () for a heading row

    @property
    def heading(self) -> bool:
        return not self.cells


@dataclass(frozen=True)
class Block:
    columns: tuple[str, ...]     # printed column labels
    rows: tuple[LayoutRow, ...]


@dataclass(frozen=True)
class TableLayout:
    code: str
    name: str                    # 表三 / Table 3
    title: str                   # 三、收到和处理政府信息公开申请情况
    blocks: tuple[Block, ...]

    @property
    def width(self) -> int:
        return max(len(b.columns) for b in self.blocks)


def layout(template: str, lang: str = "zh") -> tuple[TableLayout, ...]:
    """Every table of ``template`` as printed."""
    return _layout(str(rules_dir()), template, lang)


@functools.lru_cache(maxsize=16)
def _layout(folder: str, template: str, lang: str) -> tuple[TableLayout, ...]:
    # keyed by the rules folder too: GOV_AUDIT_RULES may point elsewhere between calls
    tpl = get_template(template)
    out = []
    for code, table in tpl.tables.items():
        blocks: list[Block] = []
        columns: tuple[str, ...] | None = None
        rows: list[LayoutRow] = []
        group = None
        for rcode, label in table.rows.items():
            own = table.row_columns[rcode]
            if own != columns:
                if rows:
                    blocks.append(Block(tuple(table.columns[c].label for c in columns), tuple(rows)))
                columns, rows = own, []
            if label.group and label.group != group:
                rows.append(LayoutRow(label.group, level_of(label.group)))
            group = label.group or group
            default = level_of(label.group) + 1 if label.group else 0
            rows.append(LayoutRow(label.label, level_of(label.label, default),
                                  tuple(f"{code}.{rcode}.{c}" for c in own)))
        if rows:
            blocks.append(Block(tuple(table.columns[c].label for c in columns), tuple(rows)))
        out.append(TableLayout(code, table_name(code, lang), table.title, tuple(blocks)))
    return tuple(out)

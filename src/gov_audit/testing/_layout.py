"""A report laid out as the national template prints it: grids of cells with merges.

Label columns with merged cells, table 3's three-row header, table 4's two-level
header and 表二 in its 第二十条 sections. The writers in ``_render_web`` and
``_render_office`` turn a laid-out :class:`Doc` into each published form.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Mapping

from .._report import Report
from .._template import Template, get_template

FORMS = ("html", "html_split", "word_html", "text_lines", "text_spaced", "text_run", "markdown", "docx", "pdf")
SUFFIXES = {"html": ".html", "html_split": ".html", "word_html": ".html", "text_lines": ".txt",
            "text_spaced": ".txt", "text_run": ".txt", "markdown": ".md", "docx": ".docx", "pdf": ".pdf"}
PLACEHOLDERS = ("/", "—", "无")
AGENCIES = ("平潭综合实验区管委会", "沭阳县人民政府", "坡头乡人民政府", "宿迁市发展和改革委员会",
            "福州市鼓楼区人民政府办公室", "上海市人民政府办公厅")
T2_SECTIONS = {  # the 第二十条 items the template prints, with the rows under each
    "2019": (("第二十条第（一）项", ("rules", "normative")), ("第二十条第（五）项", ("license", "other_service")),
             ("第二十条第（六）项", ("penalty", "coercion")), ("第二十条第（八）项", ("fee",)),
             ("第二十条第（九）项", ("procurement",))),
    "2021": (("第二十条第（一）项", ("rules", "normative")), ("第二十条第（五）项", ("license",)),
             ("第二十条第（六）项", ("penalty", "coercion")), ("第二十条第（八）项", ("fee",))),
}
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RESULTS_LABEL = "三、本年度办理结果"


@dataclass
class Cell:
    """One printed cell: its text and how many rows and columns it covers."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    role: str = "label"  # label | head | value


@dataclass
class Grid:
    """A table: ``rows[r]`` maps the column a cell starts at to the cell."""

    width: int
    rows: list[dict[int, Cell]]
    name: str = ""

    def matrix(self) -> list[list[Cell | None]]:
        """Every position: the cell that starts there, or None where a span covers it."""
        out: list[list[Cell | None | bool]] = [[False] * self.width for _ in self.rows]
        for r, row in enumerate(self.rows):
            for c, cell in row.items():
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        out[r + dr][c + dc] = None
                out[r][c] = cell
        return [[x if x is not False else Cell("", role="label") for x in row] for row in out]

    def slice(self, start: int, stop: int) -> "Grid":
        """Rows ``start:stop``; a span cut by the slice is clipped, its lower part printed again."""
        rows: list[dict[int, Cell]] = [{} for _ in range(start, stop)]
        for r, row in enumerate(self.rows):
            for c, cell in row.items():
                top, bottom = max(r, start), min(r + cell.rowspan, stop)
                if top >= bottom:
                    continue
                rows[top - start][c] = Cell(cell.text, bottom - top, cell.colspan, cell.role)
        return Grid(self.width, rows, self.name)

    def unmerged(self, rng: random.Random, styles: tuple[str, ...] = ("empty", "repeat")) -> "Grid":
        """No row spans: each merged label becomes one cell per row, printed again or left empty."""
        rows: list[dict[int, Cell]] = [{} for _ in self.rows]
        for r, row in enumerate(self.rows):
            for c, cell in row.items():
                style = rng.choice(styles) if cell.rowspan > 1 else "span"
                for dr in range(cell.rowspan):
                    text = cell.text if dr == 0 or style == "repeat" else ""
                    rows[r + dr][c] = Cell(text, 1, cell.colspan, cell.role)
        return Grid(self.width, rows, self.name)


@dataclass
class Doc:
    """A report laid out: title, then paragraphs and tables in reading order."""

    title: str
    blocks: list[tuple[str, object]]  # ("p", text) | ("h", text) | ("table", Grid)
    template: Template
    year: int
    agency: str


def cells_of(report: Report | Mapping[str, float | None], template: str | Template | None = None
             ) -> tuple[Template, dict[str, float | None], int | None, str | None]:
    """The template and cell values of a report or of a plain dict of cells."""
    if isinstance(report, Report):
        tpl = get_template(report.template) if template is None else _tpl(template)
        return tpl, dict(report.cells), report.year, report.agency
    if template is None:
        template = "2021" if any(".other_no_" in c for c in report) or any(".issued" in c for c in report) else "2019"
    tpl = _tpl(template)
    return tpl, {c: report.get(c) for c in tpl.codes}, None, None


def _tpl(template: str | Template) -> Template:
    return template if isinstance(template, Template) else get_template(template)


def format_value(value: float | None, kind: str = "count", blank: str = "") -> str:
    """A value as printed: whole numbers without a decimal point, money without trailing zeros."""
    if value is None:
        return blank
    if kind == "money" and value != int(value):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(int(value))


def layout(report: Report | Mapping[str, float | None], template: str | Template | None = None, *,
           seed: int = 0, year: int | None = None, agency: str | None = None,
           blank: str | None = None) -> Doc:
    """Lay a report out as the template prints it: one :class:`Grid` per table, merged labels spanning.

    ``blank``: how a blank cell prints; ``None`` picks a placeholder or an empty cell per cell.
    """
    rng = random.Random(seed)
    tpl, cells, rep_year, rep_agency = cells_of(report, template)
    year = year or rep_year or (tpl.first_year + 1 if tpl.last_year else tpl.first_year + 2)
    agency = agency or rep_agency or rng.choice(AGENCIES)

    def value(code: str) -> Cell:
        spec = tpl.cells[code]
        shown = blank if blank is not None else rng.choice(PLACEHOLDERS + ("",))
        return Cell(format_value(cells.get(code), spec.kind, shown), role="value")

    title = f"{agency}{year}年政府信息公开工作年度报告"
    blocks: list[tuple[str, object]] = [
        ("p", f"本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告所列数据的统计期限自{year}年1月1日起至"
              f"{year}年12月31日止。如对本报告有疑问，请与{agency}办公室联系。"),
        ("h", "一、总体情况"),
        ("p", rng.choice(_NARRATIVE_OPENING).format(agency=agency, n=rng.randint(20, 3000))),
        ("h", tpl.tables["t2"].title), ("table", _t2(tpl, value)),
        ("h", tpl.tables["t3"].title), ("table", _t3(tpl, value)),
        ("h", tpl.tables["t4"].title), ("table", _t4(tpl, value)),
        ("h", "五、存在的主要问题及改进情况"),
        ("p", rng.choice(_NARRATIVE_CLOSING)),
        ("h", "六、其他需要报告的事项"),
        ("p", "本年度未收取信息处理费。"),
    ]
    return Doc(title, blocks, tpl, year, agency)


_NARRATIVE_OPENING = (
    "{agency}坚持以人民为中心，全面推进政务公开，全年主动公开政府信息{n}条，持续提升公开质量。",
    "本年度，{agency}认真贯彻落实《条例》，健全工作机制，规范发布流程，依申请公开办理质效稳步提升。",
)
_NARRATIVE_CLOSING = (
    "一是业务培训还需加强；二是公开内容的针对性有待提高。下一步将完善工作机制，提升公开质效。",
    "存在的主要问题：个别单位信息发布不够及时。改进措施：加强督促检查，定期通报。",
)


def _t2(tpl: Template, value) -> Grid:
    table = tpl.tables["t2"]
    sections = T2_SECTIONS.get(tpl.code) or tuple(
        (f"第二十条第（{n + 1}）项", (row,)) for n, row in enumerate(table.rows))
    width = 1 + max(len(cols) for cols in table.row_columns.values())
    rows: list[dict[int, Cell]] = []
    for heading, members in sections:
        rows.append({0: Cell(heading, colspan=width, role="head")})
        cols = table.row_columns[members[0]]
        rows.append({0: Cell("信息内容", role="head"), **_spread(
            [Cell(table.columns[c].label, role="head") for c in cols], width)})
        for row in members:
            rows.append({0: Cell(table.rows[row].label), **_spread(
                [value(f"t2.{row}.{c}") for c in table.row_columns[row]], width)})
    return Grid(width, rows, "t2")


def _spread(cells: list[Cell], width: int) -> dict[int, Cell]:
    """Cells from column 1 on; the last one stretches to the table's width."""
    out = {}
    for k, cell in enumerate(cells):
        if k == len(cells) - 1:
            cell.colspan = width - 1 - k
        out[1 + k] = cell
    return out


def _t3(tpl: Template, value) -> Grid:
    table = tpl.tables["t3"]
    cols = list(table.columns)
    orgs = list(table.column_groups.get("organisations", cols[1:-1]))
    in_results = set(table.row_groups.get("results", ())) | {"total"}
    rows: list[dict[int, Cell]] = [
        {0: Cell(T3_NOTE, 3, 3, "head"), 3: Cell("申请人情况", colspan=len(cols), role="head")},
        {3: Cell(table.columns[cols[0]].label, rowspan=2, role="head"),
         4: Cell("法人或其他组织", colspan=len(orgs), role="head"),
         3 + len(cols) - 1: Cell(table.columns[cols[-1]].label, rowspan=2, role="head")},
        {4 + k: Cell(table.columns[c].label, role="head") for k, c in enumerate(orgs)},
    ]
    names = list(table.rows)
    for n, row in enumerate(names):
        label = table.rows[row]
        group = label.group if label.group and label.group != RESULTS_LABEL else None
        cells: dict[int, Cell] = {3 + k: value(f"t3.{row}.{c}") for k, c in enumerate(table.row_columns[row])}
        if row not in in_results:
            cells[0] = Cell(label.label, colspan=3)
        else:
            if n == 0 or names[n - 1] not in in_results:
                cells[0] = Cell(RESULTS_LABEL, rowspan=sum(1 for r in names[n:] if r in in_results))
            if group is None:
                cells[1] = Cell(label.label, colspan=2)
            else:
                if table.rows[names[n - 1]].group != group:
                    cells[1] = Cell(group, rowspan=_run_length(table, names, n, group))
                cells[2] = Cell(label.label)
        rows.append(cells)
    return Grid(3 + len(cols), rows, "t3")


def _run_length(table, names: list[str], n: int, group: str) -> int:
    k = n
    while k < len(names) and table.rows[names[k]].group == group:
        k += 1
    return k - n


def _t4(tpl: Template, value) -> Grid:
    table = tpl.tables["t4"]
    outcomes = [table.columns[c].label for c in table.columns]
    k = len(outcomes)
    rows_ = list(table.rows)
    review, litigation = rows_[0], rows_[1:]
    head2: dict[int, Cell] = {c: Cell(label, rowspan=2, role="head") for c, label in enumerate(outcomes)}
    head3: dict[int, Cell] = {}
    for g, row in enumerate(litigation):
        head2[k * (g + 1)] = Cell(table.rows[row].label, colspan=k, role="head")
        head3.update({k * (g + 1) + c: Cell(label, role="head") for c, label in enumerate(outcomes)})
    rows = [
        {0: Cell(table.rows[review].label, colspan=k, role="head"),
         k: Cell(table.rows[litigation[0]].group or "行政诉讼", colspan=k * len(litigation), role="head")},
        head2, head3,
        {k * g + c: value(f"t4.{row}.{col}") for g, row in enumerate(rows_) for c, col in enumerate(table.columns)},
    ]
    return Grid(k * len(rows_), rows, "t4")

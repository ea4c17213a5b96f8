"""Write a report into each form it is published in, for round-trip and robustness tests.

A report (a :class:`gov_audit.Report`, or a dict of cell code → value plus a template)
is laid out as the national template prints it — label columns with merged cells,
table 3's three-row header, table 4's two-level header — and then written as a CMS
web page, Word-exported HTML, pasted text (one cell per line, cells spaced on a line,
or cells run together), markdown, DOCX or PDF. Every random choice (merge styles, where
a table is split, placeholders for blank cells, separators) comes from one seed, so a
failing example can be written again exactly: ``render(report, "docx", seed=7)``.

Blank cells (``None``) print as a placeholder (``/``, ``—``, ``无``) or, in tabular
forms, as an empty cell. In text, where an empty cell leaves no trace, ``blank=""``
makes the inherently ambiguous layout on purpose.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
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


# -- writing ---------------------------------------------------------------------------------------

def render(report: Report | Mapping[str, float | None], form: str, *, seed: int = 0,
           template: str | Template | None = None, year: int | None = None, blank: str | None = None,
           **options) -> str | bytes:
    """A report written in one of :data:`FORMS`: ``str`` for text forms, ``bytes`` for DOCX and PDF.

    ``blank`` overrides how blank cells print (``"/"``, or ``""`` for an empty cell); by
    default tabular forms pick a placeholder or an empty cell at random, text forms a
    placeholder (an empty cell in text leaves no trace at all). ``options`` go to the
    form's writer (markdown: ``below="repeat"|"empty"``, what a cell merged down rows
    leaves in the rows below its first; text_spaced: ``seps``, the cell separators;
    text_run: ``spaced``, the share of rows whose cells keep a space between them).
    """
    if form not in FORM_WRITERS:
        raise ValueError(f"unknown form {form!r}; known: {', '.join(FORMS)}")
    if blank is None and form.startswith("text"):
        blank = random.Random(seed).choice(PLACEHOLDERS)
    doc = layout(report, template, seed=seed, year=year, blank=blank)
    return FORM_WRITERS[form](doc, random.Random(seed + 1), **options)


def write_report(report: Report | Mapping[str, float | None], path: str | Path, form: str | None = None, *,
                 seed: int = 0, template: str | Template | None = None, year: int | None = None) -> Path:
    """Write a rendered report to ``path``; the form defaults to the one its suffix names."""
    path = Path(path)
    if form is None:
        form = {".html": "html", ".htm": "html", ".txt": "text_lines", ".md": "markdown", ".docx": "docx",
                ".pdf": "pdf"}[path.suffix.lower()]
    out = render(report, form, seed=seed, template=template, year=year)
    if isinstance(out, str):
        path.write_text(out, encoding="utf-8")
    else:
        path.write_bytes(out)
    return path


def _texts(grid: Grid) -> list[list[str | None]]:
    """Each row's printed texts by position; None where a merged cell covers the position."""
    return [[None if cell is None else cell.text for cell in row] for row in grid.matrix()]


def _split_points(grid: Grid, rng: random.Random, header: int) -> list[tuple[int, int]]:
    """Cut a table into one to three parts at row boundaries after its header rows."""
    n = len(grid.rows)
    cuts = sorted(rng.sample(range(header + 1, n), k=min(rng.randint(0, 2), max(0, n - header - 1))))
    bounds = [0, *cuts, n]
    return list(zip(bounds, bounds[1:]))


_HEADER_ROWS = {"t2": 2, "t3": 3, "t4": 3}


# HTML: a CMS page ------------------------------------------------------------------------------------

def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _spans(cell: Cell) -> str:
    return (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + \
           (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")


def _html_cell(cell: Cell, rng: random.Random | None) -> str:
    text = _esc(cell.text)
    if rng is not None and cell.role != "value" and len(cell.text) > 3 and rng.random() < 0.3:
        cut = rng.randrange(1, len(cell.text))  # editors split labels into runs of markup
        text = f"<span>{_esc(cell.text[:cut])}</span><span style=\"font-family:仿宋\">{_esc(cell.text[cut:])}</span>"
    if rng is not None and rng.random() < 0.3:
        text = f"<p style=\"text-align:center\">{text or '&nbsp;'}</p>"
    tag = "th" if rng is not None and cell.role == "head" and rng.random() < 0.3 else "td"
    return f"<{tag}{_spans(cell)}>{text}</{tag}>"


def _html_table(grid: Grid, rng: random.Random | None) -> str:
    rows = ["<tr>" + "".join(_html_cell(grid.rows[r][c], rng) for c in sorted(grid.rows[r])) + "</tr>"
            for r in range(len(grid.rows))]
    return "<table border=\"1\" cellspacing=\"0\" style=\"border-collapse:collapse\"><tbody>" + \
        "\n".join(rows) + "</tbody></table>"


def write_html(doc: Doc, rng: random.Random, *, varied: bool = False) -> str:
    """A saved CMS page; ``varied``: random merge styles, labels split into spans, tables cut in parts."""
    body = []
    for kind, block in doc.blocks:
        if kind == "p":
            body.append(f"<p style=\"text-indent:2em\">{_esc(block)}</p>")
        elif kind == "h":
            body.append(f"<p><strong>{_esc(block)}</strong></p>")
        else:
            grid: Grid = block
            if not varied:
                body.append(_html_table(grid, None))
                continue
            if grid.name == "t3" and rng.random() < 0.6:
                grid = grid.unmerged(rng)
            for start, stop in _split_points(grid, rng, _HEADER_ROWS.get(grid.name, 1)):
                body.append(_html_table(grid.slice(start, stop), rng))
                if rng.random() < 0.3:
                    body.append("<p>&nbsp;</p>")
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + _esc(doc.title) + "</title>"
        "<script>var _hmt = _hmt || []; window.pageId = 10086;</script>"
        "<style>td{border:1px solid #000}</style></head><body>\n"
        "<div class=\"nav\">当前位置：<a href=\"/\">首页</a> &gt; 政务公开 &gt; 政府信息公开年报</div>\n"
        f"<div class=\"article\"><h1>{_esc(doc.title)}</h1>\n"
        f"<div class=\"info\">来源：{_esc(doc.agency)}　发布时间：{doc.year + 1}-01-20</div>\n"
        "<div class=\"content\">\n" + "\n".join(body) + "\n</div></div>\n"
        f"<div class=\"footer\">主办：{_esc(doc.agency)}　<a href=\"#\">网站地图</a></div>\n</body></html>\n")


# HTML exported from Word ------------------------------------------------------------------------------

_MSO_TD = ("border:solid windowtext 1.0pt;border-top:none;mso-border-top-alt:solid windowtext .5pt;"
           "mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt")


def _mso_runs(text: str, rng: random.Random, role: str) -> str:
    if not text:
        return "<span lang=EN-US><o:p>&nbsp;</o:p></span>"
    if role == "value":
        return f"<span lang=EN-US style='font-size:10.5pt;font-family:\"Times New Roman\"'>{_esc(text)}<o:p></o:p></span>"
    parts, rest = [], text
    while rest:  # Word cuts a label into runs wherever formatting or spell-check state changed
        cut = len(rest) if len(rest) < 3 or rng.random() < 0.5 else rng.randrange(1, len(rest))
        parts.append(rest[:cut])
        rest = rest[cut:]
    runs = []
    for k, part in enumerate(parts):
        runs.append(f"<span style='font-size:10.5pt;font-family:仿宋_GB2312;mso-hansi-font-family:\"Times New Roman\"'>"
                    f"{_esc(part)}</span>")
        if k < len(parts) - 1 and rng.random() < 0.3:
            runs.append("<span lang=EN-US style='mso-spacerun:yes'>&nbsp;</span>")
    return "".join(runs) + "<span lang=EN-US><o:p></o:p></span>"


def _mso_table(grid: Grid, rng: random.Random) -> str:
    rows = []
    for r in range(len(grid.rows)):
        tds = []
        for c in sorted(grid.rows[r]):
            cell = grid.rows[r][c]
            width = 48 * cell.colspan
            tds.append(f"<td width={width}{_spans(cell).replace(chr(34), '')} valign=center "
                       f"style='width:{width * 0.75:.1f}pt;{_MSO_TD};height:19.85pt'>"
                       f"<p class=MsoNormal align=center style='text-align:center;line-height:15.0pt;"
                       f"mso-line-height-rule:exactly'>{_mso_runs(cell.text, rng, cell.role)}</p></td>")
        rows.append(f"<tr style='mso-yfti-irow:{r};height:19.85pt'>\n " + "\n ".join(tds) + "\n</tr>")
    return ("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;"
            "border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt "
            "0cm 5.4pt'>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>")


def write_word_html(doc: Doc, rng: random.Random) -> str:
    """A page saved by Word ("Web page, filtered" or pasted into a CMS): MsoNormal everywhere."""
    body = [f"<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;"
            f"font-family:方正小标宋简体'>{_esc(doc.title)}</span></b></p>"]
    for kind, block in doc.blocks:
        if kind == "table":
            body.append(_mso_table(block, rng))
            body.append("<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>")
        else:
            font = "黑体" if kind == "h" else "仿宋_GB2312"
            body.append(f"<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'>"
                        f"<span style='font-size:16.0pt;font-family:{font}'>{_esc(block)}</span></p>")
    return (
        "<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" "
        "xmlns:w=\"urn:schemas-microsoft-com:office:word\" xmlns=\"http://www.w3.org/TR/REC-html40\">\n<head>"
        "<meta http-equiv=Content-Type content=\"text/html; charset=utf-8\">"
        "<meta name=Generator content=\"Microsoft Word 15\">\n"
        "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View><w:Zoom>100</w:Zoom>"
        "</w:WordDocument></xml><![endif]-->\n<style><!-- p.MsoNormal{margin:0cm;text-align:justify;"
        "font-size:10.5pt;font-family:等线} --></style></head>\n"
        "<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>\n<div class=WordSection1>\n"
        + "\n".join(body) + "\n</div>\n</body>\n</html>\n")


# Pasted text --------------------------------------------------------------------------------------------

def write_text_lines(doc: Doc, rng: random.Random) -> str:
    """One cell per line with a tab indent, rows apart by an empty line (copied from a web page)."""
    out = [doc.title, ""]
    for kind, block in doc.blocks:
        if kind != "table":
            out.append(block)
            continue
        for row in _texts(block):
            for text in row:
                text = text or ""
                if text and text[0].isdigit() and rng.random() < 0.3:
                    text = rng.choice((" " + text, text + " "))
                out.append("\t" + text)
            out.append("")
        out.append("")
    return "\n".join(out) + "\n"


SEPARATORS = ("\t", "  ", "   ", " ", "\u3000")


def write_text_spaced(doc: Doc, rng: random.Random, seps: tuple[str, ...] = SEPARATORS) -> str:
    """One table row per line, cells apart by tabs or runs of spaces (copied from a PDF).

    ``seps``: the separators a line may use (each line picks one).
    """
    out = [doc.title, ""]
    for kind, block in doc.blocks:
        if kind != "table":
            out.append(block)
            continue
        for row in _texts(block):
            sep = rng.choice(seps)
            out.append(sep.join(t for t in row if t))
        out.append("")
    return "\n".join(out) + "\n"


def write_text_run(doc: Doc, rng: random.Random, spaced: float = 0.3) -> str:
    """Everything after the title on one line, cells run together (text scraped from a page).

    ``spaced``: the share of table rows whose cells keep one space between them.
    """
    parts = []
    for kind, block in doc.blocks:
        if kind != "table":
            parts.append(block)
            continue
        for row in _texts(block):
            texts = [t for t in row if t]
            parts.append((" " if rng.random() < spaced else "").join(texts))
    return doc.title + "\n" + "".join(parts) + "\n"


# Markdown -----------------------------------------------------------------------------------------------

def write_markdown(doc: Doc, rng: random.Random, below: str | None = None) -> str:
    """Pipe tables (no merged cells in markdown: a merged label repeats or leaves empty cells).

    ``below``: a cell merged down rows is ``"repeat"``-ed or left ``"empty"`` in the rows
    below its first; by default each table picks one at random.
    """
    out = [f"# {doc.title}", ""]
    for kind, block in doc.blocks:
        if kind == "p":
            out += [block, ""]
        elif kind == "h":
            out += [f"## {block}", ""]
        else:
            # converters repeat a cell merged across columns; one merged down rows is repeated
            # or left empty below its first row
            repeat_down = rng.random() < 0.5 if below is None else below == "repeat"
            texts = [[""] * block.width for _ in block.rows]
            for r, row in enumerate(block.rows):
                for c, cell in row.items():
                    for dr in range(cell.rowspan):
                        for dc in range(cell.colspan):
                            texts[r + dr][c + dc] = cell.text if dr == 0 or repeat_down else ""
            for r, row_texts in enumerate(texts):
                out.append("| " + " | ".join(t.replace("|", "\\|") for t in row_texts) + " |")
                if r == 0:
                    out.append("|" + "---|" * block.width)
            out.append("")
    return "\n".join(out) + "\n"


# DOCX --------------------------------------------------------------------------------------------------

def write_docx(doc: Doc, rng: random.Random) -> bytes:
    """A Word document: the tables with their label cells merged as Word merges them.

    Merges are written as Word writes them — ``gridSpan`` on the first cell of a row,
    ``vMerge restart`` above and ``vMerge`` continuation cells below — straight into
    the XML: python-docx's ``merge`` rescans the table per call and is slow.
    """
    import io

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml

    out = docx.Document()
    title = out.add_paragraph(doc.title)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, block in doc.blocks:
        if kind != "table":
            out.add_paragraph(block)
            continue
        grid: Grid = block
        table = out.add_table(rows=0, cols=grid.width)
        table.style = "Table Grid"
        below: dict[int, Cell] = {}  # column -> a cell merged down into this row
        rows_xml = []
        for r, row in enumerate(grid.rows):
            tcs = []
            c = 0
            while c < grid.width:
                if c in row:
                    cell = row[c]
                    texts = [cell.text]
                    if cell.role == "head" and len(cell.text) > 5 and rng.random() < 0.3:
                        cut = rng.randrange(2, len(cell.text) - 1)  # a header broken over two paragraphs
                        texts = [cell.text[:cut], cell.text[cut:]]
                    tcs.append(_tc(texts, cell.colspan, "restart" if cell.rowspan > 1 else None))
                    for k in range(1, cell.rowspan):
                        below[(r + k) * grid.width + c] = cell
                    c += cell.colspan
                elif r * grid.width + c in below:
                    cell = below.pop(r * grid.width + c)
                    tcs.append(_tc([""], cell.colspan, "continue"))
                    c += cell.colspan
                else:
                    tcs.append(_tc([""], 1, None))
                    c += 1
            rows_xml.append("<w:tr>" + "".join(tcs) + "</w:tr>")
        for tr in rows_xml:
            table._tbl.append(parse_xml(f'<w:tbl {_W_NS}>{tr}</w:tbl>')[0])
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _tc(paragraphs: list[str], colspan: int, vmerge: str | None) -> str:
    props = f'<w:gridSpan w:val="{colspan}"/>' if colspan > 1 else ""
    props += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>" if vmerge else ""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{_esc(t)}</w:t></w:r></w:p>' if t else "<w:p/>"
                   for t in paragraphs)
    return f'<w:tc><w:tcPr><w:tcW w:w="{700 * colspan}" w:type="dxa"/>{props}</w:tcPr>{body}</w:tc>'


# PDF ---------------------------------------------------------------------------------------------------

_PDF_FONT = "STSong-Light"  # a CID font every PDF viewer has: no font file to ship


def write_pdf(doc: Doc, rng: random.Random) -> bytes:
    """A PDF with a text layer (reportlab): ruled tables that run over page breaks, page numbers,
    sometimes a running head, header words printed with spaces between the characters."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))
    body = ParagraphStyle("body", fontName=_PDF_FONT, fontSize=11, leading=17, firstLineIndent=22, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, firstLineIndent=0, spaceBefore=6)
    big = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1, firstLineIndent=0)
    cell_style = ParagraphStyle("cell", fontName=_PDF_FONT, fontSize=8, leading=10, alignment=1, wordWrap="CJK")
    page_mark = rng.choice(("- {n} -", "第 {n} 页", "{n}", "— {n} —"))
    running_head = rng.random() < 0.5
    width = A4[0] - 100

    def decorate(canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFont(_PDF_FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 28, page_mark.format(n=canvas.getPageNumber()))
        if running_head:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 30, doc.title)
        canvas.restoreState()

    story = [Paragraph(_esc(doc.title), big), Spacer(1, 8)]
    for kind, block in doc.blocks:
        if kind != "table":
            story.append(Paragraph(_esc(block), head if kind == "h" else body))
            continue
        grid: Grid = block
        data = []
        for row in grid.matrix():
            out_row = []
            for cell in row:
                if cell is None or not cell.text:
                    out_row.append("")
                elif cell.role == "value":
                    out_row.append(cell.text)
                else:
                    text = cell.text
                    if cell.role == "head" and len(text) <= 6 and rng.random() < 0.5:
                        text = " ".join(text)  # 商 业 企 业: spread out to fill the header cell
                    out_row.append(Paragraph(_esc(text), cell_style))
            data.append(out_row)
        commands = [("FONT", (0, 0), (-1, -1), _PDF_FONT, 8), ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, -1), "CENTER")]
        for r, row in enumerate(grid.rows):
            for c, cell in row.items():
                if cell.rowspan > 1 or cell.colspan > 1:
                    commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        widths = _pdf_widths(grid, width)
        story += [Table(data, colWidths=widths, style=TableStyle(commands)), Spacer(1, 6)]
    buf = io.BytesIO()
    pdf = SimpleDocTemplate(buf, pagesize=A4, leftMargin=50, rightMargin=50, topMargin=60, bottomMargin=60,
                            title=doc.title, author=doc.agency)
    pdf.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()


def _pdf_widths(grid: Grid, width: float) -> list[float]:
    if grid.name == "t3":
        labels = [0.11 * width, 0.12 * width, 0.23 * width]
        return labels + [(width - sum(labels)) / (grid.width - 3)] * (grid.width - 3)
    if grid.name == "t2":
        return [0.28 * width] + [0.72 * width / (grid.width - 1)] * (grid.width - 1)
    return [width / grid.width] * grid.width


FORM_WRITERS = {
    "html": write_html,
    "html_split": lambda doc, rng: write_html(doc, rng, varied=True),
    "word_html": write_word_html,
    "text_lines": write_text_lines,
    "text_spaced": write_text_spaced,
    "text_run": write_text_run,
    "markdown": write_markdown,
    "docx": write_docx,
    "pdf": write_pdf,
}

"""XLSX: a workbook for people who work in Excel or WPS.

Sheets: 总览 (one row per report, linked to its sheet), 问题清单 (one row per finding,
the CSV columns) and one sheet per report laid out like the printed tables, with
every cell a finding names filled by severity and a comment explaining the finding.

Every row goes in through :func:`_append`: text is made writable (a worksheet cannot hold
control characters, nor a file name's bytes that were not UTF-8) and is never a formula
(a file named ``=1+1.txt`` is a name).
"""
from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from .._api import AuditResult
from .._batch import summary
from ._csv import CSV_COLUMNS, rows
from ._layout import layout
from ._view import SUMMARY_KEYS, WORDS, FindingView, ReportView, cell_marks, printable, printable_all, view, writable

FILLS = {"error": PatternFill("solid", fgColor="FDE4E1"), "warning": PatternFill("solid", fgColor="FEF0C7"),
         "info": PatternFill("solid", fgColor="E4EEFC")}
HEAD_FILL = PatternFill("solid", fgColor="F2F4F7")
THIN = Side(style="thin", color="D0D5DD")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SUSPECT = Border(left=Side("thick", "B42318"), right=Side("thick", "B42318"), top=Side("thick", "B42318"),
                 bottom=Side("thick", "B42318"))
BOLD = Font(bold=True)
SHEET_NAMES = {"zh": ("总览", "问题清单"), "en": ("Summary", "Findings")}


def _styles() -> list[NamedStyle]:
    """Named styles, registered once per workbook: far cheaper than styling cell by cell."""
    out = [NamedStyle("ga_head", font=BOLD, fill=HEAD_FILL, border=GRID,
                      alignment=Alignment(wrap_text=True, horizontal="center", vertical="center")),
           NamedStyle("ga_value", border=GRID)]
    out += [NamedStyle(f"ga_label{level}", border=GRID, font=BOLD if level < 0 else Font(),
                       alignment=Alignment(indent=2 * max(level, 0), wrap_text=True)) for level in (-1, 0, 1, 2)]
    for sev, fill in FILLS.items():
        out.append(NamedStyle(f"ga_{sev}", border=GRID, fill=fill))
        out.append(NamedStyle(f"ga_{sev}_suspect", border=SUSPECT, fill=fill))
    return out


def _sheet_name(rv: ReportView) -> str:
    """``12 平潭综合实验区 2021``: at most 31 characters, as Excel allows.

    Unique without checking: every name starts with the report's own number and a space
    (which the cut at 26 keeps), and the overview and findings sheets' names start with no digit.
    """
    r = rv.report
    base = re.sub(r"[\[\]:*?/\\\x00-\x1f]", "_",
                  rv.agency or printable(r.source.replace("\\", "/").rsplit("/", 1)[-1]))
    return (f"{rv.number} {base}"[:26] + (f" {r.year}" if r.year else ""))[:31]


def _append(ws, values: list) -> None:
    """``ws.append(values)``, each text writable and taken as text, never as a formula."""
    values = [writable(v) if type(v) is str else v for v in values]
    ws.append(values)
    for j, v in enumerate(values, 1):
        if type(v) is str and v.startswith("="):
            ws.cell(ws.max_row, j).data_type = "s"


def _write_rows(ws, header: list[str], body: list[list]) -> None:
    _append(ws, header)
    for c in ws[1]:
        c.font, c.fill = BOLD, HEAD_FILL
    for row in body:
        _append(ws, row)
    ws.freeze_panes = "A2"


def _comment(fv: FindingView, w: dict[str, str]) -> str:
    """One finding in a cell's comment."""
    extra = "".join(f"\n{w[k]}: {t}" for k, t in (("suggest", fv.suggestions), ("related", fv.related)) if t)
    return f"{fv.number}. [{fv.severity}] {fv.finding.rule}\n{fv.message}{extra}"


def _report_sheet(ws, rv: ReportView, lang: str) -> None:
    r, w, res = rv.report, WORDS[lang], rv.result
    ws.column_dimensions["A"].width = 48
    for i in range(2, 10):
        ws.column_dimensions[get_column_letter(i)].width = 13
    _append(ws, [rv.source])
    ws["A1"].font = Font(bold=True, size=13)
    _append(ws, [w["agency"], rv.agency, w["year"], r.year or "", w["template"], rv.template])
    _append(ws, [w["status"], rv.status, w["errors"], len(res.errors), w["warnings"], len(res.warnings)])
    if rv.reason:
        _append(ws, [w["reason"], rv.reason])
    marks = cell_marks(rv)
    tables = layout(rv.template, lang) if rv.template else ()
    for t in tables:
        ws.append([])
        _append(ws, [f"{t.name} {t.title}"])
        ws.cell(ws.max_row, 1).font = BOLD
        for block in t.blocks:
            _append(ws, ["", *block.columns])
            for c in ws[ws.max_row]:
                c.style = "ga_head"
            for row in block.rows:
                values = [r.cells.get(code) for code in row.cells]
                _append(ws, [row.label, *values])
                n = ws.max_row
                ws.cell(n, 1).style = f"ga_label{-1 if row.heading else min(row.level, 2)}"
                for j, code in enumerate(row.cells, 2):
                    cell, m = ws.cell(n, j), marks.get(code)
                    if m is None:
                        cell.style = "ga_value"
                    else:
                        sev = m.severity if m.severity in FILLS else "warning"
                        cell.style = f"ga_{sev}" + ("_suspect" if m.suspect else "")
                        text = writable("\n\n".join(_comment(fv, w) for fv in m.findings))
                        comment = Comment(text, "gov-audit")
                        comment.width, comment.height = 360, 60 + 40 * len(m.findings)
                        cell.comment = comment
    ws.append([])
    _append(ws, [w["findings"]])
    ws.cell(ws.max_row, 1).font = BOLD
    if not rv.findings:
        _append(ws, [w["no_findings"]])
    for fv in rv.findings:
        _append(ws, [f"{fv.number}. [{fv.severity}] {fv.finding.rule}", fv.message])
        ws.cell(ws.max_row, 1).fill = FILLS.get(fv.finding.severity, FILLS["info"])
        for key, text in fv.details():
            _append(ws, ["", f"{w[key]}: {text}"])


def to_xlsx(results: list[AuditResult], lang: str = "zh", *, skipped: list[str] | None = None, **_) -> bytes:
    w = WORDS[lang]
    views = view(results, lang)
    wb = Workbook()
    for style in _styles():
        wb.add_named_style(style)
    overview = wb.active
    overview.title, findings_name = SHEET_NAMES[lang]
    names = [_sheet_name(rv) for rv in views]
    _write_rows(overview, [w[k] for k in SUMMARY_KEYS], [[rv.number, *rv.line()] for rv in views])
    for i, (rv, name) in enumerate(zip(views, names), 2):
        link = overview.cell(i, 2)
        quoted = name.replace("'", "''")  # a quote in a sheet name is doubled in a reference
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!A1")  # a link inside the workbook
        link.font = Font(color="1849A9", underline="single")
        if rv.result.errors:
            overview.cell(i, 7).fill = FILLS["error"]
        elif rv.result.warnings:
            overview.cell(i, 8).fill = FILLS["warning"]
    overview.append([])
    _append(overview, [w["total"].format(**summary(results))])
    if skipped:
        _append(overview, [w["skipped"].format(n=len(skipped)), ", ".join(printable_all(skipped))])
    for col, width in zip("ABCDEFGHI", (6, 44, 28, 8, 8, 10, 7, 7, 40)):
        overview.column_dimensions[col].width = width
    _write_rows(wb.create_sheet(findings_name), CSV_COLUMNS, rows(views, lang))
    for rv, name in zip(views, names):
        _report_sheet(wb.create_sheet(name), rv, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

"""What every output format shows, worked out once.

Each writer (text, terminal, CSV, HTML, XLSX) draws the same :class:`ReportView`s, so
they list the same findings with the same numbers, words and cell names. Cells are
named by their printed labels (表三「（七）总计」×「自然人」); a run of three or more
neighbouring cells of one column or row is named as a range
(表三「（一）予以公开」至「3.其他」×「自然人」（21 格）) so that a long identity stays
readable. Linear rules are shown as a formula over those names.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .. import _messages
from .._api import AuditResult
from .._finding import SEVERITY_ORDER, Finding
from .._resources import rules_dir
from .._rules import RuleInstance, instances_for
from .._template import CellSpec, Template, table_name, templates

WORDS = {
    "zh": {
        "title": "政府信息公开工作年度报告 检查结果", "report": "报告", "agency": "机关", "year": "年度",
        "template": "模板", "status": "状态", "errors": "错误", "warnings": "警告", "reason": "原因",
        "findings": "问题", "cells": "单元格", "suspects": "最可能出错", "suggest": "建议改为", "related": "对照",
        "notes_hidden": "另有 {n} 条提示（读取说明，如连写数字的拆分）；加 --notes 显示。",
        "summary": "总览", "no_findings": "未发现问题。", "number": "序号",
        "not_drawn": "（报告较多，未发现问题的报告不再画表。）",
        "total": "合计：{reports} 份报告，{errors} 个错误，{warnings} 个警告，{failed} 份无法读取。",
        "skipped": "另有 {n} 个文件不是报告文件，未检查：", "cell_count": "（{n} 格）", "to": "至",
        "sep": "、", "colon": "：", "blank": "空", "inferred": "由连在一起的数字推断",
        "ambiguous": "数字连在一起（{raw}），拆法不唯一，未读取",
        "legend": "红色：错误；黄色：警告；蓝色：提示（如由连写数字推断）；粗框：最可能出错的格。",
        "infos": "{n} 条提示（读取说明）",
    },
    "en": {
        "title": "Government information-disclosure annual reports: audit", "report": "report",
        "agency": "agency", "year": "year", "template": "template", "status": "status", "errors": "errors",
        "warnings": "warnings", "reason": "reason", "findings": "findings", "cells": "cells",
        "suspects": "most likely wrong", "suggest": "suggested value", "summary": "Summary",
        "related": "compared with", "notes_hidden": "{n} more notes (how the reader read it, e.g. digits split); "
                                                    "add --notes to list them.",
        "no_findings": "No findings.", "number": "no.",
        "not_drawn": "(Large batch: tables of reports without findings are not drawn.)",
        "total": "Total: {reports} reports, {errors} errors, {warnings} warnings, {failed} unreadable.",
        "skipped": "{n} more files are not report files and were not checked:", "cell_count": " ({n} cells)",
        "to": " to ", "sep": ", ", "colon": ": ", "blank": "blank", "inferred": "split from digits that ran together",
        "ambiguous": "digits ran together ({raw}) and could be split several ways; not read",
        "legend": "Red: error; amber: warning; blue: note (e.g. digits split by inference); "
                  "thick border: the cell most likely wrong.",
        "infos": "{n} notes (how it was read)",
    },
}
# The columns of the report summary (text, terminal, HTML, XLSX), as ``WORDS`` keys;
# ``ReportView.line`` gives the values of all but the number.
SUMMARY_KEYS = ("number", "report", "agency", "year", "template", "status", "errors", "warnings", "reason")
SEVERITY = {"zh": {"error": "错误", "warning": "警告", "info": "提示"},
            "en": {"error": "error", "warning": "warning", "info": "note"}}
STATUS = {"zh": {"ok": "已读取", "partial": "部分读取", "failed": "无法读取"},
          "en": {"ok": "read", "partial": "partly read", "failed": "unreadable"}}
RELATION = {"eq": "＝", "le": "≤"}


# What a name may not hold as it is: control characters (a bell, a newline, C1) and lone
# surrogates, which are how Python keeps the bytes of a file name that is not UTF-8
# (``os.fsdecode``, ``surrogateescape``). Free text (messages, agency names) keeps tabs and
# newlines; what XML forbids (so XLSX cannot hold it) and surrogates (so no UTF-8 file can) go.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escaped(m: re.Match) -> str:
    c = ord(m.group())
    if 0xDC80 <= c <= 0xDCFF:  # a byte of a file name that was not UTF-8: shown as the byte
        return f"\\x{c - 0xDC00:02x}"
    return f"\\x{c:02x}" if c <= 0xFF else f"\\u{c:04x}"


def printable(name: str) -> str:
    """A file or report name as every output shows it: bytes that were not UTF-8 as ``\\xff``,
    control characters as ``\\x07``; anything else (Chinese, spaces, backslashes) as it is."""
    return _UNPRINTABLE.sub(_escaped, name) if name else name


def printable_all(names) -> list[str]:
    return [printable(n) for n in names or ()]


def writable(text: str) -> str:
    """Free text (a message, an agency) any output can hold: tabs and newlines kept, bytes that were
    not UTF-8 and the control characters XML forbids escaped as in :func:`printable`."""
    return _UNWRITABLE.sub(_escaped, text) if text else text


def fmt(x: float | None, lang: str = "zh") -> str:
    """:func:`gov_audit._messages.fmt` (so a value reads the same as in the messages), blank in ``lang``."""
    return WORDS[lang]["blank"] if x is None else _messages.fmt(x)


def _runs(codes: tuple[str, ...], tpl: Template) -> list[list[str]]:
    """Split codes into runs of neighbouring cells of one column (rows in printed order) or one row."""
    runs: list[list[str]] = []
    for code in codes:
        spec, last = tpl.cells.get(code), runs[-1] if runs else None
        if spec is not None and last and _extends(last, spec, tpl):
            last.append(code)
        else:
            runs.append([code])
    return runs


def _extends(run: list[str], spec: CellSpec, tpl: Template) -> bool:
    prev = tpl.cells.get(run[-1])
    if prev is None or prev.table != spec.table:
        return False
    table = tpl.tables[spec.table]
    rows, cols = list(table.rows), table.row_columns[prev.row.code]
    down = spec.column.code == prev.column.code and rows.index(spec.row.code) == rows.index(prev.row.code) + 1
    across = (spec.row.code == prev.row.code and spec.column.code in cols
              and cols.index(spec.column.code) == cols.index(prev.column.code) + 1)
    if len(run) == 1:
        return down or across
    return down if tpl.cells[run[0]].column.code == prev.column.code else across


def cell_names(codes: tuple[str, ...] | list[str], tpl: Template | None, lang: str = "zh") -> list[str]:
    """Cells by their printed labels, with each run of three or more named as one range."""
    if tpl is None:
        return list(codes)
    words, out = WORDS[lang], []
    for run in _runs(tuple(codes), tpl):
        if len(run) < 3:
            out.extend(tpl.cells[c].describe(lang) if c in tpl.cells else c for c in run)
            continue
        a, b = tpl.cells[run[0]], tpl.cells[run[-1]]
        count = words["cell_count"].format(n=len(run))
        name = table_name(a.table, lang)
        if a.column.code == b.column.code:
            out.append(f"{name}「{a.row_text()}」{words['to']}「{b.row_text()}」×「{a.column.label}」{count}")
        else:
            out.append(f"{name}「{a.row_text()}」×「{a.column.label}」{words['to']}「{b.column.label}」{count}")
    return out


def name_cells(codes: tuple[str, ...] | list[str], tpl: Template | None, lang: str = "zh",
               joiner: str | None = None) -> str:
    """:func:`cell_names` joined (by 「、」 / ", " unless ``joiner`` says otherwise)."""
    return (WORDS[lang]["sep"] if joiner is None else joiner).join(cell_names(codes, tpl, lang))


@functools.lru_cache(maxsize=8)
def _instances(folder: str, template: str) -> dict[tuple[str, str], RuleInstance]:
    # keyed by the rules folder too: GOV_AUDIT_RULES may point elsewhere between calls
    return {(i.rule.id, i.key): i for i in instances_for(template)}


def instance_of(finding: Finding, tpl: Template | None) -> RuleInstance | None:
    if tpl is None:
        return None
    return _instances(str(rules_dir()), tpl.code).get((finding.rule, finding.instance))


def cells_text(finding: Finding, tpl: Template | None, lang: str = "zh") -> str:
    """The finding's cells in words: a formula for an identity, else a list."""
    inst = instance_of(finding, tpl)
    if inst is not None and inst.kind.shape == "linear" and set(finding.cells) == set(inst.cells):
        op = RELATION.get(inst.kind.relation, inst.kind.relation)
        return f"{name_cells(inst.lhs, tpl, lang, ' + ')} {op} {name_cells(inst.rhs, tpl, lang, ' + ')}"
    return name_cells(finding.cells, tpl, lang)


def suspects_text(finding: Finding, tpl: Template | None, lang: str = "zh") -> str:
    return name_cells(finding.suspects, tpl, lang) if finding.suspects else ""


def suggestions_text(finding: Finding, tpl: Template | None, lang: str = "zh") -> str:
    return WORDS[lang]["sep"].join(f"{name_cells([c], tpl, lang)} → {fmt(v, lang)}" for c, v in finding.suggestions)


def related_text(finding: Finding, known: dict[str, Template], lang: str = "zh") -> str:
    """``pingtan-2022.txt 的 表三「四、结转下年度继续办理」×「自然人」`` for a cross-year finding."""
    related = finding.related_report
    if not related:
        return ""
    cells = finding.related_cells
    tpl = next((t for t in known.values() if cells and all(c in t.cells for c in cells)), None)
    named = name_cells(cells, tpl, lang) if cells else ""
    related = printable(related)
    return f"{related}{' 的 ' if lang == 'zh' else ': '}{named}" if named else related


@dataclass(frozen=True)
class FindingView:
    number: int
    finding: Finding
    severity: str
    message: str
    cells: str
    suspects: str
    suggestions: str
    related: str = ""  # a cross-year finding: the other report and its cells

    def details(self, with_cells: bool = True) -> list[tuple[str, str]]:
        """The detail lines every writer shows, as (``WORDS`` key, text); empty ones left out."""
        pairs = [("cells", self.cells)] if with_cells else []
        pairs += [("suspects", self.suspects), ("suggest", self.suggestions), ("related", self.related)]
        return [(key, text) for key, text in pairs if text]


@dataclass(frozen=True)
class ReportView:
    """One report as every output shows it."""

    number: int
    result: AuditResult
    status: str
    reason: str
    findings: tuple[FindingView, ...]
    source: str = ""  # the report's name, printable (see :func:`printable`)
    agency: str = ""  # the agency as read, writable

    @property
    def report(self):
        return self.result.report

    @property
    def template(self) -> str:
        return self.report.template if self.report.status != "failed" else ""

    @property
    def anchor(self) -> str:
        return f"r{self.number}"

    def line(self) -> tuple:
        """The summary row after its number (``SUMMARY_KEYS[1:]``); the status and reason in the view's language."""
        r = self.report
        return (self.source, self.agency or "-", r.year or "-", self.template or "-", self.status,
                len(self.result.errors), len(self.result.warnings), self.reason)


@dataclass
class CellMark:
    """How the findings of one report mark one cell (HTML and XLSX draw it)."""

    severity: str                  # the worst severity of the findings naming the cell
    findings: list[FindingView] = field(default_factory=list)  # every finding naming it, in order
    anchored: list[int] = field(default_factory=list)  # numbers of the findings whose marker sits here
    suspect: bool = False          # some finding names it as most likely wrong
    fix: float | None = None       # the value that would fix it, when known


def _worse(a: str, b: str) -> bool:
    """Whether severity ``b`` is worse than ``a`` (an unknown one ranks below every known one)."""
    return SEVERITY_ORDER.get(b, 9) < SEVERITY_ORDER.get(a, 9)


def cell_marks(rv: ReportView) -> dict[str, CellMark]:
    """Per cell a finding names (its cells and suspects): the worst severity, the findings,
    whether it is a suspect, and the suggested value. A finding's marker sits on its first
    suspect, else on its first cell."""
    marks: dict[str, CellMark] = {}
    for fv in rv.findings:
        f = fv.finding
        anchors = set(f.suspects[:1] or f.cells[:1])
        fixes = dict(f.suggestions)  # each for a suspect (see Finding)
        for code in dict.fromkeys(f.cells + f.suspects + tuple(fixes)):
            m = marks.get(code)
            if m is None:
                m = marks[code] = CellMark(f.severity)
            elif _worse(m.severity, f.severity):
                m.severity = f.severity
            m.findings.append(fv)
            if code in anchors:
                m.anchored.append(fv.number)
            if code in f.suspects or code in fixes:
                m.suspect = True
            if code in fixes:
                m.fix = fixes[code]
    return marks


def _reason(result: AuditResult, lang: str) -> str:
    r = result.report
    if r.status == "failed":
        unreadable = [f for f in result.findings if f.rule == "read.unreadable"]
        return unreadable[0].message_in(lang) if unreadable else r.reason
    m = re.fullmatch(r"(\d+) cells not found", r.reason or "")
    if m and lang == "zh":
        return f"有 {m.group(1)} 格未找到"
    return r.reason or ""


class _Words:
    """The texts of one batch's findings, each worked out once.

    A batch repeats the same rule instances over the same cells many times (every
    report of one agency pair fails ``x.carry_over`` the same way), and naming cells
    is most of the cost of a view. Each text depends only on the key it is stored under.
    """

    def __init__(self, known: dict[str, Template], lang: str):
        self.known, self.lang, self.memo = known, lang, {}

    def _get(self, key: tuple, make):
        text = self.memo.get(key)
        if text is None:
            text = self.memo[key] = make()
        return text

    def finding(self, k: int, f: Finding, tpl: Template | None) -> FindingView:
        code, lang = tpl.code if tpl is not None else None, self.lang
        cells = self._get(("cells", code, f.rule, f.instance, f.cells), lambda: cells_text(f, tpl, lang))
        suspects = self._get(("suspects", code, f.suspects), lambda: suspects_text(f, tpl, lang)) \
            if f.suspects else ""
        suggestions = self._get(("suggest", code, f.suggestions), lambda: suggestions_text(f, tpl, lang)) \
            if f.suggestions else ""
        related = self._get(("related", f.related_report, f.related_cells),
                            lambda: related_text(f, self.known, lang))
        return FindingView(k, f, SEVERITY[lang].get(f.severity, f.severity), writable(f.message_in(lang)),
                           cells, suspects, suggestions, related)


def view(results: list[AuditResult], lang: str = "zh") -> list[ReportView]:
    """The report views of a batch, numbered from 1, findings numbered from 1 per report."""
    out, known = [], templates()
    words = _Words(known, lang)
    for n, res in enumerate(results, 1):
        tpl = known.get(res.report.template)
        fviews = tuple(words.finding(k, f, tpl) for k, f in enumerate(res.findings, 1))
        r = res.report
        out.append(ReportView(n, res, STATUS[lang].get(res.status, res.status), writable(_reason(res, lang)),
                              fviews, printable(r.source), writable(r.agency or "")))
    return out

"""The terminal summary: one line per report, then the findings grouped by report."""
from __future__ import annotations

from .._api import AuditResult
from .._batch import summary

_HEAD = {"zh": ("报告", "机关", "年度", "模板", "状态", "错误", "警告"),
         "en": ("report", "agency", "year", "template", "status", "errors", "warnings")}
_SEV = {"zh": {"error": "错误", "warning": "警告", "info": "提示"}, "en": {"error": "error", "warning": "warning", "info": "info"}}


def to_text(results: list[AuditResult], lang: str = "zh", show_info: bool = False) -> str:
    lines = ["\t".join(_HEAD[lang])]
    for r in results:
        rep = r.report
        lines.append("\t".join(str(x) for x in (rep.source, rep.agency or "-", rep.year or "-", rep.template
                                               if rep.status != "failed" else "-", rep.status, len(r.errors),
                                               len(r.warnings))))
    for r in results:
        shown = [f for f in r.findings if show_info or f.severity != "info"]
        if not shown:
            continue
        lines.append("")
        lines.append(f"== {r.source}" + (f"  ({r.report.reason})" if r.report.reason else ""))
        for f in shown:
            lines.append(f"  [{_SEV[lang].get(f.severity, f.severity)}] {f.rule}: {f.message_in(lang)}")
            if f.suspects:
                lines.append("      " + ("最可能出错：" if lang == "zh" else "most likely wrong: ") + "、".join(f.suspects))
    s = summary(results)
    lines.append("")
    lines.append(("合计：{reports} 份报告，{errors} 个错误，{warnings} 个警告，{failed} 份无法读取。" if lang == "zh" else
                  "Total: {reports} reports, {errors} errors, {warnings} warnings, {failed} unreadable.").format(**s))
    return "\n".join(lines) + "\n"

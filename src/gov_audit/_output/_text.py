"""The terminal summary as plain text: one line per report, then the findings by report.

The report lines are tab-separated (agency, year, template, status, errors, warnings,
reason) so that they paste into a spreadsheet. Each finding names its cells by their
printed labels, says what was found, and, when known, which cell is most likely wrong.
"""
from __future__ import annotations

from .._api import AuditResult
from .._batch import summary
from ._view import SUMMARY_KEYS, WORDS, FindingView, ReportView, printable_all, view

_HEAD = SUMMARY_KEYS[1:]  # the header line: no number, a line's place is its number (_batch reads it too)


def heading(rv: ReportView, lang: str) -> str:
    """``1. file — agency 2021（2021 模板）部分读取：…``"""
    r = rv.report
    bits = [x for x in (rv.agency, str(r.year) if r.year else "") if x]
    tpl = (f"（{rv.template} 模板）" if lang == "zh" else f" (template {rv.template})") if rv.template else ""
    who = (" — " + " ".join(bits) + tpl) if bits or tpl else ""
    if r.status == "ok":
        state = ""
    elif rv.reason:
        state = f"  [{rv.status}{WORDS[lang]['colon']}{rv.reason}]"
    else:
        state = f"  [{rv.status}]"
    return f"{rv.number}. {rv.source}{who}{state}"


def finding_lines(fv: FindingView, lang: str, indent: str = "   ") -> list[str]:
    w = WORDS[lang]
    lines = [f"{indent}{fv.number}. [{fv.severity}] {fv.finding.rule}  {fv.message}"]
    pad = indent + " " * (len(str(fv.number)) + 2)
    lines += [f"{pad}{w[key]}{w['colon']}{text}" for key, text in fv.details()]
    return lines


def shown(rv: ReportView, notes: bool) -> tuple[list[FindingView], int]:
    """The findings to list, and how many notes (info) are left out."""
    if notes:
        return list(rv.findings), 0
    listed = [fv for fv in rv.findings if fv.finding.severity != "info"]
    return listed, len(rv.findings) - len(listed)


def footer(results: list[AuditResult], lang: str, skipped: list[str] | None) -> list[str]:
    w = WORDS[lang]
    lines = [w["total"].format(**summary(results))]
    if skipped:
        skipped = printable_all(skipped)
        listed = ", ".join(skipped[:10]) + (" …" if len(skipped) > 10 else "")
        lines.append(f"{w['skipped'].format(n=len(skipped))} {listed}")
    return lines


def to_text(results: list[AuditResult], lang: str = "zh", *, skipped: list[str] | None = None,
            notes: bool = False, **_) -> str:
    """Plain text; notes (info findings) are counted, and listed only with ``notes=True``."""
    w = WORDS[lang]
    views = view(results, lang)
    lines = ["\t".join(w[h] for h in _HEAD)]
    lines += ["\t".join(str(x) for x in rv.line()).rstrip("\t") for rv in views]
    for rv in views:
        listed, hidden = shown(rv, notes)
        if not listed and not hidden:
            continue
        lines.append("")
        lines.append(heading(rv, lang))
        for fv in listed:
            lines.extend(finding_lines(fv, lang))
        if hidden:
            lines.append("   " + w["notes_hidden"].format(n=hidden))
    lines.append("")
    lines.extend(footer(results, lang, skipped))
    return "\n".join(lines) + "\n"

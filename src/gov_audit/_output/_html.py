"""HTML: one self-contained page per batch (inline CSS, no scripts, no external resources).

The page has a summary table, then one section per report with its tables drawn as
printed (rows × columns with the template's labels). A cell named by a finding gets
``class="v flag flag-<severity>"`` and the numbers of its findings; the cell most
likely wrong gets ``suspect`` and, when known, the value that would fix it. The
findings themselves are listed next to the table they concern, numbered as in the
terminal summary, each carrying ``data-rule`` and ``data-cells`` for tools.
"""
from __future__ import annotations

import datetime as _dt
from html import escape

from .._api import AuditResult
from .._batch import summary
from ._html_css import CSS
from ._layout import TableLayout, layout
from ._view import SEVERITY, STATUS, SUMMARY_KEYS, WORDS, CellMark, FindingView, ReportView, cell_marks, fmt, printable_all, view

DRAW_CLEAN_MAX = 300  # in larger batches, reports without findings are listed but not drawn


def _e(x: object) -> str:
    return escape(str(x), quote=True)


def _value_cell(code: str, rv: ReportView, marks: dict[str, CellMark], lang: str) -> str:
    r = rv.report
    value, prov = r.cells.get(code), r.provenance.get(code)
    how = prov.how if prov else ("read" if value is not None else "blank")
    classes, titles = ["v"], []
    if value is None and how in ("missing", "ambiguous"):  # not read: a question mark, never a guess
        text = "？"
        classes.append("missing")
        if how == "ambiguous" and prov and prov.raw:
            titles.append(WORDS[lang]["ambiguous"].format(raw=prov.raw))
    elif value is None:
        text = _e(prov.raw) if prov and prov.raw else ""  # the placeholder as printed: / — 无
        classes.append("blank")
    else:
        text = _e(fmt(value, lang))
    if how == "inferred":
        classes.append("inferred")
        titles.append(WORDS[lang]["inferred"])
    attrs = [f'data-code="{_e(code)}"']
    m = marks.get(code)
    if m:
        classes += ["flag", f"flag-{m.severity}"] + (["suspect"] if m.suspect else [])
        attrs.append(f'data-findings="{" ".join(str(fv.number) for fv in m.findings)}"')
        titles += [f"{fv.number}. {fv.message}" for fv in m.findings]
        text += "".join(f'<sup class="mark"><a href="#{rv.anchor}-f{n}">{n}</a></sup>' for n in m.anchored)
        if m.fix is not None:
            text += f'<span class="fix">→ {_e(fmt(m.fix, lang))}</span>'
    if titles:  # also on a cell no finding names: one read by inference, or left ambiguous
        attrs.append(f'title="{_e(chr(10).join(titles))}"')
    return f'<td class="{" ".join(classes)}" {" ".join(attrs)}>{text}</td>'


def _grid(t: TableLayout, rv: ReportView, marks: dict[str, CellMark], lang: str) -> str:
    out = [f'<table class="grid" data-table="{t.code}">']
    for block in t.blocks:
        pad = t.width - len(block.columns)
        head = "".join(f"<th>{_e(c)}</th>" for c in block.columns) + ("<th></th>" * pad)
        out.append(f"<tr><th></th>{head}</tr>")
        for row in block.rows:
            label = f'<td class="label lvl{row.level}">{_e(row.label)}</td>'
            if row.heading:
                out.append(f'<tr class="heading">{label}<td colspan="{t.width}"></td></tr>')
                continue
            cells = "".join(_value_cell(c, rv, marks, lang) for c in row.cells)
            out.append(f"<tr>{label}{cells}{'<td></td>' * (t.width - len(row.cells))}</tr>")
    out.append("</table>")
    return "".join(out)


def _note(fv: FindingView, rv: ReportView, lang: str) -> str:
    f, w = fv.finding, WORDS[lang]
    parts = [f'<span class="num">{fv.number}.</span><span class="sev sev-{_e(f.severity)}">{_e(fv.severity)}</span>'
             f'<code class="rule">{_e(f.rule)}</code>', f'<p class="msg">{_e(fv.message)}</p>']
    parts += [f'<p class="{key}">{_e(w[key])}{w["colon"]}{_e(text)}</p>' for key, text in fv.details()]
    return (f'<li class="note note-{_e(f.severity)}" id="{rv.anchor}-f{fv.number}" data-rule="{_e(f.rule)}" '
            f'data-severity="{_e(f.severity)}" data-cells="{_e(" ".join(f.cells))}">{"".join(parts)}</li>')


def _notes(fvs: list[FindingView], rv: ReportView, lang: str) -> str:
    """The findings next to a table; notes (info) folded away under their count."""
    if not fvs:
        return ""
    main = [fv for fv in fvs if fv.finding.severity != "info"]
    info = [fv for fv in fvs if fv.finding.severity == "info"]
    out = ['<aside class="notes">']
    if main:
        out.append('<ol class="notes">' + "".join(_note(fv, rv, lang) for fv in main) + "</ol>")
    if info:
        label = WORDS[lang]["infos"].format(n=len(info))
        out.append(f'<details class="infos"><summary>{_e(label)}</summary><ol class="notes">'
                   + "".join(_note(fv, rv, lang) for fv in info) + "</ol></details>")
    out.append("</aside>")
    return "".join(out)


def _section(rv: ReportView, lang: str, draw: bool) -> str:
    r, w, res = rv.report, WORDS[lang], rv.result
    cls = "report has-errors" if res.errors else "report"
    meta = " · ".join(_e(x) for x in (rv.agency, r.year, rv.template and f"{w['template']} {rv.template}") if x)
    out = [f'<section class="{cls}" id="{rv.anchor}" data-source="{_e(rv.source)}">',
           f"<h2>{rv.number}. {_e(rv.source)}</h2>",
           f'<p class="meta">{meta} <span class="status status-{_e(r.status)}">{_e(rv.status)}</span> '
           f'<span class="count-error">{w["errors"]} {len(res.errors)}</span> · '
           f'{w["warnings"]} {len(res.warnings)}</p>']
    if rv.reason:
        out.append(f'<p class="reason">{_e(w["reason"])}{w["colon"]}{_e(rv.reason)}</p>')
    tables = layout(rv.template, lang) if rv.template and draw else ()
    placed = {t.code: [] for t in tables}
    loose = []
    for fv in rv.findings:
        table = fv.finding.cells[0].split(".", 1)[0] if fv.finding.cells else None
        (placed[table] if table in placed else loose).append(fv)
    out.append(_notes(loose, rv, lang))
    marks = cell_marks(rv)
    for t in tables:
        out.append(f'<h3>{_e(t.name)} {_e(t.title)}</h3><div class="pair"><div class="grid-wrap">'
                   f"{_grid(t, rv, marks, lang)}</div>{_notes(placed[t.code], rv, lang)}</div>")
    if not rv.findings:
        out.append(f'<p class="muted">{_e(w["no_findings"])}</p>')
    out.append("</section>")
    return "\n".join(out)


def _summary_table(views: list[ReportView], lang: str) -> str:
    w = WORDS[lang]
    head = "".join(f"<th>{_e(w[k])}</th>" for k in SUMMARY_KEYS)
    rows = []
    for rv in views:
        r, res = rv.report, rv.result
        cls = ("row-failed" if r.status == "failed" else "row-error" if res.errors
               else "row-warning" if res.warnings else "row-ok")
        rows.append(f'<tr class="{cls}" data-source="{_e(rv.source)}"><td class="n">{rv.number}</td>'
                    f'<td><a href="#{rv.anchor}">{_e(rv.source)}</a></td><td>{_e(rv.agency)}</td>'
                    f'<td class="n">{_e(r.year or "")}</td><td>{_e(rv.template)}</td>'
                    f'<td><span class="status status-{_e(r.status)}">{_e(rv.status)}</span></td>'
                    f'<td class="n errors">{len(res.errors)}</td><td class="n warnings">{len(res.warnings)}</td>'
                    f"<td>{_e(rv.reason)}</td></tr>")
    return f'<table class="summary"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def to_html(results: list[AuditResult], lang: str = "zh", *, skipped: list[str] | None = None, **_) -> str:
    from .. import __version__

    w, s = WORDS[lang], summary(results)
    views = view(results, lang)
    draw_clean = len(views) <= DRAW_CLEAN_MAX
    stamp = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    totals = "".join(f"<span><b>{s[k]}</b>{_e(label)}</span>" for k, label in (
        ("reports", w["report"]), ("errors", w["errors"]), ("warnings", w["warnings"]),
        ("failed", STATUS[lang]["failed"])))
    legend = "".join(f'<i style="background:var(--{v}-bg)"></i>{_e(SEVERITY[lang][k])}'
                     for k, v in (("error", "err"), ("warning", "warn"), ("info", "info")))
    parts = [
        "<!DOCTYPE html>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}">', "<head>", '<meta charset="utf-8">',
        f'<meta name="generator" content="gov-audit {__version__}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(w['title'])}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f"<header><h1>{_e(w['title'])}</h1><p class=\"muted\">gov-audit {__version__} · {stamp}</p>",
        f'<div class="totals">{totals}</div><p class="legend">{legend} — {_e(w["legend"])}</p></header>',
        f'<h2 id="summary">{_e(w["summary"])}</h2>', _summary_table(views, lang),
    ]
    if not draw_clean:
        parts.append(f'<p class="muted">{_e(w["not_drawn"])}</p>')
    parts += [_section(rv, lang, draw_clean or bool(rv.findings)) for rv in views]
    if skipped:
        items = "".join(f"<li>{_e(p)}</li>" for p in printable_all(skipped))
        parts.append(f'<details class="skipped"><summary>{_e(w["skipped"].format(n=len(skipped)))}</summary>'
                     f"<ul>{items}</ul></details>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"

"""The terminal summary drawn with rich, for a person at a terminal.

Same content and numbering as the plain text (``_text.py``), which is what pipes,
files and tests get: a table of reports, then the findings grouped by report.
"""
from __future__ import annotations

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .._api import AuditResult
from ._text import footer, heading, shown
from ._view import WORDS, view

STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}
STATUS_STYLE = {"ok": "green", "partial": "yellow", "failed": "dim"}


def print_rich(results: list[AuditResult], console: Console, lang: str = "zh",
               skipped: list[str] | None = None, notes: bool = False) -> None:
    w = WORDS[lang]
    views = view(results, lang)
    table = Table(box=box.SIMPLE_HEAVY, header_style="bold", pad_edge=False)
    for key, justify in (("number", "right"), ("report", "left"), ("agency", "left"), ("year", "right"),
                         ("template", "left"), ("status", "left"), ("errors", "right"), ("warnings", "right"),
                         ("reason", "left")):
        table.add_column(w[key], justify=justify, overflow="fold")
    for rv in views:
        source, agency, year, tpl, status, errors, warnings, reason = rv.line(lang)
        table.add_row(str(rv.number), source, agency, str(year), tpl,
                      Text(status, STATUS_STYLE.get(rv.report.status, "")),
                      Text(str(errors), "bold red" if errors else "dim"),
                      Text(str(warnings), "yellow" if warnings else "dim"), Text(reason, "dim"))
    console.print(table)
    colon = "：" if lang == "zh" else ": "
    for rv in views:
        listed, hidden = shown(rv, notes)
        if not listed and not hidden:
            continue
        console.print()
        console.print(Text(heading(rv, lang), "bold red" if rv.result.errors else "bold"))
        grid = Table.grid(padding=(0, 1))  # a hanging indent: wrapped lines stay under their finding
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column()
        for fv in listed:
            sev = fv.finding.severity
            body = Text.assemble((f"[{fv.severity}]", STYLE.get(sev, "")), " ", (fv.finding.rule, "cyan"), "  ",
                                 (fv.message, "dim" if sev == "info" else ""))
            for key, text, style in (("cells", fv.cells, "dim"), ("suspects", fv.suspects, "bold"),
                                     ("suggest", fv.suggestions, "green"), ("related", fv.related, "dim")):
                if text:
                    body.append(f"\n{w[key]}{colon}{text}", style)
            grid.add_row(f"{fv.number}.", body)
        console.print(Padding(grid, (0, 0, 0, 2)))
        if hidden:
            console.print(Text("   " + w["notes_hidden"].format(n=hidden), "dim"))
    console.print()
    for line in footer(results, lang, skipped):
        console.print(Text(line, "bold"))

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
from ._view import SUMMARY_KEYS, WORDS, view

STYLE = {"error": "bold red", "warning": "yellow", "info": "blue"}
STATUS_STYLE = {"ok": "green", "partial": "yellow", "failed": "dim"}
DETAIL_STYLE = {"cells": "dim", "suspects": "bold", "suggest": "green", "related": "dim"}  # FindingView.details()
RIGHT = {"number", "year", "errors", "warnings"}  # summary columns aligned right


def print_rich(results: list[AuditResult], console: Console, lang: str = "zh",
               skipped: list[str] | None = None, notes: bool = False) -> None:
    w = WORDS[lang]
    views = view(results, lang)
    table = Table(box=box.SIMPLE_HEAVY, header_style="bold", pad_edge=False)
    for key in SUMMARY_KEYS:
        table.add_column(w[key], justify="right" if key in RIGHT else "left", overflow="fold")
    for rv in views:
        source, agency, year, tpl, status, errors, warnings, reason = rv.line()
        # names and agencies as Text: a string would be read as rich markup ("[b]" in a file name)
        table.add_row(str(rv.number), Text(source), Text(agency), str(year), tpl,
                      Text(status, STATUS_STYLE.get(rv.report.status, "")),
                      Text(str(errors), "bold red" if errors else "dim"),
                      Text(str(warnings), "yellow" if warnings else "dim"), Text(reason, "dim"))
    console.print(table)
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
            for key, text in fv.details():
                body.append(f"\n{w[key]}{w['colon']}{text}", DETAIL_STYLE.get(key, ""))
            grid.add_row(f"{fv.number}.", body)
        console.print(Padding(grid, (0, 0, 0, 2)))
        if hidden:
            console.print(Text("   " + w["notes_hidden"].format(n=hidden), "dim"))
    console.print()
    for line in footer(results, lang, skipped):
        console.print(Text(line, "bold"))

"""CSV: one row per finding, fixed columns, UTF-8 with a byte-order mark.

The BOM makes Excel and WPS open the file as UTF-8 (without it they guess GBK and
the Chinese turns to mojibake). Multi-valued fields are joined: cell codes and
suspects by spaces, printed labels by 「；」, suggestions as ``code=value``.
A cross-year finding names the other report in ``related_report``/``related_cells``;
``where``, ``message`` and ``advice`` (suspects, suggested values, partner) are words.
Reports without findings have no row; every input that failed has its
``read.unreadable`` row, so nothing is lost.
"""
from __future__ import annotations

import csv
import io

from .._api import AuditResult
from .._messages import fmt
from ._view import WORDS, FindingView, ReportView, printable, view

CSV_COLUMNS = ["report", "agency", "year", "template", "status", "number", "severity", "rule", "reason",
               "instance", "cells", "labels", "observed", "expected", "residual", "suspects", "suggestions",
               "related_report", "related_cells", "where", "message", "advice"]
BOM = "\ufeff"


def _num(x: float | None) -> str:
    # The numbers every output shows (exact, positional, reads back as the same float), so the
    # columns still parse as numbers in Excel, WPS and csv readers; blank is an empty field.
    return "" if x is None else fmt(x)


def advice(fv: FindingView, lang: str) -> str:
    """Suspects, suggestions and the cross-year partner in words (empty when none)."""
    w = WORDS[lang]
    parts = [f"{w[k]}{w['colon']}{t}" for k, t in fv.details(with_cells=False)]
    return ("；" if lang == "zh" else "; ").join(parts)


def rows(views: list[ReportView], lang: str = "zh") -> list[list[str]]:
    """The CSV rows (without the header) of a batch's views, shared with the XLSX findings sheet."""
    out = []
    for rv in views:
        r = rv.report
        for fv in rv.findings:
            f = fv.finding
            out.append([rv.source, rv.agency, str(r.year or ""), rv.template, r.status, str(fv.number),
                        f.severity, f.rule, f.reason, f.instance, " ".join(f.cells), "；".join(f.labels),
                        _num(f.observed), _num(f.expected), _num(f.residual), " ".join(f.suspects),
                        " ".join(f"{c}={_num(v)}" for c, v in f.suggestions),
                        printable(f.related_report), " ".join(f.related_cells),
                        fv.cells, fv.message, advice(fv, lang)])
    return out


def to_csv(results: list[AuditResult], lang: str = "zh", **_) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows(view(results, lang), lang))
    return BOM + buf.getvalue()

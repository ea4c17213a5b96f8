"""The public entry points: ``audit`` one report, ``audit_reports`` many.

Reports are grouped by template into panels, validated with the compiled schema in
one pass per template, and their reader findings merged in. Post-passes that need a
whole report (error localisation) or several reports (cross-year checks) run on the
results through ``POST_PASSES``, one explicit list.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from ._audit import iter_findings
from ._compile import compiled_for
from ._finding import SEVERITY_ORDER, Finding, findings_frame, relevance
from ._report import Report, cells_read_as
from ._rules import Rule
from ._template import get_template


def _num(v: float | None):
    if v is None:
        return None
    return int(v) if float(v).is_integer() else float(v)


@dataclass
class AuditResult:
    """The audit of one report: its cells and its findings."""

    report: Report
    findings: list[Finding] = field(default_factory=list)

    @property
    def cells(self) -> dict[str, float | None]:
        return self.report.cells

    @property
    def source(self) -> str:
        return self.report.source

    @property
    def status(self) -> str:
        return self.report.status

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def findings_frame(self) -> pd.DataFrame:
        return findings_frame(self.findings)

    def to_dict(self, lang: str = "zh") -> dict:
        """The JSON report object (the contract described in docs/json.md)."""
        r = self.report
        counts = dict.fromkeys(SEVERITY_ORDER, 0)
        for f in self.findings:
            if f.severity in counts:
                counts[f.severity] += 1
        return {
            "source": r.source, "status": r.status, "reason": r.reason, "form": r.form,
            "template": r.template, "year": r.year, "agency": r.agency,
            # _num inlined for the common values (blank, a float): ~200 cells a report, every report
            "cells": {c: v if v is None else ((int(v) if v.is_integer() else v) if type(v) is float else _num(v))
                      for c, v in r.cells.items()},
            "inferred": sorted(cells_read_as(r.provenance, "inferred", "ambiguous")),
            "counts": counts,
            "findings": [f.to_dict(lang) for f in self.findings],
        }

    def __repr__(self) -> str:
        return (f"<AuditResult {self.source!r} template={self.report.template} status={self.status} "
                f"errors={len(self.errors)} warnings={len(self.warnings)}>")


# Passes over finished results, in order. Each takes and returns the list of results.
# Localisation first: it explains the in-year identity findings; the text and cross-year
# passes then add findings of their own.
POST_PASSES: list[Callable[[list[AuditResult]], list[AuditResult]]] = []
# The passes that need several reports at once (cross-year pairs). The others look at one
# result at a time, so a batch runs them in its worker processes, chunk by chunk, and only
# these in the parent over every result. They come last in POST_PASSES, so running them
# afterwards keeps the order of the list.
ACROSS_REPORTS: list[Callable[[list[AuditResult]], list[AuditResult]]] = []


def run_post_passes(results: list[AuditResult], *, per_report: bool = True,
                    across_reports: bool = True) -> list[AuditResult]:
    """Run ``POST_PASSES`` in order: those that take one result at a time, those across reports, or both."""
    for step in POST_PASSES:
        if (across_reports if step in ACROSS_REPORTS else per_report):
            results = step(results)
    return results


def _float_panel(reports: list[Report], codes: list[str]) -> pd.DataFrame:
    """The reports' cells as plain floats, NaN for not reported (``panel_of`` without its
    nullable dtype, which costs more to build than the audit of a small chunk)."""
    nan = float("nan")
    rows = [[nan if v is None else v for v in map(r.cells.get, codes)] for r in reports]
    return pd.DataFrame(np.array(rows, dtype=float).reshape(len(rows), len(codes)), columns=codes)


def audit_reports(reports: Iterable[Report], *, rules: list[Rule] | None = None,
                  key: Callable[[Finding], tuple] = relevance, post: bool = True) -> list[AuditResult]:
    """Audit parsed reports; one pandera pass per template, results in input order."""
    reports = list(reports)
    by_template: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(reports):
        if r.status != "failed":
            by_template[r.template].append(i)
    found: dict[str, list[Finding]] = defaultdict(list)
    for code, idx in by_template.items():
        panel = _float_panel([reports[i] for i in idx], get_template(code).codes)
        panel.index = pd.Index([str(i) for i in idx], name="report")  # sources may repeat
        for f in iter_findings(panel, code, rules, compiled_for(code, rules)):
            found[f.report].append(f.evolve(report=reports[int(f.report)].source))
    results = []
    for i, r in enumerate(reports):
        results.append(AuditResult(r, sorted([*r.parse_findings, *found.get(str(i), [])], key=key)))
    return run_post_passes(results) if post else results


def _report_from_frame(frame: pd.DataFrame | pd.Series, template: str | None) -> Report:
    if isinstance(frame, pd.DataFrame):
        if len(frame) != 1:
            raise ValueError(f"audit() takes one report; this DataFrame has {len(frame)} rows — use audit_panel()")
        row = frame.iloc[0]
        name = str(frame.index[0])
    else:
        row, name = frame, str(frame.name or "<series>")
    code = template or ("2019" if any(str(c).startswith("t3.other.") for c in row.index) else "2021")
    tpl = get_template(code)
    cells = {c: (None if c not in row.index or pd.isna(row[c]) else float(row[c])) for c in tpl.codes}
    return Report(name, tpl.code, cells, form="data")


def audit(source, *, template: str | None = None, rules: list[Rule] | None = None,
          name: str | None = None) -> AuditResult:
    """Audit one report given as a path, text, bytes, a :class:`Report`, a dict of cells or a one-row DataFrame."""
    from ._read import read

    if isinstance(source, Report):
        report = source
    elif isinstance(source, (pd.DataFrame, pd.Series)):
        report = _report_from_frame(source, template)
    elif isinstance(source, dict):
        report = _report_from_frame(pd.Series(source, name=name or "<dict>"), template)
    elif isinstance(source, (str, bytes, bytearray, os.PathLike)):
        report = read(source, name=name, template=template)
    else:
        raise TypeError(f"audit() cannot read a {type(source).__name__}")
    return audit_reports([report], rules=rules)[0]


def _register_post_passes() -> None:
    # Imported here, not at the top: the passes import this module's neighbours.
    from ._crossyear import cross_year_pass
    from ._localise import localise_pass
    from ._narrative import narrative_pass

    POST_PASSES.extend([localise_pass, narrative_pass, cross_year_pass])
    ACROSS_REPORTS.append(cross_year_pass)


_register_post_passes()

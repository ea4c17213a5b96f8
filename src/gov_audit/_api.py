"""The public entry points: ``audit`` one report, ``audit_reports`` many.

Reports are grouped by template into panels, validated with the compiled schema in
one pass per template, and their reader findings merged in. Post-passes that need a
whole report (error localisation, the text) or several reports (cross-year checks) run
on the results through ``POST_PASSES``, one explicit list.

The rules in force reach every pass: ``rules=None`` means the packaged rules (or those
of ``$GOV_AUDIT_RULES``); a list means exactly the rules in it, each pass using the
kinds it checks (see ``audit_reports``). The passes only add findings (localisation
also fills in those it explains); the findings are put in the caller's order once, at
the end of ``run_post_passes``.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from ._audit import findings_of
from ._compile import compiled_for, rule_list
from ._errors import InputError
from ._finding import SEVERITY_ORDER, Finding, _num, findings_frame, relevance
from ._report import Report, cell_labels, cells_read_as, check_cells_known, data_cells
from ._rules import Rule
from ._template import Template, as_template, get_template, templates, unknown_cells_error


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


# A pass over finished results: ``step(results, rules=None)`` returns the list of results.
# ``rules`` are the rules in force (None: the packaged ones); a pass appends its findings to
# a result's list (or fills in findings already there) and leaves the ordering to
# ``run_post_passes``.
PostPass = Callable[..., list[AuditResult]]
# Passes over finished results, in order. Localisation first: it explains the in-year
# identity findings; the text and cross-year passes then add findings of their own.
POST_PASSES: list[PostPass] = []
# The passes that need several reports at once (cross-year pairs). The others look at one
# result at a time, so a batch runs them in its worker processes, chunk by chunk, and only
# these in the parent over every result. They come last in POST_PASSES, so running them
# afterwards keeps the order of the list.
ACROSS_REPORTS: list[PostPass] = []


def run_post_passes(results: list[AuditResult], *, rules: list[Rule] | None = None,
                    key: Callable[[Finding], tuple] = relevance, per_report: bool = True,
                    across_reports: bool = True) -> list[AuditResult]:
    """Run ``POST_PASSES`` in order: those that take one result at a time, those across reports, or both.

    ``rules``: the rules in force, as given to ``audit_reports`` (None: the packaged ones).
    The results' findings come in ordered by ``key`` (as ``audit_reports`` leaves them);
    a result the passes add findings to is ordered by ``key`` again at the end, once.
    """
    counts = [len(r.findings) for r in results]
    for step in POST_PASSES:
        if (across_reports if step in ACROSS_REPORTS else per_report):
            results = step(results, rules)
    for r, n in zip(results, counts):
        if len(r.findings) != n:  # a pass added findings (filling some in keeps their place)
            r.findings.sort(key=key)
    return results


def _float_matrix(reports: list[Report], codes: list[str]) -> np.ndarray:
    """The reports' cells as a float matrix, NaN for not reported (no DataFrame: building
    one costs more than the audit of a small chunk)."""
    nan = float("nan")
    rows = [[nan if v is None else v for v in map(r.cells.get, codes)] for r in reports]
    return np.array(rows, dtype=float).reshape(len(rows), len(codes))


def audit_reports(reports: Iterable[Report], *, rules: Iterable[Rule] | None = None,
                  key: Callable[[Finding], tuple] = relevance, post: bool = True) -> list[AuditResult]:
    """Audit parsed reports; one pandera pass per template, results in input order.

    ``rules``: None checks the packaged rules (or ``$GOV_AUDIT_RULES``'s) — in-year,
    text and cross-year. A list checks exactly the rules in it, and nothing else: its
    in-year kinds (``sum_identity``, ``at_most``, ``non_negative``, ``integer``) are
    validated and localised (error localisation uses its error-severity ones), its
    narrative kinds (``text_quantity``, ``text_sections``, ``text_period``,
    ``template_year``) are checked against each report's text, and its ``year_over_year``
    rules against the same agency's report for the year before. ``rules=[]`` checks no
    rule at all (the readers' own findings remain). To add rules to the packaged ones,
    pass ``load_rules() + your_rules``. Any iterable of rules is read once, up front; an
    element that is not a :class:`Rule` raises ``TypeError``, a rule id given twice for a
    template :class:`RuleError`.

    ``key`` orders each result's findings, also those the post-passes add.
    ``post=False`` skips the post-passes (``run_post_passes`` runs them later).
    A report of an unknown template, or holding a cell its template lacks, raises
    :class:`InputError`.
    """
    rules = rule_list(rules)
    reports = list(reports)
    by_template: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(reports):
        if r.status != "failed":
            by_template[r.template].append(i)
    found: dict[str, list[Finding]] = defaultdict(list)
    for code, idx in by_template.items():
        c = compiled_for(code, rules)
        for i in idx:  # (never fails for a report read from a file)
            check_cells_known(reports[i], c.template)
        values = _float_matrix([reports[i] for i in idx], c.codes)
        for f in findings_of(c, values, [str(i) for i in idx]):  # positions: sources may repeat
            found[f.report].append(f.evolve(report=reports[int(f.report)].source))
    results = []
    for i, r in enumerate(reports):
        results.append(AuditResult(r, sorted([*r.parse_findings, *found.get(str(i), [])], key=key)))
    return run_post_passes(results, rules=rules, key=key) if post else results


def template_of_cells(keys: Iterable[str], template: str | Template | None = None) -> Template:
    """The template of a dict (or one-row frame) of cells, keyed by cell code.

    ``template`` when given; otherwise the template having the most of the keys, the newest
    (latest ``first_year``) on a tie — so a dict of cells every template has (or none) is
    read in the newest format. Keys that are not written as cell codes at all (no table
    prefix such as ``t3.``: ``agency``, ``year``, ``单位``) are a frame's other columns and
    are left aside, as ``audit_panel`` does. Raises :class:`InputError` (reason
    ``unknown_cells``) naming every cell code the template lacks, rather than dropping
    those values unread (also ``T3.new.natural``: a table prefix in any case counts), and
    (reason ``duplicate_cells``) naming a cell code given twice.
    """
    keys = cell_labels(keys)
    if template is not None:
        tpl = as_template(template)
    else:
        tpl = max(templates().values(), key=lambda t: (sum(k in t.cells for k in keys), t.first_year))
    missing = [k for k in keys if k not in tpl.cells]
    if missing:
        raise unknown_cells_error(missing, tpl)
    return tpl


def _report_from_frame(frame: pd.DataFrame | pd.Series, template: str | None) -> Report:
    if isinstance(frame, pd.DataFrame):
        if len(frame) != 1:
            raise InputError("not_one_report", f"audit() 只审核一份报告，而这个 DataFrame 有 {len(frame)} 行；"
                                               f"多份报告（每行一份）请用 audit_panel()。"
                                               f" audit() takes one report; this DataFrame has {len(frame)} rows — "
                                               f"use audit_panel() for a panel of reports (one row each).",
                             detail=f"{len(frame)} rows")
        labels = frame.columns
        name = str(frame.index[0])
        values = frame.astype(object).iloc[0].tolist()  # each value as its column holds it (no upcast)
    else:
        labels, name = frame.index, str(frame.name or "<series>")
        values = frame.tolist()
    return _data_report(name, labels, values, template)


def _data_report(name: str, labels, values, template: str | Template | None) -> Report:
    """A report of cells given as data (a dict, a Series, a one-row frame), keyed by cell code."""
    tpl = template_of_cells(labels, template)
    given = {str(k): v for k, v in zip(labels, values) if str(k) in tpl.cells}  # each given once (checked)
    return Report(name, tpl.code, data_cells(given, tpl), form="data")


def audit(source, *, template: str | None = None, rules: Iterable[Rule] | None = None,
          name: str | None = None) -> AuditResult:
    """Audit one report given as a path, text, bytes, a :class:`Report`, a dict of cells or a one-row DataFrame.

    A dict or frame of cells is keyed by cell code (other keys, such as ``agency``, are left
    aside); its template is ``template`` or, if None, the one having the most of its codes
    (the newest on a tie). A cell code the template lacks — misspelt, or of another
    format — raises :class:`InputError` (reason ``unknown_cells``) naming it, and so does a
    cell code given twice (``duplicate_cells``) or MultiIndex columns (``bad_columns``).
    Its values are numbers (int, float, numpy, Decimal, or text such as ``"12"``,
    ``"1,234"``, ``"１２"``); None, NaN and the placeholders a report prints (``/``, ``—``,
    ``无``, ``""``) are "not reported", never 0. Any other value — a bool, ``"abc"``,
    ``"12件"``, an infinity — raises :class:`InputError` naming the cell and the value.
    A DataFrame of other than one row raises :class:`InputError` (``not_one_report``):
    use :func:`audit_panel`. An unknown ``template`` raises :class:`InputError`
    (``unknown_template``).
    ``rules``: as for :func:`audit_reports` — None the packaged rules, a list exactly its
    rules (``[]``: none).
    """
    from ._read import read

    rules = rule_list(rules)
    if template is not None and not isinstance(template, Template):
        get_template(template)  # an unknown code fails here, whatever the source
    if isinstance(source, Report):
        report = source
    elif isinstance(source, (pd.DataFrame, pd.Series)):
        report = _report_from_frame(source, template)
    elif isinstance(source, dict):
        report = _data_report(name or "<dict>", list(source), list(source.values()), template)
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

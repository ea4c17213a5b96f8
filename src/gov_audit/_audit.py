"""Audit a panel of reports: the compiled schema's failures become findings.

Each failing row of the evaluation frame (see ``_compile``) is one report × one rule
instance, and becomes one finding.

``iter_findings`` is the lazy primitive; ``audit_panel`` collects its output for one
panel, and ``audit``/``audit_reports`` (``_api``) build panels from reports, call it, and
then run the post-passes (localisation, the text, cross-year checks).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from . import _messages as msg
from ._compile import CompiledRules, compiled_for, rule_list
from ._finding import Finding, Reason, findings_frame, relevance
from ._rules import Rule, RuleInstance
from ._template import Template, as_template

# A pandera pass costs a few ms however many reports it covers, but its frame has ~440 rows
# per report: passes over a few thousand reports keep that frame's arrays small enough to
# stay fast (one pass over 100,000 reports would build arrays of 44 million rows).
REPORTS_PER_PASS = 5_000


def _linear_finding(c: CompiledRules, k: int, report: str, observed: float, expected: float) -> Finding:
    inst = c.linear[k]
    zh, en = msg.linear(inst, c.template, observed, expected, c.places[k])
    reason = Reason.IDENTITY_VIOLATED if inst.kind.relation == "eq" else Reason.INEQUALITY_VIOLATED
    return Finding(inst.rule.id, inst.rule.severity, reason.value, report, inst.cells,
                   c.labels[k], inst.key, observed, expected, zh, en)


def _unary_finding(c: CompiledRules, inst: RuleInstance, report: str, value: float) -> Finding:
    zh, en = msg.unary(inst, c.template, value)
    reason = Reason.NEGATIVE if inst.kind.relation == "non_negative" else Reason.NOT_INTEGER
    return Finding(inst.rule.id, inst.rule.severity, reason.value, report, inst.cells,
                   (c.template.cells[inst.key].describe(),), inst.key, value, None, zh, en)


def iter_findings(panel: pd.DataFrame, template: Template | str, rules: Iterable[Rule] | None = None,
                  compiled: CompiledRules | None = None) -> Iterator[Finding]:
    """Every finding for every report (row) of ``panel``, lazily.

    ``panel`` has one row per report and one column per cell code; its index names the
    reports (a finding's ``report`` is ``str`` of the row's label). Blank (null) cells
    never count as 0: an identity with some blank cells is not checked and yields one
    ``not_reported`` warning instead. The panel is checked before the first finding (see
    :meth:`CompiledRules.cell_matrix`): columns not written as cell codes (``agency``) are
    left aside, but a cell code the template lacks, a MultiIndex, a cell given twice, no
    cell column at all, or a value that is no count raises :class:`InputError`.
    ``rules`` as for :func:`gov_audit.audit_reports` (any iterable of rules, read once).
    """
    tpl = as_template(template)
    c = compiled or compiled_for(tpl, rule_list(rules))
    values = c.cell_matrix(panel)
    return findings_of(c, values, [str(x) for x in panel.index])


def findings_of(c: CompiledRules, values: np.ndarray, reports: list[str]) -> Iterator[Finding]:
    """The findings of a cell matrix (``CompiledRules.cell_matrix``: one row per report,
    named by ``reports``), lazily; the values are taken as they are."""
    n_linear = len(c.linear)
    for start in range(0, len(values), REPORTS_PER_PASS):
        frame = c.frame_of(values[start:start + REPORTS_PER_PASS], first_report=start)
        rows = c.failing_rows(frame)
        report_of, instance_of = frame["report"].to_numpy()[rows], frame["instance"].to_numpy()[rows]
        # both sides of every failing identity at once (one sparse pass, not one per finding)
        linear = instance_of < n_linear
        left, right = c.sides(values[report_of[linear]], instance_of[linear])
        sides = iter(zip(left.tolist(), right.tolist()))
        for i, k, value in zip(report_of.tolist(), instance_of.tolist(), frame["value"].to_numpy()[rows].tolist()):
            if k < n_linear:
                yield _linear_finding(c, k, reports[i], *next(sides))
            else:
                yield _unary_finding(c, c.checked[k], reports[i], value)
    yield from _blank_findings(c, values, reports)


def _blank_findings(c: CompiledRules, values: np.ndarray, reports: list[str]) -> Iterator[Finding]:
    if not len(c.linear):
        return
    blanks = c.blank_counts(values)
    size = np.abs(c.matrix).sum(axis=1)
    partial = (blanks > 0) & (blanks < size)
    codes = c.codes
    for i, k in zip(*np.nonzero(partial)):
        inst = c.linear[k]
        blank = [codes[j] for j in np.nonzero(c.matrix[k])[0] if np.isnan(values[i, j])]
        zh, en = msg.not_reported(inst, c.template, blank)
        yield Finding(inst.rule.id, "warning", Reason.NOT_REPORTED.value, reports[i], tuple(blank),
                      tuple(c.template.cells[x].describe() for x in blank), inst.key, None, None, zh, en)


@dataclass
class PanelResult:
    """Findings for a panel of reports of one template."""

    panel: pd.DataFrame
    template: Template
    findings_list: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> pd.DataFrame:
        return findings_frame(self.findings_list)

    def for_report(self, report: object) -> list[Finding]:
        """The findings of one report: ``report`` is its label in the panel's index, or
        ``str`` of it (a finding's ``report`` holds ``str(label)``: ``0`` and ``"0"`` are
        the same report)."""
        report = str(report)
        return [f for f in self.findings_list if f.report == report]

    def __repr__(self) -> str:
        return f"<PanelResult template={self.template.code} reports={len(self.panel)} findings={len(self.findings_list)}>"


def audit_panel(panel: pd.DataFrame, template: Template | str = "2021", *, rules: Iterable[Rule] | None = None,
                key: Callable[[Finding], tuple] = relevance) -> PanelResult:
    """Audit many reports of one template at once (one row per report, one column per cell code).

    The findings' ``report`` column holds ``str`` of each row's index label. The panel is
    checked as :func:`iter_findings` says: a column written as a cell code that ``template``
    lacks (misspelt, of another template), a MultiIndex, a cell given twice, no cell
    column at all, or a value that is no count raises :class:`InputError`; text values
    such as ``"1,234"`` are numbers and placeholders (``/``, ``—``, ``""``) not reported.
    """
    tpl = as_template(template)
    found = sorted(iter_findings(panel, tpl, rule_list(rules)), key=key)
    return PanelResult(panel, tpl, found)

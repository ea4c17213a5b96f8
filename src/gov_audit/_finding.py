"""The finding record and the tidy findings table.

One immutable :class:`Finding` per broken rule instance (or parse problem) in one
report. ``repr`` is short; ``str`` says what failed, where and by how much.
``FINDING_COLUMNS`` is the fixed column order of the machine-readable table.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Iterable

import pandas as pd

from ._resources import rules_dir
from ._template import _load_all


class Reason(str, Enum):
    """Stable reason codes: what kind of wrongness a finding reports."""

    IDENTITY_VIOLATED = "identity_violated"      # Σ lhs ≠ Σ rhs
    INEQUALITY_VIOLATED = "inequality_violated"  # Σ lhs > Σ rhs
    NEGATIVE = "negative_value"
    NOT_INTEGER = "not_integer"
    NOT_REPORTED = "not_reported"                # a rule cannot be checked: cells left blank
    CELL_MISSING = "cell_missing"                # the reader could not find a cell
    SPLIT_AMBIGUOUS = "split_ambiguous"          # run-together digits with several valid splits
    SPLIT_INFERRED = "split_inferred"            # run-together digits split using the identities
    TEMPLATE_MISMATCH = "template_mismatch"      # report year calls for the other template
    TEXT_MISMATCH = "text_mismatch"              # a number in the text differs from the table
    TEXT_PERCENT = "text_percent_mismatch"       # a percentage in the text is not the table's ratio
    SECTION_MISSING = "section_missing"          # one of the six section headings is absent
    SECTION_ORDER = "section_out_of_order"       # a section heading comes out of order
    PERIOD_YEAR = "period_year_mismatch"         # the 统计期限 sentence names another year
    ROW_INFERRED = "row_inferred"                # a row's label was lost; values taken by row order
    UNREADABLE = "unreadable"                    # input could not be read as a report


SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """One thing wrong with one report.

    ``cells`` are canonical cell codes; ``labels`` the same cells as printed
    (``表三「（七）总计」×「自然人」``). For arithmetic rules ``observed`` is Σ lhs and
    ``expected`` Σ rhs. ``suspects`` are the cells most likely wrong (may be empty) and
    ``suggestions`` maps a suspect to a value that would satisfy the rules.
    A cross-year finding also names the other report: ``related_report`` (its source)
    and ``related_cells`` (its cells in the relation); ``cells`` stay this report's.
    """

    rule: str
    severity: str
    reason: str
    report: str
    cells: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    instance: str = ""
    observed: float | None = None
    expected: float | None = None
    message_zh: str = ""
    message_en: str = ""
    suspects: tuple[str, ...] = ()
    suggestions: tuple[tuple[str, float], ...] = field(default=())
    related_report: str = ""
    related_cells: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        return self.message_zh

    def message_in(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh

    @property
    def residual(self) -> float | None:
        if self.observed is None or self.expected is None:
            return None
        return self.observed - self.expected

    def evolve(self, **changes) -> "Finding":
        return replace(self, **changes)

    def __repr__(self) -> str:
        where = f"[{self.instance}]" if self.instance else ""
        return f"<Finding {self.severity} {self.rule}{where} in {self.report!r}>"

    def __str__(self) -> str:
        lines = [f"{self.severity.upper()} {self.rule} ({self.reason}) in {self.report}", f"  {self.message_zh}"]
        if self.message_en:
            lines.append(f"  {self.message_en}")
        for code, label in zip(self.cells, self.labels or self.cells):
            lines.append(f"    {code}  {label}")
        if self.suspects:
            lines.append(f"  suspects: {', '.join(self.suspects)}")
        return "\n".join(lines)

    def to_dict(self, lang: str = "zh") -> dict:
        """The JSON shape of a finding (see docs/json.md)."""
        return {
            "rule": self.rule, "severity": self.severity, "reason": self.reason,
            "instance": self.instance, "cells": list(self.cells), "labels": list(self.labels),
            "observed": _num(self.observed), "expected": _num(self.expected), "residual": _num(self.residual),
            "suspects": list(self.suspects), "suggestions": {k: _num(v) for k, v in self.suggestions},
            "message": self.message_in(lang), "message_zh": self.message_zh, "message_en": self.message_en,
            "related": ({"report": self.related_report, "cells": list(self.related_cells)}
                        if self.related_report else None),
        }


def _num(x: float | None):
    if x is None:
        return None
    return int(x) if float(x).is_integer() else float(x)


FINDING_COLUMNS = ["report", "rule", "severity", "reason", "instance", "cells", "labels",
                   "observed", "expected", "residual", "suspects", "suggestions", "message_zh", "message_en"]


def relevance(finding: Finding) -> tuple:
    """Default ordering key: by report, errors first, then by rule and place in the printed tables.

    Place is the cells' order in the template (表三 row by row, as a clerk reads the
    table), not the alphabetical order of their codes.
    """
    return (finding.report, SEVERITY_ORDER.get(finding.severity, 9), finding.rule, _places(finding.cells))


# the merged cell order of each rules folder (GOV_AUDIT_RULES may change between calls)
_ORDERS: dict[str, dict[str, tuple[int, int]]] = {}
_UNKNOWN = (1 << 30, 0)  # cells of custom rules outside the templates: last, by code


def _places(cells: tuple[str, ...]) -> tuple:
    folder = str(rules_dir())
    order = _ORDERS.get(folder)
    if order is None:
        order = _ORDERS[folder] = _merged_order(folder)
    return tuple((order.get(c, _UNKNOWN), c) for c in cells)


def _merged_order(folder: str | None = None) -> dict[str, tuple[int, int]]:
    """One order for every template's cells: the newest template's as printed, with each
    older template's own cells right after the cell that precedes them there (the
    templates print the cells they share in the same order). ``folder``: the rules
    folder (default: the current one)."""
    found = _load_all(folder or str(rules_dir()))
    newest, *older = sorted(found.values(), key=lambda t: t.first_year, reverse=True)
    order = {code: (i, 0) for i, code in enumerate(newest.codes)}
    for t in older:
        before, extra = (-1, 0), 0
        for code in t.codes:
            if code in order:
                before, extra = order[code], 0
            else:
                extra += 1
                order[code] = (before[0], before[1] + extra)
    return order


def findings_frame(findings: Iterable[Finding], key=relevance) -> pd.DataFrame:
    """The tidy findings table with the fixed ``FINDING_COLUMNS``."""
    rows = [{
        "report": f.report, "rule": f.rule, "severity": f.severity, "reason": f.reason,
        "instance": f.instance, "cells": f.cells, "labels": f.labels, "observed": f.observed,
        "expected": f.expected, "residual": f.residual, "suspects": f.suspects,
        "suggestions": dict(f.suggestions), "message_zh": f.message_zh, "message_en": f.message_en,
    } for f in sorted(findings, key=key)]
    frame = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    for col in ("observed", "expected", "residual"):
        frame[col] = frame[col].astype("Float64")
    return frame

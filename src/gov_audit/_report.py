"""A parsed report: cell values with provenance, plus what the reader noticed."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ._finding import Finding
from ._template import Template, get_template

STATUSES = ("ok", "partial", "failed")


@dataclass(frozen=True)
class CellSource:
    """Where a cell's value came from: the printed text and its place in the input."""

    raw: str
    where: str
    how: str  # read | blank | inferred | ambiguous | missing


@dataclass
class Report:
    """One report: ``cells`` maps every cell code of the template to a value or None."""

    source: str
    template: str
    cells: dict[str, float | None]
    year: int | None = None
    agency: str | None = None
    form: str = "data"
    status: str = "ok"
    reason: str = ""
    provenance: dict[str, CellSource] = field(default_factory=dict)
    parse_findings: list[Finding] = field(default_factory=list)
    text: str = ""  # the report's plain text, for narrative checks

    @property
    def template_obj(self) -> Template:
        return get_template(self.template)

    def to_series(self) -> pd.Series:
        return pd.Series(self.cells, name=self.source, dtype="Float64")

    def __repr__(self) -> str:
        filled = sum(v is not None for v in self.cells.values())
        return f"<Report {self.source!r} template={self.template} year={self.year} {filled}/{len(self.cells)} cells {self.status}>"


def failed_report(source: str, reason: str, message_zh: str, message_en: str, form: str = "unknown") -> Report:
    """A placeholder for an input that could not be read at all; it still shows in the output."""
    tpl = get_template("2021")
    f = Finding("read.unreadable", "error", "unreadable", source, message_zh=message_zh, message_en=message_en)
    return Report(source, tpl.code, {c: None for c in tpl.codes}, form=form, status="failed",
                  reason=reason, parse_findings=[f])


def panel_of(reports: list[Report], template: str) -> pd.DataFrame:
    """The panel: one row per report (index = source), one nullable column per cell code."""
    codes = get_template(template).codes
    frame = pd.DataFrame([[r.cells.get(c) for c in codes] for r in reports], columns=codes,
                         index=pd.Index([r.source for r in reports], name="report"), dtype="Float64")
    return frame

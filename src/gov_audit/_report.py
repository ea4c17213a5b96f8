"""A parsed report: cell values with provenance, plus what the reader noticed."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from ._finding import Finding
from ._template import Template, get_template

STATUSES = ("ok", "partial", "failed")


class CellSource(NamedTuple):
    """Where a cell's value came from: the printed text and its place in the input.

    A named tuple (immutable, like the frozen dataclass it was): every report holds one
    per cell, built on every read and pickled whenever reports cross to another process,
    and a tuple is several times cheaper at both.
    """

    raw: str
    where: str
    how: str  # read | blank | inferred | ambiguous | missing


class Provenance(Mapping):
    """Cell code → :class:`CellSource`, held as columns until a cell is asked for.

    A report arriving from a worker process would otherwise rebuild one named tuple per
    cell (~200) in the parent, which does that for every report of a batch while the
    workers wait; most outputs look at few cells (or only at ``how``, see ``codes_how``).
    Behaves as a read-only dict: ``dict(p)``, ``p[code]``, ``p.items()``, ``==``.
    """

    __slots__ = ("_codes", "_raw", "_where", "_how", "_index")

    def __init__(self, codes: list[str], raw: list[str], where: list[str], how: list[str]):
        self._codes, self._raw, self._where, self._how = codes, raw, where, how
        self._index: dict[str, int] | None = None

    def __getitem__(self, code: str) -> CellSource:
        if self._index is None:
            self._index = {c: i for i, c in enumerate(self._codes)}
        i = self._index[code]
        return tuple.__new__(CellSource, (self._raw[i], self._where[i], self._how[i]))

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code: object) -> bool:
        if self._index is None:
            self._index = {c: i for i, c in enumerate(self._codes)}
        return code in self._index

    def codes_how(self, *hows: str) -> list[str]:
        """The cells read in one of these ways (e.g. ``"inferred"``), in template order, no tuple built."""
        return [c for c, h in zip(self._codes, self._how) if h in hows]

    def __reduce__(self):
        return (Provenance, (self._codes, self._raw, self._where, self._how))

    def __repr__(self) -> str:
        return f"Provenance({dict(self.items())!r})"


def cells_read_as(provenance: Mapping[str, CellSource], *hows: str) -> list[str]:
    """The cells whose provenance says one of ``hows``, in the mapping's order."""
    if isinstance(provenance, Provenance):
        return provenance.codes_how(*hows)
    return [c for c, p in provenance.items() if p.how in hows]


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
    provenance: Mapping[str, CellSource] = field(default_factory=dict)
    parse_findings: list[Finding] = field(default_factory=list)
    text: str = ""  # the report's plain text, for narrative checks

    @property
    def template_obj(self) -> Template:
        return get_template(self.template)

    def to_series(self) -> pd.Series:
        return pd.Series(self.cells, name=self.source, dtype="Float64")

    def __reduce__(self):
        # Reports cross process boundaries in batches. Pickling a named tuple calls back
        # into Python once per object, so the provenance travels as plain lists of strings
        # (pickled in C) and arrives as a Provenance that builds a tuple only when asked.
        prov = self.provenance
        if isinstance(prov, Provenance):
            columns = (prov._codes, prov._raw, prov._where, prov._how)
        else:
            columns = (list(prov), [s[0] for s in prov.values()], [s[1] for s in prov.values()],
                       [s[2] for s in prov.values()])
        return (_unpickle_report, (self.source, self.template, self.cells, self.year, self.agency, self.form,
                                   self.status, self.reason, columns, self.parse_findings, self.text))

    def __repr__(self) -> str:
        filled = sum(v is not None for v in self.cells.values())
        return f"<Report {self.source!r} template={self.template} year={self.year} {filled}/{len(self.cells)} cells {self.status}>"


def _unpickle_report(source, template, cells, year, agency, form, status, reason, columns, findings, text) -> Report:
    return Report(source, template, cells, year, agency, form, status, reason, Provenance(*columns), findings, text)


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

"""A parsed report: cell values with provenance, plus what the reader noticed."""
from __future__ import annotations

import functools
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._errors import InputError
from ._finding import Finding
from ._template import Template, as_template, get_template, is_cell_key, unknown_cells_error

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


def check_cells_known(report: Report, tpl: Template) -> None:
    """Raise :class:`InputError` (``unknown_cells``) if ``report`` holds a cell ``tpl`` lacks."""
    if report.cells.keys() - tpl.cells.keys():
        raise unknown_cells_error([k for k in report.cells if k not in tpl.cells], tpl)


def panel_of(reports: list[Report], template: str | Template) -> pd.DataFrame:
    """The panel: one row per report (index = source), one nullable column per cell code.

    A report holding a cell the template lacks (a 2019 report in a 2021 panel) raises
    :class:`InputError` (reason ``unknown_cells``) naming it, rather than dropping it.
    """
    tpl = as_template(template)
    codes = tpl.codes
    for r in reports:
        check_cells_known(r, tpl)
    frame = pd.DataFrame([[r.cells.get(c) for c in codes] for r in reports], columns=codes,
                         index=pd.Index([r.source for r in reports], name="report"), dtype="Float64")
    return frame


# ---- cells given as data (a dict, a Series, a frame): one conversion for every entry point -------

class _BadValue(Exception):
    """A value that is not a count: ``kind`` is ``not_a_number``, ``boolean`` or ``not_finite``."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


@functools.cache
def _placeholders() -> frozenset[str]:
    from ._read._atoms import PLACEHOLDERS, nfkc  # not at the top: the readers import this module

    # as the text is compared after NFKC (which makes "…" "..."), the placeholders are too
    return frozenset({nfkc(p) for p in PLACEHOLDERS} | {""})


def data_value(value: object) -> float | None:
    """A cell value given as data, as the float the audit uses; None = not reported.

    None, NaN (also ``pd.NA``, ``Decimal("NaN")``) and the placeholders a report prints
    for "not reported" (``/``, ``—``, ``无``, ``""`` …, ``_read._atoms.PLACEHOLDERS``) are
    None, never 0. Numbers — int, float, numpy, Decimal, Fraction — and numeric text
    (``"12"``, ``" 1,234 "``, full-width ``"１２"``, ``"-3"``, ``"2.5"``) are floats.
    Raises ``_BadValue`` for anything else: a bool (True is not a count of 1), text that is
    not a number (``"abc"``, ``"12件"``), an infinite or out-of-range number.
    """
    t = type(value)
    if t is float:
        if value != value:
            return None
        if value in (math.inf, -math.inf):
            raise _BadValue("not_finite")
        return value
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        raise _BadValue("boolean")
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).replace("\u2212", "-").strip()
        if text in _placeholders():
            return None
        if _GROUPED_NUMBER.fullmatch(text):
            text = text.replace(",", "")
        elif not _PLAIN_NUMBER.fullmatch(text):
            raise _BadValue("not_a_number")
        number = float(text)
    elif isinstance(value, (numbers.Real, Decimal)):
        try:
            number = float(value)
        except OverflowError:  # an int or Fraction beyond any float
            raise _BadValue("not_finite") from None
        except ValueError:  # Decimal("sNaN")
            return None
    else:
        try:
            missing = pd.isna(value) is True  # pd.NA, NaT; an array or list is not a value
        except (TypeError, ValueError):
            missing = False
        if missing:
            return None
        raise _BadValue("not_a_number")
    if number != number:
        return None
    if not math.isfinite(number):
        raise _BadValue("not_finite")
    return number


_VALUE_PROBLEMS = {
    "not_a_number": ("以下单元格的值不是数字", "These cell values are not numbers"),
    "boolean": ("以下单元格的值是真假值（True/False），不是件数", "These cell values are booleans (True/False), not counts"),
    "not_finite": ("以下单元格的值是无穷大或超出数值范围，不是件数",
                   "These cell values are infinite or out of range, not counts"),
}
_SHOWN = 10  # problems named in a message; the count of the rest follows


def value_error(problems: list[tuple[str, str, object]]) -> InputError:
    """The :class:`InputError` for values ``data_value`` refused: ``(where, kind, value)``
    triples, ``where`` naming the cell (and the report, in a panel). The reason is the
    first problem's kind (``not_a_number``, ``boolean`` or ``not_finite``)."""
    zh, en = [], []
    for kind, (kzh, ken) in _VALUE_PROBLEMS.items():
        mine = [(w, v) for w, k, v in problems if k == kind]
        if not mine:
            continue
        listed = [f"{w} = {_shown(v)}" for w, v in mine[:_SHOWN]]
        more_zh = f" 等 {len(mine)} 处" if len(mine) > _SHOWN else ""
        more_en = f" ({len(mine)} in all)" if len(mine) > _SHOWN else ""
        zh.append(f"{kzh}：{'；'.join(listed)}{more_zh}。")
        en.append(f"{ken}: {'; '.join(listed)}{more_en}.")
    hint_zh = "请填写数字；不报告的单元格留空（None/NaN）或填“/”。"
    hint_en = "Give numbers; leave a cell that is not reported blank (None/NaN) or '/'."
    return InputError(problems[0][1], f"{''.join(zh)}{hint_zh} {' '.join(en)} {hint_en}",
                      detail="; ".join(f"{w}={_shown(v)}" for w, _, v in problems[:_SHOWN]))


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def data_cells(values: Mapping[str, object], tpl: Template, where: str = "") -> dict[str, float | None]:
    """Every cell of ``tpl`` from ``values`` (cell code → value given as data), through
    :func:`data_value`; a cell absent is not reported. Raises one :class:`InputError`
    naming every value refused (``where`` is put after each cell's code)."""
    cells, problems = {}, []
    for code in tpl.codes:
        try:
            cells[code] = data_value(values[code]) if code in values else None
        except _BadValue as exc:
            problems.append((f"{code}{where}", exc.kind, values[code]))
    if problems:
        raise value_error(problems)
    return cells


def cell_labels(labels: pd.Index | Iterable, tpl: Template | None = None, *, what: str = "列") -> list[str]:
    """The labels of a frame's columns (a Series' index, a dict's keys) that are written as
    cell codes (``_template.is_cell_key``), as str, in their order; the others (``agency``)
    are left aside. Refuses, with :class:`InputError`, a MultiIndex (reason ``bad_columns``),
    such a label given twice (``duplicate_cells``) and, when ``tpl`` is given, one that
    ``tpl`` lacks (``unknown_cells``)."""
    if isinstance(labels, pd.MultiIndex):
        raise InputError("bad_columns", f"{what}是多层索引（MultiIndex），应为单层的单元格代码，如 t3.new.natural。"
                                        " The labels are a MultiIndex; give one level of cell codes such as "
                                        "t3.new.natural (flatten them first).")
    keys = [k for k in map(str, labels) if is_cell_key(k)]
    if len(set(keys)) != len(keys):
        seen: set[str] = set()
        twice = list(dict.fromkeys(k for k in keys if k in seen or seen.add(k)))
        raise InputError("duplicate_cells", f"以下单元格代码出现不止一次，无法确定取哪个值：{'、'.join(twice)}。"
                                            f" These cell codes are given more than once, so which value holds "
                                            f"is unclear: {', '.join(twice)}.", detail=", ".join(twice))
    if tpl is not None:
        missing = [k for k in keys if k not in tpl.cells]
        if missing:
            raise unknown_cells_error(missing, tpl)
    return keys

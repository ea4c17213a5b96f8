"""The two national report templates, loaded from ``rules/templates/*.yaml``.

A template knows every cell of its tables: the canonical code
(``t3.carry_in.natural``), the printed row and column labels with the variants seen
in real reports, and the value kind (count, signed count, money).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ._errors import InputError, RuleError
from ._resources import rules_dir

TABLE_NAMES = {"t2": ("表二", "Table 2"), "t3": ("表三", "Table 3"), "t4": ("表四", "Table 4")}
VALUE_KINDS = ("count", "signed_count", "money")


def table_name(table: str, lang: str = "zh") -> str:
    """A table as printed: ``表三`` / ``Table 3`` (the code itself for a table with no printed name)."""
    zh, en = TABLE_NAMES.get(table, (table, table))
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class Label:
    code: str
    label: str
    variants: tuple[str, ...] = ()
    group: str | None = None

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class CellSpec:
    code: str
    table: str
    row: Label
    column: Label
    kind: str = "count"
    unit: str | None = None

    def row_text(self) -> str:
        """The row as :meth:`describe` names it: its printed label, after its group in table 4
        (``行政诉讼 复议后起诉``), whose rows repeat under each group in print."""
        return f"{self.row.group} {self.row.label}" if self.row.group and self.table == "t4" else self.row.label

    def describe(self, lang: str = "zh") -> str:
        """Printed location, e.g. ``表三「（七）总计」×「自然人」``."""
        return f"{table_name(self.table, lang)}「{self.row_text()}」×「{self.column.label}」"


@dataclass(frozen=True)
class Table:
    code: str
    title: str
    rows: dict[str, Label]
    columns: dict[str, Label]
    row_columns: dict[str, tuple[str, ...]]
    row_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    column_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Template:
    code: str
    title: str
    first_year: int
    last_year: int | None
    own_markers: tuple[str, ...]
    foreign_markers: tuple[str, ...]
    tables: dict[str, Table]
    cells: dict[str, CellSpec]

    @property
    def codes(self) -> list[str]:
        """Every cell code, in printed order (table, row, column)."""
        return list(self.cells)

    def covers_year(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def group(self, table: str, name: str) -> tuple[str, ...]:
        t = self.tables[table]
        if name in t.row_groups:
            return t.row_groups[name]
        if name in t.column_groups:
            return t.column_groups[name]
        if name == "rows":
            return tuple(t.rows)
        if name == "columns":
            return tuple(t.columns)
        raise KeyError(name)

    def __repr__(self) -> str:
        return f"<Template {self.code}: {len(self.cells)} cells>"


def _label(code: str, spec: dict, path: Path) -> Label:
    if not isinstance(spec, dict) or "label" not in spec:
        raise RuleError(f"{code!r} needs a mapping with a 'label'", path=str(path))
    return Label(code, str(spec["label"]), tuple(str(v) for v in spec.get("variants", ())), spec.get("group"))


def _table(code: str, spec: dict, path: Path) -> tuple[Table, dict[str, CellSpec]]:
    try:
        cols_spec, rows_spec = spec["columns"], spec["rows"]
    except (KeyError, TypeError) as exc:
        raise RuleError(f"table {code!r} needs 'rows' and 'columns'", path=str(path)) from exc
    columns = {c: _label(c, s, path) for c, s in cols_spec.items()}
    rows = {r: _label(r, s, path) for r, s in rows_spec.items()}
    row_columns = {}
    cells: dict[str, CellSpec] = {}
    for r, rs in rows_spec.items():
        own = tuple(rs.get("columns", columns))
        for c in own:
            if c not in columns:
                raise RuleError(f"row {r!r} of {code} names unknown column {c!r}", path=str(path))
            cspec = cols_spec[c]
            kind = cspec.get("kind", "count")
            if kind not in VALUE_KINDS:
                raise RuleError(f"column {c!r} has unknown kind {kind!r}; known: {VALUE_KINDS}", path=str(path))
            cells[f"{code}.{r}.{c}"] = CellSpec(f"{code}.{r}.{c}", code, rows[r], columns[c], kind, cspec.get("unit"))
        row_columns[r] = own
    groups = lambda key, known: {  # noqa: E731 - tiny local helper
        g: tuple(members) for g, members in (spec.get(key) or {}).items()
        if all(m in known or _raise(f"group {g!r} of {code} names unknown {m!r}", path) for m in members)
    }
    table = Table(code, spec.get("title", code), rows, columns, row_columns,
                  groups("row_groups", rows), groups("column_groups", columns))
    return table, cells


def _raise(message: str, path: Path) -> bool:
    raise RuleError(message, path=str(path))


def load_template_file(path: Path) -> Template:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"not valid YAML: {exc}", path=str(path)) from exc
    if not isinstance(data, dict) or "template" not in data or "tables" not in data:
        raise RuleError("a template file needs 'template' and 'tables'", path=str(path))
    tables, cells = {}, {}
    for code, spec in data["tables"].items():
        tables[code], table_cells = _table(code, spec, path)
        cells.update(table_cells)
    years, detect = data.get("years") or {}, data.get("detect") or {}
    return Template(str(data["template"]), data.get("title", ""), int(years.get("first", 0)),
                    years.get("last"), tuple(detect.get("own", ())), tuple(detect.get("foreign", ())),
                    tables, cells)


@functools.lru_cache(maxsize=None)
def _load_all(folder: str) -> dict[str, Template]:
    found = {}
    for path in sorted(Path(folder, "templates").glob("*.yaml")):
        t = load_template_file(path)
        found[t.code] = t
    if not found:
        raise RuleError("no template files found", path=str(Path(folder, "templates")))
    return found


def templates() -> dict[str, Template]:
    """All templates, keyed by code ("2019", "2021")."""
    return _load_all(str(rules_dir()))


def get_template(code: str | int) -> Template:
    """The template ``code`` ("2019", "2021"; an int is read as its digits).

    An unknown code raises :class:`InputError` (reason ``unknown_template``) listing the known ones.
    """
    known = templates()
    try:
        return known[str(code)]
    except KeyError:
        names = ", ".join(sorted(known))
        raise InputError("unknown_template", f"没有 {code!r} 这种报告格式（模板）；已知格式：{names}。"
                                             f" Unknown template {code!r}; known templates: {names}.",
                         detail=repr(code)) from None


def as_template(template: Template | str | int) -> Template:
    """``template`` itself, or the template of that code (:func:`get_template`)."""
    return template if isinstance(template, Template) else get_template(template)


def is_cell_key(key: str) -> bool:
    """Whether ``key`` is written as a cell code: its prefix names a table of some template
    (``t3.…``; also ``T3.…`` or `` t3.…``, a code mis-cased or padded rather than another
    column). Keys such as ``agency``, ``year`` or ``单位`` are not."""
    return key.strip().partition(".")[0].lower() in _all_tables(str(rules_dir()))


@functools.lru_cache(maxsize=None)
def _all_tables(folder: str) -> frozenset[str]:
    return frozenset(t for tpl in _load_all(folder).values() for t in tpl.tables)


_LISTED = 20  # keys named in a message; ``detail`` names them all


def _more(keys: list[str]) -> tuple[str, str]:
    if len(keys) <= _LISTED:
        return "", ""
    return f" 等，共 {len(keys)} 个", f" … ({len(keys)} in all)"


def unknown_cells_error(missing: list[str], tpl: Template) -> InputError:
    """The :class:`InputError` (reason ``unknown_cells``) for keys written as cell codes
    that ``tpl`` lacks: misspelt, or cells of another template (named with it)."""
    elsewhere = {k: [t.code for t in templates().values() if k in t.cells] for k in missing}
    unknown = [k for k in missing if not elsewhere[k]]
    other = [k for k in missing if elsewhere[k]]
    zh, en = [], []
    if unknown:
        more_zh, more_en = _more(unknown)
        zh.append(f"以下键不是任何模板的单元格代码（拼写错误？）：{'、'.join(unknown[:_LISTED])}{more_zh}。")
        en.append(f"These keys are cell codes of no template (misspelt?): {', '.join(unknown[:_LISTED])}{more_en}.")
        codes = {c for t in templates().values() for c in t.cells}
        if any(k.strip().lower() in codes for k in unknown):
            zh.append("单元格代码是小写、不带空格的（如 t3.new.natural）。")
            en.append("Cell codes are in lower case, without spaces (e.g. t3.new.natural).")
    if other:
        formats = {k: "/".join(elsewhere[k]) for k in other}
        more_zh, more_en = _more(other)
        zh.append(f"以下单元格不属于 {tpl.code} 年格式，只见于其他格式："
                  f"{'、'.join(f'{k}（{formats[k]}）' for k in other[:_LISTED])}{more_zh}。")
        en.append(f"These cells are not in the {tpl.code} format, only in others: "
                  f"{', '.join(f'{k} ({formats[k]})' for k in other[:_LISTED])}{more_en}.")
    hint_zh = "请改正键名或用 template= 指明格式；这些数值不会被静默丢弃。"
    hint_en = "Correct the keys or name the format with template=; their values are not dropped silently."
    return InputError("unknown_cells", f"{''.join(zh)}{hint_zh} {' '.join(en)} {hint_en}",
                      detail=", ".join(missing))


def template_for_year(year: int) -> Template | None:
    """The template a report on ``year`` should use; None for a year before every template.

    Reports on years before the first national format (2018 and earlier) had none to
    follow. A year past the newest template's last year gets the newest template.
    """
    known = templates().values()
    for t in known:
        if t.covers_year(year):
            return t
    if all(year < t.first_year for t in known):
        return None
    return max(known, key=lambda t: t.first_year)

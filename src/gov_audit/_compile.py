"""Compile rules into one pandera schema over a panel of reports.

The panel has one row per report and one column per cell code. The compiler turns the
rules into a table of *checked instances* (``CompiledRules.checked``): every linear rule
instance (``t3.balance[natural]``), then every unary one (``t3.non_negative[t3.new.natural]``).
A panel is validated through its **evaluation frame**, a long (tidy) frame with one row
per report × checked instance:

* ``report`` — the report's position in the panel;
* ``instance`` — the instance's position in ``checked``;
* ``kind`` — the instance's rule kind (categorical), which selects the check for the row;
* ``value`` — for a linear instance its residual Σ lhs − Σ rhs (computed for every report
  at once as a matrix product, NaN where a participating cell is not reported), for a
  unary instance the cell's value (NaN when blank).

The pandera ``DataFrameSchema`` has one DataFrame-level check per in-year rule kind
(``sum_identity``, ``at_most``, ``non_negative``, ``integer``), each the kind's own
``RuleKind.holds`` applied to that kind's rows. pandera's fixed cost is per column and per
check, so it is now a few milliseconds (it was ~0.3 s with one column per instance and per
cell); per row there are only a few vectorised numpy passes. Each failing row still maps
back to exactly one report and one rule instance with its cells.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
import scipy.sparse as sparse

from ._errors import InputError, RuleError
from ._messages import place
from ._report import _BadValue, cell_labels, data_value, value_error
from ._resources import rules_dir
from ._rules import IN_YEAR_SHAPES, RULE_KINDS, Rule, RuleInstance, RuleKind, instances_for, load_rules
from ._template import Template, as_template, get_template

IN_YEAR_KINDS: tuple[RuleKind, ...] = tuple(k for k in RULE_KINDS.values() if k.shape in IN_YEAR_SHAPES)
KIND_DTYPE = pd.CategoricalDtype([k.name for k in IN_YEAR_KINDS])


def _kind_check(kind: RuleKind) -> pa.Check:
    """The pandera check of one rule kind over the evaluation frame.

    Rows of other kinds pass, and so do blank values: pandera's ``ignore_na`` only skips
    rows that are blank in *every* column, and ``report``/``instance`` never are. It is
    switched off so that pandera does not scan the whole frame for such rows either.
    """
    code = KIND_DTYPE.categories.get_loc(kind.name)

    def check(frame: pd.DataFrame) -> pd.Series:
        value = frame["value"].to_numpy(dtype=float)
        # the kind column's one-byte codes: looking kinds up by instance was most of the cost
        mine = frame["kind"].cat.codes.to_numpy() == code
        ok = np.ones(len(value), dtype=bool)
        v = value[mine]
        with np.errstate(invalid="ignore"):  # inf − round(inf): as quiet as pandas was
            ok[mine] = np.isnan(v) | kind.holds(v)
        return pd.Series(ok, index=frame.index)  # pandera needs the frame's index, not an array

    return pa.Check(check, name=kind.name, ignore_na=False, title=kind.name,
                    description=f"{kind.shape} rule kind {kind.name!r} ({kind.relation})")


@dataclass(frozen=True)
class CompiledRules:
    """Everything needed to validate a panel of one template, built once and reused."""

    template: Template
    instances: tuple[RuleInstance, ...]
    linear: tuple[RuleInstance, ...]
    matrix: np.ndarray          # (n_linear, n_cells): +1 lhs, −1 rhs
    # The same matrix and its absolute value, sparse: a product with them is a short loop
    # over the ~400 non-zero coefficients, where a dense product goes through BLAS, whose
    # threads cost more CPU than the arithmetic on panels of a few hundred reports.
    coefficients: sparse.csr_matrix
    participation: sparse.csr_matrix
    checked: tuple[RuleInstance, ...]  # the evaluation frame's instances: linear (= matrix rows), then unary
    unary_cells: np.ndarray     # cell position (template order) of each unary instance of ``checked``
    kind_codes: np.ndarray      # KIND_DTYPE code of each instance of ``checked``
    schema: pa.DataFrameSchema

    @property
    def codes(self) -> list[str]:
        return self.template.codes

    def cell_matrix(self, panel: pd.DataFrame) -> np.ndarray:
        """The panel's cells as a float matrix (NaN = not reported), in template order.

        The columns are checked once per panel (``_report.cell_labels``): a MultiIndex, a
        cell code given twice or one the template lacks, or no cell column at all, raises
        :class:`InputError`; columns not written as cell codes (``agency``) are left aside,
        and a cell with no column is not reported. Numeric columns are taken as they are;
        other columns (object, string, categorical…) value by value through
        ``_report.data_value`` — placeholders (``/``, ``—``, ``""``) are blank, numeric text
        (``"1,234"``) a number — and a bool column or a value that is no count (``"abc"``,
        ``"12件"``, an infinity) raises :class:`InputError` naming the cells and reports.
        """
        if not isinstance(panel, pd.DataFrame):
            raise TypeError(f"a panel is a pandas DataFrame (one row per report, one column per cell code), "
                            f"not a {type(panel).__name__}; audit() takes one report")
        codes = self.codes
        n = len(panel)
        dtypes = panel.dtypes.tolist()
        if panel.columns.tolist() == codes:  # panel_of's shape: nothing else to check
            if all(d.kind in "fiu" for d in dtypes):
                # numbers only (panel_of's Float64): one conversion instead of one per cell,
                # which was most of a small panel's audit
                values = panel.to_numpy(dtype=float, na_value=np.nan)
                _refuse_infinite(values, panel.index, codes)
                return values
        elif not cell_labels(panel.columns, self.template) and codes:
            raise _no_cell_columns(panel.columns, self.template)
        # every label written as a cell code is now a cell of the template, given once
        positions = {str(c): j for j, c in enumerate(panel.columns) if str(c) in self.template.cells}
        take = [(j, positions[c]) for j, c in enumerate(codes) if c in positions]
        if all(dtypes[k].kind in "fiu" for _, k in take):  # numbers only, some cells absent (NaN)
            values = np.full((n, len(codes)), np.nan)
            values[:, [j for j, _ in take]] = panel.iloc[:, [k for _, k in take]].to_numpy(
                dtype=float, na_value=np.nan)
            _refuse_infinite(values, panel.index, codes)
            return values
        values = np.full((n, len(codes)), np.nan)
        problems: list[tuple[str, str, object]] = []
        reports = [str(x) for x in panel.index]
        for j, k in take:
            code, column = codes[j], panel.iloc[:, k]
            kind = column.dtype.kind
            if kind in "fiu":
                values[:, j] = column.to_numpy(dtype=float, na_value=np.nan)
                continue
            for i, v in enumerate(column.tolist()):
                try:
                    x = data_value(v)
                except _BadValue as exc:
                    problems.append((f"{code} @ {reports[i]}", exc.kind, v))
                else:
                    if x is not None:
                        values[i, j] = x
        if problems:
            raise value_error(problems)
        _refuse_infinite(values, panel.index, codes)
        return values

    def residuals(self, values: np.ndarray) -> np.ndarray:
        """Σ lhs − Σ rhs for every report × linear instance; NaN where a cell is blank."""
        res = (self.coefficients @ np.nan_to_num(values, nan=0.0).T).T
        res[self.blank_counts(values) > 0] = np.nan
        return res

    @functools.cached_property
    def _sides(self) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        # which cells are on the left (coefficient > 0) and on the right (< 0) of each instance
        return (sparse.csr_matrix((self.matrix > 0).astype(float)),
                sparse.csr_matrix((self.matrix < 0).astype(float)))

    def sides(self, values: np.ndarray, instances: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Σ lhs and Σ rhs of linear instance ``instances[j]`` over report row ``values[j]``,
        for many (report, instance) pairs at once (blank cells count as nothing)."""
        if not len(instances):
            return np.empty(0), np.empty(0)
        v = np.nan_to_num(values, nan=0.0)
        left, right = self._sides
        return (np.asarray(left[instances].multiply(v).sum(axis=1)).ravel(),
                np.asarray(right[instances].multiply(v).sum(axis=1)).ravel())

    @functools.cached_property
    def labels(self) -> tuple[tuple[str, ...], ...]:
        """The printed labels of each linear instance's cells (the same for every report)."""
        cells = self.template.cells
        return tuple(tuple(cells[x].describe() for x in inst.cells) for inst in self.linear)

    @functools.cached_property
    def places(self) -> tuple[tuple[str, str], ...]:
        """Where each linear instance applies, in Chinese and English (``_messages.place``)."""
        return tuple((place(inst, self.template, "zh"), place(inst, self.template, "en")) for inst in self.linear)

    def blank_counts(self, values: np.ndarray) -> np.ndarray:
        """How many participating cells of each linear instance are blank, per report."""
        return (self.participation @ np.isnan(values).T.astype(np.float64)).T

    def evaluation_frame(self, panel: pd.DataFrame) -> pd.DataFrame:
        """The long frame the schema validates: one row per report × checked instance.

        Rows run report by report, each over ``checked`` in order; the index is the row
        position. ``report`` is the position of the report in ``panel``.
        """
        return self.frame_of(self.cell_matrix(panel))

    def frame_of(self, values: np.ndarray, first_report: int = 0) -> pd.DataFrame:
        """The evaluation frame of a cell matrix whose first row is report ``first_report``."""
        n, k = len(values), len(self.checked)
        per_report = np.concatenate([self.residuals(values), values[:, self.unary_cells]], axis=1)
        return pd.DataFrame({
            "report": np.repeat(np.arange(first_report, first_report + n, dtype=np.int32), k),
            "instance": np.tile(np.arange(k, dtype=np.int32), n),
            "kind": pd.Categorical.from_codes(np.tile(self.kind_codes, n), dtype=KIND_DTYPE),
            "value": per_report.reshape(n * k),
        }, copy=False)

    def failing_rows(self, frame: pd.DataFrame) -> np.ndarray:
        """Positions in ``frame`` of the rows the schema fails, in frame order."""
        fc = failure_cases(self, frame)
        fc = fc[fc["check"].isin([k.name for k in IN_YEAR_KINDS])]
        return np.unique(frame.index.get_indexer(fc["index"]))


def _refuse_infinite(values: np.ndarray, index: pd.Index, codes: list[str]) -> None:
    bad = np.isinf(values)
    if bad.any():
        rows, cols = np.nonzero(bad)
        raise value_error([(f"{codes[j]} @ {index[i]}", "not_finite", float(values[i, j]))
                           for i, j in zip(rows.tolist(), cols.tolist())])


def _no_cell_columns(columns: pd.Index, template: Template) -> InputError:
    shown = ", ".join(map(repr, list(columns[:8]))) + (" …" if len(columns) > 8 else "")
    example = template.codes[0] if template.codes else "t3.new.natural"
    return InputError("no_cells", f"数据表没有一列是 {template.code} 年格式的单元格代码（列名如 {example}，小写）；"
                                  f"现有列：{shown or '（无）'}。"
                                  f" No column of the panel is a cell code of the {template.code} template "
                                  f"(columns are named like {example}, in lower case); "
                                  f"its columns: {shown or '(none)'}.",
                      detail=shown)


def rule_list(rules: Iterable[Rule] | None) -> list[Rule] | None:
    """The rules given to a public entry point, as a list (None stays None: the packaged rules).

    An iterator is read once here, so that every template and every pass sees all of it.
    Raises ``TypeError`` for something that is not an iterable of :class:`Rule` objects
    (naming the first such element), and :class:`RuleError` for a rule id given twice for
    the same template (``load_rules() + load_rules()``), which would check it twice or
    leave which definition holds unclear.
    """
    if rules is None:
        return None
    if isinstance(rules, (str, bytes, Rule, dict)) or not isinstance(rules, Iterable):
        raise TypeError(f"rules must be a list of Rule objects (e.g. gov_audit.load_rules()), "
                        f"not a {type(rules).__name__}: {rules!r:.80}")
    listed = list(rules)
    for i, r in enumerate(listed):
        if not isinstance(r, Rule):
            raise TypeError(f"rules must be a list of Rule objects (e.g. gov_audit.load_rules()); "
                            f"item {i} is a {type(r).__name__}: {r!r:.80}")
    seen: set[tuple[str, str]] = set()
    twice: dict[str, None] = {}  # (ordered, once each)
    for r in listed:
        for t in r.templates:
            if (r.id, t) in seen:
                twice[r.id] = None
            seen.add((r.id, t))
    if twice:
        ids = ", ".join(twice)
        raise RuleError(f"规则编号重复（同一格式定义了不止一次）：{'、'.join(twice)}。每条规则只能给一次；"
                        f"要替换一条自带规则，请先从 load_rules() 的结果中去掉它。"
                        f" Duplicate rule ids (defined more than once for a template): {ids}. Give each rule "
                        f"once; to replace a packaged rule, drop it from load_rules() first.")
    return listed


def compile_rules(template: Template, rules: list[Rule] | None = None) -> CompiledRules:
    instances = tuple(instances_for(template, rules))
    linear = tuple(i for i in instances if i.kind.shape == "linear")
    index = {c: j for j, c in enumerate(template.codes)}
    matrix = np.zeros((len(linear), len(index)))
    for k, inst in enumerate(linear):
        for c in inst.lhs:
            matrix[k, index[c]] += 1
        for c in inst.rhs:
            matrix[k, index[c]] -= 1
    unary = tuple(i for i in instances if i.kind.shape == "unary")
    checked = linear + unary
    columns = {
        "report": pa.Column(np.int32, title="report", description="position of the report in the panel"),
        "instance": pa.Column(np.int32, title="instance", description="position in CompiledRules.checked"),
        "kind": pa.Column(KIND_DTYPE, title="kind", description="the rule kind of the instance"),
        "value": pa.Column(float, nullable=True, title="value",
                           description="residual Σ lhs − Σ rhs (linear rules) or cell value (unary rules)"),
    }
    checks = [_kind_check(kind) for kind in IN_YEAR_KINDS]
    schema = pa.DataFrameSchema(columns, checks=checks, name=f"gov_audit template {template.code}", strict=False)
    unary_cells = np.array([index[i.key] for i in unary], dtype=np.intp)
    kind_codes = np.array([KIND_DTYPE.categories.get_loc(i.rule.kind) for i in checked], dtype=np.int8)
    return CompiledRules(template, instances, linear, matrix, sparse.csr_matrix(matrix),
                         sparse.csr_matrix(np.abs(matrix)), checked, unary_cells, kind_codes, schema)


@functools.lru_cache(maxsize=8)
def _compiled_default(folder: str, code: str) -> CompiledRules:
    # keyed by the rules folder too: GOV_AUDIT_RULES may point elsewhere between calls
    return compile_rules(get_template(code), load_rules(folder))


def compiled_for(template: Template | str, rules: Iterable[Rule] | None = None) -> CompiledRules:
    """Compiled rules for a template; the rule set of the rules folder is compiled once and cached.

    ``rules`` as for :func:`rule_list`; an unknown template raises :class:`InputError`.
    """
    rules = rule_list(rules)
    if rules is None:
        return _compiled_default(str(rules_dir()), as_template(template).code)
    return compile_rules(as_template(template), rules)


def schema_for(template: Template | str, rules: Iterable[Rule] | None = None) -> pa.DataFrameSchema:
    """The pandera schema compiled from the rules for ``template`` (inspectable, reusable).

    It validates an evaluation frame (see :meth:`CompiledRules.evaluation_frame`): one row
    per report × rule instance, with one check per rule kind.
    """
    return compiled_for(template, rules).schema


def failure_cases(compiled: CompiledRules, frame: pd.DataFrame) -> pd.DataFrame:
    """Run the schema over ``frame`` and return pandera's failure cases (possibly empty).

    A failing row of the evaluation frame appears once per column (pandera lists a
    DataFrame-level check's failures cell by cell); ``index`` is the row's label.
    """
    try:
        # in place: the schema neither coerces nor parses, so this only spares pandera
        # copying the whole frame (twice) before checking it
        compiled.schema.validate(frame, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        return fc[fc["check"].notna()]
    return pd.DataFrame(columns=["schema_context", "column", "check", "check_number", "failure_case", "index"])

"""Compile rules into one pandera schema over a panel of reports.

The panel has one row per report and one column per cell code. Rather than one wide
check that would blame every column, the compiler builds an *evaluation frame*:

* one residual column per linear rule instance (``t3.balance[natural]`` = Σ lhs − Σ rhs),
  computed for every report at once as a matrix product, null where a participating
  cell is not reported;
* the cell columns themselves, carrying the unary checks (non-negative, integer).

Each column of the pandera ``DataFrameSchema`` then has exactly the checks of the rule
instances it stands for, so every failure case maps back to exactly that instance's cells.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ._rules import Rule, RuleInstance, instances_for, load_rules
from ._template import Template, get_template

TOLERANCE = 1e-6  # identities are over whole counts; this only absorbs float noise


def _unary_check(relation: str, name: str) -> pa.Check:
    if relation == "non_negative":
        return pa.Check(lambda s: s >= 0, name=name)
    if relation == "integer":
        # distance to the nearest whole number: s % 1 would call 0.999999999 fractional
        return pa.Check(lambda s: (s - s.round()).abs() <= TOLERANCE, name=name)
    raise ValueError(relation)


def _linear_check(relation: str, name: str) -> pa.Check:
    if relation == "eq":
        return pa.Check(lambda s: s.abs() <= TOLERANCE, name=name)
    if relation == "le":
        return pa.Check(lambda s: s <= TOLERANCE, name=name)
    raise ValueError(relation)


@dataclass(frozen=True)
class CompiledRules:
    """Everything needed to validate a panel of one template, built once and reused."""

    template: Template
    instances: tuple[RuleInstance, ...]
    linear: tuple[RuleInstance, ...]
    matrix: np.ndarray          # (n_linear, n_cells): +1 lhs, −1 rhs
    schema: pa.DataFrameSchema
    by_column_check: dict[tuple[str, str], RuleInstance]

    @property
    def codes(self) -> list[str]:
        return self.template.codes

    def cell_matrix(self, panel: pd.DataFrame) -> np.ndarray:
        """The panel's cells as a float matrix (NaN = not reported), in template order."""
        cols = [panel[c] if c in panel.columns else pd.Series(np.nan, index=panel.index) for c in self.codes]
        return np.column_stack([pd.to_numeric(c, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                                for c in cols]) if cols else np.empty((len(panel), 0))

    def residuals(self, values: np.ndarray) -> np.ndarray:
        """Σ lhs − Σ rhs for every report × linear instance; NaN where a cell is blank."""
        filled = np.nan_to_num(values, nan=0.0)
        res = filled @ self.matrix.T
        blanks = np.isnan(values).astype(np.float64) @ np.abs(self.matrix).T
        res[blanks > 0] = np.nan
        return res

    def blank_counts(self, values: np.ndarray) -> np.ndarray:
        """How many participating cells of each linear instance are blank, per report."""
        return np.isnan(values).astype(np.float64) @ np.abs(self.matrix).T

    def evaluation_frame(self, panel: pd.DataFrame, values: np.ndarray | None = None) -> pd.DataFrame:
        values = self.cell_matrix(panel) if values is None else values
        res = self.residuals(values)
        data = {i.name: res[:, k] for k, i in enumerate(self.linear)}
        data.update({c: values[:, j] for j, c in enumerate(self.codes)})
        return pd.DataFrame(data, index=panel.index, copy=False)


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
    columns: dict[str, pa.Column] = {}
    by_column_check: dict[tuple[str, str], RuleInstance] = {}
    for inst in linear:
        columns[inst.name] = pa.Column(float, _linear_check(inst.kind.relation, inst.rule.id), nullable=True,
                                       title=inst.rule.title_zh, description=inst.rule.title_en)
        by_column_check[inst.name, inst.rule.id] = inst
    cell_checks: dict[str, list[pa.Check]] = {c: [] for c in template.codes}
    for inst in instances:
        if inst.kind.shape == "unary":
            cell_checks[inst.key].append(_unary_check(inst.kind.relation, inst.rule.id))
            by_column_check[inst.key, inst.rule.id] = inst
    for code, checks in cell_checks.items():
        columns[code] = pa.Column(float, checks, nullable=True, title=template.cells[code].describe())
    schema = pa.DataFrameSchema(columns, name=f"gov_audit template {template.code}", strict=False)
    return CompiledRules(template, instances, linear, matrix, schema, by_column_check)


@functools.lru_cache(maxsize=8)
def _compiled_default(code: str) -> CompiledRules:
    return compile_rules(get_template(code), load_rules())


def compiled_for(template: Template | str, rules: list[Rule] | None = None) -> CompiledRules:
    """Compiled rules for a template; the packaged rule set is compiled once and cached."""
    if rules is None:
        return _compiled_default(template.code if isinstance(template, Template) else str(template))
    return compile_rules(template if isinstance(template, Template) else get_template(template), rules)


def schema_for(template: Template | str, rules: list[Rule] | None = None) -> pa.DataFrameSchema:
    """The pandera schema compiled from the rules for ``template`` (inspectable, reusable).

    It validates an evaluation frame (see :meth:`CompiledRules.evaluation_frame`): one
    residual column per identity instance plus one column per cell.
    """
    return compiled_for(template, rules).schema


def failure_cases(compiled: CompiledRules, frame: pd.DataFrame) -> pd.DataFrame:
    """Run the schema over ``frame`` and return pandera's failure cases (possibly empty)."""
    try:
        compiled.schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        return fc[fc["check"].notna()]
    return pd.DataFrame(columns=["schema_context", "column", "check", "check_number", "failure_case", "index"])

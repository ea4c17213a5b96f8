"""Fast vectorised synthetic panels for benchmarks (hypothesis is for tests, not 100k rows).

Counts are drawn for the free cells and the totals computed, so every identity holds;
``error_rate`` of the reports then get one cell bumped by 1.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from gov_audit._template import get_template


def consistent_panel(n: int, template: str = "2021", seed: int = 0, error_rate: float = 0.01) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    tpl = get_template(template)
    t3 = tpl.tables["t3"]
    applicants = list(t3.column_groups["applicants"])
    data: dict[str, np.ndarray] = {}
    results = list(t3.row_groups["results"])
    for row in results:
        for col in applicants:
            data[f"t3.{row}.{col}"] = rng.poisson(0.6 if col == "natural" else 0.05, n).astype(float)
    for col in applicants:
        handled = sum(data[f"t3.{r}.{col}"] for r in results)
        data[f"t3.total.{col}"] = handled
        data[f"t3.carry_out.{col}"] = rng.poisson(0.3, n).astype(float)
        data[f"t3.carry_in.{col}"] = np.minimum(rng.poisson(0.3, n), handled + data[f"t3.carry_out.{col}"]).astype(float)
        data[f"t3.new.{col}"] = handled + data[f"t3.carry_out.{col}"] - data[f"t3.carry_in.{col}"]
    for row in t3.rows:
        data[f"t3.{row}.total"] = sum(data[f"t3.{row}.{c}"] for c in applicants)
    for row in tpl.tables["t4"].rows:
        outcomes = [f"t4.{row}.{c}" for c in tpl.tables["t4"].column_groups["outcomes"]]
        for c in outcomes:
            data[c] = rng.poisson(0.4, n).astype(float)
        data[f"t4.{row}.total"] = sum(data[c] for c in outcomes)
    for code, spec in tpl.cells.items():
        if code.startswith("t2."):
            data[code] = rng.integers(0, 50, n).astype(float)
    for row in ("rules", "normative"):  # keep the warnings quiet too
        if template == "2021":
            data[f"t2.{row}.in_force"] = data[f"t2.{row}.issued"] + data[f"t2.{row}.in_force"]
        else:
            data[f"t2.{row}.total_pub"] = data[f"t2.{row}.new_pub"] + data[f"t2.{row}.total_pub"]
    frame = pd.DataFrame({c: data[c] for c in tpl.codes}, index=pd.Index([f"r{i}" for i in range(n)], name="report"))
    broken = rng.random(n) < error_rate
    cols = rng.integers(0, len(tpl.codes), n)
    values = frame.to_numpy(copy=True)
    values[np.nonzero(broken)[0], cols[broken]] += 1
    return pd.DataFrame(values, index=frame.index, columns=frame.columns).astype("Float64")

"""Every rule, through the compiled pandera schema: passing and failing cases.

The consistent bases are real reports (hand-checked truth files), so "passing" is not
just all-zeros; each failing case breaks one cell of one rule instance and expects a
finding of that rule whose cells include the broken one.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

import gov_audit
from gov_audit._rules import expand, load_rules
from gov_audit._template import get_template

from _corpus import truth_cells

BASES = {"2019": "pingtan-2019.txt", "2021": "pingtan-2022.txt"}


def base_cells(template: str) -> dict[str, float | None]:
    tpl = get_template(template)
    cells = truth_cells(BASES[template], tpl.codes)
    # Table 2 of the truth files is keyed by label; make it consistent with the warnings too.
    for code in tpl.codes:
        if code.startswith("t2."):
            cells[code] = 5.0 if code.endswith((".in_force", ".total_pub")) else 1.0
    return cells


CASES = [(t, inst) for t in ("2019", "2021") for rule in load_rules() for inst in expand(rule, get_template(t))]


def _findings(cells: dict, template: str, rule_id: str | None = None):
    result = gov_audit.audit(cells, template=template, name="case")
    return [f for f in result.findings if rule_id is None or f.rule == rule_id]


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_real_consistent_reports_have_no_findings(template):
    assert _findings(base_cells(template), template) == []


def _break(inst, cells: dict) -> tuple[str, float]:
    """Change one cell so that this instance fails; return the cell and its new value."""
    kind = inst.kind
    if kind.relation == "non_negative":
        return inst.key, -1.0
    if kind.relation == "integer":
        return inst.key, cells[inst.key] + 0.5
    if kind.relation == "le":  # make the lhs exceed the rhs
        rhs = sum(cells[c] for c in inst.rhs)
        lhs_rest = sum(cells[c] for c in inst.lhs[1:])
        return inst.lhs[0], rhs - lhs_rest + 1
    return inst.lhs[0], cells[inst.lhs[0]] + 1


@pytest.fixture(scope="module")
def broken_panels():
    """One panel per template: one row per rule instance, with that instance broken.

    Auditing them as panels keeps this table of ~900 cases to two pandera passes.
    """
    out = {}
    for template in ("2019", "2021"):
        rows, changes = {}, {}
        for t, inst in CASES:
            if t != template:
                continue
            cells = base_cells(template)
            code, value = _break(inst, cells)
            cells[code] = value
            rows[inst.name] = cells
            changes[inst.name] = (code, cells)
        result = gov_audit.audit_panel(pd.DataFrame.from_dict(rows, orient="index"), template)
        out[template] = (result, changes)
    return out


@pytest.mark.parametrize(("template", "inst"), CASES, ids=[f"{t}-{i.name}" for t, i in CASES])
def test_each_rule_instance_fails_when_its_cell_is_broken(template, inst, broken_panels):
    result, changes = broken_panels[template]
    code, cells = changes[inst.name]
    found = [f for f in result.for_report(inst.name) if f.rule == inst.rule.id]
    hits = [f for f in found if code in f.cells and f.instance == inst.key]
    assert hits, f"{inst.name}: no finding for {code}={cells[code]}; got {found}"
    f = hits[0]
    assert f.severity == inst.rule.severity
    assert f.message_zh and f.message_en
    assert len(f.labels) == len(f.cells)
    if inst.kind.shape == "linear" and inst.kind.relation == "eq":
        assert f.reason == "identity_violated"
        assert f.observed - f.expected == pytest.approx(sum(cells[c] for c in inst.lhs) - sum(cells[c] for c in inst.rhs))
        assert set(f.cells) == set(inst.cells)


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_findings_blame_only_the_instances_that_contain_the_cell(template):
    """Each failure maps to exactly its rule instance: no other identity is blamed."""
    cells = base_cells(template)
    cells["t3.granted.natural"] += 1
    found = [f for f in _findings(cells, template) if f.severity == "error"]
    assert {(f.rule, f.instance) for f in found} == {
        ("t3.results_total", "natural"), ("t3.row_total", "granted")}
    assert all("t3.granted.natural" in f.cells for f in found)


def test_signed_delta_may_be_negative_but_counts_may_not():
    cells = base_cells("2019")
    cells["t2.license.delta"] = -3.0
    assert _findings(cells, "2019") == []
    cells["t2.license.decisions"] = -3.0
    assert [f.rule for f in _findings(cells, "2019")] == ["t2.non_negative"]


def test_money_may_be_a_decimal_but_counts_may_not():
    cells = base_cells("2021")
    cells["t2.fee.fee_amount"] = 24252.311082
    assert _findings(cells, "2021") == []
    cells["t2.license.decisions"] = 2.5
    assert [f.rule for f in _findings(cells, "2021")] == ["t2.integer"]


def test_audit_panel_matches_audit_one_by_one():
    reports = {}
    for n, bump in enumerate(["t3.new.natural", "t4.review.total", None, "t3.carry_out.total"]):
        cells = base_cells("2021")
        if bump:
            cells[bump] += 2
        reports[f"r{n}"] = cells
    panel = pd.DataFrame.from_dict(reports, orient="index")
    together = gov_audit.audit_panel(panel, template="2021").findings
    alone = pd.concat([gov_audit.audit(c, template="2021", name=k).findings_frame() for k, c in reports.items()])
    key = lambda df: sorted(zip(df["report"], df["rule"], df["instance"], df["cells"]))  # noqa: E731
    assert key(together) == key(alone)
    assert set(together["report"]) == {"r0", "r1", "r3"}
    assert list(together.columns) == gov_audit.FINDING_COLUMNS


def test_panel_validated_in_several_passes_gives_the_same_findings(monkeypatch):
    """Large panels are validated a few thousand reports at a time; the seams must not show."""
    from gov_audit import _audit

    reports = {}
    for n, bump in enumerate(["t3.new.natural", None, "t4.review.total", "t3.carry_out.total", None]):
        cells = base_cells("2021")
        if bump:
            cells[bump] += 2
        reports[f"r{n}"] = cells
    reports["r1"]["t3.granted.total"] = None  # a not_reported warning in a middle pass
    panel = pd.DataFrame.from_dict(reports, orient="index")
    whole = gov_audit.audit_panel(panel, "2021").findings_list
    monkeypatch.setattr(_audit, "REPORTS_PER_PASS", 2)
    in_passes = gov_audit.audit_panel(panel, "2021").findings_list
    assert in_passes == whole
    assert {f.report for f in whole} == {"r0", "r1", "r2", "r3"}


def test_schema_is_inspectable_and_covers_every_instance():
    """One check per in-year rule kind over a long frame: one row per report × rule instance."""
    import pandera.pandas as pa

    from gov_audit._compile import compiled_for

    schema = gov_audit.schema_for("2021")
    assert isinstance(schema, pa.DataFrameSchema)
    assert [c.name for c in schema.checks] == ["sum_identity", "at_most", "non_negative", "integer"]
    assert set(schema.columns) == {"report", "instance", "kind", "value"}

    tpl = get_template("2021")
    compiled = compiled_for("2021")
    expected = [i.name for r in load_rules() for i in expand(r, tpl)]
    assert sorted(i.name for i in compiled.checked) == sorted(expected)
    assert compiled.checked[:len(compiled.linear)] == compiled.linear  # residual rows index the matrix

    cells = base_cells("2021")
    cells["t3.granted.natural"] += 1
    panel = pd.DataFrame.from_dict({"a": base_cells("2021"), "b": cells}, orient="index")
    frame = compiled.evaluation_frame(panel)
    k = len(compiled.checked)
    assert len(frame) == 2 * k
    assert frame.groupby("report")["instance"].apply(sorted).tolist() == [list(range(k))] * 2
    assert (frame["kind"] == [compiled.checked[i].rule.kind for i in frame["instance"]]).all()
    by_name = {i.name: n for n, i in enumerate(compiled.checked)}
    row = frame.set_index(["report", "instance"])["value"]
    results_total = compiled.checked[by_name["t3.results_total[natural]"]]
    bumped_side = 1 if "t3.granted.natural" in results_total.lhs else -1
    assert row[1, by_name["t3.results_total[natural]"]] == bumped_side  # a residual: Σ lhs − Σ rhs
    assert row[0, by_name["t3.results_total[natural]"]] == 0
    assert row[1, by_name["t3.non_negative[t3.granted.natural]"]] == cells["t3.granted.natural"]  # a cell

    with pytest.raises(pa.errors.SchemaErrors) as exc:
        schema.validate(frame, lazy=True)
    failed = exc.value.failure_cases
    rows = frame.loc[sorted(set(failed["index"]))]
    assert set(rows["report"]) == {1}
    assert {compiled.checked[i].name for i in rows["instance"]} == {
        "t3.results_total[natural]", "t3.row_total[granted]"}
    assert set(failed["check"]) == {"sum_identity"}


def test_finding_record_is_immutable_with_short_repr_and_helpful_str():
    cells = base_cells("2021")
    cells["t3.carry_out.natural"] += 1
    f = next(f for f in _findings(cells, "2021") if f.rule == "t3.balance")
    with pytest.raises(Exception):
        f.rule = "x"
    assert repr(f) == "<Finding error t3.balance[natural] in 'case'>"
    text = str(f)
    assert "t3.carry_out.natural" in text and "表三「四、结转下年度继续办理」×「自然人」" in text
    assert f.to_dict()["residual"] == -1 and not math.isnan(f.observed)


@pytest.mark.parametrize("code", ["2019", "2021"])
def test_a_not_reported_warning_names_the_blank_cells_as_their_labels_do(code):
    # table 4 prints its rows under a group (行政诉讼 未经复议直接起诉 / 复议后起诉): the
    # message must name a blank cell the way the finding's labels do
    tpl = get_template(code)
    cells = {c: 0.0 for c in tpl.codes}
    cells["t4.lit_after.upheld"] = None
    found = [f for f in gov_audit.audit(cells, template=code).findings if f.reason == "not_reported"]
    assert found and all(f.cells == ("t4.lit_after.upheld",) for f in found)
    label = tpl.cells["t4.lit_after.upheld"].describe()
    assert label == "表四「行政诉讼 复议后起诉」×「结果维持」"
    assert all(f.labels == (label,) and label in f.message_zh for f in found)
